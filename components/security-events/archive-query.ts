/**
 * The archive query layer of the security-event pipeline (ARCHITECTURE.md section 4, issue 9 item 6):
 * a Glue table over the Firehose archive of CloudTrail S3 data events, and the Athena workgroup the
 * incident workflow queries it through.
 *
 * - The archive: the Firehose stream (`s3BackupMode: AllDocuments`) writes what the authorizer returns:
 *   one `OutputDocument` per Firehose record and per line, `{ authorizerVersion, decision, eventCount,
 *   events }`, where `events` holds the record's CloudTrail events (a CloudWatch Logs subscription packs
 *   several log events into one record, and a record comes back as exactly one document), each
 *   annotated under `authorization` (lambda/authorizer/contract.ts). Gzip-compressed under
 *   {@link ARCHIVE_EVENTS_PREFIX}; failed records under {@link ARCHIVE_ERROR_PREFIX}, which is outside
 *   the table's location, so a query never reads an error record as an event.
 * - The table: OpenX JSON SerDe, the wrapper's columns with `events` an array of the CloudTrail fields
 *   an investigation needs plus the annotation, named from the contract's types (the compiler checks
 *   them); partitions `dt`/`hr` resolved by partition projection (no crawler, no `MSCK REPAIR`, no
 *   partition to forget), with `storage.location.template` derived from the Firehose prefix itself,
 *   so the two cannot drift.
 * - The workgroup: configuration enforced (callers cannot redirect results or drop encryption),
 *   results SSE-KMS under the pipeline key under results/ of the archive bucket, CloudWatch metrics, a per-query
 *   bytes-scanned cutoff, engine version pinned.
 * - The query: {@link accessHistoryQuery}, "the principal's recent access history", one row per event
 *   (the records' `events` unnested), parameterized with `?` (Athena `ExecutionParameters`; event
 *   fields are never interpolated into SQL) and bounded by a `dt` range so Athena lists and reads only
 *   those days. Written in SQL that Athena (Trino) and DuckDB share but for the UNNEST alias
 *   ({@link EVENTS_UNNEST}); the test runs this text on DuckDB over an archive in Firehose's layout.
 *
 * AWS behaviour relied on:
 * - Firehose prefixes: `!{timestamp:...}` is a Java DateTimeFormatter pattern evaluated in UTC at the
 *   approximate arrival time of the OLDEST record in the object, and `!{firehose:error-output-type}`
 *   names the error kind (https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html); objects
 *   are `<evaluated prefix><stream>-<version>-<yyyy>-<MM>-<dd>-<HH>-<mm>-<ss>-<uuid><file extension>`
 *   (https://docs.aws.amazon.com/firehose/latest/dev/s3-object-name.html).
 * - Partition projection: types `date` (range with the special token NOW, format a DateTimeFormatter
 *   pattern) and `integer` (range, `digits` for leading zeros), and `storage.location.template`
 *   (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html,
 *   https://docs.aws.amazon.com/athena/latest/ug/partition-projection-setting-up.html); a `date`
 *   partition of type STRING is pruned by string comparisons such as `datehour >= '2020/12/15/00'`,
 *   and Athena never generates dates outside the range (before the start, after NOW)
 *   (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-kinesis-firehose-example-using-the-date-type.html).
 * - The OpenX JSON SerDe and its properties (`ignore.malformed.json`, `case.insensitive`): one JSON
 *   object per line, arrays of structs as `array<struct<...>>` (https://docs.aws.amazon.com/athena/latest/ug/openx-json-serde.html); Athena reads
 *   gzip text files (https://docs.aws.amazon.com/athena/latest/ug/compression-formats.html).
 * - CloudTrail record fields, e.g. `userIdentity.sessionContext.sessionIssuer.arn` for an assumed role
 *   and S3 data events' `requestParameters.bucketName`/`key` and `resources[].ARN`
 *   (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html,
 *   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html);
 *   the AWS CloudTrail DDL for Athena types them the same way
 *   (https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table.html).
 * - Parameterized queries: positional `?` only in the WHERE clause, values given in order, strings
 *   enclosed in single quotes (https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements.html).
 * - Workgroups: a per-query data usage control cancels a query that scans more than the limit
 *   (https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html);
 *   enforced settings override client-side settings
 *   (https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html); results encrypted
 *   with SSE_KMS (https://docs.aws.amazon.com/athena/latest/ug/encrypting-query-results-stored-in-s3.html).
 *
 * HIPAA Security Rule: 164.312(b) audit controls (the access history is queryable), 164.308(a)(6)
 * incident procedures, 164.312(a)(2)(iv) encryption at rest (results under the pipeline CMK).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackContext } from "../config";
import {
  ANNOTATION_FIELD,
  DECISIONS,
  OUTPUT_VERSION,
  type AccessCheck,
  type EventAnnotation,
  type Grant,
  type OutputDocument,
} from "../../lambda/authorizer/contract";
import { physicalName } from "../lib/naming";
import { statefulOptions } from "../lib/stateful";
import { platformTags } from "../lib/tags";

// ---------------------------------------------------------------------------------------------
// The archive's layout (one source for the Firehose stream and the table).

/** Firehose `Prefix` of the archived events (UTC). The stream must use exactly this constant. */
export const ARCHIVE_EVENTS_PREFIX = "events/dt=!{timestamp:yyyy-MM-dd}/hr=!{timestamp:HH}/";
/** Firehose `ErrorOutputPrefix`: outside the table's location, so error records are never read as events. */
export const ARCHIVE_ERROR_PREFIX = "errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/hr=!{timestamp:HH}/";

