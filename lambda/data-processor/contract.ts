/**
 * The contract between the data-processor Lambda and the Pulumi component that deploys it
 * (components/processing.ts). The component imports these names instead of repeating strings:
 * environment variables, the SSM configuration document, the audit table's key schema, the object
 * layout of the data bucket, the alert message and the IAM actions the handler performs.
 *
 * This module is dependency-free on purpose: the Pulumi program imports it, and it must not pull
 * the handler's runtime (AWS SDK, validator) into the program.
 */

// ---------------------------------------------------------------------------------------------
// Runtime and packaging
// ---------------------------------------------------------------------------------------------

/** `handler` setting of the function: the bundle is a single `index.js` exporting `handler`. */
export const DATA_PROCESSOR_HANDLER = "index.handler";

/** The FHIR R4 resource types the bundled validator can check. Generated code is built from this. */
export const SUPPORTED_RESOURCE_TYPES = ["Patient", "Observation", "Bundle"] as const;
export type SupportedResourceType = (typeof SUPPORTED_RESOURCE_TYPES)[number];

/**
 * Records of one event processed at the same time. S3 notifications carry one record per event,
 * so this only matters for batched invocations; memory needed is roughly
 * `RECORD_CONCURRENCY * maxObjectBytes * 10` (raw bytes, decoded string, parsed object).
 */
export const RECORD_CONCURRENCY = 4;

// ---------------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------------

/** Environment variables the handler reads. The component sets the required ones. */
export const DATA_PROCESSOR_ENV = {
  /** Required. Name of the DynamoDB audit table (key schema: {@link AUDIT_TABLE_KEY_SCHEMA}). */
  auditTableName: "AUDIT_TABLE_NAME",
  /** Required. ARN of the SNS topic that receives quarantine alerts ({@link QuarantineAlert}: ids only, never the object key). */
  alertTopicArn: "ALERT_TOPIC_ARN",
  /**
   * Required. Name (or ARN) of the SSM SecureString parameter holding the {@link ProcessorConfig}
   * JSON. It is read once per cold start with decryption. It may carry a version selector
   * (`/healthcare/dev/data-processor:3`): the component should pass `<name>:<version>` so that a
   * config change updates the function and new instances read exactly that version.
   */
  configParameterName: "CONFIG_PARAMETER_NAME",
  /**
   * Optional, `true` or `false`. Use path-style S3 URLs (`http://host/bucket/key`), which local
   * emulators such as s3rver need. @default false (virtual-hosted style, as AWS recommends)
   */
  s3ForcePathStyle: "S3_FORCE_PATH_STYLE",
} as const;

/**
 * Standard AWS SDK v3 variables the handler honours without code of its own (verified against
 * @smithy/core's endpoint resolution): per-service endpoints for local emulators and retry count.
 * The component sets none of them; tests and the bench do.
 */
export const SDK_ENV = [
  "AWS_ENDPOINT_URL_S3",
  "AWS_ENDPOINT_URL_DYNAMODB",
  "AWS_ENDPOINT_URL_SNS",
  "AWS_ENDPOINT_URL_SSM",
  "AWS_MAX_ATTEMPTS",
] as const;

/** The validated environment of one function instance. */
export interface DataProcessorEnvironment {
  readonly auditTableName: string;
  readonly alertTopicArn: string;
  readonly configParameterName: string;
  readonly s3ForcePathStyle: boolean;
}

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const PARAMETER_NAME = /^(arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter)?[A-Za-z0-9_./-]{1,2048}(:[A-Za-z0-9_.-]{1,100})?$/;

