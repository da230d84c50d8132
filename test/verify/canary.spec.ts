/**
 * The canary's checks against responses shaped as AWS documents them: its objectives (GetMetricData,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html) and its
 * probe's replication (HeadObject's x-amz-replication-status,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html): pass, fail, a missing output,
 * and unreachable.
 */
import * as assert from "assert";
import { GetMetricDataCommand, type GetMetricDataInput } from "@aws-sdk/client-cloudwatch";
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { runCheck, type Check, type CheckResult } from "../../tools/verify/check";
import { canaryCheck, replicationCheck } from "../../tools/verify/checks-canary";
import { accessLogsCheck } from "../../tools/verify/checks-edge";
import { CANARY, METRICS, NOW, OUTPUTS, awsError, context, metricsResponder, mockHealthyAccount } from "./harness";

const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const REPLICA = (OUTPUTS.recoveryCopy as { phiReplicaBucket: string }).phiReplicaBucket;

describe("verify canary checks (mocked AWS responses)", () => {
  let m: ReturnType<typeof mockHealthyAccount>;
  let s3: ReturnType<typeof mockClient>;
  beforeEach(() => {
    m = mockHealthyAccount();
    s3 = mockClient(S3Client);
    s3.on(HeadObjectCommand, { Bucket: CANARY.bucket }).resolves({ ReplicationStatus: "COMPLETED", LastModified: minutesAgo(9) });
    s3.on(HeadObjectCommand, { Bucket: REPLICA }).resolves({ ReplicationStatus: "REPLICA", LastModified: minutesAgo(8) });
  });
  afterEach(() => {
    s3.restore();
    m.restore();
  });
  const expectStatus = async (check: Check, status: CheckResult["status"], detail: RegExp, ctx = context()) => {
    const r = await runCheck(check, ctx, 5_000);
    assert.strictEqual(r.status, status, `${check.id}: ${r.detail}`);
    assert.match(r.detail, detail);
    if (status === "fail") assert.ok(r.lookAt, `${check.id}: a failure says what to look at`);
    return r;
  };
  const withoutCanary = () => context({ outputs: { ...OUTPUTS, canary: undefined } });

  describe("canary", () => {
    it("passes with recent measurements within their objectives, reporting the last values", async () => {
      const r = await expectStatus(
        canaryCheck,
        "pass",
        /ProcessingSeconds 47.5 s \(objective 120 s\) at .*; DetectionSeconds 402.4 s \(objective 900 s\)/,
      );
      // The evidence report reads them from verify's JSON.
      assert.deepStrictEqual(r.measurements, [
        { name: "ProcessingSeconds", value: 47.5, unit: "Seconds", objective: 120, at: minutesAgo(5).toISOString() },
        { name: "DetectionSeconds", value: 402.4, unit: "Seconds", objective: 900, at: minutesAgo(5).toISOString() },
      ]);
      const queries = m.cloudwatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.MetricDataQueries?.[0].MetricStat);
      assert.deepStrictEqual(
        queries.map((q) => [q?.Metric?.Namespace, q?.Metric?.MetricName, q?.Metric?.Dimensions, q?.Stat]),
        [
          ["HealthcarePlatform/Canary", "ProcessingSeconds", [{ Name: "Stack", Value: "prod" }], "Maximum"],
          ["HealthcarePlatform/Canary", "DetectionSeconds", [{ Name: "Stack", Value: "prod" }], "Maximum"],
        ],
      );
    });
    it("fails when the latest DetectionSeconds exceeds its objective (earlier breaches do not count)", async () => {
      m.cloudwatch
        .on(GetMetricDataCommand)
        .callsFake(metricsResponder({ ...METRICS, DetectionSeconds: [400, 1200, 1300.4], ProcessingSeconds: [500, 60] }));
      const r = await expectStatus(canaryCheck, "fail", /DetectionSeconds 1300.4 s exceeds its objective of 900 s/);
      assert.doesNotMatch(r.detail, /ProcessingSeconds 60 s exceeds/);
      assert.deepStrictEqual(
        r.measurements?.map((x) => [x.name, x.value]),
        [
          ["ProcessingSeconds", 60],
          ["DetectionSeconds", 1300.4],
        ],
      );
    });
    it("fails when the newest data point is older than three runs (the canary stopped)", async () => {
      m.cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataInput) => ({
        MetricDataResults: [
          { Id: "m", StatusCode: "Complete", Values: [50], Timestamps: [minutesAgo(70)], Label: input.MetricDataQueries?.[0].Id },
        ],
      }));
      await expectStatus(canaryCheck, "fail", /the newest ProcessingSeconds is 1.2 h ago, older than 3 runs \(15 min apart\)/);
    });
    it("fails when a metric has no data at all, and looks back at least three runs when --since is shorter", async () => {
      m.cloudwatch.on(GetMetricDataCommand).callsFake(metricsResponder({ ...METRICS, ProcessingSeconds: [] }));
      await expectStatus(
        canaryCheck,
        "fail",
        /no ProcessingSeconds since .*the PHI path reported nothing/,
        context({ since: minutesAgo(10) }),
      );
      const start = m.cloudwatch.commandCalls(GetMetricDataCommand)[0].args[0].input.StartTime;
      assert.strictEqual(start?.toISOString(), minutesAgo(45).toISOString());
    });
    it("fails naming the output when the stack exports no canary, or a field of it", async () => {
      await expectStatus(canaryCheck, "fail", /^output canary missing: upgrade the stack/, withoutCanary());
      const outputs = { ...OUTPUTS, canary: { ...CANARY, detectionObjectiveSeconds: undefined } };
      await expectStatus(canaryCheck, "fail", /^output canary.detectionObjectiveSeconds missing/, context({ outputs }));
    });
    it("is unreachable when CloudWatch refuses the caller", async () => {
      m.cloudwatch.on(GetMetricDataCommand).rejects(awsError("AccessDenied", 403));
      await expectStatus(canaryCheck, "unreachable", /cloudwatch:GetMetricData was refused/);
    });
  });

  describe("replication", () => {
    it("passes when the probe replicated (COMPLETED) within the window and the replica holds it, asking each region's S3", async () => {
      await expectStatus(
        replicationCheck,
        "pass",
        /canary\/probe.json COMPLETED, written 0.2 h ago; replica hcp-prod-phi-replica-.* \(us-west-2\) holds it/,
      );
      const calls = s3.commandCalls(HeadObjectCommand);
      assert.deepStrictEqual(
        calls.map((c) => [c.args[0].input.Bucket, c.args[0].input.Key]),
        [
          [CANARY.bucket, "canary/probe.json"],
          [REPLICA, "canary/probe.json"],
        ],
      );
      assert.strictEqual(await calls[1].thisValue.config.region(), "us-west-2");
    });
    it("fails when replication FAILED", async () => {
      s3.on(HeadObjectCommand, { Bucket: CANARY.bucket }).resolves({ ReplicationStatus: "FAILED", LastModified: minutesAgo(9) });
      await expectStatus(replicationCheck, "fail", /^replication FAILED/);
    });
    it("fails when replication is PENDING for more than 15 minutes", async () => {
      s3.on(HeadObjectCommand, { Bucket: CANARY.bucket }).resolves({ ReplicationStatus: "PENDING", LastModified: minutesAgo(40) });
      await expectStatus(replicationCheck, "fail", /replication PENDING for more than 15 minutes/);
    });
    it("fails when the probe was written before the window or the replica lacks it", async () => {
      s3.on(HeadObjectCommand, { Bucket: CANARY.bucket }).resolves({ ReplicationStatus: "COMPLETED", LastModified: minutesAgo(60 * 30) });
      s3.on(HeadObjectCommand, { Bucket: REPLICA }).rejects(awsError("NotFound", 404));
      await expectStatus(
        replicationCheck,
        "fail",
        /the probe was last written 30 h ago, before the window; no canary\/probe.json in the replica/,
      );
    });
    it("fails when the canary has not written its probe", async () => {
      s3.on(HeadObjectCommand, { Bucket: CANARY.bucket }).rejects(awsError("NotFound", 404));
      await expectStatus(replicationCheck, "fail", /no canary\/probe.json in hcp-prod-phi-data-/);
    });
    it("is skipped without a recovery region, calling nothing", async () => {
      await expectStatus(replicationCheck, "skipped", /no recovery region/, context({ outputs: { ...OUTPUTS, recoveryCopy: {} } }));
      assert.strictEqual(s3.commandCalls(HeadObjectCommand).length, 0);
    });
    it("fails naming the output without the canary output or the replica bucket's", async () => {
      await expectStatus(replicationCheck, "fail", /^output canary missing/, withoutCanary());
      const outputs = { ...OUTPUTS, recoveryCopy: { region: "us-west-2" } };
      await expectStatus(replicationCheck, "fail", /^output recoveryCopy.phiReplicaBucket missing/, context({ outputs }));
    });
    it("is unreachable when S3 refuses the HEAD (the policy lacks s3:GetObject on canary/*)", async () => {
      s3.on(HeadObjectCommand, { Bucket: CANARY.bucket }).rejects(awsError("AccessDenied", 403));
      await expectStatus(replicationCheck, "unreachable", /s3:GetObject was refused/);
    });
  });
});

