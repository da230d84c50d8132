/**
 * End to end, offline: a denied CloudTrail event goes through the authorizer (against dynalite, part
 * 1's harness), which starts exactly one execution; that execution's name and input run through the
 * local state machine into one report. Then the report handler's own S3 calls are replayed against the
 * prod plan's policies (the report function's role, the report bucket's policy, the pipeline key).
 */
import { strict as assert } from "assert";
import { AUTHORIZER_ENV } from "../../lambda/authorizer/contract";
import { INCIDENT_REPORT_ENV, type WriteReportResponse } from "../../lambda/incident-report/contract";
import { createHandler } from "../../lambda/incident-report/index";
import { INCIDENT_SUBJECTS } from "../../components/security-events/incident-definition";
import {
  firehoseEvent,
  record,
  s3DataEvent,
  identities,
  ROLE_ARN,
  BUCKET,
  CANARY_KEY,
  PROBE_ROLE_ARN,
} from "../../tools/local-aws/cloudtrail-events";
import { CANARY_ENVIRONMENT, startLocalAws, type LocalAws } from "../../tools/local-aws/authorizer";
import { planIndex } from "../aws/plans";
import { describeCall, simulate, type Call } from "../aws/simulate";
import { fakes, incident, PHI_BUCKET, startLocalWorkflow, type LocalWorkflow, type RecordedS3 } from "./local";

