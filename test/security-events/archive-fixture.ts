/**
 * A sample security-event archive in Firehose's exact layout, holding what the authorizer's own handler
 * returns for the sample's records, and the tiny translation of the Glue table (and of the query's
 * UNNEST alias) into DuckDB that lets the archive-query spec run the production SQL on a real engine.
 *
 * Firehose's layout, as documented:
 * - objects are `<evaluated prefix><stream>-<version>-<yyyy>-<MM>-<dd>-<HH>-<mm>-<ss>-<uuid><ext>`
 *   (https://docs.aws.amazon.com/firehose/latest/dev/s3-object-name.html), `.gz` for GZIP;
 * - `!{timestamp:...}` evaluates in UTC at the approximate arrival time of the OLDEST record in the
 *   object; `!{firehose:error-output-type}` names the error kind
 *   (https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html);
 * - records are concatenated as the processor returned them: the authorizer returns one output
 *   document per record (several CloudTrail events in `events`), newline-terminated, so an object is
 *   JSON lines of documents.
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { BatchGetCommand, type BatchGetCommandOutput, PutCommand } from "@aws-sdk/lib-dynamodb";
import {
  ARCHIVE_COLUMNS,
  ARCHIVE_ERROR_PREFIX,
  ARCHIVE_EVENTS_PREFIX,
  ARCHIVE_PARTITION_KEYS,
  ARCHIVE_TABLE_NAME,
  ArchiveType,
  EVENTS_UNNEST,
  cloudTrailTime,
  locationTemplateFromFirehosePrefix,
} from "../../components/security-events/archive-query";
import {
  AUTHORIZER_ENV,
  GRANTS_ATTRIBUTE,
  GRANTS_TABLE_KEY_SCHEMA,
  OUTPUT_VERSION,
  type Grant,
  type OutputDocument,
} from "../../lambda/authorizer/contract";
import { createHandler, type HandlerDependencies } from "../../lambda/authorizer/index";
import { record } from "../../tools/local-aws/cloudtrail-events";

// ---------------------------------------------------------------------------------------------
// Firehose, emulated for the layout.

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** Evaluates a Firehose prefix at `arrival` (UTC). Supports the pattern letters yyyy, MM, dd, HH, mm, ss. */
export function evaluateFirehosePrefix(prefix: string, arrival: Date, errorOutputType = "processing-failed"): string {
  return prefix.replace(/!\{([a-zA-Z]+):([^}]*)\}/g, (_all, namespace: string, value: string) => {
    if (namespace === "firehose" && value === "error-output-type") return errorOutputType;
    if (namespace !== "timestamp") throw new Error(`unsupported Firehose expression !{${namespace}:${value}}`);
    return value.replace(/yyyy|MM|dd|HH|mm|ss/g, (token) => {
      switch (token) {
        case "yyyy":
          return pad(arrival.getUTCFullYear(), 4);
        case "MM":
          return pad(arrival.getUTCMonth() + 1);
        case "dd":
          return pad(arrival.getUTCDate());
        case "HH":
          return pad(arrival.getUTCHours());
        case "mm":
          return pad(arrival.getUTCMinutes());
        default:
          return pad(arrival.getUTCSeconds());
      }
    });
  });
}

/** The key Firehose gives an object whose oldest record arrived at `arrival`. */
export function firehoseObjectKey(prefix: string, stream: string, arrival: Date, uuid: string, errorOutputType?: string): string {
  const t = arrival;
  const time = [
    pad(t.getUTCFullYear(), 4),
    pad(t.getUTCMonth() + 1),
    pad(t.getUTCDate()),
    pad(t.getUTCHours()),
    pad(t.getUTCMinutes()),
    pad(t.getUTCSeconds()),
  ];
  const suffix = `${stream}-1-${time.join("-")}-${uuid}.gz`;
  return `${evaluateFirehosePrefix(prefix, arrival, errorOutputType)}${suffix}`;
}

// ---------------------------------------------------------------------------------------------
// Sample events.