/** Thrown when the function's environment is incomplete; names every bad variable. */
export class DataProcessorEnvironmentError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`data-processor environment is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "DataProcessorEnvironmentError";
  }
}

/** Reads and validates the environment; throws one error listing every problem. */
export function readDataProcessorEnvironment(env: Readonly<Record<string, string | undefined>>): DataProcessorEnvironment {
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
  const auditTableName = required(DATA_PROCESSOR_ENV.auditTableName, TABLE_NAME, "a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)");
  const alertTopicArn = required(
    DATA_PROCESSOR_ENV.alertTopicArn,
    TOPIC_ARN,
    "the ARN of a standard (not FIFO) SNS topic, such as arn:aws:sns:us-east-1:123456789012:alerts",
  );
  const configParameterName = required(
    DATA_PROCESSOR_ENV.configParameterName,
    PARAMETER_NAME,
    "an SSM parameter name or ARN, optionally with a :version selector, such as /healthcare/dev/data-processor:3",
  );
  const pathStyle = env[DATA_PROCESSOR_ENV.s3ForcePathStyle];
  if (pathStyle !== undefined && pathStyle !== "" && pathStyle !== "true" && pathStyle !== "false") {
    problems.push(
      `${DATA_PROCESSOR_ENV.s3ForcePathStyle} must be "true" or "false" (or unset for false), got ${JSON.stringify(pathStyle)}`,
    );
  }
  if (problems.length > 0) throw new DataProcessorEnvironmentError(problems);
  return Object.freeze({ auditTableName, alertTopicArn, configParameterName, s3ForcePathStyle: pathStyle === "true" });
}

// ---------------------------------------------------------------------------------------------
// SSM configuration document
// ---------------------------------------------------------------------------------------------

/** The object layout of the data bucket. Every prefix ends with `/`; none contains another. */
export const DEFAULT_PREFIXES = {
  intake: "intake/",
  processed: "processed/",
  quarantine: "quarantine/",
} as const;

/** Five MiB, the default of the stack key `maxRecordSizeInBytes` (components/config/). */
export const DEFAULT_MAX_OBJECT_BYTES = 5 * 1024 * 1024;
/** 100 MiB, the largest object the handler may buffer (and the stack key's maximum). */
export const MAX_OBJECT_BYTES_LIMIT = 100 * 1024 * 1024;

/**
 * The JSON document stored in the SSM SecureString parameter `CONFIG_PARAMETER_NAME`. Every key is
 * optional (the default applies when absent); an unknown key is an error, so a misspelt key never
 * falls back to a default silently.
 *
 * ```json
 * { "intakePrefix": "intake/", "processedPrefix": "processed/", "quarantinePrefix": "quarantine/",
 *   "maxObjectBytes": 5242880, "acceptedResourceTypes": ["Patient", "Observation", "Bundle"] }
 * ```
 */
export interface ProcessorConfig {
  /** Keys the handler processes; others are ignored with a log line. The S3 notification filter uses the same prefix. @default "intake/" */
  readonly intakePrefix: string;
  /** Where valid records are copied, under the same relative key. @default "processed/" */
  readonly processedPrefix: string;
  /** Where invalid records are copied and tagged. @default "quarantine/" */
  readonly quarantinePrefix: string;
  /** Largest object read, 1 to 104857600 bytes; larger ones are quarantined unread. @default 5242880 (5 MiB) */
  readonly maxObjectBytes: number;
  /** Resource types accepted, a non-empty subset of {@link SUPPORTED_RESOURCE_TYPES}; resources inside a Bundle or `contained` must be accepted too. @default all supported */
  readonly acceptedResourceTypes: readonly SupportedResourceType[];
}

export const DEFAULT_PROCESSOR_CONFIG: ProcessorConfig = Object.freeze({
  intakePrefix: DEFAULT_PREFIXES.intake,
  processedPrefix: DEFAULT_PREFIXES.processed,
  quarantinePrefix: DEFAULT_PREFIXES.quarantine,
  maxObjectBytes: DEFAULT_MAX_OBJECT_BYTES,
  acceptedResourceTypes: Object.freeze([...SUPPORTED_RESOURCE_TYPES]),
});

/** Thrown for a configuration document that cannot be used; lists every problem with its fix. */
export class ProcessorConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `data-processor configuration is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ProcessorConfigError";
  }
}

const PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/;
const CONFIG_KEYS = Object.keys(DEFAULT_PROCESSOR_CONFIG) as (keyof ProcessorConfig)[];

/**
 * Validates a configuration value (already parsed from JSON), applying defaults for absent keys.
 * Throws one {@link ProcessorConfigError} listing every problem. `source` names where it came
 * from in messages (e.g. the parameter name).
 */
