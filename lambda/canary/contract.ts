/**
 * The contract between the canary Lambda and the component that deploys it (components/canary/):
 * environment variables, the object layout it writes and reads, the metrics it publishes, the alert
 * messages it measures, and the IAM actions it performs. Dependency-free: the Pulumi program imports it.
 *
 * The canary proves two paths every run (ARCHITECTURE.md section 3, issue 18):
 * - PHI path: a synthetic FHIR record (meta.tag HTEST "test health data", identifier system
 *   {@link CANARY_IDENTIFIER_SYSTEM}) under `intake/canary/`, processed by the data processor into
 *   `processed/canary/` with an audit item; `ProcessingSeconds` is the time to observe both.
 * - Detection path: a read of {@link CANARY_PROBE_KEY} as the probe role, which IAM allows and the
 *   grants table does not, so the authorizer opens a canary incident whose alert reaches the canary's
 *   queue (SNS subscription filtered on the message attribute `canary` = "true"); the next run measures
 *   `DetectionSeconds` = the SNS notification's Timestamp (publish time) minus the alert's `eventTime`.
 */

export const CANARY_HANDLER = "index.handler";

export const CANARY_METRIC_NAMESPACE = "HealthcarePlatform/Canary";
export const CANARY_METRICS = { processing: "ProcessingSeconds", detection: "DetectionSeconds" } as const;
/** The one dimension of both metrics: `Stack` = the stack name. */
export const CANARY_DIMENSION = "Stack";

/** Where the canary's synthetic records go (under the processor's intake prefix) and come out. */
export const CANARY_INTAKE_PREFIX = "intake/canary/";
export const CANARY_PROCESSED_PREFIX = "processed/canary/";
/** The probe's prefix and object: the canary role writes it, the probe role reads it. */
export const CANARY_PROBE_PREFIX = "canary/";
export const CANARY_PROBE_KEY = "canary/probe.json";

/** The SNS message attribute the incident workflow sets on every alert: "true" for canary incidents, "false" otherwise. */
export const CANARY_ALERT_ATTRIBUTE = "canary";
/** The alert the canary measures (the incident's first message); the workflow's later messages are deleted unmeasured. */
export const CANARY_MEASURED_ALERT = "PHI_ACCESS_INCIDENT";

/** FHIR marking of test data (HL7 v3 ActReason HTEST, "test health data"). */
export const CANARY_TEST_TAG = {
  system: "http://terminology.hl7.org/CodeSystem/v3-ActReason",
  code: "HTEST",
  display: "test health data",
} as const;
export const CANARY_IDENTIFIER_SYSTEM = "urn:healthcare-platform:canary";

/** Environment variables the handler reads. */
export const CANARY_ENV = {
  bucket: "CANARY_BUCKET",
  auditTableName: "AUDIT_TABLE_NAME",
  probeRoleArn: "PROBE_ROLE_ARN",
  alertQueueUrl: "ALERT_QUEUE_URL",
  stack: "STACK_NAME",
  /** Seconds the PHI path waits for the processed copy and the audit item, well under the function's timeout. */
  processingWaitSeconds: "PROCESSING_WAIT_SECONDS",
  /** Optional: path-style S3 URLs (s3rver). @default false */
  s3ForcePathStyle: "S3_FORCE_PATH_STYLE",
} as const;

/** What the function's role does, by resource: the component grants exactly these. */
export const CANARY_ACTIONS = {
  s3Write: ["s3:PutObject"],
  s3Read: ["s3:GetObject"],
  dynamodb: ["dynamodb:Query"],
  sts: ["sts:AssumeRole"],
  sqs: ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
  cloudwatch: ["cloudwatch:PutMetricData"],
  /** Through S3 (SSE-KMS objects), DynamoDB (the audit table) and SQS (the alert queue). */
  kms: ["kms:Decrypt", "kms:GenerateDataKey"],
} as const;
/** What the probe role may do: read the probe prefix (and decrypt through S3 to do it). */
export const PROBE_ACTIONS = { s3Read: ["s3:GetObject"], kms: ["kms:Decrypt"] } as const;

/** Margin the PHI path waits beyond its objective, so a timeout always reports a value above the objective. */
export const PROCESSING_WAIT_MARGIN_SECONDS = 30;
/** Time the function keeps for the drain, the probe and the metrics beyond the PHI path's wait. */
export const CANARY_RESERVE_SECONDS = 60;

/** The function's timeout for an objective: the wait ({@link processingWaitSeconds}) plus the reserve. */
export function canaryTimeoutSeconds(processingObjectiveSeconds: number): number {
  return processingWaitSeconds(processingObjectiveSeconds) + CANARY_RESERVE_SECONDS;
}
export function processingWaitSeconds(processingObjectiveSeconds: number): number {
  return processingObjectiveSeconds + PROCESSING_WAIT_MARGIN_SECONDS;
}

export interface CanaryEnvironment {
  readonly bucket: string;
  readonly auditTableName: string;
  readonly probeRoleArn: string;
  readonly alertQueueUrl: string;
  readonly stack: string;
  readonly processingWaitSeconds: number;
  readonly s3ForcePathStyle: boolean;
}

