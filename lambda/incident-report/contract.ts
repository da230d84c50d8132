/**
 * The contract between the incident-report Lambda (lambda/incident-report), the incident state
 * machine that invokes it and the Pulumi component that deploys both
 * (components/security-events/incident-workflow.ts): the two requests the function serves, the
 * report it writes, its environment and the IAM actions it needs.
 *
 * Dependency-free on purpose: the Pulumi program imports it and must not pull the AWS SDK in.
 *
 * The function serves two steps of the workflow:
 * - `prepare-query`: the Athena `ExecutionParameters` of the access-history query for an incident
 *   (the window needs date arithmetic, which the States language has no function for);
 * - `write-report`: one JSON report and one short text summary per incident, written once
 *   (idempotent per execution) under Object Lock retention, holding ids only.
 *
 * AWS facts this contract relies on (checked in the documentation, cited where used):
 * - Athena parameterized queries (`?` placeholders, values as SQL literals, strings in single quotes):
 *   https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements.html
 * - Object Lock retention on upload (`x-amz-object-lock-mode`, `x-amz-object-lock-retain-until-date`,
 *   `s3:PutObjectRetention`, and a Content-MD5 or x-amz-sdk-checksum-algorithm header on every such PUT):
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html and
 *   https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 * - Conditional writes (`If-None-Match: *`, 412 Precondition Failed when the key exists):
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 */
import type { Access, Decision, IncidentInput } from "../authorizer/contract";

export type { IncidentInput };

// ---------------------------------------------------------------------------------------------
// Runtime and packaging
// ---------------------------------------------------------------------------------------------

export const INCIDENT_REPORT_HANDLER = "index.handler";
/** Two small S3 writes (and two HEADs); the SDK's retries fit well inside. */
export const INCIDENT_REPORT_TIMEOUT_SECONDS = 30;
export const INCIDENT_REPORT_MEMORY_MB = 256;

/** Environment variables the handler reads; the component sets every one. */
export const INCIDENT_REPORT_ENV = {
  /** Required. The incident-report bucket (Object Lock enabled). */
  reportBucketName: "REPORT_BUCKET_NAME",
  /** Required. ARN of the bucket's KMS key: every report is written SSE-KMS under exactly this key. */
  reportKmsKeyArn: "REPORT_KMS_KEY_ARN",
  /** Required. GOVERNANCE (dev) or COMPLIANCE (prod): the retention mode written on each report. */
  objectLockMode: "OBJECT_LOCK_MODE",
  /** Required. Days each report is retained (`reportRetentionInDays`). */
  retentionInDays: "REPORT_RETENTION_IN_DAYS",
  /** Optional. "true" for path-style S3 addressing (local S3 servers in tests). @default false */
  s3ForcePathStyle: "S3_FORCE_PATH_STYLE",
} as const;

export const OBJECT_LOCK_MODES = ["GOVERNANCE", "COMPLIANCE"] as const;
export type ObjectLockMode = (typeof OBJECT_LOCK_MODES)[number];

export interface IncidentReportEnvironment {
  readonly reportBucketName: string;
  readonly reportKmsKeyArn: string;
  readonly objectLockMode: ObjectLockMode;
  readonly retentionInDays: number;
  readonly s3ForcePathStyle: boolean;
}