/** The Firehose timestamp expression each partition key is written with, and its projection. */
const PARTITION_EXPRESSIONS: Readonly<Record<string, string>> = Object.freeze({
  "!{timestamp:yyyy-MM-dd}": "${dt}",
  "!{timestamp:HH}": "${hr}",
});

/**
 * The projection's `storage.location.template` for a Firehose prefix: each timestamp expression
 * becomes its partition key. Throws on any other expression (Athena could not resolve it).
 */
export function locationTemplateFromFirehosePrefix(bucketName: string, firehosePrefix: string): string {
  const unknown = (firehosePrefix.match(/!\{[^}]*\}/g) ?? []).filter((e) => !(e in PARTITION_EXPRESSIONS));
  if (unknown.length > 0) {
    throw new Error(`firehose prefix ${JSON.stringify(firehosePrefix)} has expressions no partition projects: ${unknown.join(", ")}`);
  }
  let template = firehosePrefix;
  for (const [expression, key] of Object.entries(PARTITION_EXPRESSIONS)) template = template.split(expression).join(key);
  return `s3://${bucketName}/${template}`;
}

/** The table's LOCATION: the static part of the prefix (`s3://<bucket>/events/`). */
export function tableLocation(bucketName: string, firehosePrefix: string = ARCHIVE_EVENTS_PREFIX): string {
  const staticPart = firehosePrefix.slice(0, firehosePrefix.indexOf("!{") < 0 ? undefined : firehosePrefix.indexOf("!{"));
  return `s3://${bucketName}/${staticPart.slice(0, staticPart.lastIndexOf("/") + 1)}`;
}

// ---------------------------------------------------------------------------------------------
// The table's schema, as data.

/** A column type: a Hive primitive, a struct of fields, or an array. */
export type ArchiveType = "string" | "int" | "boolean" | { readonly struct: readonly ArchiveField[] } | { readonly array: ArchiveType };

/** A field as the archive's JSON holds it: `name` is the JSON key, exact case. */
export interface ArchiveField {
  readonly name: string;
  readonly type: ArchiveType;
  readonly comment?: string;
}

const s = (name: string, comment?: string): ArchiveField => ({ name, type: "string", ...(comment ? { comment } : {}) });

/** A type with the comment its field carries. */
interface Described {
  readonly type: ArchiveType;
  readonly comment: string;
}
const described = (type: ArchiveType, comment: string): Described => ({ type, comment });

/**
 * The fields of a contract type, every key of it (optional ones included) and no other: the compiler
 * checks the names against lambda/authorizer/contract.ts, so the table cannot drift from the authorizer.
 */
type FieldsOf<T> = { readonly [K in keyof Required<T> & string]: ArchiveType | Described };

function fieldsOf<T>(spec: FieldsOf<T>): ArchiveField[] {
  return Object.entries<ArchiveType | Described>(spec).map(([name, v]) =>
    typeof v === "object" && "type" in v ? { name, type: v.type, comment: v.comment } : { name, type: v },
  );
}