export function validateProcessorConfig(value: unknown, source = "configuration"): ProcessorConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProcessorConfigError([`${source} must be a JSON object such as ${JSON.stringify(DEFAULT_PROCESSOR_CONFIG)}`]);
  }
  const raw = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(raw)) {
    if (!(CONFIG_KEYS as string[]).includes(key)) problems.push(`${key}: unknown key; known keys are ${CONFIG_KEYS.join(", ")}`);
  }
  const prefix = (key: "intakePrefix" | "processedPrefix" | "quarantinePrefix"): string => {
    const v = raw[key] ?? DEFAULT_PROCESSOR_CONFIG[key];
    if (typeof v !== "string" || !PREFIX.test(v)) {
      problems.push(
        `${key} must be an S3 key prefix of safe characters ending with "/" (no leading "/"), such as "${DEFAULT_PROCESSOR_CONFIG[key]}", got ${JSON.stringify(v)}`,
      );
      return DEFAULT_PROCESSOR_CONFIG[key];
    }
    return v;
  };
  const intakePrefix = prefix("intakePrefix");
  const processedPrefix = prefix("processedPrefix");
  const quarantinePrefix = prefix("quarantinePrefix");
  const named: [string, string][] = [
    ["intakePrefix", intakePrefix],
    ["processedPrefix", processedPrefix],
    ["quarantinePrefix", quarantinePrefix],
  ];
  for (const [a, pa] of named) {
    for (const [b, pb] of named) {
      if (a < b && (pa.startsWith(pb) || pb.startsWith(pa))) {
        problems.push(
          `${a} ("${pa}") and ${b} ("${pb}") must not overlap: a copy written under one would be read as the other (an intake overlap re-triggers the function in a loop)`,
        );
      }
    }
  }

  const maxRaw = raw.maxObjectBytes ?? DEFAULT_PROCESSOR_CONFIG.maxObjectBytes;
  let maxObjectBytes = DEFAULT_PROCESSOR_CONFIG.maxObjectBytes;
  if (typeof maxRaw !== "number" || !Number.isInteger(maxRaw) || maxRaw < 1 || maxRaw > MAX_OBJECT_BYTES_LIMIT) {
    problems.push(
      `maxObjectBytes must be a whole number of bytes from 1 to ${MAX_OBJECT_BYTES_LIMIT} (100 MiB), got ${JSON.stringify(maxRaw)}`,
    );
  } else {
    maxObjectBytes = maxRaw;
  }

  const typesRaw = raw.acceptedResourceTypes ?? DEFAULT_PROCESSOR_CONFIG.acceptedResourceTypes;
  const acceptedResourceTypes: SupportedResourceType[] = [];
  if (!Array.isArray(typesRaw) || typesRaw.length === 0) {
    problems.push(
      `acceptedResourceTypes must be a non-empty list drawn from ${SUPPORTED_RESOURCE_TYPES.join(", ")}, got ${JSON.stringify(typesRaw)}`,
    );
  } else {
    typesRaw.forEach((t, i) => {
      if (!(SUPPORTED_RESOURCE_TYPES as readonly unknown[]).includes(t)) {
        problems.push(
          `acceptedResourceTypes[${i}] must be one of ${SUPPORTED_RESOURCE_TYPES.join(", ")} (the types this build validates), got ${JSON.stringify(t)}`,
        );
      } else if (acceptedResourceTypes.includes(t as SupportedResourceType)) {
        problems.push(`acceptedResourceTypes[${i}] repeats ${JSON.stringify(t)}; list each type once`);
      } else {
        acceptedResourceTypes.push(t as SupportedResourceType);
      }
    });
  }

  if (problems.length > 0) throw new ProcessorConfigError(problems.map((p) => `${source}: ${p}`));
  return Object.freeze({
    intakePrefix,
    processedPrefix,
    quarantinePrefix,
    maxObjectBytes,
    acceptedResourceTypes: Object.freeze(acceptedResourceTypes),
  });
}

