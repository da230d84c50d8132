/**
 * The archive query layer: the Glue table and the access-history query run on a real SQL engine
 * (DuckDB) over a sample archive written in Firehose's exact layout, holding exactly what the
 * authorizer returns (its handler runs on the sample), and the component's security-relevant inputs
 * under the shared mock cloud.
 */
import * as assert from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { ANNOTATION_FIELD, DECISIONS, OUTPUT_VERSION, type EventAnnotation } from "../../lambda/authorizer/contract";
import { ACCOUNT_ID, REGION, installMocks, testConfig } from "../mocks";
import {
  ArchiveObject,
  AuthorizedRecord,
  DUCKDB_EVENTS_UNNEST,
  PATIENT_KEY,
  PHI_BUCKET,
  PRINCIPALS,
  Sample,
  SampleEvent,
  authorize,
  bufferIntoObjects,
  duckDbGlob,
  duckDbSql,
  duckDbTableDdl,
  duckDbType,
  evaluateFirehosePrefix,
  sampleArchive,
  substituteParameters,
  writeArchive,
} from "./archive-fixture";

const cloud = installMocks();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aq: typeof import("../../components/security-events/archive-query") = require("../../components/security-events/archive-query");
const {
  ARCHIVE_COLUMNS,
  ARCHIVE_ERROR_PREFIX,
  ARCHIVE_EVENTS_PREFIX,
  ARCHIVE_EVENT_FIELDS,
  ARCHIVE_OUTPUT_VERSION,
  ARCHIVE_TABLE_NAME,
  ArchiveQuery,
  DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY,
  EVENTS_UNNEST,
  JSON_SERDE,
  accessHistoryParameters,
  accessHistoryQuery,
  archiveQueryArgProblems,
  archiveTableParameters,
  athenaExecutionParameters,
  glueColumns,
  glueType,
  locationTemplateFromFirehosePrefix,
  tableLocation,
} = aq;

const DATABASE = "hcp_test_security_events";
const TABLE = `"${DATABASE}"."${ARCHIVE_TABLE_NAME}"`;
/** One row per archived event, in DuckDB's spelling. */
const EVENTS = `${TABLE} AS r ${DUCKDB_EVENTS_UNNEST}`;

type Row = Record<string, unknown>;
type CloudTrail = {
  eventID: string;
  eventTime: string;
  userIdentity: { arn: string; sessionContext?: { sessionIssuer: { arn: string } } };
};
type AnnotatedEvent = Record<string, unknown> & { eventID: string; requestParameters: { key: string }; authorization: EventAnnotation };

const sha256 = (value: string): string => createHash("sha256").update(value, "utf8").digest("hex");
const ct = (e: SampleEvent): CloudTrail => e.cloudTrail as CloudTrail;

// ---------------------------------------------------------------------------------------------
// The table and the query on DuckDB.