export const ACCOUNT = "111122223333";
export const PHI_BUCKET = `hcp-test-phi-data-${ACCOUNT}-us-east-1`;
export const STREAM = "hcp-test-security-events";

/** Principals of the sample, as the authorizer keys them (an assumed role is its role). */
export const PRINCIPALS = {
  alice: `arn:aws:iam::${ACCOUNT}:user/alice`,
  processor: `arn:aws:iam::${ACCOUNT}:role/hcp-test-data-processor`,
  intruder: `arn:aws:iam::${ACCOUNT}:role/contractor-readonly`,
  partner: "arn:aws:iam::444455556666:role/partner-etl",
} as const;
export type PrincipalName = keyof typeof PRINCIPALS;

/**
 * The grants table of the sample, per principal on the PHI bucket (`null`: no item). Alice may do
 * anything under intake/, the processor read and write there (a delete is denied), the intruder only
 * read reports/ (every sample access is denied), the partner has no item (unknown-principal).
 */
export const SAMPLE_GRANTS: Readonly<Record<PrincipalName, readonly Grant[] | null>> = {
  alice: [
    { prefix: "intake/", access: "read" },
    { prefix: "intake/", access: "write" },
    { prefix: "intake/", access: "delete" },
  ],
  processor: [
    { prefix: "intake/", access: "read" },
    { prefix: "intake/", access: "write" },
  ],
  intruder: [{ prefix: "reports/", access: "read" }],
  partner: null,
};

/** A sample event: the CloudTrail event as CloudTrail writes it (not yet annotated) and who made it. */
export interface SampleEvent {
  readonly cloudTrail: Record<string, unknown>;
  readonly principal: PrincipalName;
}

/** A Firehose record: the CloudTrail events one CloudWatch Logs subscription batch carried, and when it reached Firehose. */
export interface SampleRecord {
  readonly events: readonly SampleEvent[];
  readonly arrival: Date;
}

