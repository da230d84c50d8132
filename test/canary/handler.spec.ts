/**
 * The canary handler against local S3 (s3rver) and DynamoDB (dynalite) with the real data processor
 * invoked in-process (as S3 would, once the canary's record is in intake/), and SQS, STS and
 * CloudWatch as client mocks (no local server of theirs in the project): the PHI path end to end, the
 * detection drain (SNS-shaped SQS messages in, DetectionSeconds out, malformed ones kept with a log
 * line), the probe as the assumed role, and the environment's errors.
 */
import { strict as assert } from "assert";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from "@aws-sdk/client-sqs";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import {
  CANARY_METRIC_NAMESPACE,
  CANARY_PROBE_KEY,
  classifyAlert,
  readCanaryEnvironment,
  type CanaryEnvironment,
} from "../../lambda/canary/contract";
import { createHandler, type CanaryDependencies } from "../../lambda/canary/index";
import type { LogFields } from "../../lambda/shared/log";
import { BUCKET, s3Event, s3Record, startLocalAws, TABLE, type LocalAws } from "../../tools/local-aws/data-processor";

const PROBE_ROLE = "arn:aws:iam::123456789012:role/hcp-test-canary-probe";
const QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/hcp-test-canary-alerts";
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** An SQS message as SNS delivers a notification to a queue (no raw delivery), with the `canary` attribute. */
function snsMessage(id: string, alert: Record<string, unknown> | string, publishedAt: string, canary = "true"): Message {
  return {
    MessageId: id,
    ReceiptHandle: `handle-${id}`,
    Body: JSON.stringify({
      Type: "Notification",
      MessageId: `sns-${id}`,
      TopicArn: "arn:aws:sns:us-east-1:123456789012:hcp-test-security-alerts",
      Subject: "canary: PHI access incident",
      Message: typeof alert === "string" ? alert : JSON.stringify(alert),
      Timestamp: publishedAt,
      SignatureVersion: "1",
      MessageAttributes: { canary: { Type: "String", Value: canary } },
    }),
  };
}

