/**
 * The contract between the authorizer Lambda (the Firehose transform of the security-event stream)
 * and the Pulumi component that deploys it (components/security-events/). The component imports
 * these names instead of repeating strings: environment variables, the grants and throttle tables,
 * the grant item format (and the functions that build items from stack config), the incident
 * input, the output document, the Firehose processor settings and the IAM actions.
 *
 * Dependency-free on purpose: the Pulumi program imports it and must not pull the AWS SDK in.
 *
 * AWS facts this contract relies on (checked in the documentation, cited where used):
 * - Transformation request/response: https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html and
 *   https://docs.aws.amazon.com/firehose/latest/dev/data-transformation-status-model.html
 * - Processor buffer (0.2-3 MB, default 1 MB; interval 0-900 s, default 60 s; 3 retries by default):
 *   https://docs.aws.amazon.com/firehose/latest/APIReference/API_ProcessorParameter.html
 * - Records as the CloudWatch Logs subscription sends them (gzip-compressed JSON envelope, several log
 *   events per record), decoded by the function itself (firehose.ts): no Decompression or
 *   CloudWatchLogProcessing processor, which Firehose does not document for an OpenSearch destination
 *   (https://docs.aws.amazon.com/firehose/latest/dev/writing-with-cloudwatch-logs.html)
 * - CloudTrail userIdentity: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 */

import { grantFieldProblem, isGrantablePrincipal } from "./grant-model";

// ---------------------------------------------------------------------------------------------
// Runtime and packaging
// ---------------------------------------------------------------------------------------------

/** `handler` setting of the function: the bundle is a single `index.js` exporting `handler`. */
export const AUTHORIZER_HANDLER = "index.handler";

/**
 * Function timeout. Firehose waits at most 5 minutes for a transformation invocation
 * (https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html); the handler's own bounds (SDK
 * retries, the UnprocessedKeys backoff below) finish well within this.
 */
export const AUTHORIZER_TIMEOUT_SECONDS = 60;
/** Memory: a 1 MB batch decodes to a few MB of objects; 512 MB also buys CPU for JSON work. */
export const AUTHORIZER_MEMORY_MB = 512;

// ---------------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------------

/** Environment variables the handler reads. The component sets the required ones. */
export const AUTHORIZER_ENV = {
  /** Required. Name of the grants table ({@link GRANTS_TABLE_KEY_SCHEMA}). */
  grantsTableName: "GRANTS_TABLE_NAME",
  /** Required. Name of the incident throttle table ({@link THROTTLE_TABLE_KEY_SCHEMA}). */
  throttleTableName: "THROTTLE_TABLE_NAME",
  /** Required. ARN of the incident state machine (Standard). The one place its ARN comes from. */
  incidentStateMachineArn: "INCIDENT_STATE_MACHINE_ARN",
  /** Required. URL of the SQS queue that receives incident starts that failed ({@link IncidentDeadLetter}). */
  incidentDlqUrl: "INCIDENT_DLQ_URL",
  /** Optional. Seconds a grants lookup is reused by a warm instance, 0-900. @default {@link DEFAULT_GRANT_CACHE_TTL_SECONDS} */
  grantCacheTtlSeconds: "GRANT_CACHE_TTL_SECONDS",
  /** Optional. At most one incident per principal per this many seconds, 60-86400. @default {@link DEFAULT_INCIDENT_THROTTLE_SECONDS} */
  incidentThrottleSeconds: "INCIDENT_THROTTLE_SECONDS",
  /**
   * Optional, with the two below (all three or none). The canary's probe role: an IAM role ARN, compared
   * with an event's principal the way grants are matched (grant-model.ts, {@link isSameGrantPrincipal}: an
   * assumed-role session is its role). Its denied accesses under {@link AUTHORIZER_ENV.canaryKeyPrefix} of
   * {@link AUTHORIZER_ENV.canaryBucketName} start incidents marked `canary` ({@link IncidentInput}).
   * @default no canary: no incident is ever marked
   */
  canaryPrincipalArn: "CANARY_PRINCIPAL_ARN",
  /** Optional (with the canary principal). The PHI data bucket's name, where the canary reads its probe object. */
  canaryBucketName: "CANARY_BUCKET_NAME",
  /** Optional (with the canary principal). The canary's key prefix, such as `canary/`: never empty (that would mark the whole bucket). */
  canaryKeyPrefix: "CANARY_KEY_PREFIX",
} as const;