/** {@link Grant}: the grant an access matched. */
const GRANT_FIELDS = fieldsOf<Grant>({
  prefix: described("string", "key prefix granted; empty = the whole bucket"),
  access: "string",
  expiresAt: described("string", "ISO-8601 UTC; absent = no expiry"),
});

/** {@link AccessCheck}: one object access of the event and its result. */
const CHECK_FIELDS = fieldsOf<AccessCheck>({
  bucket: "string",
  access: described("string", "read | write | delete"),
  keySha256: described("string", "SHA-256 (hex) of the object key: the annotation never holds the key itself"),
  result: described("string", "granted | no-item | no-matching-grant | expired"),
  grant: described({ struct: GRANT_FIELDS }, "the grant that matched, if any"),
});

/** {@link EventAnnotation}: what the authorizer adds to each event under {@link ANNOTATION_FIELD}. */
const ANNOTATION_FIELDS = fieldsOf<EventAnnotation>({
  decision: described("string", DECISIONS.join(" | ")),
  principal: described("string", "the principal the grants were looked up for (an assumed-role session: its role)"),
  principalType: described("string", "userIdentity.type"),
  crossAccount: described("boolean", "the caller's account differs from the bucket owner's"),
  invokedBy: "string",
  incident: described("string", "what happened to the incident of a denied event"),
  checks: described({ array: { struct: CHECK_FIELDS } }, "one per object access the event implies"),
});

/**
 * The fields of one archived event an investigation needs: CloudTrail's, named as CloudTrail writes
 * them (types follow AWS's CloudTrail DDL for Athena), plus the authorizer's annotation.
 */
export const ARCHIVE_EVENT_FIELDS: readonly ArchiveField[] = Object.freeze([
  s("eventVersion"),
  s("eventTime", "UTC, yyyy-MM-ddTHH:mm:ssZ: ISO-8601 strings of one format order as time"),
  s("eventSource"),
  s("eventName"),
  s("awsRegion"),
  s("sourceIPAddress"),
  s("userAgent"),
  s("errorCode"),
  s("errorMessage"),
  s("requestID"),
  s("eventID", "unique per event; the incident workflow's execution name"),
  s("eventType"),
  s("recipientAccountId"),
  s("vpcEndpointId"),
  {
    name: "userIdentity",
    type: {
      struct: [
        s("type"),
        s("principalId"),
        s("arn"),
        s("accountId"),
        s("accessKeyId"),
        s("userName"),
        s("invokedBy"),
        {
          name: "sessionContext",
          type: {
            struct: [
              { name: "attributes", type: { struct: [s("creationDate"), s("mfaAuthenticated")] } },
              { name: "sessionIssuer", type: { struct: [s("type"), s("principalId"), s("arn"), s("accountId"), s("userName")] } },
            ],
          },
        },
      ],
    },
    comment: "an assumed-role session is its role: sessionContext.sessionIssuer.arn",
  },
  { name: "requestParameters", type: { struct: [s("bucketName"), s("key")] }, comment: "S3 data events: the bucket and object key" },
  { name: "resources", type: { array: { struct: [s("type"), s("ARN"), s("accountId")] } } },
  { name: ANNOTATION_FIELD, type: { struct: ANNOTATION_FIELDS }, comment: "added by the authorizer (lambda/authorizer): EventAnnotation" },
]);

/**
 * The version of the authorizer's output document this table reads. Pinned to the contract's
 * {@link OUTPUT_VERSION} at compile time: bumping that fails the build here until the table follows.
 */
export const ARCHIVE_OUTPUT_VERSION = 1 satisfies typeof OUTPUT_VERSION;

/**
 * The columns: the authorizer's {@link OutputDocument}, one per Firehose record and per line of the
 * archive, its events an array (a record carries several CloudTrail events). The Glue names are
 * these lowercased: Glue and Athena lowercase identifiers, and the OpenX SerDe matches keys
 * case-insensitively.
 */