describe("end to end through the local authorizer (dynalite) and state machine (aws-local-stepfunctions)", function () {
  this.timeout(60_000);
  let authorizer: LocalAws;
  let workflow: LocalWorkflow;
  before(async () => {
    authorizer = await startLocalAws();
    workflow = await startLocalWorkflow();
  });
  after(async () => {
    await workflow?.stop();
    await authorizer?.stop();
  });

  describe("incident workflow: authorizer -> one execution -> one report", () => {
    it("a denied read of PHI starts exactly one execution (ids only), which writes exactly one report", async () => {
      // The role has a grant on intake/ writes only: reading a patient record is denied.
      await authorizer.putGrants(ROLE_ARN, BUCKET, [{ prefix: "intake/", access: "write" }]);
      const event = s3DataEvent({ userIdentity: identities.assumedRole(), key: "patients/MRN-0012345/record.json" });
      const handler = authorizer.handler();
      const out = await handler(firehoseEvent([record([event]), record([event])]), { awsRequestId: "e2e-1" });
      assert.equal(out.records.length, 2);
      const starts = authorizer.starts();
      assert.equal(starts.length, 1, "one execution for the event, however often it is delivered");
      assert.equal(starts[0].name, String(event.eventID));
      const input = JSON.parse(starts[0].input!) as Record<string, unknown>;
      assert.ok(!starts[0].input!.includes("MRN-0012345"), "the object key never leaves the authorizer");
      assert.deepEqual(Object.keys(input).sort(), [
        "access",
        "bucket",
        "decision",
        "eventId",
        "eventTime",
        "objectKeySha256",
        "principalArn",
      ]);
      assert.ok(AUTHORIZER_ENV.incidentStateMachineArn);

      const f = fakes();
      const run = await workflow.run(input, starts[0].name, f);
      assert.equal(run.error, undefined, String(run.error));
      const keys = (await workflow.keys()).filter((k) => k.includes(starts[0].name!));
      assert.equal(keys.length, 2, "one JSON report and its summary");
      const report = JSON.parse(await workflow.read(keys.find((k) => k.endsWith(".json"))!)) as {
        event: { principalArn: string; objectKeySha256: string };
        decision: string;
      };
      assert.equal(report.event.principalArn, ROLE_ARN);
      assert.equal(report.decision, input.decision);
      assert.equal(report.event.objectKeySha256, input.objectKeySha256);
      // The test's bucket is not the classified PHI bucket of the harness: Macie is skipped, the rest runs.
      assert.equal(f.athenaCalls.length, 1);
    });
  });

  /**
   * The canary's detection path (issue 18, section 3), offline: a CloudTrail data event of the probe
   * role's assumed-role session reading canary/probe.json goes through the real authorizer handler (a
   * Firehose record as the subscription sends it; grants and throttle in dynalite; StartExecution
   * captured), the captured input runs in aws-local-stepfunctions with the real report handler and SNS
   * captured, and DetectionSeconds is what the canary publishes: the alert's publish time minus the
   * access's eventTime, here from the times recorded along the way.
   */
  describe("canary detection path: CloudTrail event -> authorizer -> canary execution -> alert", () => {
    /** CloudTrail's eventTime: UTC to the second. */
    const cloudTrailTime = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    // The canary reads in the PHI data bucket: the bucket the workflow's Macie job would classify.
    const handler = () => authorizer.handler({ environment: { ...CANARY_ENVIRONMENT, [AUTHORIZER_ENV.canaryBucketName]: PHI_BUCKET } });

    it("the probe's read becomes a canary alert (no Macie, subject and attribute canary) and DetectionSeconds is measured from the recorded times", async () => {
      // The access happened a moment ago; the authorizer (no grants item for the probe role) denies it.
      const accessedAt = Date.now() - 1_500;
      const event = s3DataEvent({
        userIdentity: identities.assumedRole(PROBE_ROLE_ARN),
        bucket: PHI_BUCKET,
        key: CANARY_KEY,
        eventTime: cloudTrailTime(accessedAt),
      });
      const eventTimeMs = Date.parse(String(event.eventTime));
      const transformedAt = Date.now();
      await handler()(firehoseEvent([record([event])]), { awsRequestId: "canary-e2e-1" });
      const starts = authorizer.starts().filter((s) => s.name === event.eventID);
      assert.equal(starts.length, 1, "one execution, named by the eventID");
      const input = JSON.parse(starts[0].input!) as Record<string, unknown>;
      assert.deepEqual([input.canary, input.principalArn, input.decision], [true, PROBE_ROLE_ARN, "unknown-principal"]);

      const f = fakes();
      const run = await workflow.run(input, starts[0].name!, f);
      const finishedAt = Date.now();
      assert.equal(run.error, undefined, String(run.error));
      assert.equal(f.macieCalls.length, 0, "a canary incident runs no Macie job");
      assert.equal(f.athenaCalls.length, 1, "the access history still runs");
      assert.equal(f.snsCalls.length, 2, "the alert and the report-ready message");
      const [alert, outcome] = f.snsCalls;
      assert.deepEqual([alert.Subject, outcome.Subject], [INCIDENT_SUBJECTS.canary.alert, INCIDENT_SUBJECTS.canary.reportReady]);
      for (const call of f.snsCalls) assert.deepEqual(call.MessageAttributes, { canary: { DataType: "String", StringValue: "true" } });
      const message = JSON.parse(String(alert.Message)) as { alert: string; canary: boolean; eventTime: string; incidentId: string };
      assert.deepEqual([message.alert, message.canary, message.incidentId], ["PHI_ACCESS_INCIDENT", true, event.eventID]);
      assert.equal(message.eventTime, event.eventTime, "the alert carries the access's eventTime");

      // DetectionSeconds as the canary computes it: the alert's publish time minus the eventTime it carries.
      const detectionSeconds = (f.snsPublishedAt[0] - Date.parse(message.eventTime)) / 1000;
      assert.ok(Number.isFinite(detectionSeconds) && detectionSeconds >= 0, String(detectionSeconds));
      // Measured, not assumed: at least the access's age when the authorizer ran, at most its age when the run ended.
      assert.ok(detectionSeconds >= (transformedAt - eventTimeMs) / 1000, `${detectionSeconds} s`);
      assert.ok(detectionSeconds <= (finishedAt - eventTimeMs) / 1000, `${detectionSeconds} s`);
      assert.ok(f.snsPublishedAt[0] <= f.snsPublishedAt[1], "the alert before the outcome message");
    });

    it("the probe role reading outside canary/ is a real incident: Macie runs, the usual subject, canary=false", async () => {
      const event = s3DataEvent({
        userIdentity: identities.assumedRole(PROBE_ROLE_ARN),
        bucket: PHI_BUCKET,
        key: "patients/MRN-0012345/record.json",
        eventTime: cloudTrailTime(Date.now()),
      });
      await handler()(firehoseEvent([record([event])]), { awsRequestId: "canary-e2e-2" });
      const [start] = authorizer.starts().filter((s) => s.name === event.eventID);
      const input = JSON.parse(start.input!) as Record<string, unknown>;
      assert.ok(!("canary" in input));
      const f = fakes();
      const run = await workflow.run(input, start.name!, f);
      assert.equal(run.error, undefined, String(run.error));
      assert.equal(f.macieCalls.length, 1);
      assert.equal(f.snsCalls[0].Subject, INCIDENT_SUBJECTS.incident.alert);
      assert.deepEqual(f.snsCalls[0].MessageAttributes, { canary: { DataType: "String", StringValue: "false" } });
    });
  });
});