/** Parses and validates the parameter's JSON text. */
export function parseProcessorConfig(text: string, source = "configuration"): ProcessorConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's message quotes the text; the parameter is a SecureString, so it is not repeated.
    throw new ProcessorConfigError([
      `${source} is not valid JSON; store a JSON object such as ${JSON.stringify(DEFAULT_PROCESSOR_CONFIG)}`,
    ]);
  }
  return validateProcessorConfig(value, source);
}

/**
 * The parameter value for a configuration: validates `overrides` over the defaults and returns the
 * JSON text the component stores in the SecureString parameter. Throws on a bad value, so a bad
 * deployment fails at `pulumi up` rather than at the first upload.
 */
export function renderProcessorConfig(overrides: Partial<ProcessorConfig> = {}): string {
  return JSON.stringify(validateProcessorConfig({ ...DEFAULT_PROCESSOR_CONFIG, ...overrides }, "renderProcessorConfig"));
}

// ---------------------------------------------------------------------------------------------
// Audit table
// ---------------------------------------------------------------------------------------------

/**
 * Key schema of the audit table, one item per object version processed.
 * - partition key `objectKey` (S): the decoded S3 key of the intake object, e.g. `intake/a/b.json`
 *   (one table serves one data bucket; the bucket is stored as an attribute).
 * - sort key `versionId` (S): the S3 version id of the object from the event; for an object with no
 *   version id (a bucket that was never versioned) it is `null#<sequencer>`, the event's
 *   sequencer, so that each distinct PUT of a key is audited once and a redelivery is recognised.
 * Items are written once (`attribute_not_exists`) and never updated. No TTL: audit records are
 * retained (HIPAA 164.312(b)); no secondary index is needed by the handler. Operators look an item
 * up by the `objectKeySha256` and `versionId` of a log line or alert (a filtered Scan: see
 * {@link QuarantineAlert}).
 */
export const AUDIT_TABLE_KEY_SCHEMA = {
  partitionKey: { name: "objectKey", type: "S" },
  sortKey: { name: "versionId", type: "S" },
} as const;

/** The same key schema in the shape of `aws.dynamodb.Table` args (`hashKey`, `rangeKey`, `attributes`). */
export const AUDIT_TABLE_ATTRIBUTES = {
  hashKey: AUDIT_TABLE_KEY_SCHEMA.partitionKey.name,
  rangeKey: AUDIT_TABLE_KEY_SCHEMA.sortKey.name,
  attributes: [
    { name: AUDIT_TABLE_KEY_SCHEMA.partitionKey.name, type: AUDIT_TABLE_KEY_SCHEMA.partitionKey.type },
    { name: AUDIT_TABLE_KEY_SCHEMA.sortKey.name, type: AUDIT_TABLE_KEY_SCHEMA.sortKey.type },
  ],
} as const;

/** The sort-key value for an object without a version id. */
export function unversionedSortKey(sequencer: string): string {
  return `null#${sequencer}`;
}

export type Outcome = "PROCESSED" | "QUARANTINED";

/** Why a record was quarantined. Short, stable codes: used in the audit item, the tag and the alert. */
export const REASON_CODES = {
  /** Not UTF-8 or not parseable JSON. */
  invalidJson: "INVALID_JSON",
  /** JSON, but not an object whose `resourceType` names a FHIR R4 resource. */
  notFhir: "NOT_FHIR",
  /** A FHIR R4 resource type that the configuration does not accept (at the top level, in a Bundle or contained). */
  unsupportedResourceType: "UNSUPPORTED_RESOURCE_TYPE",
  /** Fails the official FHIR R4 JSON schema; `schemaErrors` lists the paths. */
  schemaInvalid: "SCHEMA_INVALID",
  /** Larger than `maxObjectBytes`; copied unread. */
  tooLarge: "TOO_LARGE",
} as const;
export type ReasonCode = (typeof REASON_CODES)[keyof typeof REASON_CODES];

/** At most this many schema error paths are stored on an audit item. */
export const MAX_REPORTED_SCHEMA_ERRORS = 20;

/**
 * One audit item. Holds identifiers, hashes and decisions only, never a value from the record. It is
 * the one place outside the bucket that holds the object key (the table is encrypted with the audit
 * key): log lines, errors and alerts carry `objectKeySha256` instead, which this item maps back.
 */