export const ARCHIVE_COLUMNS: readonly ArchiveField[] = Object.freeze(
  fieldsOf<OutputDocument>({
    authorizerVersion: described("int", `version of the authorizer's output document (${ARCHIVE_OUTPUT_VERSION})`),
    decision: described("string", "the record's worst decision: unknown-principal > denied > allowed > not-applicable"),
    eventCount: described("int", "number of events in the record"),
    events: described({ array: { struct: ARCHIVE_EVENT_FIELDS } }, "the record's CloudTrail events, each annotated under authorization"),
  }),
);

/** Partition keys, in path order. Both strings: `dt` compares as yyyy-MM-dd text, `hr` keeps its two digits. */
export const ARCHIVE_PARTITION_KEYS: readonly ArchiveField[] = Object.freeze([
  s("dt", "UTC day Firehose received the object's oldest record (yyyy-MM-dd)"),
  s("hr", "UTC hour of the same (00-23)"),
]);

/** The type in Glue (Hive DDL) syntax, field names lowercased. */
export function glueType(type: ArchiveType): string {
  if (typeof type === "string") return type;
  if ("array" in type) return `array<${glueType(type.array)}>`;
  return `struct<${type.struct.map((f) => `${f.name.toLowerCase()}:${glueType(f.type)}`).join(",")}>`;
}

/** The Glue column list of the table. */
export function glueColumns(): { name: string; type: string; comment?: string }[] {
  return ARCHIVE_COLUMNS.map((c) => ({ name: c.name.toLowerCase(), type: glueType(c.type), ...(c.comment ? { comment: c.comment } : {}) }));
}

export const JSON_SERDE = "org.openx.data.jsonserde.JsonSerDe";
export const TEXT_INPUT_FORMAT = "org.apache.hadoop.mapred.TextInputFormat";
export const TEXT_OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";

/**
 * SerDe properties. A malformed line fails the query instead of being skipped: the authorizer never
 * archives an unparseable record (it is `ProcessingFailed`, kept under the error prefix), so one would
 * mean corruption, and an investigation must not silently miss an access.
 */
export const SERDE_PARAMETERS: Readonly<Record<string, string>> = Object.freeze({
  "ignore.malformed.json": "false",
  "case.insensitive": "true",
});

/** yyyy-MM-dd of a real calendar day. */
export function isIsoDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

/** The table's parameters: partition projection over the archive's `dt`/`hr` layout. */
export function archiveTableParameters(bucketName: string, projectionStartDate: string): Record<string, string> {
  return {
    EXTERNAL: "TRUE",
    classification: "json",
    compressionType: "gzip",
    "projection.enabled": "true",
    "projection.dt.type": "date",
    "projection.dt.format": "yyyy-MM-dd",
    "projection.dt.range": `${projectionStartDate},NOW`,
    "projection.dt.interval": "1",
    "projection.dt.interval.unit": "DAYS",
    "projection.hr.type": "integer",
    "projection.hr.range": "0,23",
    "projection.hr.digits": "2",
    "storage.location.template": locationTemplateFromFirehosePrefix(bucketName, ARCHIVE_EVENTS_PREFIX),
    /** Informational: the output document version the columns model (lambda/authorizer/contract.ts). */
    "authorizer.output.version": String(ARCHIVE_OUTPUT_VERSION),
  };
}

// ---------------------------------------------------------------------------------------------
// The access-history query.

/** Name of the table in its database (Glue: lowercase letters, digits, underscores). */
export const ARCHIVE_TABLE_NAME = "s3_data_events";
/** @default row limit of {@link accessHistoryQuery} (a LIMIT is a constant: Athena takes `?` only in WHERE). */
export const DEFAULT_ACCESS_HISTORY_MAX_ROWS = 1000;
/**
 * Days of partitions read on each side of the window. An event's `dt` is when Firehose received the
 * oldest record of its object, not its eventTime: later than the event by CloudTrail's and Logs'
 * delivery (so the day after the window may hold it), and, for an event buffered with an older
 * record, possibly the day before its eventTime (buffering up to 900 s across midnight).
 */
export const PARTITION_SLACK_DAYS = 1;

/** A SQL identifier in double quotes (valid in Athena and DuckDB alike). */
function quoteIdentifier(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`identifier ${JSON.stringify(name)} must be lowercase letters, digits and underscores`);
  return `"${name}"`;
}