/** Standard SDK variables honoured without code of ours (tests and the bench set them; the component sets none). */
export const SDK_ENV = ["AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SFN", "AWS_ENDPOINT_URL_SQS", "AWS_MAX_ATTEMPTS"] as const;

/**
 * Default grant cache TTL: a revoked grant stops matching within a minute, and a warm instance
 * under steady load makes about one BatchGetItem per distinct (principal, bucket) per minute.
 */
export const DEFAULT_GRANT_CACHE_TTL_SECONDS = 60;
export const MAX_GRANT_CACHE_TTL_SECONDS = 900;
/** Most entries the per-instance cache holds (oldest evicted first). */
export const GRANT_CACHE_MAX_ENTRIES = 10_000;

/** Default incident throttle window: one incident (one Macie job) per principal per 15 minutes. */
export const DEFAULT_INCIDENT_THROTTLE_SECONDS = 900;
export const MIN_INCIDENT_THROTTLE_SECONDS = 60;
export const MAX_INCIDENT_THROTTLE_SECONDS = 86_400;

/**
 * The canary's own throttle window: one canary incident per canary principal per minute of the
 * access's `eventTime` (the least window the authorizer allows). Why not the principal's 900 s window:
 * - the window of a real incident is measured on the authorizer's clock, from when the event is
 *   processed, which is the access time plus CloudTrail's delivery delay (about 5 minutes on average,
 *   more during a backlog: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-cloudtrail-works.html).
 *   With the default 900 s and a canary every 15 minutes (prod), a probe delivered late opens a window
 *   that is still open when the next probe is processed, so that probe is throttled, no alert comes
 *   and the canary reports a detection failure that is only a delivery delay;
 * - so a canary incident claims the window of its access's minute (`eventTime`, which CloudTrail
 *   records and delivery does not change): probes 15 minutes (or an hour) apart claim different
 *   windows whatever their delivery delays and order, and a delay never throttles the next probe.
 *   Many reads of the canary prefix in one minute (a loop, or the probe role's credentials misused on
 *   it) still start at most one incident per minute: no Macie job, at most 1440 executions a day;
 * - the canary's claims use their own throttle items ({@link throttleKey}), so a canary incident
 *   never throttles a real incident of the same principal, and a real one never throttles the canary.
 */
export const CANARY_INCIDENT_THROTTLE_SECONDS = MIN_INCIDENT_THROTTLE_SECONDS;

/** The validated environment of one function instance. */
export interface AuthorizerEnvironment {
  readonly grantsTableName: string;
  readonly throttleTableName: string;
  readonly incidentStateMachineArn: string;
  readonly incidentDlqUrl: string;
  readonly grantCacheTtlSeconds: number;
  readonly incidentThrottleSeconds: number;
  /** The canary's probe principal and where it reads; absent when the stack runs no canary. */
  readonly canary?: CanaryTarget;
}