export class CanaryEnvironmentError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`canary environment is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "CanaryEnvironmentError";
  }
}

/** Reads and validates the environment; one error naming every bad variable and its expected shape. */
export function readCanaryEnvironment(env: Readonly<Record<string, string | undefined>>): CanaryEnvironment {
  const problems: string[] = [];
  const required = (name: string, pattern: RegExp, shape: string): string => {
    const value = env[name];
    if (value === undefined || value === "") problems.push(`${name} is required: set it to ${shape}`);
    else if (!pattern.test(value)) problems.push(`${name} must be ${shape}, got ${JSON.stringify(value)}`);
    return value ?? "";
  };
  const bucket = required(CANARY_ENV.bucket, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name");
  const auditTableName = required(CANARY_ENV.auditTableName, /^[A-Za-z0-9_.-]{3,255}$/, "a DynamoDB table name");
  const probeRoleArn = required(CANARY_ENV.probeRoleArn, /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, "an IAM role ARN");
  const alertQueueUrl = required(CANARY_ENV.alertQueueUrl, /^https?:\/\/\S+$/, "an SQS queue URL");
  const stack = required(CANARY_ENV.stack, /^[A-Za-z0-9_.-]{1,100}$/, "the stack name");
  const waitRaw = required(CANARY_ENV.processingWaitSeconds, /^\d{1,4}$/, "a whole number of seconds from 1 to 900");
  const processingWait = Number(waitRaw);
  if (waitRaw !== "" && /^\d{1,4}$/.test(waitRaw) && (processingWait < 1 || processingWait > 900))
    problems.push(`${CANARY_ENV.processingWaitSeconds} must be from 1 to 900 (Lambda's longest timeout), got ${processingWait}`);
  const pathStyle = env[CANARY_ENV.s3ForcePathStyle];
  if (pathStyle !== undefined && pathStyle !== "" && pathStyle !== "true" && pathStyle !== "false")
    problems.push(`${CANARY_ENV.s3ForcePathStyle} must be "true" or "false" (or unset), got ${JSON.stringify(pathStyle)}`);
  if (problems.length > 0) throw new CanaryEnvironmentError(problems);
  return Object.freeze({
    bucket,
    auditTableName,
    probeRoleArn,
    alertQueueUrl,
    stack,
    processingWaitSeconds: processingWait,
    s3ForcePathStyle: pathStyle === "true",
  });
}

/** The synthetic record of one run: a FHIR R4 Patient with no personal data, marked as test data and as the canary's. */
export function syntheticRecord(runId: string): Record<string, unknown> {
  return {
    resourceType: "Patient",
    meta: { tag: [{ ...CANARY_TEST_TAG }] },
    identifier: [{ system: CANARY_IDENTIFIER_SYSTEM, value: runId }],
    active: false,
  };
}

/** What one message of the alert queue is to the canary. */
export type AlertVerdict =
  | { readonly kind: "measure"; readonly detectionSeconds: number; readonly incidentId?: string }
  | { readonly kind: "ignore"; readonly reason: string }
  | { readonly kind: "malformed"; readonly reason: string };

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Classifies one SQS message body: an SNS notification (not raw delivery) whose `Timestamp` is the
 * publish time and whose `Message` is the workflow's alert JSON with `eventTime` (the access's
 * CloudTrail eventTime). Only a canary-marked {@link CANARY_MEASURED_ALERT} is measured.
 */
export function classifyAlert(body: string | undefined): AlertVerdict {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body ?? "");
  } catch {
    return { kind: "malformed", reason: "body is not JSON (expected an SNS notification)" };
  }
  if (typeof envelope !== "object" || envelope === null) return { kind: "malformed", reason: "body is not a JSON object" };
  const n = envelope as Record<string, unknown>;
  if (n.Type !== "Notification") return { kind: "malformed", reason: "not an SNS notification (Type)" };
  if (typeof n.Timestamp !== "string" || !ISO_TIME.test(n.Timestamp)) return { kind: "malformed", reason: "no ISO 8601 Timestamp" };
  const attributes = (n.MessageAttributes ?? {}) as Record<string, { Value?: unknown } | undefined>;
  if (attributes[CANARY_ALERT_ATTRIBUTE]?.Value !== "true") return { kind: "ignore", reason: "not a canary alert" };
  let alert: unknown;
  try {
    alert = JSON.parse(typeof n.Message === "string" ? n.Message : "");
  } catch {
    return { kind: "malformed", reason: "Message is not JSON (expected the incident alert)" };
  }
  if (typeof alert !== "object" || alert === null) return { kind: "malformed", reason: "Message is not a JSON object" };
  const a = alert as Record<string, unknown>;
  if (a.alert !== CANARY_MEASURED_ALERT) return { kind: "ignore", reason: "a later message of the incident" };
  if (typeof a.eventTime !== "string" || !ISO_TIME.test(a.eventTime))
    return { kind: "malformed", reason: "alert has no ISO 8601 eventTime" };
  const seconds = (Date.parse(n.Timestamp) - Date.parse(a.eventTime)) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0) return { kind: "malformed", reason: "published before the access (Timestamp < eventTime)" };
  return { kind: "measure", detectionSeconds: seconds, incidentId: typeof a.incidentId === "string" ? a.incidentId : undefined };
}