/**
 * The clause that makes one row per archived event: each line is a record's {@link OutputDocument},
 * whose `events` is an array of rows. Trino (Athena engine 3) expands an array of ROW into one column
 * per field, so the relation alias takes no column list (`AS t(e)` would be refused: "Column alias list
 * has 1 entries but 't' has N columns available") and each field is read as `e.<field>`
 * (https://github.com/trinodb/trino/issues/3982; legacy single-column unnest removed in
 * https://github.com/trinodb/trino/pull/430). DuckDB keeps the element as one struct column, spelled
 * `AS t(e)` there: the one translation the test applies.
 */
export const EVENTS_UNNEST = "CROSS JOIN UNNEST(r.events) AS e";

/**
 * "The principal's recent access history": every archived S3 data event of the principal (its own
 * ARN, or, for an assumed-role session, its role as the session issuer) in [from, to), newest first,
 * one row per event whatever record carried it. Six `?` placeholders, bound by
 * {@link accessHistoryParameters} in this order: dt from, dt to, eventTime from, eventTime to,
 * principal, principal. The `dt` range predicate comes first, on the projected partition key in a
 * subquery over the table itself, below the UNNEST, so Athena lists and reads only those days. (Put in
 * the outer WHERE, DuckDB does not push it through the lateral UNNEST and reads every file: the test's
 * EXPLAIN ANALYZE catches that; the subquery form prunes in both engines.)
 *
 * `access_checks` is the event's {@link AccessCheck} list as the authorizer wrote it: one per object
 * access (CopyObject has two: source read, destination write), each with its result and the grant it
 * matched, if any (`grant` is null then), and the key only as its SHA-256. A list, not a subscript:
 * `checks[1]` fails a Trino query on an empty array, and a `not-applicable` event has none.
 *
 * Shared SQL only: plain comparisons, struct field access, one subquery, one UNNEST, ORDER BY, LIMIT.
 * `authorization` is quoted (a reserved word in DuckDB; quoting is standard SQL in both).
 */
export function accessHistoryQuery(database: string, options: { table?: string; maxRows?: number } = {}): string {
  const maxRows = options.maxRows ?? DEFAULT_ACCESS_HISTORY_MAX_ROWS;
  if (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > 100_000) {
    throw new Error(`maxRows must be a whole number from 1 to 100000, got ${maxRows}`);
  }
  const table = `${quoteIdentifier(database)}.${quoteIdentifier(options.table ?? ARCHIVE_TABLE_NAME)}`;
  const annotation = `e.${quoteIdentifier(ANNOTATION_FIELD.toLowerCase())}`;
  return [
    "SELECT",
    "  e.eventtime AS event_time,",
    "  e.eventid AS event_id,",
    "  e.eventname AS event_name,",
    "  e.eventsource AS event_source,",
    "  e.awsregion AS aws_region,",
    "  e.sourceipaddress AS source_ip_address,",
    "  e.errorcode AS error_code,",
    "  e.useridentity.arn AS identity_arn,",
    "  e.useridentity.sessioncontext.sessionissuer.arn AS session_issuer_arn,",
    "  e.requestparameters.bucketname AS bucket_name,",
    "  e.requestparameters.key AS object_key,",
    `  ${annotation}.decision AS decision,`,
    `  ${annotation}.checks AS access_checks`,
    "FROM (",
    `  SELECT events FROM ${table}`,
    "  WHERE dt >= ? AND dt <= ?",
    ") AS r",
    EVENTS_UNNEST,
    "WHERE e.eventtime >= ? AND e.eventtime < ?",
    "  AND (e.useridentity.arn = ? OR e.useridentity.sessioncontext.sessionissuer.arn = ?)",
    "ORDER BY e.eventtime DESC, e.eventid DESC",
    `LIMIT ${maxRows}`,
  ].join("\n");
}

/** An IAM user or role, or an STS assumed-role session (what CloudTrail's userIdentity.arn holds). */
const PRINCIPAL_ARN = /^arn:aws(-[a-z]+)*:(iam|sts)::\d{12}:[A-Za-z0-9+=,.@_/-]+$/;

