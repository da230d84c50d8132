/**
 * The data-processor handler end to end against local S3 (s3rver) and DynamoDB (dynalite), with SNS
 * and SSM mocked: every outcome, redelivery, malformed input, failures of each service, and the
 * absence of record values from logs, alerts and audit items.
 */
import { strict as assert } from "assert";
import { createHash } from "crypto";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { CopyObjectCommand } from "@aws-sdk/client-s3";
import { DATA_PROCESSOR_ENV, QUARANTINE_ALERT_SUBJECT } from "../../lambda/data-processor/contract";
import type { DataProcessorHandler } from "../../lambda/data-processor/index";
import {
  BUCKET,
  captureOutput,
  closedPort,
  DEFAULT_PARAMETER,
  LocalAws,
  s3Event,
  s3Record,
  startLocalAws,
  TOPIC_ARN,
} from "./local-aws";
import {
  encounter,
  json,
  notFhir,
  notJson,
  observationWithStringValue,
  patientWithBadBirthDateAndGender,
  PHI_VALUES,
  validBundle,
  validObservation,
  validPatient,
} from "./fixtures";

const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");

describe("data-processor handler (s3rver + dynalite)", function () {
  this.timeout(60_000);
  let aws: LocalAws;
  let handler: DataProcessorHandler;
  /** Every log line any invocation of this suite wrote. */
  const allLines: string[] = [];
  let n = 0;

  /** Uploads `body` under intake/<name> and returns the notification for it. */
  async function upload(name: string, body: string | Buffer, opts: { size?: number } = {}) {
    const key = `intake/${name}`;
    await aws.put(key, body);
    return { key, event: s3Event(s3Record(key, opts.size ?? Buffer.byteLength(body))) };
  }

  async function invoke(h: DataProcessorHandler, event: unknown) {
    const run = await captureOutput(() => h(event, { awsRequestId: `req-${++n}` }));
    allLines.push(...run.lines);
    return run;
  }

  async function auditItem(key: string) {
    const items = (await aws.auditItems()).filter((i) => i.objectKey === key);
    assert.ok(items.length <= 1, `at most one audit item per version, got ${items.length}`);
    return items[0];
  }

  before(async () => {
    aws = await startLocalAws();
    // The module's own handler: its clients resolve the emulator endpoints from
    // AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_DYNAMODB (no endpoint in code). Other specs may have
    // loaded the module before S3_FORCE_PATH_STYLE was set; with an IP-address endpoint the SDK
    // addresses S3 path-style anyway (aws-clients.spec checks the switch itself).
    handler = (await import("../../lambda/data-processor/index")).handler;
  });
  after(async () => {
    await aws?.stop();
  });

  describe("valid records", () => {
    it("copies a valid Patient to the processed prefix and audits it, through the SDK's AWS_ENDPOINT_URL_* resolution", async () => {
      const body = json(validPatient);
      const { key, event } = await upload("clinic-a/patient 1.json", body);
      assert.match(JSON.stringify(event), /clinic-a\/patient\+1\.json/, "the event carries the key URL-encoded with + for the space");

      const run = await invoke(handler, event);
      assert.equal(run.error, undefined);
      assert.deepEqual(run.result, { records: 1, processed: 1, quarantined: 0, duplicates: 0, ignored: 0 });

      assert.equal((await aws.get("processed/clinic-a/patient 1.json"))?.toString(), body);
      assert.ok(await aws.get(key), "the intake object stays where it was");
      assert.deepEqual(await aws.keys("quarantine/"), []);
      const item = await auditItem(key);
      assert.ok(item);
      assert.equal(item.outcome, "PROCESSED");
      assert.equal(item.resourceType, "Patient");
      assert.equal(item.sha256, sha256(body));
      assert.equal(item.sizeBytes, Buffer.byteLength(body));
      assert.equal(item.bucket, BUCKET);
      assert.equal(item.destinationKey, "processed/clinic-a/patient 1.json");
      assert.equal(item.requestId, `req-${n}`);
      assert.match(String(item.versionId), /^null#[0-9A-F]+$/, "an unversioned object is keyed by its event sequencer");
      assert.ok(!Number.isNaN(Date.parse(String(item.processedAt))));
      assert.equal(item.reasonCode, undefined);
      assert.equal(aws.published().length, 0, "no alert for a valid record");
      assert.deepEqual(aws.ssmRequests().map((r) => [r.Name, r.WithDecryption]), [[DEFAULT_PARAMETER, true]], "config read once, decrypted");
    });

    it("processes a valid Observation and a Bundle of a Patient and an Observation", async () => {
      for (const [name, doc, type] of [
        ["obs.json", validObservation, "Observation"],
        ["bundle.json", validBundle, "Bundle"],
      ] as const) {
        const { key, event } = await upload(name, json(doc));
        const run = await invoke(handler, event);
        assert.equal(run.error, undefined);
        assert.equal((await auditItem(key))?.outcome, "PROCESSED", name);
        assert.equal((await auditItem(key))?.resourceType, type);
        assert.ok(await aws.get(`processed/${name}`), name);
      }
      assert.equal(aws.ssmRequests().length, 1, "the configuration is read once per instance");
    });

    it("processes every record of a batched event", async () => {
      const a = await upload("batch/a.json", json(validPatient));
      const b = await upload("batch/b.json", json(validObservation));
      const c = await upload("batch/c.json", notJson);
      const run = await invoke(handler, s3Event(...a.event.Records, ...b.event.Records, ...c.event.Records));
      assert.deepEqual(run.result, { records: 3, processed: 2, quarantined: 1, duplicates: 0, ignored: 0 });
    });
  });

  describe("invalid records are quarantined, audited and alerted (the tag is in the copy request: aws-calls.spec)", () => {
    const cases = [
      { name: "not JSON", file: "bad/not-json.json", body: notJson, reason: "INVALID_JSON", resourceType: undefined },
      { name: "JSON but not FHIR", file: "bad/not-fhir.json", body: json(notFhir), reason: "NOT_FHIR", resourceType: undefined },
      { name: "JSON array", file: "bad/array.json", body: "[1,2,3]", reason: "NOT_FHIR", resourceType: undefined },
      { name: "schema violation", file: "bad/birthdate.json", body: json(patientWithBadBirthDateAndGender), reason: "SCHEMA_INVALID", resourceType: "Patient" },
      { name: "schema violation in an Observation", file: "bad/obs.json", body: json(observationWithStringValue), reason: "SCHEMA_INVALID", resourceType: "Observation" },
      { name: "unsupported resource type", file: "bad/encounter.json", body: json(encounter), reason: "UNSUPPORTED_RESOURCE_TYPE", resourceType: "Encounter" },
    ];
    for (const c of cases) {
      it(`${c.name} -> ${c.reason}`, async () => {
        const before = aws.published().length;
        const { key, event } = await upload(c.file, c.body);
        const run = await invoke(handler, event);
        assert.equal(run.error, undefined, String(run.error));
        assert.equal(run.result?.quarantined, 1);

        const quarantineKey = `quarantine/${c.file}`;
        assert.equal((await aws.get(quarantineKey))?.toString(), c.body, "the quarantined copy holds the original bytes");
        assert.equal(await aws.get(`processed/${c.file}`), undefined);
        const item = await auditItem(key);
        assert.ok(item);
        assert.equal(item.outcome, "QUARANTINED");
        assert.equal(item.reasonCode, c.reason);
        assert.equal(item.resourceType, c.resourceType);
        assert.equal(item.destinationKey, quarantineKey);
        assert.equal(item.sha256, sha256(c.body));

        const alerts = aws.published().slice(before);
        assert.equal(alerts.length, 1);
        assert.equal(alerts[0].TopicArn, TOPIC_ARN);
        assert.equal(alerts[0].Subject, QUARANTINE_ALERT_SUBJECT);
        assert.deepEqual(JSON.parse(alerts[0].Message!), { alert: "DATA_PROCESSOR_QUARANTINE", bucket: BUCKET, objectKey: key, reasonCode: c.reason });
      });
    }

    it("stores schema error paths and keywords, not values", async () => {
      const item = await auditItem("intake/bad/birthdate.json");
      assert.deepEqual([...(item?.schemaErrors as string[])].sort(), ["/birthDate pattern", "/gender enum"]);
      assert.equal(item?.schemaErrorCount, 2);
      const obs = await auditItem("intake/bad/obs.json");
      assert.deepEqual(obs?.schemaErrors, ["/valueQuantity/value type"]);
    });

    it("quarantines a Bundle holding a resource type the configuration does not accept", async () => {
      const h = aws.handler({ config: { acceptedResourceTypes: ["Patient", "Bundle"] } });
      const { key, event } = await upload("bad/bundle-with-observation.json", json(validBundle));
      const run = await invoke(h, event);
      assert.equal(run.error, undefined);
      const item = await auditItem(key);
      assert.equal(item?.reasonCode, "UNSUPPORTED_RESOURCE_TYPE");
      assert.equal(item?.resourceType, "Bundle");
    });

    it("quarantines an object over maxObjectBytes without reading it (event size)", async () => {
      const h = aws.handler({ config: { maxObjectBytes: 1024 } });
      const body = json({ ...validPatient, text: { status: "generated", div: `<div xmlns="http://www.w3.org/1999/xhtml">${"x".repeat(4000)}</div>` } });
      const { key, event } = await upload("big/large.json", body);
      const run = await invoke(h, event);
      assert.equal(run.error, undefined);
      const item = await auditItem(key);
      assert.equal(item?.reasonCode, "TOO_LARGE");
      assert.equal(item?.sizeBytes, Buffer.byteLength(body));
      assert.equal(item?.sha256, undefined, "a too-large object is never read, so it has no hash");
      assert.equal((await aws.get("quarantine/big/large.json"))?.length, Buffer.byteLength(body));
    });

    it("quarantines an object over maxObjectBytes when the event under-reports its size (Content-Length)", async () => {
      const h = aws.handler({ config: { maxObjectBytes: 1024 } });
      const body = json({ ...validObservation, note: [{ text: "y".repeat(3000) }] });
      const { key, event } = await upload("big/lying.json", body, { size: 10 });
      const run = await invoke(h, event);
      assert.equal(run.error, undefined);
      const item = await auditItem(key);
      assert.equal(item?.reasonCode, "TOO_LARGE");
      assert.equal(item?.sizeBytes, Buffer.byteLength(body));
    });
  });

  describe("redelivery", () => {
    it("writes one audit item and one alert when the same version is delivered twice", async () => {
      const { key, event } = await upload("dup/bad.json", json(patientWithBadBirthDateAndGender));
      const before = aws.published().length;
      const first = await invoke(handler, event);
      const second = await invoke(handler, event);
      assert.equal(first.result?.quarantined, 1);
      assert.deepEqual(second.result, { records: 1, processed: 0, quarantined: 0, duplicates: 1, ignored: 0 });
      assert.equal(aws.published().length - before, 1, "no second alert");
      const items = (await aws.auditItems()).filter((i) => i.objectKey === key);
      assert.equal(items.length, 1);
      assert.equal(items[0].requestId, `req-${n - 1}`, "the first delivery's item is kept");
    });

    it("treats a ConditionalCheckFailed audit write (a concurrent delivery won) as success", async () => {
      // The pre-check sees nothing, as when two deliveries run at once; the conditional write decides.
      const racing = aws.handler({
        wrap: (clients) => {
          const send = clients.dynamodb.send.bind(clients.dynamodb);
          clients.dynamodb.send = ((command: unknown) => (command instanceof GetCommand ? Promise.resolve({}) : send(command as never))) as typeof send;
          return {};
        },
      });
      const { key, event } = await upload("dup/race.json", json(validObservation));
      const first = await invoke(handler, event);
      const second = await invoke(racing, event);
      assert.equal(first.result?.processed, 1);
      assert.equal(second.error, undefined, String(second.error));
      assert.equal(second.result?.duplicates, 1);
      const items = (await aws.auditItems()).filter((i) => i.objectKey === key);
      assert.equal(items.length, 1);
      assert.equal(items[0].requestId, `req-${n - 1}`, "attribute_not_exists kept the first item");
    });

    it("audits two versions of one key (distinct sequencers) separately", async () => {
      const key = "intake/dup/overwritten.json";
      await aws.put(key, json(validPatient));
      await invoke(handler, s3Event(s3Record(key, 10_000, { sequencer: "00AA000000000000A1" })));
      await aws.put(key, notJson);
      await invoke(handler, s3Event(s3Record(key, Buffer.byteLength(notJson), { sequencer: "00AA000000000000B2" })));
      const items = (await aws.auditItems()).filter((i) => i.objectKey === key).sort((a, b) => String(a.versionId).localeCompare(String(b.versionId)));
      assert.deepEqual(items.map((i) => [i.versionId, i.outcome]), [
        ["null#00AA000000000000A1", "PROCESSED"],
        ["null#00AA000000000000B2", "QUARANTINED"],
      ]);
    });
  });

  describe("events it does not process", () => {
    it("rejects a malformed event with an error naming what is missing, and writes nothing", async () => {
      const itemsBefore = (await aws.auditItems()).length;
      const notS3 = await invoke(handler, { hello: "world" });
      assert.match(String((notS3.error as Error).message), /Records is missing or not an array: this is not an S3 event notification/);
      assert.equal((notS3.error as Error).name, "MalformedEventError");

      const record = s3Record("intake/x.json", 10) as { s3: { object: Record<string, unknown> } };
      delete record.s3.object.key;
      delete record.s3.object.size;
      const missing = await invoke(handler, { Records: [record] });
      assert.match(String((missing.error as Error).message), /Records\[0\]\.s3\.object\.key is missing/);
      assert.match(String((missing.error as Error).message), /Records\[0\]\.s3\.object\.size must be a whole number/);

      const empty = await invoke(handler, { Records: [] });
      assert.match(String((empty.error as Error).message), /Records is empty/);
      assert.equal((await aws.auditItems()).length, itemsBefore);
    });

    it("ignores keys outside the intake prefix with a log line", async () => {
      await aws.put("elsewhere/patient.json", json(validPatient));
      const run = await invoke(handler, s3Event(s3Record("elsewhere/patient.json", 100)));
      assert.deepEqual(run.result, { records: 1, processed: 0, quarantined: 0, duplicates: 0, ignored: 1 });
      const line = run.lines.map((l) => JSON.parse(l)).find((l) => l.message === "record.ignored");
      assert.equal(line?.reason, "outside the intake prefix");
      assert.equal(line?.objectKey, "elsewhere/patient.json");
      assert.equal(await auditItem("elsewhere/patient.json"), undefined);
      assert.deepEqual(await aws.keys("processed/elsewhere"), []);
    });

    it("ignores events other than ObjectCreated", async () => {
      const run = await invoke(handler, s3Event(s3Record("intake/deleted.json", 0, { eventName: "ObjectRemoved:Delete" })));
      assert.equal(run.result?.ignored, 1);
    });
  });

  describe("failures throw, so Lambda retries, and leave no audit item", () => {
    it("DynamoDB unavailable: rejects naming DynamoDB, nothing audited", async () => {
      const h = aws.handler({ endpoints: { dynamodb: `http://127.0.0.1:${await closedPort()}` }, maxAttempts: 1 });
      const { key, event } = await upload("fail/ddb-down.json", json(validPatient));
      const run = await invoke(h, event);
      assert.ok(run.error instanceof Error);
      assert.match(run.error.message, /DynamoDB GetItem \(audit table\) failed for s3:\/\/phi-data-test\/intake\/fail\/ddb-down\.json/);
      assert.match(run.error.message, /ECONNREFUSED/);
      assert.equal(await auditItem(key), undefined);
    });

    it("audit write fails after the copy: rejects, the copy may exist but no audit item; the retry completes once", async () => {
      const failing = aws.handler({
        wrap: (clients) => {
          const send = clients.dynamodb.send.bind(clients.dynamodb);
          clients.dynamodb.send = ((command: unknown) =>
            command instanceof PutCommand ? Promise.reject(Object.assign(new Error("injected"), { name: "InternalServerError" })) : send(command as never)) as typeof send;
          return {};
        },
      });
      const { key, event } = await upload("fail/put-item.json", json(validPatient));
      const run = await invoke(failing, event);
      assert.match(String((run.error as Error)?.message), /DynamoDB PutItem \(audit table\) failed .*InternalServerError/);
      assert.ok(await aws.get("processed/fail/put-item.json"), "the copy happened before the audit write");
      assert.equal(await auditItem(key), undefined, "no partial audit item");

      const retry = await invoke(handler, event);
      assert.equal(retry.result?.processed, 1);
      assert.equal((await auditItem(key))?.outcome, "PROCESSED");
    });

    it("S3 unavailable: rejects naming S3, nothing audited, no alert", async () => {
      const h = aws.handler({ endpoints: { s3: `http://127.0.0.1:${await closedPort()}` }, maxAttempts: 1 });
      const { key, event } = await upload("fail/s3-down.json", notJson);
      const before = aws.published().length;
      const run = await invoke(h, event);
      assert.match(String((run.error as Error)?.message), /S3 GetObject failed for s3:\/\/phi-data-test\/intake\/fail\/s3-down\.json/);
      assert.equal(await auditItem(key), undefined);
      assert.equal(aws.published().length, before);
      assert.deepEqual(await aws.keys("quarantine/fail/"), []);
    });

    it("S3 copy fails: rejects naming the copy, nothing audited, no alert", async () => {
      const h = aws.handler({
        wrap: (clients) => {
          const send = clients.s3.send.bind(clients.s3);
          clients.s3.send = ((command: unknown) =>
            command instanceof CopyObjectCommand ? Promise.reject(Object.assign(new Error("Access Denied"), { name: "AccessDenied" })) : send(command as never)) as typeof send;
          return {};
        },
      });
      const { key, event } = await upload("fail/copy.json", notJson);
      const before = aws.published().length;
      const run = await invoke(h, event);
      assert.match(String((run.error as Error)?.message), /S3 CopyObject to quarantine\/fail\/copy\.json failed .*AccessDenied/);
      assert.equal(await auditItem(key), undefined);
      assert.equal(aws.published().length, before);
    });

    it("a missing object (NoSuchKey) is a failure, not a quarantine", async () => {
      const run = await invoke(handler, s3Event(s3Record("intake/fail/never-uploaded.json", 10)));
      assert.match(String((run.error as Error)?.message), /S3 GetObject failed .*NoSuchKey/);
      assert.equal(await auditItem("intake/fail/never-uploaded.json"), undefined);
    });

    it("SNS fails: rejects, no audit item; the retry alerts and audits", async () => {
      const { key, event } = await upload("fail/sns.json", notJson);
      aws.failPublish(1);
      const run = await invoke(handler, event);
      assert.match(String((run.error as Error)?.message), /SNS Publish \(quarantine alert\) failed/);
      assert.equal(await auditItem(key), undefined);
      const retry = await invoke(handler, event);
      assert.equal(retry.result?.quarantined, 1);
      assert.equal((await auditItem(key))?.reasonCode, "INVALID_JSON");
      assert.equal(aws.published().filter((p) => JSON.parse(p.Message!).objectKey === key).length, 2, "alerts are at-least-once");
    });

    it("a failing record fails the invocation after the others finished", async () => {
      const ok = await upload("fail/mixed-ok.json", json(validPatient));
      const run = await invoke(handler, s3Event(...ok.event.Records, s3Record("intake/fail/mixed-missing.json", 10)));
      assert.match(String((run.error as Error)?.message), /1 of 2 record\(s\) failed .*\n.*Records\[1\]: S3 GetObject failed/);
      assert.equal((await auditItem(ok.key))?.outcome, "PROCESSED");
    });
  });

  describe("configuration", () => {
    it("rejects with an error naming the bad key, and reads the parameter again on the next invocation", async () => {
      const name = "/healthcare/test/bad-config";
      aws.setParameter(name, JSON.stringify({ maxObjectBytes: 0, processedPrefix: "intake/processed/", acceptedResourceTypes: ["Encounter"], colour: "blue" }));
      const h = aws.handler({ environment: { ...process.env, [DATA_PROCESSOR_ENV.configParameterName]: name } });
      const { event } = await upload("config/patient.json", json(validPatient));
      const run = await invoke(h, event);
      const message = String((run.error as Error)?.message);
      assert.equal((run.error as Error).name, "ProcessorConfigError");
      assert.match(message, /SSM parameter \/healthcare\/test\/bad-config: colour: unknown key/);
      assert.match(message, /maxObjectBytes must be a whole number of bytes from 1 to 104857600/);
      assert.match(message, /intakePrefix \("intake\/"\) and processedPrefix \("intake\/processed\/"\) must not overlap/);
      assert.match(message, /acceptedResourceTypes\[0\] must be one of Patient, Observation, Bundle/);

      aws.setParameter(name, "{}");
      const fixed = await invoke(h, event);
      assert.equal(fixed.result?.processed, 1);
    });

    it("rejects when the parameter is missing, naming it", async () => {
      const h = aws.handler({ environment: { ...process.env, [DATA_PROCESSOR_ENV.configParameterName]: "/healthcare/test/absent" } });
      const run = await invoke(h, s3Event(s3Record("intake/config/x.json", 1)));
      assert.match(String((run.error as Error)?.message), /reading the configuration from SSM parameter \/healthcare\/test\/absent failed \(ParameterNotFound/);
    });

    it("rejects with every missing environment variable named", async () => {
      const h = aws.handler({ environment: { [DATA_PROCESSOR_ENV.s3ForcePathStyle]: "yes" } });
      const run = await invoke(h, s3Event(s3Record("intake/config/x.json", 1)));
      const message = String((run.error as Error)?.message);
      assert.match(message, /AUDIT_TABLE_NAME is required/);
      assert.match(message, /ALERT_TOPIC_ARN is required/);
      assert.match(message, /CONFIG_PARAMETER_NAME is required/);
      assert.match(message, /S3_FORCE_PATH_STYLE must be "true" or "false"/);
    });

    it("uses the configured prefixes", async () => {
      const h = aws.handler({ config: { intakePrefix: "inbox/", processedPrefix: "done/", quarantinePrefix: "held/" } });
      await aws.put("inbox/a.json", json(validPatient));
      await aws.put("inbox/b.json", notJson);
      const run = await invoke(h, s3Event(s3Record("inbox/a.json", 100), s3Record("inbox/b.json", 100), s3Record("intake/a.json", 100)));
      assert.deepEqual(run.result, { records: 3, processed: 1, quarantined: 1, duplicates: 0, ignored: 1 });
      assert.ok(await aws.get("done/a.json"));
      assert.deepEqual(await aws.keys("held/"), ["held/b.json"]);
    });
  });

  describe("no record value leaves the function", () => {
    it("log lines are JSON with identifiers and decisions only, and no PHI value appears in any log line, alert or audit item", async () => {
      assert.ok(allLines.length > 40, `the suite above produced log lines to inspect (got ${allLines.length})`);
      for (const line of allLines) {
        if (line.startsWith("(node:") || line.startsWith("To continue") || line.startsWith("versions published") || line.startsWith("will require") || line.startsWith("More information") || line.startsWith("(Use `node")) {
          continue; // the AWS SDK's Node.js version notice (process.emitWarning), not ours
        }
        const parsed = JSON.parse(line);
        assert.ok(["INFO", "WARN", "ERROR"].includes(parsed.level), line);
        assert.equal(typeof parsed.message, "string");
      }
      const haystacks = [
        ...allLines.map((l) => ["log", l]),
        ...aws.published().map((p) => ["alert", JSON.stringify(p)]),
        ...(await aws.auditItems()).map((i) => ["audit item", JSON.stringify(i)]),
      ];
      for (const [where, text] of haystacks) {
        for (const value of PHI_VALUES) {
          assert.ok(!text.includes(value), `${where} contains the record value ${JSON.stringify(value)}: ${text}`);
        }
      }
    });
  });
});
