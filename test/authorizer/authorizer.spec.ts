/**
 * The authorizer end to end against dynalite (grants and throttle tables), with Step Functions
 * and SQS mocked: every decision, identity kind, failure path, and the absence of object keys
 * and principal names from the logs.
 */
import { strict as assert } from "assert";
import { createHash } from "crypto";
import { BatchGetCommand, BatchGetCommandOutput } from "@aws-sdk/lib-dynamodb";
import {
  AUTHORIZER_ENV,
  IncidentDeadLetter,
  IncidentInput,
  LAMBDA_PROCESSOR_BUFFER,
  MAX_RESPONSE_BYTES,
} from "../../lambda/authorizer/contract";
import { responseBytes } from "../../lambda/authorizer/firehose";
import type { BatchGetClient } from "../../lambda/authorizer/grants";
import type { AuthorizerHandler } from "../../lambda/authorizer/index";
import {
  ACCOUNT,
  BUCKET,
  documentOf,
  firehoseEvent,
  identities,
  managementEvent,
  OTHER_ACCOUNT,
  OTHER_BUCKET,
  PARTNER_ROLE_ARN,
  controlRecord,
  gzipData,
  rawRecord,
  record,
  ROLE_ARN,
  ROLE_NAME,
  s3DataEvent,
  SERVICE_PRINCIPAL,
  SESSION_NAME,
  subscriptionMessage,
  USER_ARN,
  USER_NAME,
} from "../../tools/local-aws/cloudtrail-events";
import { closedPort, DLQ_URL, LocalAws, memoryLogger, STATE_MACHINE_ARN, startLocalAws } from "../../tools/local-aws/authorizer";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
type Json = Record<string, unknown>;
const annotationOf = (event: Json) => event.authorization as Json & { decision: string; checks: Json[]; incident?: string };

/** Object keys that would be PHI: none may appear in a log line. */
const PHI_KEY = "patients/MRN-4471-2209/jane-doe-1980-04-02.json";