/** CloudTrail's eventTime format, to the second, UTC. */
export function cloudTrailTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function utcDay(date: Date, offsetDays: number): string {
  return new Date(date.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** The window of an access-history query: a principal and [from, to). */
export interface AccessHistoryWindow {
  readonly principalArn: string;
  readonly from: Date;
  readonly to: Date;
}

/**
 * The values of {@link accessHistoryQuery}'s placeholders, in order. Throws on a principal that is not
 * an IAM/STS ARN or an empty or inverted window (the workflow then fails loudly, not with a wrong answer).
 */
export function accessHistoryParameters(window: AccessHistoryWindow): string[] {
  const { principalArn, from, to } = window;
  if (!PRINCIPAL_ARN.test(principalArn)) {
    throw new Error(`principalArn must be an IAM or STS ARN (arn:aws:iam::<account>:role/<name>), got ${JSON.stringify(principalArn)}`);
  }
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from.getTime() >= to.getTime()) {
    throw new Error(`the window must have from < to, got ${String(from)} .. ${String(to)}`);
  }
  const days = [utcDay(from, -PARTITION_SLACK_DAYS), utcDay(to, PARTITION_SLACK_DAYS)];
  return [...days, cloudTrailTime(from), cloudTrailTime(to), principalArn, principalArn];
}

/**
 * Values as Athena `ExecutionParameters`: each a SQL string literal (single quotes, a quote doubled),
 * which is how Athena treats a parameter as a string.
 */
export function athenaExecutionParameters(values: readonly string[]): string[] {
  return values.map((v) => `'${v.replace(/'/g, "''")}'`);
}

// ---------------------------------------------------------------------------------------------
// Args and their validation.

/** @default 10 GiB a query: a month of a busy archive (gzip, ~300 MB a day) fits; a full scan of years does not. */
export const DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY = 10 * 1024 ** 3;
/** Athena's smallest per-query cutoff (10 MiB; the provider refuses less). */
export const MIN_BYTES_SCANNED_CUTOFF_PER_QUERY = 10_485_760;
/** Pinned so a query cannot change dialect under the workflow (Athena would otherwise pick "AUTO"). */
export const ATHENA_ENGINE_VERSION = "Athena engine version 3";
/** Prefix of query results in the results bucket. */
export const RESULTS_PREFIX = "results/";

export interface ArchiveQueryArgs {
  /** The stack's validated configuration: `protectData` and the tags. */
  readonly config: StackContext;
  /** Name of the archive bucket the Firehose stream writes to. */
  readonly archiveBucketName: pulumi.Input<string>;
  /** `arn:aws:s3:::<archiveBucketName>`. */
  readonly archiveBucketArn: pulumi.Input<string>;
  /**
   * ARN of the pipeline's customer-managed key: query results are SSE-KMS under it. A key ARN, not an
   * alias or id: the archive bucket refuses uploads whose key header differs from this exact value.
   */
  readonly pipelineKeyArn: pulumi.Input<string>;
  /**
   * First day (yyyy-MM-dd, UTC) the archive can hold events: the projection's range is this day to NOW.
   * Use the day the stream was created; an earlier day only makes Athena look for empty days.
   */
  readonly projectionStartDate: string;
  /**
   * Bytes one query may scan before Athena cancels it (at least 10 MiB).
   * @default 10 GiB ({@link DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY})
   */
  readonly bytesScannedCutoffPerQuery?: number;
}

const KMS_KEY_ARN = /^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** Every problem of the args, each naming the arg, the value and the fix; empty when valid. */
export function archiveQueryArgProblems(
  args: Pick<ArchiveQueryArgs, "projectionStartDate" | "bytesScannedCutoffPerQuery" | "pipelineKeyArn">,
): string[] {
  const problems: string[] = [];
  if (!isIsoDay(args.projectionStartDate)) {
    problems.push(
      `projectionStartDate must be a day as yyyy-MM-dd (the stream's creation day, UTC), got ${JSON.stringify(args.projectionStartDate)}`,
    );
  }
  const cutoff = args.bytesScannedCutoffPerQuery;
  if (cutoff !== undefined && (!Number.isInteger(cutoff) || cutoff < MIN_BYTES_SCANNED_CUTOFF_PER_QUERY)) {
    problems.push(
      `bytesScannedCutoffPerQuery must be a whole number of bytes of at least ${MIN_BYTES_SCANNED_CUTOFF_PER_QUERY} (10 MiB), got ${cutoff}`,
    );
  }
  if (typeof args.pipelineKeyArn === "string" && !KMS_KEY_ARN.test(args.pipelineKeyArn)) {
    problems.push(
      "pipelineKeyArn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias or key id, " +
        `got ${JSON.stringify(args.pipelineKeyArn)}`,
    );
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The component.

export class ArchiveQuery extends pulumi.ComponentResource {
  /** The Glue database's name. */
  readonly databaseName: pulumi.Output<string>;
  /** The table's name ({@link ARCHIVE_TABLE_NAME}). */
  readonly tableName: pulumi.Output<string>;
  /** The Athena workgroup (its name for `StartQueryExecution`, its ARN for IAM). */
  readonly workgroup: aws.athena.Workgroup;
  /**
   * Where query results go: `s3://<archive>/results/`, beside the events (outside the table's
   * `events/` location). Results list object keys, so they are PHI like the archive: one bucket
   * keeps one set of controls (data events, replication, retention) for both.
   */
  readonly resultsLocation: pulumi.Output<string>;
  /** {@link accessHistoryQuery} for this database and table. */
  readonly accessHistorySql: string;

  constructor(name: string, args: ArchiveQueryArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = archiveQueryArgProblems(args);
    if (problems.length > 0) throw new Error(`ArchiveQuery ${name}: ${problems.join("; ")}`);
    super("healthcare:security-events:ArchiveQuery", name, {}, opts);

    const { config } = args;
    const parent = { parent: this };
    const tags = platformTags(config, { purpose: "security-events-query" });
    const identity = aws.getCallerIdentityOutput({}, parent);

    this.resultsLocation = pulumi.interpolate`s3://${args.archiveBucketName}/${RESULTS_PREFIX}`;

    const databaseName = physicalName(config.stack, "glueDatabase", "security_events");
    const database = new aws.glue.CatalogDatabase(
      `${name}-database`,
      { name: databaseName, description: "Security events: the archive of PHI access events (CloudTrail S3 data events)", tags },
      statefulOptions(this, config.protectData),
    );

    const table = new aws.glue.CatalogTable(
      `${name}-table`,
      {
        databaseName: database.name,
        name: ARCHIVE_TABLE_NAME,
        description: "Authorizer output documents (CloudTrail S3 data events, annotated, several per record), as archived by Firehose",
        tableType: "EXTERNAL_TABLE",
        parameters: pulumi.output(args.archiveBucketName).apply((bucket) => archiveTableParameters(bucket, args.projectionStartDate)),
        partitionKeys: ARCHIVE_PARTITION_KEYS.map((k) => ({ name: k.name, type: glueType(k.type), comment: k.comment })),
        storageDescriptor: {
          location: pulumi.output(args.archiveBucketName).apply((bucket) => tableLocation(bucket)),
          inputFormat: TEXT_INPUT_FORMAT,
          outputFormat: TEXT_OUTPUT_FORMAT,
          compressed: true,
          serDeInfo: { name: "openx-json", serializationLibrary: JSON_SERDE, parameters: { ...SERDE_PARAMETERS } },
          columns: glueColumns(),
        },
      },
      parent,
    );

    this.workgroup = new aws.athena.Workgroup(
      `${name}-workgroup`,
      {
        name: physicalName(config.stack, "athenaWorkgroup", "security-events"),
        description: "Investigations of the security-event archive: enforced, KMS-encrypted results, scan-bounded",
        state: "ENABLED",
        // Deleting a workgroup with saved queries needs forceDestroy; a protected stack never does.
        forceDestroy: !config.protectData,
        configuration: {
          enforceWorkgroupConfiguration: true,
          publishCloudwatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: args.bytesScannedCutoffPerQuery ?? DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY,
          requesterPaysEnabled: false,
          engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
          resultConfiguration: {
            outputLocation: this.resultsLocation,
            expectedBucketOwner: identity.accountId,
            encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: args.pipelineKeyArn },
          },
        },
        tags,
      },
      statefulOptions(this, config.protectData),
    );

    this.databaseName = database.name;
    this.tableName = table.name;
    this.accessHistorySql = accessHistoryQuery(databaseName);
    this.registerOutputs({ databaseName: this.databaseName, tableName: this.tableName, workgroupName: this.workgroup.name });
  }
}