export class IncidentReportEnvironmentError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`incident-report environment is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "IncidentReportEnvironmentError";
  }
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** Reads and validates the environment; throws one error listing every problem. */
export function readIncidentReportEnvironment(env: Readonly<Record<string, string | undefined>>): IncidentReportEnvironment {
  const problems: string[] = [];
  const value = (name: string) => env[name] ?? "";
  const bucket = value(INCIDENT_REPORT_ENV.reportBucketName);
  if (!BUCKET_NAME.test(bucket))
    problems.push(`${INCIDENT_REPORT_ENV.reportBucketName} must be an S3 bucket name, got ${JSON.stringify(bucket)}`);
  const key = value(INCIDENT_REPORT_ENV.reportKmsKeyArn);
  if (!KMS_KEY_ARN.test(key))
    problems.push(`${INCIDENT_REPORT_ENV.reportKmsKeyArn} must be a KMS key ARN (not an alias), got ${JSON.stringify(key)}`);
  const mode = value(INCIDENT_REPORT_ENV.objectLockMode);
  if (!(OBJECT_LOCK_MODES as readonly string[]).includes(mode)) {
    problems.push(`${INCIDENT_REPORT_ENV.objectLockMode} must be ${OBJECT_LOCK_MODES.join(" or ")}, got ${JSON.stringify(mode)}`);
  }
  const days = value(INCIDENT_REPORT_ENV.retentionInDays);
  if (!/^\d+$/.test(days) || Number(days) < 1 || Number(days) > 36_500) {
    problems.push(`${INCIDENT_REPORT_ENV.retentionInDays} must be a whole number of days from 1 to 36500, got ${JSON.stringify(days)}`);
  }
  const pathStyle = env[INCIDENT_REPORT_ENV.s3ForcePathStyle];
  if (pathStyle !== undefined && pathStyle !== "" && pathStyle !== "true" && pathStyle !== "false") {
    problems.push(`${INCIDENT_REPORT_ENV.s3ForcePathStyle} must be "true" or "false" (or unset), got ${JSON.stringify(pathStyle)}`);
  }
  if (problems.length > 0) throw new IncidentReportEnvironmentError(problems);
  return Object.freeze({
    reportBucketName: bucket,
    reportKmsKeyArn: key,
    objectLockMode: mode as ObjectLockMode,
    retentionInDays: Number(days),
    s3ForcePathStyle: pathStyle === "true",
  });
}

// ---------------------------------------------------------------------------------------------
// prepare-query: the access-history window
// ---------------------------------------------------------------------------------------------

/** Days of the principal's history before the event that an incident's query reads. */
export const ACCESS_HISTORY_LOOKBACK_DAYS = 7;
/** Seconds after the event included (what the principal did right after, as far as archived). */
export const ACCESS_HISTORY_LOOKAHEAD_SECONDS = 3_600;

/**
 * Days of partitions read on each side of the window. MUST equal `PARTITION_SLACK_DAYS` of
 * components/security-events/archive-query.ts (its pure helpers live in a module that imports
 * Pulumi, so the function cannot bundle them): test/incident asserts the two give identical
 * parameters for any input.
 */
export const PARTITION_SLACK_DAYS = 1;

/** An IAM user or role, or an STS assumed-role session (what the archive's userIdentity.arn holds). */
const PRINCIPAL_ARN = /^arn:aws(-[a-z]+)*:(iam|sts)::\d{12}:[A-Za-z0-9+=,.@_/-]+$/;
const CLOUDTRAIL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** Thrown for an incident whose history cannot be queried (no principal ARN, no event time): the workflow records it. */
export class InvalidIncidentInput extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidIncidentInput";
  }
}

export interface PrepareQueryRequest {
  readonly action: "prepare-query";
  readonly incident: IncidentInput;
}

export interface PrepareQueryResponse {
  /** The six values of `accessHistoryQuery`'s `?` placeholders, as Athena `ExecutionParameters` (SQL string literals). */
  readonly executionParameters: string[];
  /** The window, [from, to) in CloudTrail's time format. */
  readonly from: string;
  readonly to: string;
}

const cloudTrailTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
const utcDay = (d: Date, offsetDays: number) => new Date(d.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
/** A SQL string literal: single quotes, a quote doubled (Athena reads a parameter as a literal). */
const sqlString = (v: string) => `'${v.replace(/'/g, "''")}'`;

/**
 * The access-history query's parameters for an incident: the principal's events from
 * {@link ACCESS_HISTORY_LOOKBACK_DAYS} before the event to {@link ACCESS_HISTORY_LOOKAHEAD_SECONDS}
 * after it, partitions bounded by the same days plus the slack. Never SQL text: values only.
 */
export function prepareQuery(incident: IncidentInput): PrepareQueryResponse {
  if (typeof incident.principalArn !== "string" || !PRINCIPAL_ARN.test(incident.principalArn)) {
    throw new InvalidIncidentInput("the incident names no IAM or STS principal ARN: its access history cannot be queried");
  }
  if (typeof incident.eventTime !== "string" || !CLOUDTRAIL_TIME.test(incident.eventTime) || Number.isNaN(Date.parse(incident.eventTime))) {
    throw new InvalidIncidentInput("the incident has no CloudTrail eventTime (yyyy-MM-ddTHH:mm:ssZ)");
  }
  const at = new Date(incident.eventTime);
  const from = new Date(at.getTime() - ACCESS_HISTORY_LOOKBACK_DAYS * 86_400_000);
  const to = new Date(at.getTime() + ACCESS_HISTORY_LOOKAHEAD_SECONDS * 1000);
  const values = [
    utcDay(from, -PARTITION_SLACK_DAYS),
    utcDay(to, PARTITION_SLACK_DAYS),
    cloudTrailTime(from),
    cloudTrailTime(to),
    incident.principalArn,
    incident.principalArn,
  ];
  return { executionParameters: values.map(sqlString), from: cloudTrailTime(from), to: cloudTrailTime(to) };
}

// ---------------------------------------------------------------------------------------------
// write-report: what the state machine hands over, and the report
// ---------------------------------------------------------------------------------------------