describe("canary handler (s3rver + dynalite, the real data processor; SQS, STS, CloudWatch mocked)", function () {
  this.timeout(60_000);
  let aws: LocalAws;
  let env: CanaryEnvironment;
  const sqs = mockClient(SQSClient);
  const sts = mockClient(STSClient);
  const cloudwatch = mockClient(CloudWatchClient);
  let queue: Message[] = [];
  let lines: { level: string; message: string; fields: LogFields }[] = [];
  const probeCredentials: string[] = [];
  const clients: { destroy(): void }[] = [];

  before(async () => {
    aws = await startLocalAws();
    env = readCanaryEnvironment({
      CANARY_BUCKET: BUCKET,
      AUDIT_TABLE_NAME: TABLE,
      PROBE_ROLE_ARN: PROBE_ROLE,
      ALERT_QUEUE_URL: QUEUE_URL,
      STACK_NAME: "test",
      PROCESSING_WAIT_SECONDS: "5",
      S3_FORCE_PATH_STYLE: "true",
    });
  });
  after(async () => {
    clients.forEach((c) => c.destroy());
    sqs.restore();
    sts.restore();
    cloudwatch.restore();
    await aws.stop();
  });
  beforeEach(() => {
    lines = [];
    queue = [];
    sqs.reset();
    sts.reset();
    cloudwatch.reset();
    // One receive returns what is queued; the next none (a drained queue). As SQS does, system attributes
    // come back only when the request names them (this is the message's second receive).
    sqs.on(ReceiveMessageCommand).callsFake((input: { MessageSystemAttributeNames?: string[] }) => {
      const named = input.MessageSystemAttributeNames ?? [];
      const out = queue.map((m) =>
        named.includes("ApproximateReceiveCount") ? { ...m, Attributes: { ApproximateReceiveCount: "2" } } : m,
      );
      queue = [];
      return { Messages: out };
    });
    sqs.on(DeleteMessageCommand).resolves({});
    sts.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: "ASIAPROBE", SecretAccessKey: "probe-secret", SessionToken: "probe-token", Expiration: new Date() },
    });
    cloudwatch.on(PutMetricDataCommand).resolves({});
  });

  function canary(overrides: Partial<CanaryDependencies> = {}) {
    const s3 = new S3Client({ endpoint: aws.s3Endpoint, forcePathStyle: true });
    const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: aws.dynamodbEndpoint }));
    clients.push(s3, dynamodb);
    return createHandler({
      env,
      s3,
      dynamodb,
      sqs: new SQSClient({ region: "us-east-1" }),
      sts: new STSClient({ region: "us-east-1" }),
      cloudwatch: new CloudWatchClient({ region: "us-east-1" }),
      // s3rver checks its own credentials: the probe's client is recorded, then signs as s3rver's.
      probeS3: (c) => {
        probeCredentials.push(c.accessKeyId);
        const client = new S3Client({ endpoint: aws.s3Endpoint, forcePathStyle: true });
        return client;
      },
      log: (level, message, fields = {}) => lines.push({ level, message, fields }),
      pollIntervalMs: 100,
      ...overrides,
    });
  }

  const metrics = (name: string) =>
    cloudwatch
      .commandCalls(PutMetricDataCommand)
      .map((c) => c.args[0].input)
      .filter((i) => i.MetricData?.[0]?.MetricName === name);

  /** Runs the canary; once its record is in intake/canary/, waits `delayMs` and runs the data processor on it. */
  async function runWithProcessor(delayMs: number) {
    const run = canary()({}, { awsRequestId: "req-1" });
    const before = new Set(await aws.keys("intake/canary/"));
    let key: string | undefined;
    for (let i = 0; i < 100 && !key; i++) {
      key = (await aws.keys("intake/canary/")).find((k) => !before.has(k));
      if (!key) await sleep(20);
    }
    assert.ok(key, "the canary wrote no record under intake/canary/");
    await sleep(delayMs);
    const body = (await aws.get(key))!;
    const processed = await aws.handler()(s3Event(s3Record(key, body.length)), { awsRequestId: "dp-1" });
    return { result: await run, key, body, processed };
  }

  it("PHI path: its marked synthetic record is processed and audited by the real data processor, and ProcessingSeconds is measured", async () => {
    const slow = await runWithProcessor(1200);
    const fast = await runWithProcessor(100);
    for (const r of [slow, fast]) {
      assert.equal(r.result.processed, true);
      const record = JSON.parse(r.body.toString("utf8"));
      assert.deepEqual(record.meta.tag, [
        { system: "http://terminology.hl7.org/CodeSystem/v3-ActReason", code: "HTEST", display: "test health data" },
      ]);
      assert.equal(record.identifier[0].system, "urn:healthcare-platform:canary");
      const processedKey = r.key.replace(/^intake\//, "processed/");
      assert.ok(await aws.get(processedKey), "the processed copy exists");
      assert.equal((await aws.auditItems()).filter((i) => i.objectKey === r.key && i.outcome === "PROCESSED").length, 1);
    }
    // Measured, not constant: the later processor run takes longer, by about the difference in delay.
    assert.ok(slow.result.processingSeconds! >= 1.2, `slow run measured ${slow.result.processingSeconds}`);
    assert.ok(
      fast.result.processingSeconds! < slow.result.processingSeconds! - 0.5,
      `${fast.result.processingSeconds} vs ${slow.result.processingSeconds}`,
    );
    const published = metrics("ProcessingSeconds");
    assert.equal(published.length, 2);
    assert.deepEqual(
      published.map((p) => p.MetricData![0].Values![0]),
      [slow.result.processingSeconds, fast.result.processingSeconds],
    );
    assert.equal(published[0].Namespace, CANARY_METRIC_NAMESPACE);
    assert.deepEqual(published[0].MetricData![0].Dimensions, [{ Name: "Stack", Value: "test" }]);
  });

  it("PHI path: a record nobody processes is reported at the bounded wait (above the objective), not awaited forever", async () => {
    const started = Date.now();
    const result = await canary({ env: { ...env, processingWaitSeconds: 2 } })({});
    assert.equal(result.processed, false);
    assert.ok(result.processingSeconds! >= 1.9 && result.processingSeconds! < 3, `waited ${result.processingSeconds}`);
    assert.ok(Date.now() - started < 5000);
    assert.equal(metrics("ProcessingSeconds")[0].MetricData![0].Values![0], result.processingSeconds);
    assert.ok(lines.some((l) => l.level === "WARN" && l.message === "phi-path.timeout"));
  });

  it("detection: canary alerts in, DetectionSeconds out (publish time minus access time), measured messages deleted", async () => {
    queue = [
      snsMessage("a", { alert: "PHI_ACCESS_INCIDENT", incidentId: "e1", eventTime: "2026-12-05T01:00:00Z" }, "2026-12-05T01:06:30.500Z"),
      snsMessage("b", { alert: "PHI_ACCESS_INCIDENT", incidentId: "e2", eventTime: "2026-12-05T01:15:00Z" }, "2026-12-05T01:19:00.000Z"),
      snsMessage("c", { alert: "PHI_ACCESS_INCIDENT_REPORT_READY", eventTime: "2026-12-05T01:00:00Z" }, "2026-12-05T01:08:00.000Z"),
    ];
    const result = await canary({ env: { ...env, processingWaitSeconds: 1 } })({});
    assert.deepEqual(result.detection, { measured: [390.5, 240], ignored: 1, malformed: 0 });
    const published = metrics("DetectionSeconds");
    assert.equal(published.length, 1);
    assert.deepEqual(published[0].MetricData![0].Values, [390.5, 240]);
    assert.deepEqual(
      sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle),
      ["handle-a", "handle-b", "handle-c"],
    );
  });

  it("detection: a malformed message is kept for the redrive policy, with a log line, never deleted silently", async () => {
    queue = [
      { MessageId: "x", ReceiptHandle: "handle-x", Body: "not json" },
      snsMessage("y", { alert: "PHI_ACCESS_INCIDENT" }, "2026-12-05T01:06:30Z"),
      snsMessage("z", "{", "2026-12-05T01:06:30Z"),
    ];
    const result = await canary({ env: { ...env, processingWaitSeconds: 1 } })({});
    assert.deepEqual(result.detection, { measured: [], ignored: 0, malformed: 3 });
    assert.deepEqual(sqs.commandCalls(DeleteMessageCommand), []);
    assert.deepEqual(
      lines.filter((l) => l.message === "alert.malformed").map((l) => l.fields.messageId),
      ["x", "y", "z"],
    );
    assert.deepEqual(
      lines.filter((l) => l.message === "alert.malformed").map((l) => l.fields.receiveCount),
      ["2", "2", "2"],
      "the log says how often each was received (the redrive policy's count)",
    );
    assert.equal(metrics("DetectionSeconds").length, 0);
  });

  it("detection: the alerts stay queued when DetectionSeconds cannot be published, and the run fails naming the step", async () => {
    queue = [snsMessage("a", { alert: "PHI_ACCESS_INCIDENT", eventTime: "2026-12-05T01:00:00Z" }, "2026-12-05T01:05:00Z")];
    cloudwatch.on(PutMetricDataCommand).rejects(Object.assign(new Error("throttled"), { name: "Throttling" }));
    await assert.rejects(canary({ env: { ...env, processingWaitSeconds: 1 } })({}), /drain: Throttling/);
    assert.deepEqual(sqs.commandCalls(DeleteMessageCommand), []);
  });

  it("probe: writes canary/probe.json as its own role, then reads it with the probe role's credentials", async () => {
    probeCredentials.length = 0;
    await canary({ env: { ...env, processingWaitSeconds: 1 } })({});
    const assumed = sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input);
    assert.equal(assumed.length, 1);
    assert.equal(assumed[0].RoleArn, PROBE_ROLE);
    assert.deepEqual(probeCredentials, ["ASIAPROBE"]);
    assert.ok(await aws.get(CANARY_PROBE_KEY));
    assert.ok(lines.some((l) => l.message === "probe.read"));
  });

  it("logs ids, counts and hashes only: no object key and no record content", async () => {
    const r = await runWithProcessor(50);
    const text = JSON.stringify(lines);
    assert.ok(!text.includes(r.key), "the object key is not logged");
    assert.ok(!text.includes("urn:healthcare-platform:canary"));
  });
});