/** Whose accesses, to which bucket and under which prefix, are the canary's ({@link AUTHORIZER_ENV}.canary*). */
export interface CanaryTarget {
  readonly principalArn: string;
  readonly bucketName: string;
  readonly keyPrefix: string;
}

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;
/** An S3 general purpose bucket name: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const QUEUE_URL = /^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/\d{12}\/[A-Za-z0-9_-]{1,80}$/;

/** Thrown when the function's environment is incomplete; names every bad variable. */
export class AuthorizerEnvironmentError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`authorizer environment is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "AuthorizerEnvironmentError";
  }
}

/** Reads and validates the environment; throws one error listing every problem. */
export function readAuthorizerEnvironment(env: Readonly<Record<string, string | undefined>>): AuthorizerEnvironment {
  const problems: string[] = [];
  const required = (name: string, pattern: RegExp, shape: string): string => {
    const value = env[name];
    if (value === undefined || value === "") {
      problems.push(`${name} is required: set it to ${shape}`);
      return "";
    }
    if (!pattern.test(value)) problems.push(`${name} must be ${shape}, got ${JSON.stringify(value)}`);
    return value;
  };
  const integer = (name: string, fallback: number, min: number, max: number, meaning: string): number => {
    const value = env[name];
    if (value === undefined || value === "") return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      problems.push(
        `${name} must be a whole number of seconds from ${min} to ${max} (${meaning}), or unset for ${fallback}; got ${JSON.stringify(value)}`,
      );
      return fallback;
    }
    return Number(value);
  };
  const table = "a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)";
  const grantsTableName = required(AUTHORIZER_ENV.grantsTableName, TABLE_NAME, table);
  const throttleTableName = required(AUTHORIZER_ENV.throttleTableName, TABLE_NAME, table);
  const incidentStateMachineArn = required(
    AUTHORIZER_ENV.incidentStateMachineArn,
    STATE_MACHINE_ARN,
    "the ARN of a Step Functions state machine, such as arn:aws:states:us-east-1:123456789012:stateMachine:incident",
  );
  const incidentDlqUrl = required(
    AUTHORIZER_ENV.incidentDlqUrl,
    QUEUE_URL,
    "the URL of a standard SQS queue, such as https://sqs.us-east-1.amazonaws.com/123456789012/incident-dlq",
  );
  const grantCacheTtlSeconds = integer(
    AUTHORIZER_ENV.grantCacheTtlSeconds,
    DEFAULT_GRANT_CACHE_TTL_SECONDS,
    0,
    MAX_GRANT_CACHE_TTL_SECONDS,
    "0 disables the cache",
  );
  const incidentThrottleSeconds = integer(
    AUTHORIZER_ENV.incidentThrottleSeconds,
    DEFAULT_INCIDENT_THROTTLE_SECONDS,
    MIN_INCIDENT_THROTTLE_SECONDS,
    MAX_INCIDENT_THROTTLE_SECONDS,
    "one incident per principal per window",
  );
  const canary = canaryTarget(env, problems);
  if (problems.length > 0) throw new AuthorizerEnvironmentError(problems);
  return Object.freeze({
    grantsTableName,
    throttleTableName,
    incidentStateMachineArn,
    incidentDlqUrl,
    grantCacheTtlSeconds,
    incidentThrottleSeconds,
    ...(canary === undefined ? {} : { canary: Object.freeze(canary) }),
  });
}

/** What is wrong with a canary principal, or undefined: the grant model's principal rules (a principal a grant could name), and a role (the canary assumes it). */
export function canaryPrincipalProblem(principalArn: string): string | undefined {
  return isGrantablePrincipal(principalArn) && /:role\//.test(principalArn)
    ? undefined
    : `must be the ARN of the canary's IAM role, such as arn:aws:iam::123456789012:role/hcp-prod-canary-probe (not its sts session ARN), got ${JSON.stringify(principalArn)}`;
}