/** The Macie step's outcome, as the state machine records it. */
export type MacieOutcome =
  | { readonly status: "STARTED"; readonly jobId: string; readonly jobArn: string }
  | { readonly status: "FAILED"; readonly error: string }
  | { readonly status: "SKIPPED"; readonly reason: string };

/** The access-history step's outcome (the result rows stay in Athena's encrypted result location). */
export type AccessHistoryOutcome =
  | { readonly status: "SUCCEEDED"; readonly queryExecutionId: string; readonly resultLocation: string }
  | { readonly status: "FAILED"; readonly error: string };

export interface ExecutionRef {
  /** The execution name: the CloudTrail eventID (or its hash), the incident's id. */
  readonly name: string;
  /** The execution ARN (`$$.Execution.Id`). */
  readonly id: string;
  /** ISO-8601 start time (`$$.Execution.StartTime`): the report's date and retention count from it, so a retry writes the same. */
  readonly startTime: string;
}

export interface WriteReportRequest {
  readonly action: "write-report";
  readonly execution: ExecutionRef;
  readonly incident: IncidentInput;
  readonly macie: MacieOutcome;
  readonly accessHistory: AccessHistoryOutcome;
}

export interface WriteReportResponse {
  readonly bucket: string;
  readonly key: string;
  readonly summaryKey: string;
  readonly objectLockMode: ObjectLockMode;
  readonly retainUntil: string;
  /** Base64 SHA-256 of the JSON report, as sent in `x-amz-checksum-sha256`. */
  readonly checksumSha256: string;
  /** True when an earlier attempt of this execution had written the report already. */
  readonly alreadyWritten: boolean;
}

export type IncidentReportRequest = PrepareQueryRequest | WriteReportRequest;

/** Version of the report document; bump on an incompatible change. */
export const REPORT_VERSION = 1;
/** Key prefix of every report (the function may write nowhere else). */
export const REPORT_PREFIX = "reports/";

/**
 * The report: identifiers, the decision and the grant state, the Macie job, the Athena query and
 * where its result is. Never an object key, never object contents, never a query result row.
 */
export interface IncidentReport {
  readonly reportVersion: typeof REPORT_VERSION;
  readonly incidentId: string;
  readonly executionArn: string;
  readonly executionStartTime: string;
  readonly event: {
    readonly eventId: string;
    readonly eventTime: string;
    readonly principalArn: string;
    readonly bucket: string;
    readonly objectKeySha256?: string;
    readonly access: Access;
    /** Present for the detection canary's probe only (the authorizer's `IncidentInput.canary`). */
    readonly canary?: true;
  };
  /** The authorizer's decision and what it means for the principal's grants on the bucket. */
  readonly decision: Decision;
  readonly grantState: "no grant for this principal on this bucket" | "a grant exists but none covers this access" | "other";
  readonly classification: MacieOutcome;
  readonly accessHistory: AccessHistoryOutcome & { readonly window?: { readonly from: string; readonly to: string } };
  readonly retention: { readonly mode: ObjectLockMode; readonly retainUntil: string };
}

/** Keys of an execution's report and summary: `reports/<yyyy-MM-dd of the start>/<execution name>.{json,txt}`. */
export function reportKeys(execution: Pick<ExecutionRef, "name" | "startTime">): { key: string; summaryKey: string } {
  const day = new Date(execution.startTime).toISOString().slice(0, 10);
  const base = `${REPORT_PREFIX}${day}/${execution.name}`;
  return { key: `${base}.json`, summaryKey: `${base}.txt` };
}

/** The retain-until date of an execution's report: its start plus the retention (so every retry asks for the same date). */
export function retainUntil(startTime: string, retentionInDays: number): string {
  return new Date(new Date(startTime).getTime() + retentionInDays * 86_400_000).toISOString();
}

// ---------------------------------------------------------------------------------------------
// IAM
// ---------------------------------------------------------------------------------------------

/**
 * The API actions the handler performs, for the component's least-privilege policy. Object
 * actions on `<report bucket>/reports/*` only; `s3:GetObject` is what HeadObject is authorized as
 * (no `s3:ListBucket`: a HEAD of a missing key then answers 403, not 404, and the handler's conditional
 * PUT decides, https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html);
 * `s3:PutObjectRetention` is required for a PUT carrying Object Lock retention headers
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html#object-lock-managing-permissions).
 * KMS through S3 only: a data key per upload (no multipart: the objects are small).
 */
export const INCIDENT_REPORT_ACTIONS = {
  reportObjects: ["s3:PutObject", "s3:PutObjectRetention", "s3:GetObject"],
  reportKey: ["kms:GenerateDataKey"],
} as const;