describe("canary contract", () => {
  it("classifies SNS notifications: measure, ignore (not canary, later message), malformed (no eventTime, before the access)", () => {
    const alert = { alert: "PHI_ACCESS_INCIDENT", eventTime: "2026-12-05T01:00:00Z" };
    assert.deepEqual(classifyAlert(snsMessage("1", alert, "2026-12-05T01:04:00Z").Body), {
      kind: "measure",
      detectionSeconds: 240,
      incidentId: undefined,
    });
    assert.equal(classifyAlert(snsMessage("2", alert, "2026-12-05T01:04:00Z", "false").Body).kind, "ignore");
    assert.equal(classifyAlert(snsMessage("3", { alert: "PHI_ACCESS_INCIDENT" }, "2026-12-05T01:04:00Z").Body).kind, "malformed");
    assert.equal(classifyAlert(snsMessage("4", alert, "2026-12-05T00:59:00Z").Body).kind, "malformed");
    assert.equal(classifyAlert(JSON.stringify({ Type: "SubscriptionConfirmation" })).kind, "malformed");
  });

  it("refuses an incomplete environment, naming every variable and its shape", () => {
    assert.throws(
      () => readCanaryEnvironment({ CANARY_BUCKET: "Bad_Bucket", PROCESSING_WAIT_SECONDS: "0" }),
      (e: Error) =>
        /CANARY_BUCKET must be an S3 bucket name/.test(e.message) &&
        /AUDIT_TABLE_NAME is required/.test(e.message) &&
        /PROBE_ROLE_ARN is required/.test(e.message) &&
        /ALERT_QUEUE_URL is required/.test(e.message) &&
        /PROCESSING_WAIT_SECONDS must be from 1 to 900/.test(e.message),
    );
  });
});