describe("verify access-logs check (mocked S3 listings)", () => {
  let m: ReturnType<typeof mockHealthyAccount>;
  let s3: ReturnType<typeof mockClient>;
  const LOGS = (OUTPUTS.buckets as { accessLogs: string }).accessLogs;
  beforeEach(() => {
    m = mockHealthyAccount();
    s3 = mockClient(S3Client);
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    s3.on(ListObjectsV2Command, { Delimiter: "/" }).resolves({ CommonPrefixes: [{ Prefix: "phi-data/" }, { Prefix: "audit-trail/" }] });
  });
  afterEach(() => {
    s3.restore();
    m.restore();
  });
  it("passes naming the source buckets whose logs arrived, listing after the window's start in both regions", async () => {
    s3.on(ListObjectsV2Command, { Bucket: LOGS, Prefix: "phi-data/" }).resolves({ Contents: [{ Key: "phi-data/2026-12-04-11-00-00-AB" }] });
    const r = await runCheck(accessLogsCheck, context(), 5_000);
    assert.strictEqual(r.status, "pass", r.detail);
    assert.match(r.detail, /for 1 bucket: phi-data$/);
    const after = s3.commandCalls(ListObjectsV2Command, { Bucket: LOGS, Prefix: "phi-data/" })[0].args[0].input.StartAfter;
    assert.strictEqual(after, "phi-data/2026-12-03-12-00-00");
    assert.strictEqual(s3.commandCalls(ListObjectsV2Command, { Delimiter: "/" }).length, 2);
  });
  it("fails when no log arrived in the window", async () => {
    const r = await runCheck(accessLogsCheck, context(), 5_000);
    assert.strictEqual(r.status, "fail");
    assert.match(r.detail, /no server access log since/);
  });
  it("is unreachable when S3 refuses the listing", async () => {
    s3.on(ListObjectsV2Command, { Delimiter: "/" }).rejects(awsError("AccessDenied", 403));
    const r = await runCheck(accessLogsCheck, context(), 5_000);
    assert.strictEqual(r.status, "unreachable");
  });
});