/** The IAM calls AWS authorizes for a report-handler request, in the prod plan's names. */
function authorizedCalls(
  req: RecordedS3,
  names: { role: string; bucketArn: string; keyArn: string; region: string; account: string },
): Call[] {
  const caller = { role: names.role };
  const object = `${names.bucketArn}/${String(req.input.Key)}`;
  const tls = { "aws:SecureTransport": "true" };
  if (req.command === "HeadObject") return [{ caller, action: "s3:GetObject", resource: object, context: tls }];
  if (req.command !== "PutObject") throw new Error(`no IAM mapping for ${req.command}`);
  const h = req.headers;
  // Request headers S3 evaluates as condition keys of s3:PutObject and s3:PutObjectRetention
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html,
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
  const retainUntil = new Date(h["x-amz-object-lock-retain-until-date"]).toISOString();
  const lock = { "s3:object-lock-mode": h["x-amz-object-lock-mode"], "s3:object-lock-retain-until-date": retainUntil };
  const sse = {
    "s3:x-amz-server-side-encryption": h["x-amz-server-side-encryption"],
    "s3:x-amz-server-side-encryption-aws-kms-key-id": h["x-amz-server-side-encryption-aws-kms-key-id"],
  };
  return [
    { caller, action: "s3:PutObject", resource: object, context: { ...tls, ...sse, ...lock } },
    { caller, action: "s3:PutObjectRetention", resource: object, context: { ...tls, ...lock } },
    {
      caller,
      action: "kms:GenerateDataKey",
      resource: names.keyArn,
      context: {
        ...tls,
        "kms:ViaService": `s3.${names.region}.amazonaws.com`,
        "kms:CallerAccount": names.account,
        "kms:EncryptionContext:aws:s3:arn": names.bucketArn,
      },
    },
  ];
}

describe("the report handler's own calls, replayed against the prod plan's policies", function () {
  this.timeout(120_000);
  let workflow: LocalWorkflow;
  before(async () => {
    workflow = await startLocalWorkflow();
  });
  after(async () => {
    await workflow?.stop();
  });

  it("every HEAD and locked, encrypted, checksummed PUT it sends is allowed; a PUT with another key or outside reports/ is not", async () => {
    const ix = planIndex("prod");
    const bucket = ix.bucket((n) => n.startsWith("hcp-prod-incident-reports-") && !n.includes("replica"), "incident reports");
    const names = {
      role: "hcp-prod-incident-report",
      bucketArn: bucket.arn,
      keyArn: bucket.kmsKeyArn!,
      region: ix.region,
      account: ix.account,
    };
    const run = await workflow.run(incident(), "0f0e0d0c-0b0a-4909-8807-060504030201", fakes());
    assert.equal(run.error, undefined, String(run.error));
    // The plan's key replaces the harness's key id (the handler sends what its environment names).
    const recorded = workflow.recorded.map((r) =>
      r.headers["x-amz-server-side-encryption-aws-kms-key-id"]
        ? { ...r, headers: { ...r.headers, "x-amz-server-side-encryption-aws-kms-key-id": names.keyArn } }
        : r,
    );
    assert.deepEqual([...new Set(recorded.map((r) => r.command))].sort(), ["HeadObject", "PutObject"]);
    const denied: string[] = [];
    for (const req of recorded) {
      for (const call of authorizedCalls(req, names)) {
        const verdict = await simulate(ix, call);
        if (verdict.decision !== "Allowed") denied.push(`${req.command} -> ${describeCall(call)}\n    ${verdict.explain}`);
      }
    }
    assert.deepEqual(denied, [], `denied:\n  ${denied.join("\n  ")}`);
    // A write under another key id is refused by the bucket policy; outside reports/ by the role.
    const put = recorded.find((r) => r.command === "PutObject")!;
    const foreignKey = authorizedCalls(
      { ...put, headers: { ...put.headers, "x-amz-server-side-encryption-aws-kms-key-id": names.keyArn.replace(/key\/.*/, "key/other") } },
      names,
    )[0];
    assert.notEqual((await simulate(ix, foreignKey)).decision, "Allowed");
    const outside = authorizedCalls({ ...put, input: { ...put.input, Key: "elsewhere/x.json" } }, names)[0];
    assert.notEqual((await simulate(ix, outside)).decision, "Allowed");
  });
});

/**
 * S3 answers a HEAD of a missing key with 404 only if the caller may s3:ListBucket the bucket, and
 * with 403 otherwise (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html,
 * Permissions). s3rver enforces no permission, so this S3 stand-in decides the status of each HEAD of
 * a missing key by simulating s3:ListBucket for the report role against the prod plan's policies, and
 * refuses a PUT with `If-None-Match: *` on an existing key with 412 (PutObject API reference).
 */
