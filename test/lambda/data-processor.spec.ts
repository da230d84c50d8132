/**
 * The data-processor handler end to end against local S3 (s3rver) and DynamoDB (dynalite), with SNS
 * and SSM mocked: every outcome, redelivery, malformed input, failures of each service, the
 * absence of record values from logs, alerts and audit items, and the absence of object keys (which
 * can hold patient identifiers) from logs, errors and alerts, which name objects by the key's SHA-256.
 */
import { strict as assert } from "assert";
import { createHash } from "crypto";
import { inspect } from "util";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { CopyObjectCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { DATA_PROCESSOR_ENV, QUARANTINE_ALERT_SUBJECT, RECORD_CONCURRENCY } from "../../lambda/data-processor/contract";
import type { AwsClients } from "../../lambda/data-processor/aws";
import type { DataProcessorHandler } from "../../lambda/data-processor/index";
import { settleWithLimit } from "../../lambda/data-processor/pool";
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
} from "../../tools/local-aws/data-processor";
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
} from "../../tools/local-aws/fhir-records";

const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");

describe("data-processor handler (s3rver + dynalite)", function () {
  this.timeout(60_000);
  let aws: LocalAws;
  let handler: DataProcessorHandler;
  /** Every log line any invocation of this suite wrote, and every error one rejected with (inspected in depth, causes included). */
  const allLines: string[] = [];
  const allErrors: string[] = [];
  /** The key of every record any invocation of this suite was given. */
  const allKeys = new Set<string>();
  let n = 0;

  /** Uploads `body` under intake/<name> and returns the notification for it. */
  async function upload(name: string, body: string | Buffer, opts: { size?: number } = {}) {
    const key = `intake/${name}`;
    await aws.put(key, body);
    return { key, event: s3Event(s3Record(key, opts.size ?? Buffer.byteLength(body))) };
  }

  async function invoke(h: DataProcessorHandler, event: unknown) {
    const records = (event as { Records?: { s3?: { object?: { key?: unknown } } }[] }).Records;
    for (const r of Array.isArray(records) ? records : []) {
      if (typeof r?.s3?.object?.key === "string") allKeys.add(decodeURIComponent(r.s3.object.key.replace(/\+/g, " ")));
    }
    const run = await captureOutput(() => h(event, { awsRequestId: `req-${++n}` }));
    allLines.push(...run.lines);
    if (run.error !== undefined) allErrors.push(inspect(run.error, { depth: 10 }));
    return run;
  }

  async function auditItem(key: string) {
    const items = (await aws.auditItems()).filter((i) => i.objectKey === key);
    assert.ok(items.length <= 1, `at most one audit item per version, got ${items.length}`);
    return items[0];
  }

  /**
   * Wraps the handler's S3 and DynamoDB clients to count records in flight. A new record's first AWS
   * call is its audit GetItem; it ends with its conditional PutItem settling, its GetItem finding an
   * item (a redelivery), or the first call that fails (each step throws at once). Also counts the
   * audit-table calls per object key.
   */
  function auditWorkCounter() {
    const counter = { inFlight: 0, maxInFlight: 0, putsSettled: 0, calls: new Map<string, number>() };
    const end = () => counter.inFlight--;
    const wrap = (clients: AwsClients) => {
      const s3Send = clients.s3.send.bind(clients.s3);
      clients.s3.send = ((command: unknown) =>
        (s3Send(command as never) as Promise<unknown>).catch((e: unknown) => {
          end();
          throw e;
        })) as typeof s3Send;
      const send = clients.dynamodb.send.bind(clients.dynamodb);
      clients.dynamodb.send = ((command: unknown) => {
        const kind = command instanceof GetCommand ? "get" : command instanceof PutCommand ? "put" : "other";
        const key =
          command instanceof GetCommand
            ? command.input.Key?.objectKey
            : command instanceof PutCommand
              ? command.input.Item?.objectKey
              : undefined;
        counter.calls.set(`${kind} ${String(key)}`, (counter.calls.get(`${kind} ${String(key)}`) ?? 0) + 1);
        if (kind === "get") counter.maxInFlight = Math.max(counter.maxInFlight, ++counter.inFlight);
        const sent = send(command as never) as Promise<{ Item?: unknown }>;
        if (kind === "put") {
          return sent.finally(() => {
            end();
            counter.putsSettled++;
          });
        }
        return sent.then(
          (out) => {
            if (kind === "get" && out.Item) end();
            return out;
          },
          (e: unknown) => {
            end();
            throw e;
          },
        );
      }) as typeof send;
      return {};
    };
    return { counter, wrap };
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
      assert.equal(item.objectKeySha256, sha256(key), "the audit item maps the hash that logs and alerts carry back to the key");
      assert.equal(item.destinationKey, "processed/clinic-a/patient 1.json");
      assert.equal(item.requestId, `req-${n}`);
      assert.match(String(item.versionId), /^null#[0-9A-F]+$/, "an unversioned object is keyed by its event sequencer");
      assert.ok(!Number.isNaN(Date.parse(String(item.processedAt))));
      assert.equal(item.reasonCode, undefined);
      assert.equal(aws.published().length, 0, "no alert for a valid record");
      assert.deepEqual(
        aws.ssmRequests().map((r) => [r.Name, r.WithDecryption]),
        [[DEFAULT_PARAMETER, true]],
        "config read once, decrypted",
      );
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

    it(`runs a batch's records concurrently, never more than RECORD_CONCURRENCY (${RECORD_CONCURRENCY}) at a time, each exactly once`, async () => {
      const { counter, wrap } = auditWorkCounter();
      const h = aws.handler({ wrap });
      const count = 3 * RECORD_CONCURRENCY + 1;
      const uploads = [];
      for (let i = 0; i < count; i++) {
        uploads.push(await upload(`pool/${i}.json`, i % 3 === 2 ? notJson : json({ ...validPatient, id: `p${i}` })));
      }
      const before = aws.published().length;

      const run = await invoke(h, s3Event(...uploads.flatMap((u) => u.event.Records)));
      assert.equal(run.error, undefined, String(run.error));
      const quarantined = uploads.filter((_, i) => i % 3 === 2).length;
      assert.deepEqual(run.result, { records: count, processed: count - quarantined, quarantined, duplicates: 0, ignored: 0 });
      assert.equal(counter.maxInFlight, RECORD_CONCURRENCY, "the pool fills up to the bound and never past it");
      assert.equal(counter.inFlight, 0);
      for (const u of uploads) {
        assert.equal(counter.calls.get(`get ${u.key}`), 1, `one audit GetItem for ${u.key}`);
        assert.equal(counter.calls.get(`put ${u.key}`), 1, `one audit PutItem for ${u.key}`);
        assert.equal((await aws.auditItems()).filter((i) => i.objectKey === u.key).length, 1, `one audit item for ${u.key}`);
      }
      assert.equal(counter.calls.size, 2 * count, "no other audit-table call");
      const alerted = aws
        .published()
        .slice(before)
        .map((p) => JSON.parse(p.Message!).objectKeySha256 as string)
        .sort();
      assert.deepEqual(
        alerted,
        uploads
          .filter((_, i) => i % 3 === 2)
          .map((u) => sha256(u.key))
          .sort(),
        "one alert per quarantined record",
      );
      assert.equal((await aws.keys("processed/pool/")).length + (await aws.keys("quarantine/pool/")).length, count, "one copy per record");
    });

    it("writes one audit item when one version appears twice in a batch and both copies run at once", async () => {
      const { counter, wrap } = auditWorkCounter();
      const h = aws.handler({ wrap });
      const { key, event } = await upload("pool/twice.json", json(validObservation));
      const run = await invoke(h, s3Event(event.Records[0], event.Records[0]));
      assert.equal(run.error, undefined, String(run.error));
      assert.equal(counter.maxInFlight, 2, "both ran their audit check before either wrote");
      assert.deepEqual(
        run.result,
        { records: 2, processed: 1, quarantined: 0, duplicates: 1, ignored: 0 },
        "the conditional write let one through",
      );
      assert.equal((await aws.auditItems()).filter((i) => i.objectKey === key).length, 1);
    });
  });

  describe("invalid records are quarantined, audited and alerted (the tag is in the copy request: aws-calls.spec)", () => {
    const cases = [
      { name: "not JSON", file: "bad/not-json.json", body: notJson, reason: "INVALID_JSON", resourceType: undefined },
      { name: "JSON but not FHIR", file: "bad/not-fhir.json", body: json(notFhir), reason: "NOT_FHIR", resourceType: undefined },
      { name: "JSON array", file: "bad/array.json", body: "[1,2,3]", reason: "NOT_FHIR", resourceType: undefined },
      {
        name: "schema violation",
        file: "bad/birthdate.json",
        body: json(patientWithBadBirthDateAndGender),
        reason: "SCHEMA_INVALID",
        resourceType: "Patient",
      },
      {
        name: "schema violation in an Observation",
        file: "bad/obs.json",
        body: json(observationWithStringValue),
        reason: "SCHEMA_INVALID",
        resourceType: "Observation",
      },
      {
        name: "unsupported resource type",
        file: "bad/encounter.json",
        body: json(encounter),
        reason: "UNSUPPORTED_RESOURCE_TYPE",
        resourceType: "Encounter",
      },
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
        const alert = JSON.parse(alerts[0].Message!);
        assert.deepEqual(alert, {
          alert: "DATA_PROCESSOR_QUARANTINE",
          bucket: BUCKET,
          objectKeySha256: sha256(key),
          versionId: item.versionId,
          requestId: `req-${n}`,
          record: 0,
          reasonCode: c.reason,
        });
        assert.ok(!Object.keys(alert).includes("objectKey"), "the alert (e-mailed) never carries the key");
        assert.ok(!alerts[0].Message!.includes(c.file.replace(/\.json$/, "")), "nor any part of it");
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
      const body = json({
        ...validPatient,
        text: { status: "generated", div: `<div xmlns="http://www.w3.org/1999/xhtml">${"x".repeat(4000)}</div>` },
      });
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
          clients.dynamodb.send = ((command: unknown) =>
            command instanceof GetCommand ? Promise.resolve({}) : send(command as never)) as typeof send;
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
      const items = (await aws.auditItems())
        .filter((i) => i.objectKey === key)
        .sort((a, b) => String(a.versionId).localeCompare(String(b.versionId)));
      assert.deepEqual(
        items.map((i) => [i.versionId, i.outcome]),
        [
          ["null#00AA000000000000A1", "PROCESSED"],
          ["null#00AA000000000000B2", "QUARANTINED"],
        ],
      );
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
      assert.equal(line?.objectKey, undefined, "log lines never carry the key");
      assert.equal(line?.objectKeySha256, sha256("elsewhere/patient.json"));
      assert.equal(line?.bucket, BUCKET);
      assert.equal(line?.record, 0);
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
      assert.match(
        run.error.message,
        new RegExp(
          `DynamoDB GetItem \\(audit table\\) failed for the object with key SHA-256 ${sha256(key)} in phi-data-test \\(version null#`,
        ),
      );
      assert.ok(!run.error.message.includes("ddb-down"), "the error names the object by its hash, not its key");
      assert.match(run.error.message, /ECONNREFUSED/);
      assert.equal(await auditItem(key), undefined);
    });

    it("audit write fails after the copy: rejects, the copy may exist but no audit item; the retry completes once", async () => {
      const failing = aws.handler({
        wrap: (clients) => {
          const send = clients.dynamodb.send.bind(clients.dynamodb);
          clients.dynamodb.send = ((command: unknown) =>
            command instanceof PutCommand
              ? Promise.reject(Object.assign(new Error("injected"), { name: "InternalServerError" }))
              : send(command as never)) as typeof send;
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
      assert.match(
        String((run.error as Error)?.message),
        new RegExp(`S3 GetObject failed for the object with key SHA-256 ${sha256(key)} in phi-data-test`),
      );
      assert.ok(!String((run.error as Error)?.message).includes("s3-down"));
      assert.equal(await auditItem(key), undefined);
      assert.equal(aws.published().length, before);
      assert.deepEqual(await aws.keys("quarantine/fail/"), []);
    });

    it("S3 copy fails: rejects naming the copy, nothing audited, no alert", async () => {
      const h = aws.handler({
        wrap: (clients) => {
          const send = clients.s3.send.bind(clients.s3);
          clients.s3.send = ((command: unknown) =>
            command instanceof CopyObjectCommand
              ? Promise.reject(Object.assign(new Error("Access Denied"), { name: "AccessDenied" }))
              : send(command as never)) as typeof send;
          return {};
        },
      });
      const { key, event } = await upload("fail/copy.json", notJson);
      const before = aws.published().length;
      const run = await invoke(h, event);
      assert.match(
        String((run.error as Error)?.message),
        /S3 CopyObject to quarantine\/ failed .*AccessDenied/,
        "the step names the destination prefix, not the key",
      );
      assert.ok(!String((run.error as Error)?.message).includes("copy.json"));
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
      assert.equal(
        aws.published().filter((p) => JSON.parse(p.Message!).objectKeySha256 === sha256(key)).length,
        2,
        "alerts are at-least-once",
      );
    });

    it("a failing record fails the invocation after the others finished", async () => {
      const ok = await upload("fail/mixed-ok.json", json(validPatient));
      const run = await invoke(handler, s3Event(...ok.event.Records, s3Record("intake/fail/mixed-missing.json", 10)));
      assert.match(String((run.error as Error)?.message), /1 of 2 record\(s\) failed .*\n.*Records\[1\]: S3 GetObject failed/);
      assert.equal((await auditItem(ok.key))?.outcome, "PROCESSED");
    });

    it("failing records of a concurrent batch fail the invocation only after every other record finished, naming each", async () => {
      const { counter, wrap } = auditWorkCounter();
      const inner = aws.handler({ wrap });
      let putsSettledAtRejection: number | undefined;
      const h: DataProcessorHandler = (event, context) =>
        inner(event, context).catch((e: unknown) => {
          putsSettledAtRejection = counter.putsSettled;
          throw e;
        });
      const count = 2 * RECORD_CONCURRENCY + 1;
      const missing = new Set([0, RECORD_CONCURRENCY + 1]);
      const records = [];
      const okKeys: string[] = [];
      for (let i = 0; i < count; i++) {
        if (missing.has(i)) {
          records.push(s3Record(`intake/fail/pool-missing-${i}.json`, 10));
        } else {
          const u = await upload(`fail/pool-ok-${i}.json`, json({ ...validPatient, id: `ok${i}` }));
          records.push(...u.event.Records);
          okKeys.push(u.key);
        }
      }

      const run = await invoke(h, s3Event(...records));
      const message = String((run.error as Error)?.message);
      assert.match(message, new RegExp(`^2 of ${count} record\\(s\\) failed`));
      const failed = (i: number) => `Records\\[${i}\\]: S3 GetObject failed .*NoSuchKey`;
      assert.match(message, new RegExp(`${failed(0)}[^]*${failed(RECORD_CONCURRENCY + 1)}`), "each failed record named, in event order");
      assert.equal(putsSettledAtRejection, okKeys.length, "the invocation rejected only after every other record's audit write settled");
      assert.equal(counter.maxInFlight, RECORD_CONCURRENCY);
      assert.equal(counter.inFlight, 0);
      for (const key of okKeys) assert.equal((await auditItem(key))?.outcome, "PROCESSED", key);
      for (const i of missing) assert.equal(await auditItem(`intake/fail/pool-missing-${i}.json`), undefined);
    });
  });

  describe("configuration", () => {
    it("rejects with an error naming the bad key, and reads the parameter again on the next invocation", async () => {
      const name = "/healthcare/test/bad-config";
      aws.setParameter(
        name,
        JSON.stringify({ maxObjectBytes: 0, processedPrefix: "intake/processed/", acceptedResourceTypes: ["Encounter"], colour: "blue" }),
      );
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
      assert.match(
        String((run.error as Error)?.message),
        /reading the configuration from SSM parameter \/healthcare\/test\/absent failed \(ParameterNotFound/,
      );
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

  describe("object keys never leave the function (a key can hold patient identifiers)", () => {
    const PHI_KEY = "intake/MRN-0012345/Smith-John-1970-01-01.json";
    /** Every part of the key that identifies the patient, in the forms a message could quote it in. */
    const KEY_PARTS = [
      PHI_KEY,
      "MRN-0012345",
      "0012345",
      "Smith",
      "John",
      "1970-01-01",
      "Smith-John",
      encodeURIComponent(PHI_KEY),
      "MRN-0012345%2FSmith",
    ];
    const hash = sha256(PHI_KEY);

    /** What an operator or an e-mail recipient sees of one invocation: its log lines, its error (in depth) and its alerts. */
    async function observe(h: DataProcessorHandler, event: unknown, key = PHI_KEY) {
      const before = aws.published().length;
      const run = await invoke(h, event);
      const lines = run.lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
      const alerts = aws.published().slice(before);
      const texts = [
        ...run.lines.map((l) => `log line ${l}`),
        ...(run.error === undefined ? [] : [`error ${inspect(run.error, { depth: 10 })}`, `error message ${(run.error as Error).message}`]),
        ...alerts.map((a) => `SNS message ${JSON.stringify(a)}`),
      ];
      for (const text of texts) {
        for (const part of KEY_PARTS)
          assert.ok(!text.toLowerCase().includes(part.toLowerCase()), `${text}\ncontains ${JSON.stringify(part)} of the key`);
      }
      const recordLines = lines.filter((l) => String(l.message).startsWith("record."));
      assert.ok(recordLines.length > 0, "the invocation logged the record");
      for (const l of recordLines) {
        assert.equal(l.objectKeySha256, sha256(key), JSON.stringify(l));
        assert.equal(l.bucket, BUCKET);
        assert.equal(l.record, 0);
        assert.equal(typeof l.versionId, "string");
        assert.equal(l.requestId, `req-${n}`);
        assert.equal(l.objectKey, undefined);
        assert.equal(l.destinationKey, undefined);
      }
      return { run, lines, alerts: alerts.map((a) => JSON.parse(a.Message!) as Record<string, unknown>) };
    }

    /** An S3 AccessDenied as S3 reports it to a same-account caller: the message quotes the object's ARN, the error carries the key. */
    const accessDenied = (key: string) =>
      Object.assign(
        new Error(
          "User: arn:aws:sts::123456789012:assumed-role/data-processor/fn is not authorized to perform: s3:GetObject on resource: " +
            `"arn:aws:s3:::${BUCKET}/${key}" because no identity-based policy allows the s3:GetObject action`,
        ),
        { name: "AccessDenied", Key: key, $metadata: { httpStatusCode: 403 } },
      );

    it("valid, then a redelivery: log lines carry the key's hash and ids only; the audit item maps the hash to the key", async () => {
      await aws.put(PHI_KEY, json(validPatient));
      const event = s3Event(s3Record(PHI_KEY, Buffer.byteLength(json(validPatient)), { sequencer: "00FF00000000000001" }));
      const { run, lines } = await observe(handler, event);
      assert.equal(run.result?.processed, 1);
      assert.ok(lines.some((l) => l.message === "record.processed"));
      const item = (await aws.auditItems()).find((i) => i.objectKeySha256 === hash && i.versionId === "null#00FF00000000000001");
      assert.equal(item?.objectKey, PHI_KEY, "resolving the hash: the audit item (encrypted) holds the key");
      const again = await observe(handler, event);
      assert.equal(again.run.result?.duplicates, 1);
      const ignored = await observe(handler, s3Event(s3Record(PHI_KEY, 0, { eventName: "ObjectRemoved:Delete" })));
      assert.equal(ignored.run.result?.ignored, 1);
    });

    it("quarantined: the alert holds the hash, the audit version and the request id, never the key", async () => {
      await aws.put(PHI_KEY, notJson);
      const { run, alerts } = await observe(
        handler,
        s3Event(s3Record(PHI_KEY, Buffer.byteLength(notJson), { sequencer: "00FF00000000000002" })),
      );
      assert.equal(run.result?.quarantined, 1);
      assert.deepEqual(alerts, [
        {
          alert: "DATA_PROCESSOR_QUARANTINE",
          bucket: BUCKET,
          objectKeySha256: hash,
          versionId: "null#00FF00000000000002",
          requestId: `req-${n}`,
          record: 0,
          reasonCode: "INVALID_JSON",
        },
      ]);
    });

    it("oversized: quarantined unread, alert and logs by hash", async () => {
      const body = json({ ...validPatient, note: "z".repeat(4000) });
      await aws.put(PHI_KEY, body);
      const h = aws.handler({ config: { maxObjectBytes: 1024 } });
      const { run, alerts } = await observe(h, s3Event(s3Record(PHI_KEY, Buffer.byteLength(body), { sequencer: "00FF00000000000003" })));
      assert.equal(run.result?.quarantined, 1);
      assert.equal(alerts[0]?.reasonCode, "TOO_LARGE");
      assert.equal(alerts[0]?.objectKeySha256, hash);
    });

    it("failing S3 calls (a read denied with the key in the message, a copy denied, S3 down, a missing object) and SNS: errors name the hash", async () => {
      const denying = (command: typeof GetObjectCommand | typeof CopyObjectCommand) =>
        aws.handler({
          wrap: (clients) => {
            const send = clients.s3.send.bind(clients.s3);
            // A denied copy names the destination: quarantine/<the rest of the key>.
            const quoted = command === CopyObjectCommand ? PHI_KEY.replace(/^intake\//, "quarantine/") : PHI_KEY;
            clients.s3.send = ((c: unknown) =>
              c instanceof command ? Promise.reject(accessDenied(quoted)) : send(c as never)) as typeof send;
            return {};
          },
        });
      await aws.put(PHI_KEY, notJson);
      const size = Buffer.byteLength(notJson);
      const read = await observe(denying(GetObjectCommand), s3Event(s3Record(PHI_KEY, size, { sequencer: "00FF00000000000004" })));
      const message = (read.run.error as Error).message;
      assert.match(
        message,
        new RegExp(
          `S3 GetObject failed for the object with key SHA-256 ${hash} in ${BUCKET} \\(version null#00FF00000000000004, record 0\\): AccessDenied HTTP 403`,
        ),
      );
      assert.ok(
        message.includes(`arn:aws:s3:::${BUCKET}/<objectKeySha256:${hash}>`),
        `the AWS message keeps its shape, the key redacted: ${message}`,
      );
      assert.ok(read.lines.some((l) => l.message === "record.failed" && l.error === "RecordProcessingError"));

      const copy = await observe(denying(CopyObjectCommand), s3Event(s3Record(PHI_KEY, size, { sequencer: "00FF00000000000005" })));
      assert.match((copy.run.error as Error).message, /S3 CopyObject to quarantine\/ failed .*AccessDenied/);

      const down = aws.handler({ endpoints: { s3: `http://127.0.0.1:${await closedPort()}` }, maxAttempts: 1 });
      const unreachable = await observe(down, s3Event(s3Record(PHI_KEY, size, { sequencer: "00FF00000000000006" })));
      assert.match((unreachable.run.error as Error).message, new RegExp(`S3 GetObject failed for the object with key SHA-256 ${hash}`));

      // s3rver answers NoSuchKey with the key in the error body, which the SDK puts on the error.
      const missingKey = "intake/MRN-0012345/Smith-John-1970-01-01-never-uploaded.json";
      const missing = await observe(handler, s3Event(s3Record(missingKey, 10)), missingKey);
      assert.match((missing.run.error as Error).message, /S3 GetObject failed .*NoSuchKey/);
      assert.ok((missing.run.error as Error).message.includes(sha256(missingKey)));

      aws.failPublish(1);
      const sns = await observe(handler, s3Event(s3Record(PHI_KEY, size, { sequencer: "00FF00000000000007" })));
      assert.match(
        (sns.run.error as Error).message,
        new RegExp(`SNS Publish \\(quarantine alert\\) failed for the object with key SHA-256 ${hash}`),
      );
    });

    it("a batch with the key among others: the invocation's error lists the failed record by index and hash", async () => {
      await aws.put(PHI_KEY, json(validObservation));
      const other = await upload("phi/other.json", json(validPatient));
      const h = aws.handler({
        wrap: (clients) => {
          const send = clients.dynamodb.send.bind(clients.dynamodb);
          clients.dynamodb.send = ((c: unknown) =>
            c instanceof PutCommand && c.input.Item?.objectKey === PHI_KEY
              ? Promise.reject(Object.assign(new Error(`Item for key ${PHI_KEY} rejected (injected)`), { name: "InternalServerError" }))
              : send(c as never)) as typeof send;
          return {};
        },
      });
      const event = s3Event(
        ...other.event.Records,
        s3Record(PHI_KEY, Buffer.byteLength(json(validObservation)), { sequencer: "00FF00000000000008" }),
      );
      const before = aws.published().length;
      const run = await invoke(h, event);
      const message = (run.error as Error).message;
      assert.match(
        message,
        new RegExp(
          `^1 of 2 record\\(s\\) failed[^]*Records\\[1\\]: DynamoDB PutItem \\(audit table\\) failed for the object with key SHA-256 ${hash}`,
        ),
      );
      for (const text of [
        ...run.lines,
        inspect(run.error, { depth: 10 }),
        ...aws
          .published()
          .slice(before)
          .map((p) => JSON.stringify(p)),
      ]) {
        for (const part of KEY_PARTS)
          assert.ok(!text.toLowerCase().includes(part.toLowerCase()), `${text}\ncontains ${JSON.stringify(part)} of the key`);
      }
      const failed = run.lines
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l))
        .find((l) => l.message === "record.failed");
      assert.deepEqual([failed?.record, failed?.objectKeySha256, failed?.error], [1, hash, "RecordProcessingError"]);
    });
  });

  describe("no record value leaves the function", () => {
    it("log lines are JSON with identifiers and decisions only, and no PHI value appears in any log line, alert or audit item", async () => {
      assert.ok(allLines.length > 40, `the suite above produced log lines to inspect (got ${allLines.length})`);
      for (const line of allLines) {
        if (
          line.startsWith("(node:") ||
          line.startsWith("To continue") ||
          line.startsWith("versions published") ||
          line.startsWith("will require") ||
          line.startsWith("More information") ||
          line.startsWith("(Use `node")
        ) {
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

    it("no log line, error or alert of the whole suite names an object by its key (beyond the intake prefix): only by its SHA-256", async () => {
      assert.ok(
        allKeys.size > 40 && allErrors.length > 10,
        `the suite above invoked the handler on keys (${allKeys.size}) and failed (${allErrors.length})`,
      );
      const haystacks = [
        ...allLines.map((l) => ["log line", l]),
        ...allErrors.map((e) => ["error", e]),
        ...aws.published().map((p) => ["alert", JSON.stringify(p)]),
      ];
      const hashes = new Set([...allKeys].map((k) => sha256(k)));
      for (const key of allKeys) {
        const rest = key.slice(key.indexOf("/") + 1);
        for (const [where, text] of haystacks) {
          assert.ok(
            !text.includes(rest) && !text.includes(encodeURIComponent(rest)),
            `${where} contains the key ${JSON.stringify(key)}: ${text}`,
          );
        }
      }
      const named = allLines.filter((l) => l.includes('"record.')).map((l) => JSON.parse(l).objectKeySha256);
      assert.ok(
        named.length > 40 && named.every((h) => hashes.has(h)),
        "every record.* line names its object by the SHA-256 of a key it was given",
      );
      for (const item of await aws.auditItems())
        assert.equal(item.objectKeySha256, sha256(String(item.objectKey)), "the audit item maps each hash to its key");
    });
  });
});

describe("settleWithLimit (the pool a batch's records run in)", () => {
  /** An instrumented fake job per item: counts starts and the jobs in flight; the test settles each by hand. */
  function fakeWork(items: number) {
    const state = { inFlight: 0, maxInFlight: 0, started: [] as number[], settle: new Map<number, (error?: Error) => void>() };
    const work = (i: number) => {
      state.started.push(i);
      state.maxInFlight = Math.max(state.maxInFlight, ++state.inFlight);
      return new Promise<string>((resolve, reject) => {
        state.settle.set(i, (error) => {
          state.inFlight--;
          if (error) reject(error);
          else resolve(`done ${i}`);
        });
      });
    };
    return { state, work, items: Array.from({ length: items }, (_, i) => i) };
  }
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  it("starts `limit` jobs, starts the next only when one settles, and returns results in input order", async () => {
    const { state, work, items } = fakeWork(7);
    let done = false;
    const pool = settleWithLimit(items, 3, work).finally(() => (done = true));
    await turn();
    assert.deepEqual(state.started, [0, 1, 2]);
    // Settle out of order; each settlement frees exactly one slot.
    for (const [i, expectedStarted] of [
      [1, 4],
      [0, 5],
      [3, 6],
      [2, 7],
      [6, 7],
      [4, 7],
    ] as const) {
      state.settle.get(i)!(i === 3 ? new Error("job 3 failed") : undefined);
      await turn();
      assert.equal(state.started.length, expectedStarted, `after settling job ${i}`);
      assert.ok(state.inFlight <= 3);
      assert.equal(done, false, "the pool waits for every job");
    }
    state.settle.get(5)!();
    const results = await pool;
    assert.equal(state.maxInFlight, 3);
    assert.deepEqual([...state.started].sort(), items, "every item started exactly once");
    assert.deepEqual(
      results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message)),
      ["done 0", "done 1", "done 2", "job 3 failed", "done 4", "done 5", "done 6"],
    );
  });

  it("runs every item once when jobs fail (also synchronously), and never more than the limit", async () => {
    const seen: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const results = await settleWithLimit(
      Array.from({ length: 20 }, (_, i) => i),
      4,
      async (i) => {
        seen.push(i);
        if (i === 5) throw new Error("synchronous failure");
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await turn();
        inFlight--;
        if (i % 7 === 0) throw new Error(`failure ${i}`);
        return i * 2;
      },
    );
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => i),
    );
    assert.equal(maxInFlight, 4);
    assert.deepEqual(
      results.flatMap((r, i) => (r.status === "rejected" ? [i] : [])),
      [0, 5, 7, 14],
    );
    assert.deepEqual(results[3], { status: "fulfilled", value: 6 });
  });

  it("handles fewer items than the limit and no items, and refuses a limit below 1", async () => {
    const { state, work, items } = fakeWork(2);
    const pool = settleWithLimit(items, 10, work);
    await turn();
    assert.deepEqual(state.started, [0, 1]);
    state.settle.forEach((settle) => settle());
    assert.equal((await pool).length, 2);
    assert.deepEqual(await settleWithLimit([], 4, work), []);
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(settleWithLimit([1], limit, work), /limit must be a whole number of at least 1/);
    }
  });
});