describe("archive query on a real SQL engine (DuckDB over a Firehose-layout archive)", () => {
  let root: string;
  let db: DuckDBInstance;
  let conn: DuckDBConnection;
  let sample: Sample;
  let events: SampleEvent[];
  let authorized: AuthorizedRecord[];
  let annotated: AnnotatedEvent[];
  let objects: ArchiveObject[];

  const sql = accessHistoryQuery(DATABASE);
  const run = async (text: string, values?: string[]): Promise<Row[]> => {
    const prepared = await conn.prepare(text);
    if (values) prepared.bind(values);
    return (await prepared.runAndReadAll()).getRowObjectsJson();
  };
  const history = (principalArn: string, from: string, to: string): Promise<Row[]> =>
    run(duckDbSql(sql), accessHistoryParameters({ principalArn, from: new Date(from), to: new Date(to) }));
  /** What the query must return: computed from the events in memory, not from SQL. */
  const expected = (principalArn: string, from: string, to: string): string[] =>
    events
      .map(ct)
      .filter((r) => r.userIdentity.arn === principalArn || r.userIdentity.sessionContext?.sessionIssuer.arn === principalArn)
      .filter((r) => r.eventTime >= from.replace(".000", "") && r.eventTime < to.replace(".000", ""))
      .sort((a, b) => (a.eventTime === b.eventTime ? b.eventID.localeCompare(a.eventID) : b.eventTime.localeCompare(a.eventTime)))
      .map((r) => r.eventID);
  const partitionOf = (e: SampleEvent): string =>
    objects
      .find((o) => o.records.some((r) => r.source.events.includes(e)))!
      .key.split("/")
      .slice(1, 3)
      .join("/");
  const annotationOf = (e: SampleEvent): EventAnnotation => annotated.find((a) => a.eventID === ct(e).eventID)!.authorization;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "archive-query-"));
    sample = sampleArchive();
    ({ events } = sample);
    authorized = await authorize(sample.records);
    annotated = authorized.flatMap((r) => r.document.events as AnnotatedEvent[]);
    objects = bufferIntoObjects(authorized);
    writeArchive(root, objects);
    db = await DuckDBInstance.create(":memory:");
    conn = await db.connect();
    for (const statement of duckDbTableDdl(root, DATABASE)) await conn.run(statement);
  });

  after(() => {
    conn?.closeSync();
    db?.closeSync();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  describe("the sample archive", () => {
    it("is laid out as Firehose writes it: gzip JSON lines under events/dt=YYYY-MM-DD/hr=HH/, over several days and principals", () => {
      assert.ok(events.length >= 300, `${events.length} events`);
      assert.ok(new Set(events.map((e) => e.principal)).size >= 4);
      const days = new Set(objects.map((o) => o.key.split("/")[1]));
      assert.ok(days.size >= 6, [...days].join(" "));
      for (const o of objects) {
        assert.match(o.key, /^events\/dt=\d{4}-\d{2}-\d{2}\/hr=\d{2}\/hcp-test-security-events-1-\d{4}(-\d{2}){5}-[0-9a-f-]{36}\.gz$/);
        const lines = zlib
          .gunzipSync(fs.readFileSync(path.join(root, o.key)))
          .toString("utf8")
          .split("\n");
        assert.strictEqual(lines.pop(), "", "every record ends with a newline");
        assert.deepStrictEqual(
          lines.map((l) => JSON.parse(l)),
          o.records.map((r) => r.document),
        );
      }
    });

    it("holds the authorizer's output documents: one per record, its events (several per record) each annotated", () => {
      assert.strictEqual(authorized.length, sample.records.length);
      for (const { source, document } of authorized) {
        assert.deepStrictEqual(Object.keys(document).sort(), ["authorizerVersion", "decision", "eventCount", "events"]);
        assert.strictEqual(document.authorizerVersion, OUTPUT_VERSION);
        assert.strictEqual(document.eventCount, source.events.length);
        assert.ok((DECISIONS as readonly string[]).includes(document.decision));
        assert.deepStrictEqual(
          document.events.map((e) => e.eventID),
          source.events.map((e) => ct(e).eventID),
        );
        for (const [i, e] of document.events.entries()) {
          const { [ANNOTATION_FIELD]: annotation, ...rest } = e;
          assert.deepStrictEqual(rest, source.events[i].cloudTrail, "every CloudTrail field kept");
          assert.ok(annotation, "annotated");
        }
      }
      assert.ok(authorized.filter((r) => r.document.eventCount > 1).length >= 40, "most records carry several events");
      assert.ok(Math.max(...authorized.map((r) => r.document.eventCount)) >= 4);
    });

    it("is decided as the grants say; the annotation holds the key's SHA-256, never the key (the event itself keeps it)", () => {
      const decisions = (name: keyof typeof PRINCIPALS) =>
        new Set(events.filter((e) => e.principal === name).map((e) => annotationOf(e).decision));
      assert.deepStrictEqual(decisions("alice"), new Set(["allowed"]));
      assert.deepStrictEqual(decisions("intruder"), new Set(["denied"]));
      assert.deepStrictEqual(decisions("partner"), new Set(["unknown-principal"]));
      assert.deepStrictEqual(decisions("processor"), new Set(["allowed", "denied"]), "a delete is not granted to the processor");
      for (const e of annotated) {
        const key = e.requestParameters.key;
        assert.ok(!JSON.stringify(e.authorization).includes(key), `annotation of ${e.eventID} holds no key`);
        assert.deepStrictEqual(
          e.authorization.checks.map((c) => c.keySha256),
          [sha256(key)],
        );
      }
      assert.strictEqual(annotationOf(sample.patient).incident !== undefined, true, "a denied access carries its incident status");
    });

    it("files an object under the arrival of its oldest record: the edge events sit in the neighbouring day", () => {
      assert.strictEqual(ct(sample.lateArrival).eventTime.slice(0, 10), "2026-03-03");
      assert.strictEqual(partitionOf(sample.lateArrival), "dt=2026-03-04/hr=00");
      assert.strictEqual(ct(sample.earlyFiled).eventTime.slice(0, 10), "2026-03-05");
      assert.strictEqual(partitionOf(sample.earlyFiled), "dt=2026-03-04/hr=23");
    });
  });

  describe("the table definition", () => {
    it("reads every archived record once, every event once, and nothing from the error prefix", async () => {
      const [{ records }] = await run(`SELECT count(*) AS records FROM ${TABLE}`);
      assert.strictEqual(Number(records), authorized.length);
      const [{ n, errors }] = await run(
        `SELECT count(*) AS n, count(*) FILTER (WHERE e.eventid = 'error-record') AS errors FROM ${EVENTS}`,
      );
      assert.strictEqual(Number(n), events.length);
      assert.strictEqual(Number(errors), 0);
    });

    it("maps every column and field to the document's: each reads exactly the values the authorizer wrote", async () => {
      type Json = Record<string, unknown>;
      const present = (values: Json[], name: string): number => values.filter((o) => o[name] !== undefined && o[name] !== null).length;
      /** count(<prefix><field>) over `from` equals the number of JSON objects holding the field; every non-optional field occurs. */
      const check = async (from: string, fields: readonly { name: string }[], source: Json[], prefix: string, optional: string[]) => {
        const selects = fields.map((f) => `count(${prefix}"${f.name.toLowerCase()}") AS "${f.name}"`).join(", ");
        const [counts] = await run(`SELECT ${selects} FROM ${from}`);
        for (const f of fields) {
          const want = present(source, f.name);
          assert.strictEqual(Number(counts[f.name]), want, `${prefix}${f.name}`);
          if (!optional.includes(f.name)) assert.ok(want > 0, `${prefix}${f.name} appears in the sample`);
        }
      };
      const documents = authorized.map((r) => r.document as unknown as Record<string, unknown>);
      await check(TABLE, ARCHIVE_COLUMNS, documents, "", []);
      await check(`${EVENTS}`, ARCHIVE_EVENT_FIELDS, annotated, "e.", ["errorCode", "errorMessage"]);
      const annotationType = ARCHIVE_EVENT_FIELDS.find((f) => f.name === ANNOTATION_FIELD)!.type;
      const annotationFields = (annotationType as { struct: { name: string; type: unknown }[] }).struct;
      const annotations = annotated.map((e) => e.authorization as unknown as Record<string, unknown>);
      await check(`${EVENTS}`, annotationFields, annotations, 'e."authorization".', ["invokedBy"]);
      const checkFields = (annotationFields.find((f) => f.name === "checks")!.type as { array: { struct: { name: string }[] } }).array
        .struct;
      const checks = annotated.flatMap((e) => e.authorization.checks as unknown as Record<string, unknown>[]);
      await check(`${EVENTS} CROSS JOIN UNNEST(e."authorization".checks) AS u(c)`, checkFields, checks, "c.", []);
      const grantFields = (checkFields.find((f) => f.name === "grant") as unknown as { type: { struct: { name: string }[] } }).type.struct;
      const grants = checks
        .map((c) => c.grant as Record<string, unknown> | undefined)
        .filter((g): g is Record<string, unknown> => g !== undefined);
      await check(
        `${EVENTS} CROSS JOIN UNNEST(e."authorization".checks) AS u(c) WHERE c."grant" IS NOT NULL`,
        grantFields,
        grants,
        'c."grant".',
        ["expiresAt"],
      );
    });

    it("reads nested fields by their Glue (lowercase) names: role, bucket, key, resources, the authorizer's decision and check", async () => {
      const [row] = await run(
        `SELECT e.useridentity.sessioncontext.sessionissuer.arn AS role, e.requestparameters.bucketname AS bucket, e.requestparameters.key AS k,
           e.resources[1].arn AS object_arn, e."authorization".decision AS decision, e."authorization".principal AS principal,
           e."authorization".checks[1].keysha256 AS key_sha256, e."authorization".checks[1].result AS result, dt, hr
         FROM ${EVENTS} WHERE e.eventid = ?`,
        [ct(sample.patient).eventID],
      );
      assert.deepStrictEqual(row, {
        role: PRINCIPALS.intruder,
        bucket: PHI_BUCKET,
        k: PATIENT_KEY,
        object_arn: `arn:aws:s3:::${PHI_BUCKET}/${PATIENT_KEY}`,
        decision: "denied",
        principal: PRINCIPALS.intruder,
        key_sha256: sha256(PATIENT_KEY),
        result: "no-matching-grant",
        dt: "2026-03-04",
        hr: "10",
      });
    });

    it("takes dt and hr from the path, as partition projection does", async () => {
      const rows = await run(`SELECT DISTINCT dt, hr FROM ${TABLE} ORDER BY dt, hr`);
      const fromKeys = [...new Set(objects.map((o) => o.key.split("/").slice(1, 3).join("/")))].sort();
      assert.deepStrictEqual(
        rows.map((r) => `dt=${String(r.dt)}/hr=${String(r.hr)}`),
        fromKeys,
      );
    });

    it("translates the Glue types and the UNNEST alias to DuckDB's (the only engine-specific layer), names and nesting preserved", () => {
      const userIdentity = ARCHIVE_EVENT_FIELDS.find((c) => c.name === "userIdentity")!;
      assert.match(
        glueType(userIdentity.type),
        /^struct<type:string,principalid:string,arn:string,.*sessionissuer:struct<type:string,principalid:string,arn:string/,
      );
      assert.match(
        duckDbType(userIdentity.type),
        /^STRUCT\("type" VARCHAR, "principalId" VARCHAR, "arn" VARCHAR, .*"sessionIssuer" STRUCT\("type" VARCHAR/,
      );
      const resources = ARCHIVE_EVENT_FIELDS.find((c) => c.name === "resources")!;
      assert.strictEqual(glueType(resources.type), "array<struct<type:string,arn:string,accountid:string>>");
      assert.strictEqual(duckDbType(resources.type), 'STRUCT("type" VARCHAR, "ARN" VARCHAR, "accountId" VARCHAR)[]');
      const authorization = ARCHIVE_EVENT_FIELDS.find((c) => c.name === ANNOTATION_FIELD)!;
      assert.match(
        duckDbType(authorization.type),
        /"crossAccount" BOOLEAN, .*"checks" STRUCT\("bucket" VARCHAR, .*"keySha256" VARCHAR, .*"grant" STRUCT\("prefix" VARCHAR/,
      );
      assert.strictEqual(duckDbType(ARCHIVE_COLUMNS[0].type), "INTEGER");
      assert.strictEqual(duckDbGlob("/r"), "/r/events/dt=*/hr=*/*.gz");
      assert.strictEqual(duckDbSql(sql), sql.replace(EVENTS_UNNEST, DUCKDB_EVENTS_UNNEST));
      assert.notStrictEqual(duckDbSql(sql), sql);
      assert.throws(() => duckDbSql("SELECT 1"), /exactly once/);
    });
  });

  describe("accessHistoryQuery()", () => {
    const FROM = "2026-03-02T06:00:00.000Z";
    const TO = "2026-03-04T18:00:00.000Z";

    it("returns only the principal's events within [from, to), newest first, with the grant each access matched", async () => {
      const rows = await history(PRINCIPALS.alice, FROM, TO);
      const want = expected(PRINCIPALS.alice, FROM, TO);
      assert.ok(want.length >= 10, `${want.length} expected rows`);
      assert.deepStrictEqual(
        rows.map((r) => r.event_id),
        want,
      );
      for (const r of rows) {
        assert.strictEqual(r.identity_arn, PRINCIPALS.alice);
        assert.ok(String(r.event_time) >= "2026-03-02T06:00:00Z" && String(r.event_time) < "2026-03-04T18:00:00Z", String(r.event_time));
        assert.strictEqual(r.decision, "allowed");
        const [check] = r.access_checks as {
          result: string;
          keySha256: string;
          grant: { prefix: string; access: string; expiresAt: null };
        }[];
        assert.strictEqual(check.result, "granted");
        assert.strictEqual(check.keySha256, sha256(String(r.object_key)));
        const access = r.event_name === "GetObject" ? "read" : r.event_name === "PutObject" ? "write" : "delete";
        assert.deepStrictEqual(check.grant, { prefix: "intake/", access, expiresAt: null });
      }
      // Others were active in the same window: the filter did the work.
      assert.ok(expected(PRINCIPALS.processor, FROM, TO).length > 0);
    });

    it("finds an assumed-role session by its role (the session issuer), as the authorizer keys it", async () => {
      const rows = await history(PRINCIPALS.processor, FROM, TO);
      assert.deepStrictEqual(
        rows.map((r) => r.event_id),
        expected(PRINCIPALS.processor, FROM, TO),
      );
      assert.ok(rows.length > 0);
      for (const r of rows) {
        assert.strictEqual(r.session_issuer_arn, PRINCIPALS.processor);
        assert.match(String(r.identity_arn), /^arn:aws:sts::111122223333:assumed-role\/hcp-test-data-processor\//);
      }
    });

    it("returns each matching event of a record that holds several, and none of the record's other principals' events", async () => {
      const record = authorized.find((r) => r.source === sample.multi)!;
      assert.strictEqual(record.document.eventCount, 4);
      assert.strictEqual(record.document.decision, "denied", "the record's worst decision");
      const ids = (name: keyof typeof PRINCIPALS) => sample.multi.events.filter((e) => e.principal === name).map((e) => ct(e).eventID);
      const window = ["2026-03-02T13:00:00Z", "2026-03-02T15:00:00Z"] as const;
      const intruder = await history(PRINCIPALS.intruder, ...window);
      const fromRecord = intruder.filter((r) => ids("intruder").includes(String(r.event_id)));
      assert.deepStrictEqual(
        fromRecord.map((r) => r.event_id),
        [...ids("intruder")].reverse(),
        "both intruder events, newest first",
      );
      assert.deepStrictEqual(
        fromRecord.map((r) => [r.event_name, r.decision]),
        [
          ["DeleteObject", "denied"],
          ["GetObject", "denied"],
        ],
      );
      assert.deepStrictEqual(
        intruder.map((r) => r.event_id),
        expected(PRINCIPALS.intruder, ...window),
      );
      assert.ok(!intruder.some((r) => [...ids("alice"), ...ids("processor")].includes(String(r.event_id))));
      const processor = await history(PRINCIPALS.processor, ...window);
      const processorEvent = ids("processor")[0];
      assert.ok(
        processor.some((r) => r.event_id === processorEvent && r.decision === "allowed"),
        "the processor's event of the same record, allowed",
      );
      const alice = await history(PRINCIPALS.alice, ...window);
      assert.ok(alice.some((r) => r.event_id === ids("alice")[0]));
    });

    it("returns what an investigation needs: the denied read of a patient-identifier key, verbatim", async () => {
      const rows = await history(PRINCIPALS.intruder, "2026-03-04T10:00:00Z", "2026-03-04T11:00:00Z");
      const hit = rows.find((r) => r.object_key === PATIENT_KEY);
      assert.ok(hit, "the patient-identifier access is in the history");
      assert.deepStrictEqual(
        { name: hit.event_name, bucket: hit.bucket_name, decision: hit.decision, checks: hit.access_checks, source: hit.event_source },
        {
          name: "GetObject",
          bucket: PHI_BUCKET,
          decision: "denied",
          checks: [{ bucket: PHI_BUCKET, access: "read", keySha256: sha256(PATIENT_KEY), result: "no-matching-grant", grant: null }],
          source: "s3.amazonaws.com",
        },
      );
      assert.ok(!sql.includes("MRN") && !sql.includes(PRINCIPALS.intruder), "no event field is in the SQL text");
    });

    it("treats the window as [from, to): an event at `from` is in, one at `to` is out", async () => {
      const id = ct(sample.patient).eventID; // at 2026-03-04T10:15:00Z
      const ids = async (from: string, to: string) => (await history(PRINCIPALS.intruder, from, to)).map((r) => r.event_id);
      assert.ok((await ids("2026-03-04T10:15:00Z", "2026-03-04T10:16:00Z")).includes(id), "at from: in");
      assert.ok(!(await ids("2026-03-04T10:00:00Z", "2026-03-04T10:15:00Z")).includes(id), "at to: out");
    });

    it("finds events Firehose filed under the neighbouring day (late arrival, buffered with an older record)", async () => {
      const late = ct(sample.lateArrival);
      const early = ct(sample.earlyFiled);
      const lateRows = await history(PRINCIPALS.intruder, "2026-03-03T23:00:00Z", "2026-03-04T00:00:00Z");
      assert.ok(
        lateRows.some((r) => r.event_id === late.eventID),
        `${late.eventTime} filed under dt=2026-03-04`,
      );
      const earlyRows = await history(PRINCIPALS.intruder, "2026-03-05T00:00:00Z", "2026-03-05T01:00:00Z");
      assert.ok(
        earlyRows.some((r) => r.event_id === early.eventID),
        `${early.eventTime} filed under dt=2026-03-04`,
      );
    });

    it("scans only the partitions of the window (plus a day each side): the dt predicate prunes files", async () => {
      const values = accessHistoryParameters({
        principalArn: PRINCIPALS.alice,
        from: new Date("2026-03-03T06:00:00Z"),
        to: new Date("2026-03-03T18:00:00Z"),
      });
      assert.deepStrictEqual(values.slice(0, 2), ["2026-03-02", "2026-03-04"]);
      // The profile as JSON: the box rendering interleaves side-by-side operators.
      const [{ explain_value: profile }] = await run(`EXPLAIN (ANALYZE, FORMAT json) ${duckDbSql(sql)}`, values);
      type Operator = { operator_name?: string; extra_info?: Record<string, unknown>; children?: Operator[] };
      const operators = (o: Operator): Operator[] => [o, ...(o.children ?? []).flatMap(operators)];
      const scans = operators(JSON.parse(String(profile)) as Operator).filter((o) => o.extra_info?.["Scanning Files"] !== undefined);
      assert.strictEqual(scans.length, 1, `one scan of the archive: ${String(profile)}`);
      const scanned = /^(\d+)\/(\d+)$/.exec(String(scans[0].extra_info!["Scanning Files"]));
      assert.ok(scanned, String(profile));
      const inRange = objects.filter((o) => {
        const dt = o.key.split("/")[1].slice(3);
        return dt >= values[0] && dt <= values[1];
      }).length;
      assert.strictEqual(Number(scanned[1]), inRange, "files read = objects under the dt range");
      assert.strictEqual(Number(scanned[2]), objects.length, "of every object of the table");
      assert.ok(inRange < objects.length);
    });

    it("never opens an object outside the dt range (a corrupt one there does not fail the query)", async () => {
      const corrupt = path.join(root, "events/dt=2026-03-06/hr=12/hcp-test-security-events-1-2026-03-06-12-00-00-corrupt.gz");
      fs.writeFileSync(corrupt, "not gzip at all");
      try {
        const rows = await history(PRINCIPALS.alice, "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z");
        assert.deepStrictEqual(
          rows.map((r) => r.event_id),
          expected(PRINCIPALS.alice, "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z"),
        );
        await assert.rejects(
          history(PRINCIPALS.alice, "2026-03-05T00:00:00Z", "2026-03-06T00:00:00Z"),
          "a window reaching it does read it",
        );
      } finally {
        fs.rmSync(corrupt);
      }
    });

    it("gives the same rows with Athena's ExecutionParameters (quoted literals applied in order)", async () => {
      const values = accessHistoryParameters({
        principalArn: PRINCIPALS.intruder,
        from: new Date("2026-03-01T00:00:00Z"),
        to: new Date("2026-03-07T00:00:00Z"),
      });
      const bound = await run(duckDbSql(sql), values);
      const literal = await run(duckDbSql(substituteParameters(sql, athenaExecutionParameters(values))));
      assert.ok(bound.length > 20);
      assert.deepStrictEqual(literal, bound);
      assert.deepStrictEqual(athenaExecutionParameters(["a", "O'Brien"]), ["'a'", "'O''Brien'"]);
    });

    it("keeps to SQL both engines share: no function calls, one UNNEST, placeholders only in WHERE, a constant LIMIT", () => {
      assert.strictEqual(sql.split(EVENTS_UNNEST).length, 2, "one UNNEST of the records' events");
      assert.match(
        EVENTS_UNNEST,
        /^CROSS JOIN UNNEST\(r\.events\) AS e$/,
        "Trino: an array of ROW unnests into the row's fields, so no column list",
      );
      const rest = sql.replace(EVENTS_UNNEST, "");
      assert.doesNotMatch(rest, /[\w"]\(/, "no function calls: the other parentheses are the partition subquery and the principal test");
      assert.strictEqual((rest.match(/\(/g) ?? []).length, 2);
      assert.doesNotMatch(sql, /\[/, "no subscripts (Trino fails a query on an out-of-bounds one)");
      assert.deepStrictEqual(
        sql
          .split("\n")
          .filter((line) => line.includes("?"))
          .map((line) => line.trim()),
        [
          "WHERE dt >= ? AND dt <= ?",
          "WHERE e.eventtime >= ? AND e.eventtime < ?",
          "AND (e.useridentity.arn = ? OR e.useridentity.sessioncontext.sessionissuer.arn = ?)",
        ],
        "six placeholders, all in WHERE clauses",
      );
      assert.strictEqual((sql.match(/\?/g) ?? []).length, 6);
      const partitionFirst = /\nFROM \(\n  SELECT events FROM "[a-z_]+"\."s3_data_events"\n  WHERE dt >= \? AND dt <= \?\n\) AS r\n/;
      assert.match(sql, partitionFirst, "the partition range comes first, on the table itself");
      assert.match(sql, /\nORDER BY e\.eventtime DESC, e\.eventid DESC\nLIMIT 1000$/);
      assert.match(accessHistoryQuery(DATABASE, { maxRows: 50 }), /\nLIMIT 50$/);
      assert.throws(() => accessHistoryQuery(DATABASE, { maxRows: 0 }), /maxRows/);
      assert.throws(() => accessHistoryQuery('x"; DROP TABLE y; --'), /identifier/);
    });

    it("refuses a principal that is not an IAM/STS ARN and an empty or inverted window", () => {
      const from = new Date("2026-03-02T00:00:00Z");
      const to = new Date("2026-03-03T00:00:00Z");
      assert.throws(
        () => accessHistoryParameters({ principalArn: "arn:aws:iam::111122223333:role/x' OR '1'='1", from, to }),
        /principalArn/,
      );
      assert.throws(() => accessHistoryParameters({ principalArn: "*", from, to }), /principalArn/);
      assert.throws(() => accessHistoryParameters({ principalArn: PRINCIPALS.alice, from: to, to: from }), /from < to/);
      assert.throws(() => accessHistoryParameters({ principalArn: PRINCIPALS.alice, from, to: from }), /from < to/);
      assert.deepStrictEqual(accessHistoryParameters({ principalArn: PRINCIPALS.alice, from, to: new Date("2026-03-02T10:30:00.250Z") }), [
        "2026-03-01",
        "2026-03-03",
        "2026-03-02T00:00:00Z",
        "2026-03-02T10:30:00Z",
        PRINCIPALS.alice,
        PRINCIPALS.alice,
      ]);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The projection and the layout, as data.

describe("archive table definition (data)", () => {
  it("projects dt (date, start..NOW, yyyy-MM-dd) and hr (integer 00-23) with the Firehose prefix as the location template", () => {
    const p = archiveTableParameters("archive-bucket", "2026-01-15");
    assert.deepStrictEqual(Object.fromEntries(Object.entries(p).filter(([k]) => k.startsWith("projection."))), {
      "projection.enabled": "true",
      "projection.dt.type": "date",
      "projection.dt.format": "yyyy-MM-dd",
      "projection.dt.range": "2026-01-15,NOW",
      "projection.dt.interval": "1",
      "projection.dt.interval.unit": "DAYS",
      "projection.hr.type": "integer",
      "projection.hr.range": "0,23",
      "projection.hr.digits": "2",
    });
    assert.strictEqual(p["storage.location.template"], "s3://archive-bucket/events/dt=${dt}/hr=${hr}/");
  });

  it("the template resolves to the exact prefix Firehose writes, for every hour of a day", () => {
    for (let h = 0; h < 24; h++) {
      const arrival = new Date(Date.UTC(2026, 2, 9, h, 41, 7));
      const hr = String(h).padStart(2, "0");
      const projected = archiveTableParameters("b", "2026-01-01")
        ["storage.location.template"].replace("${dt}", "2026-03-09")
        .replace("${hr}", hr);
      assert.strictEqual(projected, `s3://b/${evaluateFirehosePrefix(ARCHIVE_EVENTS_PREFIX, arrival)}`);
    }
  });

  it("keeps error records out of the table's location", () => {
    assert.strictEqual(tableLocation("b"), "s3://b/events/");
    assert.ok(!`s3://b/${evaluateFirehosePrefix(ARCHIVE_ERROR_PREFIX, new Date())}`.startsWith(tableLocation("b")));
    assert.throws(() => locationTemplateFromFirehosePrefix("b", "events/!{partitionKeyFromQuery:customer}/"), /partitionKeyFromQuery/);
  });

  it("models the authorizer's output document: the wrapper's columns, events an array of the CloudTrail fields and the annotation", () => {
    assert.deepStrictEqual(
      glueColumns().map((c) => `${c.name}:${c.type.startsWith("array<") ? "array" : c.type}`),
      ["authorizerversion:int", "decision:string", "eventcount:int", "events:array"],
    );
    assert.strictEqual(ARCHIVE_OUTPUT_VERSION, OUTPUT_VERSION);
    assert.strictEqual(archiveTableParameters("b", "2026-01-15")["authorizer.output.version"], String(OUTPUT_VERSION));
    const eventNames = ARCHIVE_EVENT_FIELDS.map((f) => f.name.toLowerCase());
    for (const needed of [
      "eventtime",
      "eventname",
      "eventsource",
      "eventid",
      "awsregion",
      "sourceipaddress",
      "useridentity",
      "requestparameters",
      "resources",
      "authorization",
    ]) {
      assert.ok(eventNames.includes(needed), needed);
    }
    assert.strictEqual(new Set(eventNames).size, eventNames.length);
    const events = glueColumns().find((c) => c.name === "events")!.type;
    assert.ok(/^array<struct<[a-z0-9_:,<>]+>>$/.test(events), events);
    assert.ok(events.includes(",requestparameters:struct<bucketname:string,key:string>,"));
    assert.ok(
      events.endsWith(
        ",authorization:struct<decision:string,principal:string,principaltype:string,crossaccount:boolean,invokedby:string,incident:string," +
          "checks:array<struct<bucket:string,access:string,keysha256:string,result:string,grant:struct<prefix:string,access:string,expiresat:string>>>>>>",
      ),
      events,
    );
    const decision = (
      ARCHIVE_EVENT_FIELDS.find((f) => f.name === ANNOTATION_FIELD)!.type as unknown as { struct: { name: string; comment?: string }[] }
    ).struct[0];
    assert.strictEqual(decision.comment, DECISIONS.join(" | "));
  });
});

// ---------------------------------------------------------------------------------------------
// The component under the mock cloud.

const KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;
const ARCHIVE = `hcp-test-security-archive-${ACCOUNT_ID}-${REGION}`;
const T = {
  table: "aws:glue/catalogTable:CatalogTable",
  database: "aws:glue/catalogDatabase:CatalogDatabase",
  workgroup: "aws:athena/workgroup:Workgroup",
  bucket: "aws:s3/bucket:Bucket",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
} as const;

async function build(env: "dev" | "prod", extra: Partial<import("../../components/security-events/archive-query").ArchiveQueryArgs> = {}) {
  cloud.reset();
  const component = new ArchiveQuery("archive-query", {
    config: testConfig(env),
    archiveBucketName: ARCHIVE,
    archiveBucketArn: `arn:aws:s3:::${ARCHIVE}`,
    pipelineKeyArn: KEY,
    projectionStartDate: "2026-01-15",
    ...extra,
  });
  await cloud.settle();
  return component;
}

for (const env of ["dev", "prod"] as const) {
  describe(`ArchiveQuery component (${env})`, () => {
    before(() => build(env));

    it("defines the table over the archive with the OpenX JSON SerDe, gzip text, and projection equal to the Firehose prefix", () => {
      const t = cloud.one(T.table).inputs as {
        name: string;
        databaseName: string;
        tableType: string;
        parameters: Record<string, string>;
        partitionKeys: { name: string; type: string }[];
        storageDescriptor: {
          location: string;
          inputFormat: string;
          serDeInfo: { serializationLibrary: string; parameters: Record<string, string> };
          columns: unknown[];
        };
      };
      assert.strictEqual(t.name, ARCHIVE_TABLE_NAME);
      assert.strictEqual(t.databaseName, `hcp_${env}_security_events`);
      assert.strictEqual(t.tableType, "EXTERNAL_TABLE");
      assert.strictEqual(t.storageDescriptor.serDeInfo.serializationLibrary, JSON_SERDE);
      assert.strictEqual(t.storageDescriptor.serDeInfo.parameters["ignore.malformed.json"], "false");
      assert.strictEqual(t.storageDescriptor.inputFormat, "org.apache.hadoop.mapred.TextInputFormat");
      assert.strictEqual(t.storageDescriptor.location, `s3://${ARCHIVE}/events/`);
      assert.deepStrictEqual(t.storageDescriptor.columns, glueColumns());
      assert.deepStrictEqual(
        t.partitionKeys.map((k) => `${k.name}:${k.type}`),
        ["dt:string", "hr:string"],
      );
      assert.strictEqual(t.parameters["projection.enabled"], "true");
      assert.strictEqual(t.parameters["projection.dt.range"], "2026-01-15,NOW");
      const arrival = new Date("2026-02-03T07:12:00Z");
      assert.strictEqual(
        t.parameters["storage.location.template"].replace("${dt}", "2026-02-03").replace("${hr}", "07"),
        `s3://${ARCHIVE}/${evaluateFirehosePrefix(ARCHIVE_EVENTS_PREFIX, arrival)}`,
      );
    });

    it("enforces the workgroup: KMS-encrypted results in the results bucket, metrics, a scan cutoff, engine pinned", () => {
      const w = cloud.one(T.workgroup).inputs as {
        name: string;
        state: string;
        configuration: {
          enforceWorkgroupConfiguration: boolean;
          publishCloudwatchMetricsEnabled: boolean;
          bytesScannedCutoffPerQuery: number;
          engineVersion: { selectedEngineVersion: string };
          resultConfiguration: {
            outputLocation: string;
            expectedBucketOwner: string;
            encryptionConfiguration: { encryptionOption: string; kmsKeyArn: string };
          };
        };
      };
      assert.strictEqual(w.name, `hcp-${env}-security-events`);
      assert.strictEqual(w.state, "ENABLED");
      assert.strictEqual(w.configuration.enforceWorkgroupConfiguration, true);
      assert.strictEqual(w.configuration.publishCloudwatchMetricsEnabled, true);
      assert.strictEqual(w.configuration.bytesScannedCutoffPerQuery, DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY);
      assert.strictEqual(w.configuration.engineVersion.selectedEngineVersion, "Athena engine version 3");
      assert.deepStrictEqual(w.configuration.resultConfiguration, {
        // Beside the events in the archive (PHI like them), outside the table's events/ location.
        outputLocation: `s3://${ARCHIVE}/results/`,
        expectedBucketOwner: ACCOUNT_ID,
        encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: KEY },
      });
    });

    it("creates no bucket of its own: results are PHI like the archive and share its controls", () => {
      assert.deepStrictEqual(cloud.ofType(T.bucket), []);
    });

    it(`${env === "prod" ? "protects and retains" : "leaves destroyable"} the database and workgroup`, () => {
      const protectData = env === "prod";
      for (const type of [T.database, T.workgroup]) {
        const r = cloud.one(type);
        assert.strictEqual(r.protect, protectData, `${type} protect`);
        assert.strictEqual(r.retainOnDelete, protectData, `${type} retainOnDelete`);
      }
      assert.strictEqual(cloud.one(T.workgroup).inputs.forceDestroy, !protectData);
    });

    it("parents every child to the component", () => {
      const component = cloud.one("healthcare:security-events:ArchiveQuery");
      for (const type of [T.table, T.database, T.workgroup]) assert.strictEqual(cloud.one(type).parent, component.urn, type);
    });
  });
}

describe("ArchiveQuery args", () => {
  it("takes the cutoff from the args", async () => {
    await build("dev", { bytesScannedCutoffPerQuery: 2 * 1024 ** 3 });
    assert.strictEqual(
      (cloud.one(T.workgroup).inputs.configuration as { bytesScannedCutoffPerQuery: number }).bytesScannedCutoffPerQuery,
      2 * 1024 ** 3,
    );
  });

  it("names every bad arg and the fix", () => {
    const problems = archiveQueryArgProblems({
      projectionStartDate: "2026-02-30",
      bytesScannedCutoffPerQuery: 1024,
      pipelineKeyArn: "alias/hcp-test-pipeline",
    });
    assert.strictEqual(problems.length, 3, problems.join("\n"));
    assert.match(problems[0], /projectionStartDate must be a day as yyyy-MM-dd/);
    assert.match(problems[1], /bytesScannedCutoffPerQuery .* at least 10485760/);
    assert.match(problems[2], /pipelineKeyArn must be a KMS key ARN/);
    assert.deepStrictEqual(archiveQueryArgProblems({ projectionStartDate: "2026-01-15", pipelineKeyArn: KEY }), []);
  });

  it("refuses bad args before anything registers", async () => {
    cloud.reset();
    assert.throws(
      () =>
        new ArchiveQuery("bad", {
          config: testConfig("dev"),
          archiveBucketName: ARCHIVE,
          archiveBucketArn: `arn:aws:s3:::${ARCHIVE}`,
          pipelineKeyArn: KEY,
          projectionStartDate: "15/01/2026",
        }),
      /ArchiveQuery bad: projectionStartDate/,
    );
    await cloud.settle();
    assert.deepStrictEqual(cloud.resources, []);
  });
});