describe("the report handler against S3's documented HEAD semantics under the prod plan's policies", function () {
  this.timeout(60_000);

  it("writes the report when HEAD of the missing key is answered as the role's policies make AWS answer it, and keeps the first write on a rerun (HEAD of the existing SSE-KMS report answered per the role's kms:Decrypt)", async () => {
    const ix = planIndex("prod");
    const bucket = ix.bucket((n) => n.startsWith("hcp-prod-incident-reports-") && !n.includes("replica"), "incident reports");
    const caller = { role: "hcp-prod-incident-report" };
    const listVerdict = await simulate(ix, {
      caller,
      action: "s3:ListBucket",
      resource: bucket.arn,
      context: { "aws:SecureTransport": "true" },
    });
    const missingStatus = listVerdict.decision === "Allowed" ? 404 : 403;
    // A HEAD with `ChecksumMode: ENABLED` of an object uploaded with a checksum and encrypted with
    // SSE-KMS needs kms:Decrypt (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html,
    // ChecksumMode: "you must have permission to use the kms:Decrypt action to retrieve the checksum").
    // The report is written with a bucket key, so S3 calls KMS with the bucket's ARN as context.
    const decryptVerdict = await simulate(ix, {
      caller,
      action: "kms:Decrypt",
      resource: bucket.kmsKeyArn!,
      context: {
        "aws:SecureTransport": "true",
        "kms:ViaService": `s3.${ix.region}.amazonaws.com`,
        "kms:CallerAccount": ix.account,
        "kms:EncryptionContext:aws:s3:arn": bucket.arn,
      },
    });
    const objects = new Map<string, { checksum: string; retainUntil: string }>();
    const heads: number[] = [];
    const fail = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
    const s3 = {
      send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        const key = String(command.input.Key);
        if (command.constructor.name === "HeadObjectCommand") {
          const o = objects.get(key);
          const checksumRefused = o !== undefined && command.input.ChecksumMode === "ENABLED" && decryptVerdict.decision !== "Allowed";
          heads.push(!o ? missingStatus : checksumRefused ? 403 : 200);
          if (!o) return Promise.reject(fail(missingStatus === 404 ? "NotFound" : "Forbidden", missingStatus));
          if (checksumRefused) return Promise.reject(fail("Forbidden", 403));
          // S3 returns the checksum only in checksum mode (HeadObject API reference, ChecksumMode).
          const checksum = command.input.ChecksumMode === "ENABLED" ? { ChecksumSHA256: o.checksum } : {};
          return Promise.resolve({ ...checksum, ObjectLockRetainUntilDate: new Date(o.retainUntil) });
        }
        if (command.constructor.name === "PutObjectCommand") {
          if (objects.has(key) && command.input.IfNoneMatch === "*") return Promise.reject(fail("PreconditionFailed", 412));
          objects.set(key, {
            checksum: String(command.input.ChecksumSHA256),
            retainUntil: (command.input.ObjectLockRetainUntilDate as Date).toISOString(),
          });
          return Promise.resolve({});
        }
        return Promise.reject(new Error(`unexpected ${command.constructor.name}`));
      },
    };
    const handler = createHandler({
      s3: s3,
      log: () => undefined,
      environment: {
        [INCIDENT_REPORT_ENV.reportBucketName]: bucket.name,
        [INCIDENT_REPORT_ENV.reportKmsKeyArn]: bucket.kmsKeyArn!,
        [INCIDENT_REPORT_ENV.objectLockMode]: "COMPLIANCE",
        [INCIDENT_REPORT_ENV.retentionInDays]: "2192",
      },
    });
    const request = (startTime: string) => ({
      action: "write-report" as const,
      execution: { name: "0a0b0c0d-1e1f-4a2b-8c3d-4e5f6a7b8c9d", id: "arn:aws:states:us-east-1:111122223333:execution:x:y", startTime },
      incident: incident(),
      macie: { status: "SKIPPED" as const, reason: "not the classified bucket" },
      accessHistory: { status: "FAILED" as const, error: "States.Timeout" },
    });
    const first = (await handler(request("2026-11-05T10:00:01.000Z"))) as WriteReportResponse;
    assert.equal(first.alreadyWritten, false);
    assert.equal(objects.size, 2, "the JSON report and its summary");
    // A rerun (a Step Functions retry after a lost response) keeps what the first write stored.
    const again = (await handler(request("2026-11-05T10:00:01.000Z"))) as WriteReportResponse;
    assert.deepEqual([again.alreadyWritten, again.retainUntil, again.checksumSha256], [true, first.retainUntil, first.checksumSha256]);
    assert.ok(heads.includes(missingStatus), `HEAD of a missing key was asked (${missingStatus}: ${listVerdict.explain})`);
  });
});