/** A key that looks like a patient identifier (an MRN and a surname with a quote). */
export const PATIENT_KEY = "intake/patients/MRN-004271/O'Brien-lab-results.json";

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A CloudTrail S3 data event, shaped as CloudTrail documents it (the authorizer annotates it). */
export function s3DataEvent(principal: PrincipalName, eventTime: Date, n: number, key: string, eventName = "GetObject"): SampleEvent {
  const arn = PRINCIPALS[principal];
  const account = arn.split(":")[4];
  const role = arn.includes(":role/") ? arn.split(":role/")[1] : undefined;
  const userIdentity: Record<string, unknown> =
    role === undefined
      ? {
          type: "IAMUser",
          principalId: "AIDAEXAMPLEALICE0001",
          arn,
          accountId: account,
          accessKeyId: "AKIAEXAMPLE000000001",
          userName: "alice",
        }
      : {
          type: "AssumedRole",
          principalId: `AROAEXAMPLE${pad(n % 100)}:session-${n}`,
          arn: `arn:aws:sts::${account}:assumed-role/${role}/session-${n % 7}`,
          accountId: account,
          accessKeyId: `ASIAEXAMPLE${pad(n % 1000, 9)}`,
          sessionContext: {
            attributes: { creationDate: cloudTrailTime(new Date(eventTime.getTime() - 600_000)), mfaAuthenticated: "false" },
            sessionIssuer: { type: "Role", principalId: "AROAEXAMPLEROLE00001", arn, accountId: account, userName: role },
          },
        };
  const cloudTrail = {
    eventVersion: "1.10",
    userIdentity,
    eventTime: cloudTrailTime(eventTime),
    eventSource: "s3.amazonaws.com",
    eventName,
    awsRegion: "us-east-1",
    sourceIPAddress: `198.51.100.${(n % 200) + 1}`,
    userAgent: "[aws-sdk-js/3.600.0]",
    requestParameters: { bucketName: PHI_BUCKET, Host: `${PHI_BUCKET}.s3.us-east-1.amazonaws.com`, key },
    responseElements: null,
    additionalEventData: { SignatureVersion: "SigV4", bytesTransferredOut: 512 },
    requestID: `REQ${pad(n, 8)}`,
    eventID: `00000000-0000-4000-8000-${pad(n, 12)}`,
    readOnly: eventName === "GetObject",
    resources: [
      { type: "AWS::S3::Object", ARN: `arn:aws:s3:::${PHI_BUCKET}/${key}` },
      { accountId: ACCOUNT, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${PHI_BUCKET}` },
    ],
    eventType: "AwsApiCall",
    managementEvent: false,
    recipientAccountId: ACCOUNT,
    vpcEndpointId: "vpce-0a1b2c3d4e5f60718",
    eventCategory: "Data",
  };
  return { cloudTrail, principal };
}

/** First day of the sample (UTC). */
export const SAMPLE_START = new Date("2026-03-01T00:00:00Z");
export const SAMPLE_DAYS = 6;

/** The sample: its events, the Firehose records carrying them, and the edge cases. */
export interface Sample {
  readonly events: SampleEvent[];
  readonly records: SampleRecord[];
  /** The intruder reads at 23:58:30 on day 3; its record reaches Firehose after midnight: filed under day 4. */
  readonly lateArrival: SampleEvent;
  /** The intruder reads at 00:00:20 on day 5; its record is buffered with one that arrived at 23:59:50 on day 4: filed under day 4. */
  readonly earlyFiled: SampleEvent;
  /** The intruder reads the patient-identifier key on day 4. */
  readonly patient: SampleEvent;
  /** One record carrying several events of several principals (day 2, 14:00), two of them the intruder's. */
  readonly multi: SampleRecord;
}

/**
 * A few hundred events over six days from four principals, batched into Firehose records of one to
 * five events as a CloudWatch Logs subscription delivers them (consecutive events, the record arriving
 * 30 s to 5 min after its last event), plus the edge cases of {@link Sample}.
 */
export function sampleArchive(count = 360): Sample {
  const rnd = random(20260301);
  const names = Object.keys(PRINCIPALS) as PrincipalName[];
  const timed: { event: SampleEvent; at: number }[] = [];
  const span = SAMPLE_DAYS * 86_400_000;
  for (let n = 0; n < count; n++) {
    const principal = names[Math.floor(rnd() * names.length)];
    // Whole seconds, as CloudTrail records them.
    const at = SAMPLE_START.getTime() + Math.floor((rnd() * (span - 2 * 3_600_000) + 1_800_000) / 1000) * 1000;
    const key = `intake/batch-${pad(n % 40, 3)}/record-${n}.json`;
    const eventName = rnd() < 0.8 ? "GetObject" : rnd() < 0.5 ? "PutObject" : "DeleteObject";
    timed.push({ event: s3DataEvent(principal, new Date(at), n, key, eventName), at });
  }
  timed.sort((a, b) => a.at - b.at);
  const records: SampleRecord[] = [];
  for (let i = 0; i < timed.length;) {
    const batch = timed.slice(i, i + 1 + Math.floor(rnd() * 5));
    i += batch.length;
    records.push({
      events: batch.map((t) => t.event),
      arrival: new Date(batch[batch.length - 1].at + 30_000 + Math.floor(rnd() * 270) * 1000),
    });
  }

  const day = (d: number, time: string): Date => new Date(`2026-03-0${d}T${time}Z`);
  const lateArrival = s3DataEvent("intruder", day(3, "23:58:30"), 9001, "intake/late.json");
  const bufferedOlder = s3DataEvent("alice", day(4, "23:59:20"), 9002, "intake/older.json");
  const earlyFiled = s3DataEvent("intruder", day(5, "00:00:20"), 9003, "intake/early.json");
  const patient = s3DataEvent("intruder", day(4, "10:15:00"), 9004, PATIENT_KEY);
  const multi: SampleRecord = {
    events: [
      s3DataEvent("intruder", day(2, "14:00:00"), 9101, "intake/batch-900/a.json"),
      s3DataEvent("processor", day(2, "14:00:05"), 9102, "intake/batch-900/b.json", "PutObject"),
      s3DataEvent("intruder", day(2, "14:00:10"), 9103, "intake/batch-900/c.json", "DeleteObject"),
      s3DataEvent("alice", day(2, "14:00:20"), 9104, "intake/batch-900/d.json"),
    ],
    arrival: day(2, "14:01:30"),
  };
  records.push(
    { events: [lateArrival], arrival: day(4, "00:02:10") },
    { events: [bufferedOlder], arrival: day(4, "23:59:50") },
    { events: [earlyFiled], arrival: day(5, "00:00:40") },
    { events: [patient], arrival: day(4, "10:16:05") },
    multi,
  );
  const events = records.flatMap((r) => r.events);
  return { events, records, lateArrival, earlyFiled, patient, multi };
}

// ---------------------------------------------------------------------------------------------
// The authorizer, run for real on the sample.

/** A record as the authorizer returned it: the exact line it wrote (newline-terminated) and that line parsed. */
export interface AuthorizedRecord {
  readonly source: SampleRecord;
  readonly line: string;
  readonly document: OutputDocument;
}

const GRANTS_TABLE = "archive-sample-grants";
const THROTTLE_TABLE = "archive-sample-throttle";

/**
 * Runs the authorizer's handler (lambda/authorizer/index.ts `createHandler`) on the records, as one
 * Firehose transformation request, with in-memory AWS: the grants table holds {@link SAMPLE_GRANTS},
 * the throttle table honours the handler's condition, Step Functions accepts every start. The
 * authorizer exports no pure builder of its output document, so the handler itself writes them: the
 * archive holds exactly what it returns.
 */
export async function authorize(records: readonly SampleRecord[]): Promise<AuthorizedRecord[]> {
  const pk = GRANTS_TABLE_KEY_SCHEMA.partitionKey.name;
  const sk = GRANTS_TABLE_KEY_SCHEMA.sortKey.name;
  const items = new Map<string, Record<string, unknown>>();
  for (const name of Object.keys(PRINCIPALS) as PrincipalName[]) {
    const grants = SAMPLE_GRANTS[name];
    if (grants === null) continue;
    items.set(`${PRINCIPALS[name]}\u0000${PHI_BUCKET}`, { [pk]: PRINCIPALS[name], [sk]: PHI_BUCKET, [GRANTS_ATTRIBUTE]: grants });
  }
  const now = SAMPLE_START.getTime() + (SAMPLE_DAYS + 1) * 86_400_000;
  const throttle = new Map<string, { expiresAt: number; eventId: string }>();
  const grantsClient = {
    send: (command: BatchGetCommand): Promise<BatchGetCommandOutput> => {
      const keys = (command.input.RequestItems?.[GRANTS_TABLE]?.Keys ?? []) as Record<string, string>[];
      const found = keys.map((k) => items.get(`${k[pk]}\u0000${k[sk]}`)).filter((i): i is Record<string, unknown> => i !== undefined);
      return Promise.resolve({ $metadata: {}, Responses: { [GRANTS_TABLE]: found } });
    },
  };
  const dynamodb = {
    send: (command: unknown): Promise<unknown> => {
      if (!(command instanceof PutCommand) || command.input.TableName !== THROTTLE_TABLE)
        return Promise.reject(new Error("unexpected DynamoDB call"));
      const item = command.input.Item as { principal: string; expiresAt: number; eventId: string };
      const held = throttle.get(item.principal);
      if (held && held.expiresAt >= Math.floor(now / 1000) && held.eventId !== item.eventId) {
        return Promise.reject(Object.assign(new Error("The conditional request failed"), { name: "ConditionalCheckFailedException" }));
      }
      throttle.set(item.principal, { expiresAt: item.expiresAt, eventId: item.eventId });
      return Promise.resolve({});
    },
  };
  const sfn = {
    send: () =>
      Promise.resolve({ executionArn: "arn:aws:states:us-east-1:111122223333:execution:phi-incident:x", startDate: new Date(now) }),
  };
  const sqs = { send: () => Promise.resolve({}) };
  const handler = createHandler({
    dynamodb: dynamodb as unknown as HandlerDependencies["dynamodb"],
    sfn,
    sqs,
    grantsClient,
    environment: {
      [AUTHORIZER_ENV.grantsTableName]: GRANTS_TABLE,
      [AUTHORIZER_ENV.throttleTableName]: THROTTLE_TABLE,
      [AUTHORIZER_ENV.incidentStateMachineArn]: "arn:aws:states:us-east-1:111122223333:stateMachine:phi-incident",
      [AUTHORIZER_ENV.incidentDlqUrl]: "https://sqs.us-east-1.amazonaws.com/111122223333/phi-incident-dlq",
    },
    log: () => undefined,
    now: () => now,
  });
  const request = {
    invocationId: "00000000-0000-4000-8000-00000000a11c",
    deliveryStreamArn: `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/${STREAM}`,
    region: "us-east-1",
    records: records.map((r, i) => ({
      recordId: `record-${pad(i, 6)}`,
      approximateArrivalTimestamp: r.arrival.getTime(),
      // As the CloudWatch Logs subscription sends it (no processor before the authorizer): a gzip-compressed
      // DATA_MESSAGE whose log events' messages are the CloudTrail events.
      data: record(r.events.map((e) => e.cloudTrail)).data,
    })),
  };
  const response = await handler(request);
  return response.records.map((out, i) => {
    if (out.recordId !== request.records[i].recordId || out.result !== "Ok") throw new Error(`record ${i}: ${out.recordId} ${out.result}`);
    const line = Buffer.from(out.data, "base64").toString("utf8");
    return { source: records[i], line, document: JSON.parse(line) as OutputDocument };
  });
}

/** One delivered object: its key (relative to the bucket) and its records, in order. */
export interface ArchiveObject {
  readonly key: string;
  readonly records: readonly AuthorizedRecord[];
}

/**
 * Groups records into objects as Firehose buffers them (in arrival order, a new object when the
 * buffer interval since the object's oldest record has passed) and names each after its oldest record.
 */
export function bufferIntoObjects(records: readonly AuthorizedRecord[], bufferIntervalSeconds = 300): ArchiveObject[] {
  const sorted = [...records].sort((a, b) => a.source.arrival.getTime() - b.source.arrival.getTime());
  const objects: ArchiveObject[] = [];
  let current: AuthorizedRecord[] = [];
  const flush = (): void => {
    if (current.length === 0) return;
    const uuid = `0f1e2d3c-4b5a-4697-8877-${pad(objects.length, 12)}`;
    objects.push({ key: firehoseObjectKey(ARCHIVE_EVENTS_PREFIX, STREAM, current[0].source.arrival, uuid), records: current });
    current = [];
  };
  for (const r of sorted) {
    if (current.length > 0 && r.source.arrival.getTime() - current[0].source.arrival.getTime() >= bufferIntervalSeconds * 1000) flush();
    current.push(r);
  }
  flush();
  return objects;
}

/** Writes the objects under `root` (the bucket): the authorizer's lines, concatenated, gzip; plus one error object as Firehose writes it. */
export function writeArchive(root: string, objects: readonly ArchiveObject[]): void {
  fs.rmSync(root, { recursive: true, force: true });
  for (const o of objects) {
    const file = path.join(root, o.key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, zlib.gzipSync(o.records.map((r) => r.line).join("")));
  }
  // A record the authorizer marked ProcessingFailed, in Firehose's error-record shape
  // (https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html), with the wrapper's
  // fields added so that it would surface as a bogus document and event if the table reached the
  // error prefix.
  const failedAt = new Date("2026-03-03T12:00:00Z");
  const errorKey = firehoseObjectKey(ARCHIVE_ERROR_PREFIX, STREAM, failedAt, "e0e0e0e0-0000-4000-8000-000000000001", "processing-failed");
  const errorRecord = {
    attemptsMade: 1,
    arrivalTimestamp: failedAt.getTime(),
    errorCode: "Lambda.FunctionError",
    errorMessage: "unparseable record",
    attemptEndingTimestamp: failedAt.getTime() + 1000,
    rawData: Buffer.from("{not json").toString("base64"),
    lambdaArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:hcp-test-authorizer:$LATEST`,
    authorizerVersion: OUTPUT_VERSION,
    decision: "denied",
    eventCount: 1,
    events: [{ eventTime: cloudTrailTime(failedAt), eventID: "error-record", userIdentity: { arn: PRINCIPALS.intruder } }],
  };
  const file = path.join(root, errorKey);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, zlib.gzipSync(`${JSON.stringify(errorRecord)}\n`));
}

// ---------------------------------------------------------------------------------------------
// The Glue table, translated for DuckDB (the only engine-specific part of the test).

/**
 * DuckDB's spelling of a column type. Field names keep CloudTrail's case: DuckDB matches JSON keys
 * case-sensitively, where the OpenX SerDe (case.insensitive) matches Glue's lowercase names to them;
 * SQL identifiers are case-insensitive in both engines, so the query text is the same.
 */
export function duckDbType(type: ArchiveType): string {
  if (type === "string") return "VARCHAR";
  if (type === "int") return "INTEGER";
  if (type === "boolean") return "BOOLEAN";
  if ("array" in type) return `${duckDbType(type.array)}[]`;
  return `STRUCT(${type.struct.map((f) => `"${f.name}" ${duckDbType(f.type)}`).join(", ")})`;
}

/** The files the table's projection reaches under a local copy of the bucket: each `${key}` a glob. */
export function duckDbGlob(root: string): string {
  const template = locationTemplateFromFirehosePrefix("bucket", ARCHIVE_EVENTS_PREFIX).replace(/^s3:\/\/bucket\//, "");
  return `${path.join(root, template.replace(/\$\{[a-z]+\}/g, "*"))}*.gz`;
}

const sqlString = (v: string): string => `'${v.replace(/'/g, "''")}'`;

/** DDL making `"<database>"."<table>"` in DuckDB read the archive as the Glue table reads it in Athena. */
export function duckDbTableDdl(root: string, database: string): string[] {
  const columns = ARCHIVE_COLUMNS.map((c) => `${sqlString(c.name)}: ${sqlString(duckDbType(c.type))}`).join(", ");
  const hiveTypes = ARCHIVE_PARTITION_KEYS.map((k) => `${sqlString(k.name)}: ${sqlString(duckDbType(k.type))}`).join(", ");
  return [
    `CREATE SCHEMA "${database}"`,
    `CREATE VIEW "${database}"."${ARCHIVE_TABLE_NAME}" AS SELECT * FROM read_json(${sqlString(duckDbGlob(root))}, ` +
      `format = 'newline_delimited', compression = 'gzip', hive_partitioning = true, ` +
      `hive_types = {${hiveTypes}}, columns = {${columns}})`,
  ];
}

/** DuckDB's spelling of {@link EVENTS_UNNEST}: the element as one struct column `e` (Trino expands it into the row's fields). */
export const DUCKDB_EVENTS_UNNEST = "CROSS JOIN UNNEST(r.events) AS t(e)";

/** The query in DuckDB's dialect: {@link EVENTS_UNNEST} spelled {@link DUCKDB_EVENTS_UNNEST}, nothing else changed. */
export function duckDbSql(sql: string): string {
  const parts = sql.split(EVENTS_UNNEST);
  if (parts.length !== 2) throw new Error(`the SQL must hold ${JSON.stringify(EVENTS_UNNEST)} exactly once, found ${parts.length - 1}`);
  return parts.join(DUCKDB_EVENTS_UNNEST);
}

/**
 * Substitutes `?` placeholders with literals, in order, as Athena applies `ExecutionParameters`. Only
 * valid for SQL whose `?` are all placeholders (the query has no string literals).
 */
export function substituteParameters(sql: string, literals: readonly string[]): string {
  const count = (sql.match(/\?/g) ?? []).length;
  if (count !== literals.length) throw new Error(`the SQL has ${count} placeholders, got ${literals.length} values`);
  let i = 0;
  return sql.replace(/\?/g, () => literals[i++]);
}