/** The canary variables: all three or none; the principal a role the grant model accepts, the prefix non-empty. */
function canaryTarget(env: Readonly<Record<string, string | undefined>>, problems: string[]): CanaryTarget | undefined {
  const names = [AUTHORIZER_ENV.canaryPrincipalArn, AUTHORIZER_ENV.canaryBucketName, AUTHORIZER_ENV.canaryKeyPrefix];
  const [principalArn, bucketName, keyPrefix] = names.map((n) => env[n] ?? "");
  const set = names.filter((n) => (env[n] ?? "") !== "");
  if (set.length === 0) return undefined;
  if (set.length < names.length) {
    problems.push(
      `${names.filter((n) => !set.includes(n)).join(", ")} must be set with ${set.join(", ")}: the canary needs its principal, bucket and key prefix (or unset all three for no canary)`,
    );
    return undefined;
  }
  const before = problems.length;
  const principalProblem = canaryPrincipalProblem(principalArn);
  if (principalProblem !== undefined) problems.push(`${AUTHORIZER_ENV.canaryPrincipalArn} ${principalProblem}`);
  if (!BUCKET_NAME.test(bucketName))
    problems.push(`${AUTHORIZER_ENV.canaryBucketName} must be an S3 bucket name (the PHI data bucket), got ${JSON.stringify(bucketName)}`);
  const prefixProblem = grantFieldProblem("prefix", keyPrefix, { buckets: [] });
  if (prefixProblem !== undefined) problems.push(`${AUTHORIZER_ENV.canaryKeyPrefix} ${prefixProblem}, got ${JSON.stringify(keyPrefix)}`);
  return problems.length === before ? { principalArn, bucketName, keyPrefix } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Grants table
// ---------------------------------------------------------------------------------------------

/**
 * Key schema of the grants table: one item per (principal, bucket).
 * - partition key `principal` (S): a {@link PrincipalKey}: the IAM user or role ARN (an assumed-role
 *   session is its role, the `sessionIssuer` ARN), `arn:<partition>:iam::<account>:root` for a whole
 *   account, or an AWS service principal such as `s3.amazonaws.com` for `AWSService` calls.
 * - sort key `bucket` (S): the bucket name.
 * - attribute `grants` (L of M): the {@link Grant}s, matched in memory against the object key and the access.
 * The handler reads it with BatchGetItem only. Items are written by the component from stack config.
 */
export const GRANTS_TABLE_KEY_SCHEMA = {
  partitionKey: { name: "principal", type: "S" },
  sortKey: { name: "bucket", type: "S" },
} as const;
export const GRANTS_ATTRIBUTE = "grants";

/** The same key schema in the shape of `aws.dynamodb.Table` args. */
export const GRANTS_TABLE_ATTRIBUTES = {
  hashKey: GRANTS_TABLE_KEY_SCHEMA.partitionKey.name,
  rangeKey: GRANTS_TABLE_KEY_SCHEMA.sortKey.name,
  attributes: [
    { name: GRANTS_TABLE_KEY_SCHEMA.partitionKey.name, type: GRANTS_TABLE_KEY_SCHEMA.partitionKey.type },
    { name: GRANTS_TABLE_KEY_SCHEMA.sortKey.name, type: GRANTS_TABLE_KEY_SCHEMA.sortKey.type },
  ],
} as const;

export const ACCESS_LEVELS = ["read", "write", "delete"] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

/** One grant: `access` to the keys under `prefix` ("" = the whole bucket), until `expiresAt` (ISO-8601 UTC) if set. */
export interface Grant {
  readonly prefix: string;
  readonly access: Access;
  readonly expiresAt?: string;
}

/** A grant as declared in stack config (and reviewed as code). */
export interface GrantDeclaration extends Grant {
  readonly principal: string;
  readonly bucket: string;
}

// The grant model's rules (principals, buckets, prefixes, access, expiry) and their validation live in
// grant-model.ts, shared with the stack config; the items are built with them.
export {
  GrantDeclarationError,
  grantExpiryInstant,
  grantFieldProblem,
  groupGrants,
  isGrantablePrincipal,
  isSameGrantPrincipal,
} from "./grant-model";

/** The item in DynamoDB JSON, as `aws.dynamodb.TableItem`'s `item` argument wants it. */
export function renderGrantItem(item: { principal: string; bucket: string; grants: readonly Grant[] }): string {
  const grant = (g: Grant) => ({
    M: { prefix: { S: g.prefix }, access: { S: g.access }, ...(g.expiresAt === undefined ? {} : { expiresAt: { S: g.expiresAt } }) },
  });
  return JSON.stringify({
    [GRANTS_TABLE_KEY_SCHEMA.partitionKey.name]: { S: item.principal },
    [GRANTS_TABLE_KEY_SCHEMA.sortKey.name]: { S: item.bucket },
    [GRANTS_ATTRIBUTE]: { L: item.grants.map(grant) },
  });
}

/**
 * Reads the `grants` attribute of an item (already unmarshalled). A malformed grant is skipped
 * (it grants nothing) and counted, so a bad item fails closed.
 */
export function parseGrants(value: unknown): { grants: Grant[]; malformed: number } {
  if (!Array.isArray(value)) return { grants: [], malformed: value === undefined ? 0 : 1 };
  const grants: Grant[] = [];
  let malformed = 0;
  for (const g of value) {
    const r = g as Record<string, unknown> | null;
    const ok =
      typeof r === "object" &&
      r !== null &&
      typeof r.prefix === "string" &&
      (ACCESS_LEVELS as readonly unknown[]).includes(r.access) &&
      (r.expiresAt === undefined || (typeof r.expiresAt === "string" && !Number.isNaN(Date.parse(r.expiresAt))));
    if (!ok) {
      malformed++;
      continue;
    }
    grants.push(
      r.expiresAt === undefined
        ? { prefix: r.prefix as string, access: r.access as Access }
        : { prefix: r.prefix as string, access: r.access as Access, expiresAt: r.expiresAt as string },
    );
  }
  return { grants, malformed };
}

/** Items per BatchGetItem call (the API's maximum): https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html */
export const BATCH_GET_MAX_KEYS = 100;
/** Retries of `UnprocessedKeys` (exponential backoff with full jitter) before the invocation fails. */
export const UNPROCESSED_KEYS_MAX_RETRIES = 6;
export const UNPROCESSED_KEYS_BASE_DELAY_MS = 25;
export const UNPROCESSED_KEYS_MAX_DELAY_MS = 1_000;

// ---------------------------------------------------------------------------------------------
// Incident throttle table
// ---------------------------------------------------------------------------------------------

/**
 * Key schema of the throttle table: one item per principal that had an incident started recently.
 * - partition key `principal` (S): the {@link PrincipalKey}, or for a canary incident its own key
 *   per minute ({@link throttleClaim}).
 * - `expiresAt` (N): epoch seconds when the window ends; the table's TTL attribute. TTL deletion is
 *   lazy, so the condition also compares it with the clock.
 * - `eventId` (S): the CloudTrail eventID that claimed the window, so a redelivery of that same event
 *   passes the throttle again (and Step Functions deduplicates it by execution name).
 * Written with a conditional PutItem: `attribute_not_exists(principal) OR expiresAt < :now OR eventId = :eventId`.
 */
export const THROTTLE_TABLE_KEY_SCHEMA = {
  partitionKey: { name: "principal", type: "S" },
} as const;
export const THROTTLE_TTL_ATTRIBUTE = "expiresAt";
export const THROTTLE_EVENT_ATTRIBUTE = "eventId";

/** The same in the shape of `aws.dynamodb.Table` args, TTL included. */
export const THROTTLE_TABLE_ATTRIBUTES = {
  hashKey: THROTTLE_TABLE_KEY_SCHEMA.partitionKey.name,
  attributes: [{ name: THROTTLE_TABLE_KEY_SCHEMA.partitionKey.name, type: THROTTLE_TABLE_KEY_SCHEMA.partitionKey.type }],
  ttl: { attributeName: THROTTLE_TTL_ATTRIBUTE, enabled: true },
} as const;

// ---------------------------------------------------------------------------------------------
// Decisions, the output document and the incident input
// ---------------------------------------------------------------------------------------------

/**
 * - `allowed`: every object access of the event matches an unexpired grant.
 * - `denied`: the principal has a grants item for the bucket but no grant matches (prefix, access or expiry).
 * - `unknown-principal`: no grants item for (principal, bucket), or no principal could be read from the event.
 * - `not-applicable`: not an S3 object-level data event (other sources, bucket-level calls, non-CloudTrail JSON).
 */
export const DECISIONS = ["allowed", "denied", "unknown-principal", "not-applicable"] as const;
export type Decision = (typeof DECISIONS)[number];
/** Decisions that start an incident. */
export const INCIDENT_DECISIONS: readonly Decision[] = ["denied", "unknown-principal"];

/**
 * What happened to the incident of a denied event: started; `already-started` (ExecutionAlreadyExists, a
 * redelivery); `duplicate` (same eventID earlier in the batch); `throttled` (the principal had one within the window);
 * `dead-lettered` (the start failed and the input went to the DLQ); `lost` (the DLQ send failed too; logged).
 */
export type IncidentStatus = "started" | "already-started" | "duplicate" | "throttled" | "dead-lettered" | "lost";

/** One access the event implies: `key` is absent for calls that name no single key (such as DeleteObjects). */
export interface AccessCheck {
  readonly bucket: string;
  readonly access: Access;
  readonly keySha256?: string;
  /** The grant that matched, if any. */
  readonly grant?: Grant;
  readonly result: "granted" | "no-item" | "no-matching-grant" | "expired";
}

/** The annotation added to each CloudTrail event under {@link ANNOTATION_FIELD}. No field holds an object key. */
export interface EventAnnotation {
  readonly decision: Decision;
  /** The principal the grants were looked up for (absent when none could be read). */
  readonly principal?: string;
  /** `userIdentity.type`, and whether the caller's account differs from the bucket owner's. */
  readonly principalType?: string;
  readonly crossAccount?: boolean;
  /** `userIdentity.invokedBy`: the service that made the call on the principal's behalf. */
  readonly invokedBy?: string;
  readonly checks: readonly AccessCheck[];
  readonly incident?: IncidentStatus;
}

/** Field added to each CloudTrail event. */
export const ANNOTATION_FIELD = "authorization";
/** Version of the output document; bump on an incompatible change (the Glue table and index templates follow it). */
export const OUTPUT_VERSION = 1;

/**
 * The output document of one Firehose record, one JSON line (newline-terminated), for OpenSearch
 * (one document per record: OpenSearch cannot take several documents in one record) and the S3
 * archive (JSON lines). A record carries one or more CloudTrail events (CloudWatch Logs batches
 * log events per record); each keeps every CloudTrail field and gains {@link ANNOTATION_FIELD}.
 * `decision` is the record's worst decision: unknown-principal > denied > allowed > not-applicable.
 */
export interface OutputDocument {
  readonly authorizerVersion: number;
  readonly decision: Decision;
  readonly eventCount: number;
  readonly events: readonly Record<string, unknown>[];
}

/** Why a record was returned `ProcessingFailed` (logged with the recordId; Firehose keeps the raw record under its error prefix). */
export const FAILURE_REASONS = {
  notBase64: "NOT_BASE64",
  notUtf8: "NOT_UTF8",
  notGzip: "NOT_GZIP",
  tooLarge: "DECOMPRESSED_TOO_LARGE",
  notSubscription: "NOT_A_SUBSCRIPTION_MESSAGE",
  empty: "EMPTY_RECORD",
  notJson: "NOT_JSON",
  notObject: "NOT_A_JSON_OBJECT",
  responseBudget: "RESPONSE_SIZE_BUDGET",
} as const;
export type FailureReason = (typeof FAILURE_REASONS)[keyof typeof FAILURE_REASONS];

/**
 * The state machine input for a denied access: identifiers only. The object key is never sent
 * (it may hold a patient identifier); `objectKeySha256` correlates it with the archived event.
 * The execution name is the CloudTrail eventID ({@link executionName}).
 */
export interface IncidentInput {
  readonly eventId: string;
  readonly principalArn: string;
  readonly bucket: string;
  readonly objectKeySha256?: string;
  readonly access: Access;
  readonly decision: Decision;
  readonly eventTime: string;
  /**
   * Present (and `true`) only for the canary's own probe: the canary principal's access under the
   * canary prefix of the canary bucket ({@link CanaryTarget}). The workflow skips Macie for it and
   * says "canary"; every other incident carries no such field and runs as it always did.
   */
  readonly canary?: true;
}

/**
 * The throttle item an incident claims ({@link THROTTLE_TABLE_KEY_SCHEMA}'s partition key) and its
 * window in seconds: a real incident its principal (the configured window); a canary incident
 * `canary#<minute of its eventTime>#<principal>` ({@link CANARY_INCIDENT_THROTTLE_SECONDS}), which no
 * principal key can equal (principals are ARNs, service principals or "unidentified": none has "#").
 */
export function throttleClaim(input: IncidentInput, windowSeconds: number, nowMs: number): { key: string; windowSeconds: number } {
  if (input.canary !== true) return { key: input.principalArn, windowSeconds };
  const at = Date.parse(input.eventTime);
  const minute = new Date(Math.floor((Number.isNaN(at) ? nowMs : at) / 60_000) * 60_000).toISOString().slice(0, 16);
  return { key: `canary#${minute}#${input.principalArn}`, windowSeconds: CANARY_INCIDENT_THROTTLE_SECONDS };
}

/** The DLQ message body for a start that failed: the input and the error name (never its message). */
export interface IncidentDeadLetter {
  readonly stateMachineArn: string;
  readonly executionName: string;
  readonly input: IncidentInput;
  readonly error: string;
}

const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The execution name for an event: its eventID when that is a valid name (a UUID always is),
 * otherwise `h-` + the first 64 hex digits of its SHA-256 (computed by the caller: this module is dependency-free).
 */
export function executionName(eventId: string, sha256Hex: (s: string) => string): string {
  return EXECUTION_NAME.test(eventId) ? eventId : `h-${sha256Hex(eventId).slice(0, 64)}`;
}

// ---------------------------------------------------------------------------------------------
// Firehose processing configuration
// ---------------------------------------------------------------------------------------------

/**
 * The largest response Lambda returns to a synchronous caller is 6 MB
 * (https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html, "The Lambda synchronous invocation
 * mode has a payload size limit of 6 MB for both the request and the response"). The handler keeps its
 * serialized response under this budget whatever the input; past it, records are returned
 * `ProcessingFailed` with their original data (never dropped).
 */
export const MAX_RESPONSE_BYTES = 6_000_000;

/**
 * Lambda processor buffer: 0.2 MB (the least of 0.2-3 MB) and 5 s (of 0-900 s). The buffer measures
 * records as they arrive, gzip-compressed subscription messages (no Decompression processor runs
 * before the Lambda), and the response carries the decompressed, annotated events base64-encoded:
 * CloudTrail JSON compresses about 5-15x, so 0.2 MB comes back as about 1.5-5 MB, under Lambda's 6 MB
 * (test/authorizer "the configured buffer"); past it records are ProcessingFailed with their original
 * data, never lost. A 5 s interval keeps events searchable within seconds. `isAwsDefault` marks the values equal to AWS
 * defaults: the component must leave those parameters out, or the provider shows a perpetual diff.
 * https://docs.aws.amazon.com/firehose/latest/APIReference/API_ProcessorParameter.html
 */
export const LAMBDA_PROCESSOR_BUFFER = {
  bufferSizeInMBs: { value: 0.2, isAwsDefault: false },
  bufferIntervalInSeconds: { value: 5, isAwsDefault: false },
  numberOfRetries: { value: 3, isAwsDefault: true },
} as const;

/**
 * The stream's processors, in order, as `processingConfiguration.processors` of
 * `aws.kinesis.FirehoseDeliveryStream` (Lambda ARN and role filled in by the component; parameters
 * equal to AWS defaults already left out). The Lambda is the only processor: it decodes the
 * subscription's gzip-compressed messages itself (firehose.ts), so the design does not depend on the
 * undocumented Decompression / CloudWatchLogProcessing processors on an OpenSearch destination
 * (https://docs.aws.amazon.com/firehose/latest/dev/writing-with-cloudwatch-logs.html says Firehose does
 * not support delivering CloudWatch Logs to OpenSearch, several log events being one record).
 */
export function firehoseProcessors(lambdaArn: string): { type: string; parameters: { parameterName: string; parameterValue: string }[] }[] {
  const lambdaParameters = [{ parameterName: "LambdaArn", parameterValue: lambdaArn }];
  const buffer = LAMBDA_PROCESSOR_BUFFER;
  if (!buffer.bufferSizeInMBs.isAwsDefault)
    lambdaParameters.push({ parameterName: "BufferSizeInMBs", parameterValue: String(buffer.bufferSizeInMBs.value) });
  if (!buffer.bufferIntervalInSeconds.isAwsDefault)
    lambdaParameters.push({ parameterName: "BufferIntervalInSeconds", parameterValue: String(buffer.bufferIntervalInSeconds.value) });
  if (!buffer.numberOfRetries.isAwsDefault)
    lambdaParameters.push({ parameterName: "NumberOfRetries", parameterValue: String(buffer.numberOfRetries.value) });
  return [{ type: "Lambda", parameters: lambdaParameters }];
}

// ---------------------------------------------------------------------------------------------
// IAM
// ---------------------------------------------------------------------------------------------

/**
 * The API actions the handler performs, per service and resource, for the component's
 * least-privilege policy (plus the usual log-group and VPC ENI permissions of a Lambda in a VPC).
 * If the DLQ uses SSE-KMS with a customer managed key, the role also needs `kms:GenerateDataKey`
 * and `kms:Decrypt` on that key (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html).
 */
export const AUTHORIZER_ACTIONS = {
  /** On the grants table only. */
  grantsTable: ["dynamodb:BatchGetItem"],
  /** On the throttle table only. */
  throttleTable: ["dynamodb:PutItem"],
  /** On the incident state machine only. */
  stateMachine: ["states:StartExecution"],
  /** On the incident DLQ only. */
  deadLetterQueue: ["sqs:SendMessage"],
  /** On the DLQ's customer managed key, when it has one. */
  deadLetterQueueKey: ["kms:GenerateDataKey", "kms:Decrypt"],
} as const;