export interface AuditItem {
  /** The decoded S3 key (may hold patient identifiers). */
  readonly objectKey: string;
  /** Hex SHA-256 of `objectKey` (UTF-8): the value log lines, errors and alerts carry. Absent from items written before it existed. */
  readonly objectKeySha256: string;
  readonly versionId: string;
  readonly bucket: string;
  readonly outcome: Outcome;
  /** Where the copy was written (processed or quarantine prefix). */
  readonly destinationKey: string;
  /** Version id of the copy, when the bucket is versioned. */
  readonly destinationVersionId?: string;
  /** Hex SHA-256 of the object bytes; absent for TOO_LARGE, which is never read. */
  readonly sha256?: string;
  readonly sizeBytes: number;
  /** Only when it names a FHIR R4 resource type (never an arbitrary value from the record). */
  readonly resourceType?: string;
  readonly reasonCode?: ReasonCode;
  /** JSON-pointer paths of schema errors with the failed keyword, e.g. `/birthDate pattern`. */
  readonly schemaErrors?: readonly string[];
  readonly schemaErrorCount?: number;
  readonly processedAt: string;
  readonly requestId: string;
}

// ---------------------------------------------------------------------------------------------
// Bucket layout, tags and alerts
// ---------------------------------------------------------------------------------------------

/** Tag put on every quarantined copy; its value is a {@link ReasonCode}. */
export const QUARANTINE_TAG_KEY = "quarantine-reason";

/** Subject of the SNS alert (fixed text, no data). */
export const QUARANTINE_ALERT_SUBJECT = "healthcare-platform: intake object quarantined";

/**
 * Body (JSON) of the SNS alert for a quarantined object. The topic has an e-mail subscription, so the
 * alert never carries the object key (keys can hold patient identifiers, e.g.
 * `intake/MRN-0012345/Smith-John-1970-01-01.json`) nor anything read from the object: only ids.
 * An operator resolves it to the object through the audit table (encrypted), whose item for the
 * object has `objectKeySha256` and `versionId` equal to the alert's and holds the key (`objectKey`):
 *
 * ```sh
 * aws dynamodb scan --table-name <audit table> --consistent-read \
 *   --filter-expression "objectKeySha256 = :h AND versionId = :v" \
 *   --expression-attribute-values '{":h":{"S":"<objectKeySha256>"},":v":{"S":"<versionId>"}}'
 * ```
 */
export interface QuarantineAlert {
  readonly alert: "DATA_PROCESSOR_QUARANTINE";
  readonly bucket: string;
  /** Hex SHA-256 of the object key's UTF-8 bytes (the decoded key, as in the audit item's `objectKey`). */
  readonly objectKeySha256: string;
  /** The audit item's sort key: the S3 version id, or `null#<sequencer>` for an unversioned object. */
  readonly versionId: string;
  /** The Lambda request id of the invocation that quarantined it (also the audit item's `requestId`). */
  readonly requestId: string;
  /** Position of the record in the event's `Records`. */
  readonly record: number;
  readonly reasonCode: ReasonCode;
}

/**
 * The API actions the handler performs, for the component's least-privilege policy.
 * S3 read actions apply to `<bucket>/<intakePrefix>*`, write actions to the processed and
 * quarantine prefixes. KMS: decrypt for the SecureString parameter and the SSE-KMS intake
 * objects; encrypt (GenerateDataKey) for SSE-KMS copies.
 */
export const DATA_PROCESSOR_ACTIONS = {
  s3Read: ["s3:GetObject", "s3:GetObjectVersion"],
  s3Write: ["s3:PutObject"],
  /** Only on the quarantine prefix: processed copies carry no tags (process-record.ts). */
  s3Tag: ["s3:PutObjectTagging"],
  dynamodb: ["dynamodb:GetItem", "dynamodb:PutItem"],
  sns: ["sns:Publish"],
  ssm: ["ssm:GetParameter"],
  kms: ["kms:Decrypt", "kms:GenerateDataKey"],
} as const;