describe("authorizer (dynalite + mocked Step Functions and SQS)", function () {
  this.timeout(30_000);
  let aws: LocalAws;
  const logs = memoryLogger();
  let handler: AuthorizerHandler;
  let n = 0;
  const invoke = (h: AuthorizerHandler, records: ReturnType<typeof rawRecord>[]) =>
    h(firehoseEvent(records), { awsRequestId: `req-${++n}` });

  before(async () => {
    aws = await startLocalAws();
    await aws.putGrants(USER_ARN, BUCKET, [
      { prefix: "patients/", access: "read" },
      { prefix: "patients/p-0001/", access: "read" },
      { prefix: "uploads/", access: "write" },
      { prefix: "patients/expired/", access: "read", expiresAt: "2026-02-01T00:00:00Z" },
    ]);
    await aws.putGrants(ROLE_ARN, BUCKET, [{ prefix: "intake/", access: "write" }]);
    await aws.putGrants(ROLE_ARN, OTHER_BUCKET, [{ prefix: "", access: "read" }]);
    await aws.putGrants(SERVICE_PRINCIPAL, BUCKET, [{ prefix: "", access: "write" }]);
    await aws.putGrants(PARTNER_ROLE_ARN, BUCKET, [{ prefix: "lab-results/", access: "write" }]);
    handler = aws.handler({ log: logs.log });
  });
  after(async () => {
    await aws?.stop();
  });

  describe("decisions", () => {
    it("allows an IAM user's GetObject under a read grant: Ok, one newline-terminated document, the longest grant reported", async () => {
      const event = s3DataEvent({ key: "patients/p-0001/record.json" });
      const out = await invoke(handler, [record([event])]);
      assert.equal(out.records.length, 1);
      assert.equal(out.records[0].result, "Ok");
      const doc = documentOf(out.records[0].data);
      assert.equal(doc.decision, "allowed");
      assert.equal(doc.eventCount, 1);
      const { authorization, ...original } = doc.events[0];
      assert.deepEqual(original, event, "every CloudTrail field is kept as it was");
      assert.deepEqual(authorization, {
        decision: "allowed",
        principal: USER_ARN,
        principalType: "IAMUser",
        crossAccount: false,
        checks: [
          {
            bucket: BUCKET,
            access: "read",
            keySha256: sha256("patients/p-0001/record.json"),
            grant: { prefix: "patients/p-0001/", access: "read" },
            result: "granted",
          },
        ],
      });
    });

    it("resolves an assumed-role session to its role (sessionContext.sessionIssuer.arn) and checks PutObject against write grants", async () => {
      const allowed = s3DataEvent({ eventName: "PutObject", key: "intake/batch-1.json", userIdentity: identities.assumedRole() });
      const deniedRead = s3DataEvent({ eventName: "GetObject", key: "intake/batch-1.json", userIdentity: identities.assumedRole() });
      const out = await invoke(handler, [record([allowed]), record([deniedRead])]);
      const [a, d] = out.records.map((r) => annotationOf(documentOf(r.data).events[0]));
      assert.equal(a.decision, "allowed");
      assert.equal(a.principal, ROLE_ARN);
      assert.equal(a.principalType, "AssumedRole");
      assert.equal(d.decision, "denied", "a write grant does not allow a read");
      assert.equal(d.checks[0].result, "no-matching-grant");
    });

    it("looks an AWS service call (AWSService, invokedBy) up by its service principal", async () => {
      const event = s3DataEvent({ eventName: "PutObject", key: "replica/x.json", userIdentity: identities.awsService() });
      const a = annotationOf(documentOf((await invoke(handler, [record([event])])).records[0].data).events[0]);
      assert.equal(a.decision, "allowed");
      assert.equal(a.principal, SERVICE_PRINCIPAL);
      assert.equal(a.principalType, "AWSService");
      assert.equal(a.invokedBy, SERVICE_PRINCIPAL);
    });

    it("cross-account: an assumed role of another account is its role and marked crossAccount; an AWSAccount caller is its account root", async () => {
      const partner = s3DataEvent({
        eventName: "PutObject",
        key: "lab-results/r-1.json",
        userIdentity: identities.assumedRole(PARTNER_ROLE_ARN, OTHER_ACCOUNT),
      });
      const anonymousAccount = s3DataEvent({ eventName: "GetObject", key: "patients/x.json", userIdentity: identities.awsAccount() });
      const out = await invoke(handler, [record([partner, anonymousAccount])]);
      const doc = documentOf(out.records[0].data);
      const [p, x] = doc.events.map(annotationOf);
      assert.equal(p.decision, "allowed");
      assert.equal(p.principal, PARTNER_ROLE_ARN);
      assert.equal(p.crossAccount, true);
      assert.equal(x.decision, "unknown-principal");
      assert.equal(x.principal, `arn:aws:iam::${OTHER_ACCOUNT}:root`);
      assert.equal(x.crossAccount, true);
      assert.equal(doc.decision, "unknown-principal", "the record's decision is its worst event's");
    });

    it("an expired grant is denied (result expired) while an unexpired one for the same key allows", async () => {
      const expired = s3DataEvent({ key: "patients/expired/a.json", eventTime: "2026-03-01T00:00:00Z" });
      const beforeExpiry = s3DataEvent({ key: "patients/expired/a.json", eventTime: "2026-01-15T00:00:00Z" });
      const onlyExpired = s3DataEvent({ eventName: "PutObject", key: "patients/expired/a.json" });
      const out = await invoke(handler, [record([expired, beforeExpiry, onlyExpired])]);
      const [e, b, w] = documentOf(out.records[0].data).events.map(annotationOf);
      // patients/ (unexpired, read) still covers the key: expiry of the longer grant does not deny it.
      assert.equal(e.decision, "allowed");
      assert.deepEqual(e.checks[0].grant, { prefix: "patients/", access: "read" });
      assert.equal(b.decision, "allowed");
      assert.deepEqual(b.checks[0].grant, { prefix: "patients/expired/", access: "read", expiresAt: "2026-02-01T00:00:00Z" });
      assert.equal(w.decision, "denied");
      assert.equal(w.checks[0].result, "no-matching-grant");
    });

    it("denies when the only matching grant expired before the event", async () => {
      await aws.putGrants(USER_ARN, OTHER_BUCKET, [{ prefix: "studies/", access: "read", expiresAt: "2026-02-01T00:00:00Z" }]);
      const event = s3DataEvent({ bucket: OTHER_BUCKET, key: "studies/s-1.json", eventTime: "2026-03-01T00:00:00Z" });
      const a = annotationOf(documentOf((await invoke(aws.handler(), [record([event])])).records[0].data).events[0]);
      assert.equal(a.decision, "denied");
      assert.equal(a.checks[0].result, "expired");
      assert.ok(a.incident === "started" || a.incident === "throttled");
    });

    it("an unknown principal is unknown-principal and starts an incident", async () => {
      const stranger = identities.assumedRole(`arn:aws:iam::${ACCOUNT}:role/unlisted-role`);
      const event = s3DataEvent({ key: "patients/p-0002/record.json", userIdentity: stranger });
      const before = aws.starts().length;
      const a = annotationOf(documentOf((await invoke(handler, [record([event])])).records[0].data).events[0]);
      assert.equal(a.decision, "unknown-principal");
      assert.equal(a.checks[0].result, "no-item");
      assert.equal(a.incident, "started");
      assert.equal(aws.starts().length, before + 1);
    });

    it("not-applicable: management events, non-S3 JSON, bucket-level calls", async () => {
      const bucketLevel = { ...s3DataEvent(), eventName: "GetBucketLocation" };
      const out = await invoke(handler, [record([managementEvent(), { hello: "world" }, bucketLevel])]);
      const doc = documentOf(out.records[0].data);
      assert.equal(out.records[0].result, "Ok");
      assert.deepEqual(
        doc.events.map((e) => annotationOf(e).decision),
        ["not-applicable", "not-applicable", "not-applicable"],
      );
      assert.equal(doc.decision, "not-applicable");
    });

    it("CopyObject needs write on the destination and read on the source (x-amz-copy-source)", async () => {
      const ok = s3DataEvent({
        eventName: "CopyObject",
        key: "intake/copy.json",
        userIdentity: identities.assumedRole(),
        copySource: `${OTHER_BUCKET}/any/path%20x.json`,
      });
      const bad = s3DataEvent({
        eventName: "CopyObject",
        key: "intake/copy.json",
        userIdentity: identities.assumedRole(),
        copySource: `${BUCKET}/patients/a.json`,
      });
      const [a, b] = documentOf((await invoke(handler, [record([ok, bad])])).records[0].data).events.map(annotationOf);
      assert.equal(a.decision, "allowed");
      assert.deepEqual(
        a.checks.map((c) => [c.bucket, c.access, c.keySha256]),
        [
          [BUCKET, "write", sha256("intake/copy.json")],
          [OTHER_BUCKET, "read", sha256("any/path x.json")],
        ],
      );
      assert.equal(b.decision, "denied");
    });

    it("DeleteObjects names no single key: only a whole-bucket delete grant allows it", async () => {
      const event = { ...s3DataEvent({ eventName: "DeleteObjects" }), requestParameters: { bucketName: BUCKET, Host: "h", delete: "" } };
      const a = annotationOf(documentOf((await invoke(handler, [record([event])])).records[0].data).events[0]);
      assert.equal(a.decision, "denied");
      assert.equal(a.checks[0].keySha256, undefined);
    });
  });

  describe("records", () => {
    it("several events per record (message extraction joins log events with newlines): one document holding all, in order", async () => {
      const events = [
        s3DataEvent({ key: "patients/a.json" }),
        s3DataEvent({ key: "patients/b.json" }),
        s3DataEvent({ key: "patients/c.json" }),
      ];
      const out = await invoke(handler, [record([JSON.stringify(events[0]) + "\r", "", ...events.slice(1)])]);
      const doc = documentOf(out.records[0].data);
      assert.equal(doc.eventCount, 3);
      assert.deepEqual(
        doc.events.map((e) => e.eventID),
        events.map((e) => e.eventID),
      );
    });

    it("malformed records are ProcessingFailed with their original data; the others Ok; every recordId once, in order", async () => {
      const good = record([s3DataEvent()]);
      const notBase64 = rawRecord("not base64!");
      const notJson = record(['{"eventVersion":"1.03","userIdentity":{"type":"Root1"}']);
      const notUtf8 = rawRecord(gzipData(Buffer.from([0xff, 0xfe, 0x7b])));
      // What the Decompression processor would have handed over: plain JSON lines, not the subscription's gzip.
      const notGzip = rawRecord(Buffer.from(JSON.stringify(s3DataEvent()), "utf8").toString("base64"));
      const truncatedGzip = rawRecord(Buffer.from([0x1f, 0x8b, 0x08, 0x00]).toString("base64"));
      const envelopeNotJson = rawRecord(gzipData("{not json"));
      const otherMessageType = rawRecord(gzipData({ ...subscriptionMessage([JSON.stringify(s3DataEvent())]), messageType: "OTHER" }));
      const bomb = rawRecord(gzipData(Buffer.alloc(7 * 1024 * 1024, 0x20)));
      const empty = rawRecord("");
      const noEvents = rawRecord(gzipData(subscriptionMessage([])));
      const array = record(["[1,2]"]);
      const halfBad = record([s3DataEvent(), "{"]);
      const input = [
        good,
        notBase64,
        notJson,
        notUtf8,
        notGzip,
        truncatedGzip,
        envelopeNotJson,
        otherMessageType,
        bomb,
        empty,
        noEvents,
        array,
        halfBad,
        record([s3DataEvent()]),
      ];
      const out = await invoke(handler, input);
      assert.deepEqual(
        out.records.map((r) => r.recordId),
        input.map((r) => r.recordId),
      );
      assert.deepEqual(
        out.records.map((r) => r.result),
        ["Ok", ...Array.from({ length: input.length - 2 }, () => "ProcessingFailed"), "Ok"],
      );
      out.records.forEach((r, i) => {
        if (r.result === "ProcessingFailed") assert.equal(r.data, input[i].data, "the original data is returned");
      });
      const failed = logs.lines
        .map((l) => JSON.parse(l))
        .filter((l) => l.message === "record.failed")
        .slice(-(input.length - 2));
      assert.deepEqual(
        failed.map((l) => l.reason),
        [
          "NOT_BASE64",
          "NOT_JSON",
          "NOT_UTF8",
          "NOT_GZIP",
          "NOT_GZIP",
          "NOT_JSON",
          "NOT_A_SUBSCRIPTION_MESSAGE",
          "DECOMPRESSED_TOO_LARGE",
          "NOT_GZIP",
          "EMPTY_RECORD",
          "NOT_A_JSON_OBJECT",
          "NOT_JSON",
        ],
      );
      // A reason and the recordId, never the payload.
      for (const l of failed)
        assert.deepEqual(
          Object.keys(l)
            .filter((k) => !["level", "message", "time", "timestamp"].includes(k))
            .sort(),
          ["reason", "recordId", "requestId"],
        );
      assert.ok(!logs.lines.some((l) => l.includes("Root1") || l.includes("not json")));
    });

    it("a CONTROL_MESSAGE (CloudWatch Logs checking the destination) is Dropped; DATA_MESSAGE records beside it are Ok", async () => {
      const input = [controlRecord(), record([s3DataEvent(), s3DataEvent()]), controlRecord()];
      const out = await invoke(handler, input);
      assert.deepEqual(
        out.records.map((r) => [r.recordId, r.result]),
        input.map((r, i) => [r.recordId, i === 1 ? "Ok" : "Dropped"]),
      );
      assert.equal(documentOf(out.records[1].data).eventCount, 2, "one document per record, its log events' messages as events");
      const done = logs.lines
        .map((l) => JSON.parse(l))
        .filter((l) => l.message === "invocation.done")
        .at(-1);
      assert.equal(done.dropped, 2);
      assert.equal(done.processingFailed, 0);
    });

    it("a request that is not a Firehose transformation request fails the invocation", async () => {
      await assert.rejects(handler({ records: [{ recordId: 1, data: "" }] }), { name: "FirehoseEventError" });
      await assert.rejects(handler({}), { name: "FirehoseEventError" });
    });
  });

  describe("incidents", () => {
    it("a denied access starts the state machine with the eventID as name and ids only (SHA-256 of the key, never the key)", async () => {
      const event = s3DataEvent({ key: PHI_KEY, eventName: "DeleteObject" });
      const before = aws.starts().length;
      // A clock past any window an earlier test opened for this principal.
      const out = await invoke(aws.handler({ now: () => Date.parse("2030-01-01T00:00:00Z") }), [record([event])]);
      const a = annotationOf(documentOf(out.records[0].data).events[0]);
      assert.equal(a.decision, "denied");
      assert.equal(a.incident, "started");
      const starts = aws.starts().slice(before);
      assert.equal(starts.length, 1);
      assert.equal(starts[0].stateMachineArn, STATE_MACHINE_ARN);
      assert.equal(starts[0].name, event.eventID);
      const input = JSON.parse(starts[0].input!) as IncidentInput;
      assert.deepEqual(input, {
        eventId: event.eventID,
        principalArn: USER_ARN,
        bucket: BUCKET,
        objectKeySha256: sha256(PHI_KEY),
        access: "delete",
        decision: "denied",
        eventTime: event.eventTime,
      });
      assert.ok(!starts[0].input!.includes("MRN-4471"), "never the key");
      const throttle = await aws.throttleItem(USER_ARN);
      assert.equal(throttle?.eventId, event.eventID);
    });

    it("duplicate delivery: the same eventID twice in a batch and again in a retried batch starts one execution", async () => {
      const principal = identities.assumedRole(`arn:aws:iam::${ACCOUNT}:role/dup-role`);
      const event = s3DataEvent({ key: "patients/dup.json", userIdentity: principal });
      const before = aws.starts().length;
      const batch = [record([event]), record([event])];
      const first = await invoke(handler, batch);
      const retry = await invoke(aws.handler(), batch);
      assert.equal(aws.starts().length, before + 1, "one StartExecution in all");
      assert.deepEqual(
        first.records.map((r) => annotationOf(documentOf(r.data).events[0]).incident),
        ["started", "duplicate"],
      );
      assert.deepEqual(
        retry.records.map((r) => annotationOf(documentOf(r.data).events[0]).incident),
        ["already-started", "duplicate"],
      );
    });

    it("throttle: one incident per principal per window; others of the batch and of later batches are throttled, then a new window starts one", async () => {
      const principal = identities.assumedRole(`arn:aws:iam::${ACCOUNT}:role/noisy-role`);
      let clock = Date.parse("2026-03-01T12:00:00Z");
      const h = aws.handler({ now: () => clock });
      const before = aws.starts().length;
      const batch = Array.from({ length: 5 }, (_, i) => record([s3DataEvent({ key: `patients/${i}.json`, userIdentity: principal })]));
      const out = await invoke(h, batch);
      assert.deepEqual(
        out.records.map((r) => annotationOf(documentOf(r.data).events[0]).incident),
        ["started", "throttled", "throttled", "throttled", "throttled"],
      );
      clock += 60_000;
      const later = await invoke(h, [record([s3DataEvent({ key: "patients/9.json", userIdentity: principal })])]);
      assert.equal(annotationOf(documentOf(later.records[0].data).events[0]).incident, "throttled", "within the 900 s window");
      clock += 900_000;
      const next = await invoke(h, [record([s3DataEvent({ key: "patients/10.json", userIdentity: principal })])]);
      assert.equal(annotationOf(documentOf(next.records[0].data).events[0]).incident, "started", "a new window");
      assert.equal(aws.starts().length, before + 2);
    });

    it("a failed start goes to the DLQ (ids only) and the record is still Ok; a failed DLQ send is logged and still Ok", async () => {
      const principal = identities.assumedRole(`arn:aws:iam::${ACCOUNT}:role/dlq-role`);
      const event = s3DataEvent({ key: PHI_KEY, userIdentity: principal });
      const dlqBefore = aws.dlqMessages().length;
      aws.failStarts(1, "ThrottlingException");
      const out = await invoke(handler, [record([event])]);
      assert.equal(out.records[0].result, "Ok");
      assert.equal(annotationOf(documentOf(out.records[0].data).events[0]).incident, "dead-lettered");
      const messages = aws.dlqMessages().slice(dlqBefore);
      assert.equal(messages.length, 1);
      assert.equal(messages[0].QueueUrl, DLQ_URL);
      const letter = JSON.parse(messages[0].MessageBody!) as IncidentDeadLetter;
      assert.equal(letter.executionName, event.eventID);
      assert.equal(letter.error, "ThrottlingException");
      assert.equal(letter.input.objectKeySha256, sha256(PHI_KEY));
      assert.ok(!messages[0].MessageBody!.includes("MRN-4471"));

      const other = identities.assumedRole(`arn:aws:iam::${ACCOUNT}:role/lost-role`);
      aws.failStarts(1);
      aws.failDlq(1);
      const lost = await invoke(handler, [record([s3DataEvent({ userIdentity: other })])]);
      assert.equal(lost.records[0].result, "Ok");
      assert.equal(annotationOf(documentOf(lost.records[0].data).events[0]).incident, "lost");
      assert.ok(logs.lines.some((l) => l.includes('"incident.lost"')));
    });

    it("throttle table unavailable: the start goes ahead (fail open) and the batch is Ok", async () => {
      const h = aws.handler({ environment: { [AUTHORIZER_ENV.throttleTableName]: "no-such-table" } });
      const before = aws.starts().length;
      const out = await invoke(h, [
        record([s3DataEvent({ key: "patients/x.json", userIdentity: identities.assumedRole(`arn:aws:iam::${ACCOUNT}:role/open-role`) })]),
      ]);
      assert.equal(annotationOf(documentOf(out.records[0].data).events[0]).incident, "started");
      assert.equal(aws.starts().length, before + 1);
    });
  });

  describe("grants lookup", () => {
    it("BatchGetItem in chunks of 100 for distinct keys only; a warm cache makes no request; after the TTL it reads again", async () => {
      let clock = Date.parse("2026-03-01T12:00:00Z");
      const h = aws.handler({ now: () => clock });
      const principals = Array.from({ length: 250 }, (_, i) => identities.assumedRole(`arn:aws:iam::${ACCOUNT}:role/many-${i}`));
      // 250 distinct keys, each event twice: 500 events.
      const records = [...principals, ...principals].map((p) => record([s3DataEvent({ eventName: "HeadObject", userIdentity: p })]));
      const start = aws.batchGetRequests();
      await invoke(h, records);
      assert.equal(aws.batchGetRequests() - start, 3, "ceil(250 / 100)");
      await invoke(h, records);
      assert.equal(aws.batchGetRequests() - start, 3, "warm cache");
      clock += 61_000;
      await invoke(h, records.slice(0, 1));
      assert.equal(aws.batchGetRequests() - start, 4, "expired entry read again");
    });

    it("UnprocessedKeys are retried with exponential backoff until answered", async () => {
      const delays: number[] = [];
      let calls = 0;
      const flaky = (client: BatchGetClient): BatchGetClient => ({
        send: async (command: BatchGetCommand): Promise<BatchGetCommandOutput> => {
          calls++;
          const table = Object.keys(command.input.RequestItems!)[0];
          const keys = command.input.RequestItems![table].Keys!;
          if (calls <= 2 && keys.length > 1) {
            // DynamoDB answers the first key and leaves the rest unprocessed.
            const out = await client.send(
              new BatchGetCommand({ RequestItems: { [table]: { ...command.input.RequestItems![table], Keys: keys.slice(0, 1) } } }),
            );
            return { ...out, UnprocessedKeys: { [table]: { Keys: keys.slice(1) } } };
          }
          return client.send(command);
        },
      });
      const h = aws.handler({ wrapGrants: flaky, sleep: (ms) => (delays.push(ms), Promise.resolve()) });
      const out = await invoke(h, [
        record([s3DataEvent({ key: "patients/a.json" })]),
        record([s3DataEvent({ eventName: "PutObject", key: "intake/a.json", userIdentity: identities.assumedRole() })]),
        record([s3DataEvent({ eventName: "PutObject", key: "replica/a.json", userIdentity: identities.awsService() })]),
      ]);
      assert.deepEqual(
        out.records.map((r) => annotationOf(documentOf(r.data).events[0]).decision),
        ["allowed", "allowed", "allowed"],
      );
      assert.equal(calls, 3);
      assert.equal(delays.length, 2);
    });

    it("UnprocessedKeys past the retry bound fail the invocation (Firehose retries the batch; nothing is dropped)", async () => {
      const never = (client: BatchGetClient): BatchGetClient => ({
        send: (command: BatchGetCommand): Promise<BatchGetCommandOutput> => {
          const table = Object.keys(command.input.RequestItems!)[0];
          void client;
          return Promise.resolve({
            $metadata: {},
            Responses: { [table]: [] },
            UnprocessedKeys: { [table]: { Keys: command.input.RequestItems![table].Keys } },
          });
        },
      });
      const delays: number[] = [];
      const h = aws.handler({ wrapGrants: never, sleep: (ms) => (delays.push(ms), Promise.resolve()) });
      await assert.rejects(invoke(h, [record([s3DataEvent()])]), { name: "UnprocessedKeysError" });
      assert.equal(delays.length, 6);
      delays.forEach((d, i) => assert.ok(d >= 0 && d < Math.min(1000, 25 * 2 ** i), `delay ${i} = ${d} within its cap`));
    });

    it("DynamoDB unavailable: the invocation fails", async () => {
      const port = await closedPort();
      const h = aws.handler({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 });
      await assert.rejects(invoke(h, [record([s3DataEvent()])]));
    });

    it("a record with no S3 access makes no DynamoDB request", async () => {
      const start = aws.batchGetRequests();
      await invoke(aws.handler(), [record([managementEvent()])]);
      assert.equal(aws.batchGetRequests(), start);
    });
  });

  describe("response size", () => {
    /** Records of realistic events adding up to `bytes` of data (the processor buffer measures data). */
    function batchOf(bytes: number, eventsPerRecord: number) {
      const records = [];
      let total = 0;
      let i = 0;
      while (total < bytes) {
        const events = Array.from({ length: eventsPerRecord }, () =>
          s3DataEvent({ key: `patients/p-${String(i++).padStart(6, "0")}/note.json` }),
        );
        const r = record(events);
        total += Buffer.from(r.data, "base64").length;
        records.push(r);
      }
      return records;
    }

    // The buffer measures the gzip-compressed records as they arrive; the response holds them decompressed.
    it(`the configured buffer (${LAMBDA_PROCESSOR_BUFFER.bufferSizeInMBs.value} MB of gzip subscription records) of CloudTrail events comes back all Ok under ${MAX_RESPONSE_BYTES} bytes`, async () => {
      // Up to 20 events per record (these synthetic events compress 18x); at 100 per record they compress 30x and
      // 0.2 MB would pass 6 MB: the budget below then fails trailing records with their original data (next test).
      for (const perRecord of [1, 20]) {
        const input = batchOf(LAMBDA_PROCESSOR_BUFFER.bufferSizeInMBs.value * 1024 * 1024, perRecord);
        const out = await invoke(handler, input);
        assert.ok(
          out.records.every((r) => r.result === "Ok"),
          `${perRecord} events per record`,
        );
        const size = Buffer.byteLength(JSON.stringify(out));
        assert.equal(size, responseBytes(out.records), "the size model is exact");
        assert.ok(size < MAX_RESPONSE_BYTES, `${size} bytes`);
      }
    });

    it(`the largest (3 MB) buffer of gzip records stays under ${MAX_RESPONSE_BYTES} bytes: what does not fit is ProcessingFailed with its original data`, async () => {
      const input = batchOf(3 * 1024 * 1024, 100);
      const out = await invoke(handler, input);
      const size = Buffer.byteLength(JSON.stringify(out));
      assert.equal(size, responseBytes(out.records), "the size model is exact");
      assert.ok(size <= MAX_RESPONSE_BYTES, `${size} bytes`);
      assert.deepEqual(
        out.records.map((r) => r.recordId),
        input.map((r) => r.recordId),
      );
      assert.ok(out.records.every((r, i) => r.result === "Ok" || (r.result === "ProcessingFailed" && r.data === input[i].data)));
    });

    it("past the budget, trailing records become ProcessingFailed with their original data; every recordId once", async () => {
      const input = batchOf(256 * 1024, 1);
      const full = Buffer.byteLength(JSON.stringify(await invoke(handler, input)));
      const budget = full - 50_000;
      const h = aws.handler({ maxResponseBytes: budget, log: logs.log });
      const out = await invoke(h, input);
      assert.ok(Buffer.byteLength(JSON.stringify(out)) <= budget);
      assert.deepEqual(
        out.records.map((r) => r.recordId),
        input.map((r) => r.recordId),
      );
      const failed = out.records.flatMap((r, i) => (r.result === "ProcessingFailed" ? [i] : []));
      assert.ok(failed.length > 0 && failed.every((i) => out.records[i].data === input[i].data));
      assert.deepEqual(
        failed,
        failed.map((_, k) => out.records.length - failed.length + k),
        "the trailing records",
      );
      assert.ok(logs.lines.some((l) => l.includes("RESPONSE_SIZE_BUDGET")));
    });
  });

  describe("logs", () => {
    it("no line holds an object key, a principal ARN or name, or a session name (default JSON logger, stdout and stderr)", async () => {
      const chunks: string[] = [];
      // Saved to be put back on the same streams, never called detached.
      // eslint-disable-next-line @typescript-eslint/unbound-method
      const out = process.stdout.write;
      // eslint-disable-next-line @typescript-eslint/unbound-method
      const err = process.stderr.write;
      const capture = (chunk: string | Uint8Array) => (
        chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8")),
        true
      );
      const h = aws.handler({ log: "stdout" });
      const port = await closedPort();
      const down = aws.handler({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1, log: "stdout" });
      process.stdout.write = capture;
      process.stderr.write = capture;
      try {
        aws.failStarts(1);
        await invoke(h, [
          record([s3DataEvent({ key: PHI_KEY })]),
          record([s3DataEvent({ key: PHI_KEY, eventName: "DeleteObject" })]),
          record([s3DataEvent({ key: PHI_KEY, userIdentity: identities.assumedRole(`arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}-x`) })]),
          record([s3DataEvent({ key: PHI_KEY, userIdentity: identities.assumedRole(PARTNER_ROLE_ARN, OTHER_ACCOUNT) })]),
          rawRecord(Buffer.from(PHI_KEY).toString("base64")),
        ]);
        await invoke(h, [record([s3DataEvent({ key: PHI_KEY, eventName: "PutObject", userIdentity: identities.assumedRole() })])]).catch(
          () => undefined,
        );
        await down(firehoseEvent([record([s3DataEvent({ key: PHI_KEY })])])).catch(() => undefined);
      } finally {
        process.stdout.write = out;
        process.stderr.write = err;
      }
      const lines = chunks
        .join("")
        .split("\n")
        .filter((l) => l !== "");
      assert.ok(lines.length >= 5, `expected log lines, got ${lines.length}`);
      assert.ok(lines.some((l) => l.includes("incident.dead-lettered")) && lines.some((l) => l.includes("grants.unavailable")));
      for (const line of [...lines, ...logs.lines, ...aws.lines()]) {
        JSON.parse(line);
        for (const secret of [
          PHI_KEY,
          "MRN-4471",
          "jane-doe",
          "patients/",
          USER_ARN,
          USER_NAME,
          ROLE_ARN,
          ROLE_NAME,
          SESSION_NAME,
          PARTNER_ROLE_ARN,
          "arn:aws:iam",
          "arn:aws:sts",
        ]) {
          assert.ok(!line.includes(secret), `log line names ${secret}: ${line}`);
        }
      }
    });
  });
});
