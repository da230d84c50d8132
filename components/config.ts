/**
 * Stack configuration: every key of the project namespace is read here, validated as a whole, and
 * returned as one frozen, typed {@link PlatformConfig}. Nothing else in the program reads config.
 *
 * The schema below is the single source of truth for keys, types, defaults and descriptions;
 * `Pulumi.yaml` mirrors it (a test keeps the two equal) and the README table is generated from the
 * same facts. A key of the `healthcare-platform:` namespace that is not in the schema is an error:
 * a misspelt key must never fall back to a default silently.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SERVICE_LINKED_ROLE_SERVICES, ServiceLinkedRoleService } from "./service-linked-roles";

export const PROJECT_NAME = "healthcare-platform";

/** Six years: the HIPAA documentation-retention floor, 45 CFR 164.316(b)(2)(i). */
export const HIPAA_RETENTION_FLOOR_DAYS = 2192;

/**
 * Default retention of the OpenSearch event index: a year of searchable history (dev stacks set 30).
 * Every event is also in the S3 archive for six years, so the index is a search copy, not the record.
 */
export const DEFAULT_EVENT_INDEX_RETENTION_DAYS = 365;

/** The retention values CloudWatch Logs accepts (PutRetentionPolicy). */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export type Environment = "dev" | "prod";
export type NatGatewayMode = "single" | "per-az";
export type DataClassification = "PHI" | "Confidential" | "Internal" | "Public";

/** The validated configuration of one stack. */
export interface PlatformConfig {
  readonly project: string;
  readonly stack: string;
  /** `dev` is small and destroyable; `prod` is highly available and protected. */
  readonly environment: Environment;
  readonly vpcCidr: string;
  readonly availabilityZoneCount: number;
  readonly natGatewayMode: NatGatewayMode;
  readonly logRetentionInDays: number;
  readonly dataRetentionInDays: number;
  readonly reportRetentionInDays: number;
  /** Days the OpenSearch event index (`security-events-*`) keeps a daily index before ISM deletes it; the S3 archive keeps six years. */
  readonly eventIndexRetentionInDays: number;
  readonly kmsDeletionWindowInDays: number;
  /** One switch for stateful resources: `protect`, retain on delete, deletion protection. */
  readonly protectData: boolean;
  readonly alertEmail: string;
  readonly enableAccountGuardrails: boolean;
  /** Service-linked roles the account already has (`existingServiceLinkedRoles`): the stack creates the others it needs. */
  readonly existingServiceLinkedRoles: readonly ServiceLinkedRoleService[];
  /** Region of the PHI replica (disaster recovery); undefined when the stack keeps no replica. */
  readonly recoveryRegion: string | undefined;
  readonly dataProcessorMemoryInMb: number;
  readonly dataProcessorReservedConcurrency: number | undefined;
  readonly maxRecordSizeInBytes: number;
  readonly dataClassification: DataClassification;
  /** Extra tags from config; never overrides the mandatory tag set. */
  readonly extraTags: Readonly<Record<string, string>>;
  /** Declared access to PHI (`accessGrants`), validated; the platform's own roles are added by construction. */
  readonly accessGrants: readonly AccessGrant[];
  /** The application tier (components/application): what a team chooses; see {@link ApplicationConfig}. */
  readonly application: ApplicationConfig;
}

/** The application tier's choices (keys `certificateArn`, `app*`, `db*`, `wafRateLimitPer5Minutes`, `enableDevelopersGroup`). */
export interface ApplicationConfig {
  /** ACM certificate of the HTTPS listener, in the stack's region; undefined when unset (the tier then refuses to build). */
  readonly certificateArn: string | undefined;
  readonly instanceType: string;
  readonly minInstances: number;
  readonly maxInstances: number;
  /** The port the instances serve HTTPS on (target group, security groups). */
  readonly appPort: number;
  readonly dbInstanceClass: string;
  readonly dbAllocatedStorageInGb: number;
  readonly dbMaxAllocatedStorageInGb: number;
  /** PostgreSQL version, a major (`17`) or major.minor (`17.5`). */
  readonly dbEngineVersion: string;
  /** Requests one client IP may send in 5 minutes before the web ACL blocks it. */
  readonly wafRateLimitPer5Minutes: number;
  readonly enableDevelopersGroup: boolean;
}

type ConfigType = "string" | "integer" | "boolean" | "array";

interface KeySpec {
  readonly type: ConfigType;
  readonly description: string;
  /** Absent means the key is required. */
  readonly default?: string | number | boolean | readonly string[];
}

/** The project's configuration keys: type, default and meaning. Pulumi.yaml mirrors this. */
export const CONFIG_SCHEMA = {
  environment: {
    type: "string",
    description: "Environment class of the stack: dev (small, destroyable) or prod (multi-AZ, protected, retained).",
  },
  alertEmail: {
    type: "string",
    description: "E-mail address subscribed to the security and processing alert topic.",
  },
  vpcCidr: {
    type: "string",
    description: "IPv4 CIDR of the VPC, a private (RFC 1918) range with a prefix from /16 to /20.",
    default: "10.0.0.0/16",
  },
  availabilityZoneCount: {
    type: "integer",
    description: "Availability zones to spread subnets over, 2 to 6 (prod needs at least 3).",
    default: 3,
  },
  natGatewayMode: {
    type: "string",
    description: "NAT gateways: single (one, in the first AZ; dev only) or per-az (one per AZ, highly available).",
    default: "per-az",
  },
  logRetentionInDays: {
    type: "integer",
    description: "Retention of CloudWatch log groups, a value CloudWatch accepts; prod at least 2192 (six years).",
    default: HIPAA_RETENTION_FLOOR_DAYS,
  },
  dataRetentionInDays: {
    type: "integer",
    description: "Days before current objects in data and log buckets may expire; prod at least 2192.",
    default: HIPAA_RETENTION_FLOOR_DAYS,
  },
  reportRetentionInDays: {
    type: "integer",
    description: "Object Lock retention of incident reports and audit records in days; prod at least 2192.",
    default: HIPAA_RETENTION_FLOOR_DAYS,
  },
  eventIndexRetentionInDays: {
    type: "integer",
    description:
      "Days a daily security-event index stays searchable in OpenSearch before ISM deletes it, 1 to 2192; the S3 archive keeps six years.",
    default: DEFAULT_EVENT_INDEX_RETENTION_DAYS,
  },
  kmsDeletionWindowInDays: {
    type: "integer",
    description: "Waiting period before a scheduled KMS key deletion, 7 to 30 days (prod must be 30).",
    default: 30,
  },
  protectData: {
    type: "boolean",
    description:
      "Protect stateful resources (Pulumi protect, retain on delete, deletion protection, no forceDestroy). Must be true in prod.",
    default: true,
  },
  enableAccountGuardrails: {
    type: "boolean",
    description:
      "Create account-level guardrails (AWS Config recorder with the HIPAA conformance pack, GuardDuty). Off when the organization already runs them.",
    default: false,
  },
  existingServiceLinkedRoles: {
    type: "array",
    description:
      "Service-linked roles the AWS account already has, by service: opensearchservice.amazonaws.com (the OpenSearch domain in a VPC), " +
      "macie.amazonaws.com (named in the PHI key's policy). The stack creates each one not listed, and creating one that exists fails; " +
      "list the ones `aws iam get-role --role-name AWSServiceRoleForAmazonOpenSearchService` / `AWSServiceRoleForAmazonMacie` find. " +
      "Dev deletes the roles it created on destroy; prod (protectData) keeps them. List a role here when the account has it from elsewhere: " +
      "a second stack in the account, Macie enabled by the organization, or a re-deploy of prod after destroy.",
    default: [],
  },
  recoveryRegion: {
    type: "string",
    description:
      "Region of the cross-region replica of PHI data (with its own keys and access logs), different from aws:region; empty for no replica. Required in prod (disaster recovery plan).",
    default: "",
  },
  dataProcessorMemoryInMb: {
    type: "integer",
    description: "Memory of the data-processor Lambda in MB, 128 to 10240.",
    default: 512,
  },
  dataProcessorReservedConcurrency: {
    type: "integer",
    description:
      "Reserved concurrency of the data-processor Lambda, 0 to 1000; 0 reserves none (the function shares the account's unreserved pool). " +
      "Lambda keeps at least 100 of an account's concurrency unreserved, so a reservation fails in accounts whose limit is below it plus 100 (new accounts may have a limit of 10).",
    default: 0,
  },
  maxRecordSizeInBytes: {
    type: "integer",
    description: "Largest intake object the data processor reads, 1 byte to 100 MiB; larger objects are quarantined.",
    default: 5 * 1024 * 1024,
  },
  dataClassification: {
    type: "string",
    description: "DataClassification tag of the platform's data stores: PHI, Confidential, Internal or Public.",
    default: "PHI",
  },
  tags: {
    type: "array",
    description: "Extra tags for every taggable resource, as Key=Value strings; may not override the mandatory tags.",
    default: [],
  },
  accessGrants: {
    type: "array",
    description:
      "Who may access PHI, reviewed as code: a list of { principal, bucket, prefix, access, expiresAt? } where principal is an IAM role or user ARN (an assumed-role session counts as its role), " +
      'bucket a PHI bucket of the platform (phi-data, phi-replica, security-events, security-events-replica, incident-reports, incident-reports-replica), prefix a key prefix ("" for the whole bucket), access a list of read, write, delete, and expiresAt an optional ISO date. ' +
      "Every other access to PHI opens an incident; the platform's own roles are granted by construction.",
    default: [],
  },
  // --- The application tier (components/application/).
  certificateArn: {
    type: "string",
    description:
      "ACM certificate ARN of the application load balancer's HTTPS listener, in the stack's region. Required by the application tier " +
      '(dev may import a self-signed certificate into ACM: README, "Application tier").',
    default: "",
  },
  appInstanceType: {
    type: "string",
    description: "EC2 instance type of the application instances (Graviton types such as t4g or m7g run the arm64 image).",
    default: "t4g.small",
  },
  appMinInstances: {
    type: "integer",
    description: "Fewest application instances, 1 to 100 (prod at least 2, spread over the private subnets' zones).",
    default: 2,
  },
  appMaxInstances: {
    type: "integer",
    description: "Most application instances, 1 to 100, at least appMinInstances.",
    default: 4,
  },
  appPort: {
    type: "integer",
    description: "Port the application instances serve HTTPS on behind the load balancer, 1024 to 65535.",
    default: 8443,
  },
  dbInstanceClass: {
    type: "string",
    description: "RDS instance class of the PostgreSQL database, e.g. db.t4g.medium (micro and small classes lack Performance Insights).",
    default: "db.t4g.medium",
  },
  dbAllocatedStorageInGb: {
    type: "integer",
    description: "Initial gp3 storage of the database in GiB, 20 to 65536.",
    default: 20,
  },
  dbMaxAllocatedStorageInGb: {
    type: "integer",
    description: "Ceiling of the database's storage autoscaling in GiB, at least dbAllocatedStorageInGb, at most 65536.",
    default: 100,
  },
  dbEngineVersion: {
    type: "string",
    description: "PostgreSQL engine version: a major version (13 to 17; RDS picks its default minor) or major.minor such as 17.5.",
    default: "17",
  },
  wafRateLimitPer5Minutes: {
    type: "integer",
    description: "Requests one client IP may send in any 5 minutes before the web ACL blocks it, 10 to 2000000000.",
    default: 1000,
  },
  enableDevelopersGroup: {
    type: "boolean",
    description:
      "Create the developers IAM group whose policy denies everything but MFA enrolment until its users sign in with MFA (break-glass; IAM Identity Center is preferred).",
    default: false,
  },
} as const satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_SCHEMA;

/**
 * What every component reads of the stack: its name and environment, the protection switch and
 * what the tags are made of. Components take this plus the config facts they use, named in their
 * args' type (`StackContext & Pick<PlatformConfig, "dataRetentionInDays">`), never the whole config.
 */
export type StackContext = Pick<PlatformConfig, "project" | "stack" | "environment" | "protectData" | "dataClassification" | "extraTags">;

/**
 * Availability zones a stack may spread over: two at least (RDS subnet groups and load balancers
 * need two AZs), six at most (the subnet plan's room). The one place these limits live.
 */
export const MIN_AVAILABILITY_ZONES = 2;
export const MAX_AVAILABILITY_ZONES = 6;

/** One bad key: which, what it held, and what is allowed. */
export interface ConfigProblem {
  readonly key: string;
  readonly value?: string;
  readonly message: string;
}

/** Thrown with every problem of a stack's config at once. */
export class PlatformConfigError extends Error {
  constructor(
    readonly problems: readonly ConfigProblem[],
    /** Namespace prefix shown before each key. */
    namespace = `${PROJECT_NAME}:`,
  ) {
    super(
      `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems
          .map((p) => `  - ${namespace}${p.key}${p.value === undefined ? "" : ` = ${JSON.stringify(p.value)}`}: ${p.message}`)
          .join("\n"),
    );
    this.name = "PlatformConfigError";
  }
}

export const MANDATORY_TAG_KEYS = ["Project", "Environment", "DataClassification", "Compliance"] as const;

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** Parses `a.b.c.d/n` into its 32-bit network address and prefix; undefined when malformed. */
export function parseCidr(cidr: string): { address: number; prefix: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  return { address, prefix };
}

/** Renders a 32-bit address and prefix as a CIDR string. */
export function formatCidr(address: number, prefix: number): string {
  return `${[24, 16, 8, 0].map((s) => (address >>> s) & 255).join(".")}/${prefix}`;
}

/** Checks a VPC CIDR: syntax, network address, RFC 1918 range and a /16 to /20 size. */
export function validateVpcCidr(cidr: string): string | undefined {
  const parsed = parseCidr(cidr);
  if (!parsed) return "must be an IPv4 CIDR such as 10.0.0.0/16";
  const { address, prefix } = parsed;
  if (prefix < 16 || prefix > 20) {
    return `must have a prefix from /16 to /20 (room for 3 subnet tiers in up to 6 AZs), got /${prefix}`;
  }
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  if ((address & mask) >>> 0 !== address) {
    return `is not a network address: use ${formatCidr((address & mask) >>> 0, prefix)}`;
  }
  const inRange = (base: string, bits: number) => {
    const b = parseCidr(`${base}/${bits}`)!.address;
    const m = (0xffffffff << (32 - bits)) >>> 0;
    return (address & m) >>> 0 === b && prefix >= bits;
  };
  if (!inRange("10.0.0.0", 8) && !inRange("172.16.0.0", 12) && !inRange("192.168.0.0", 16)) {
    return "must lie in a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16";
  }
  return undefined;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

function suggestKey(key: string): string {
  const keys = Object.keys(CONFIG_SCHEMA);
  const best = closest(key, keys);
  const hint = best ? ` Did you mean "${best}"?` : "";
  return `unknown key of the ${PROJECT_NAME} namespace.${hint} Known keys: ${keys.join(", ")}`;
}

/**
 * Validates raw config values (as Pulumi hands them to a program: strings, with objects and arrays
 * JSON-encoded) and returns the frozen PlatformConfig, or throws one PlatformConfigError listing
 * every problem. Keys are given without the namespace prefix.
 */
export function parsePlatformConfig(
  raw: Readonly<Record<string, string>>,
  context: { stack: string; project?: string; awsRegion?: string; now?: Date },
): PlatformConfig {
  const problems: ConfigProblem[] = [];
  const problem = (key: string, value: string | undefined, message: string) => problems.push({ key, value, message });

  for (const key of Object.keys(raw)) {
    if (!(key in CONFIG_SCHEMA)) problem(key, undefined, suggestKey(key));
  }

  const str = (key: ConfigKey): string | undefined => {
    const spec: KeySpec = CONFIG_SCHEMA[key];
    const value = raw[key];
    if (value === undefined) {
      if (spec.default === undefined) {
        problem(key, undefined, `is required: ${spec.description} Set it with \`pulumi config set ${key} <value>\``);
      }
      return spec.default === undefined ? undefined : String(spec.default);
    }
    return value;
  };
  const oneOf = <T extends string>(key: ConfigKey, allowed: readonly T[]): T | undefined => {
    const value = str(key);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
      problem(key, value, `must be one of ${allowed.join(", ")}`);
      return undefined;
    }
    return value as T;
  };
  const int = (key: ConfigKey, min: number, max: number): number | undefined => {
    const value = str(key);
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value.trim())) {
      problem(key, value, `must be a whole number from ${min} to ${max}`);
      return undefined;
    }
    const n = Number(value);
    if (n < min || n > max) {
      problem(key, value, `must be from ${min} to ${max}, got ${n}`);
      return undefined;
    }
    return n;
  };
  const bool = (key: ConfigKey): boolean | undefined => {
    const value = str(key);
    if (value === undefined) return undefined;
    if (value !== "true" && value !== "false") {
      problem(key, value, "must be true or false");
      return undefined;
    }
    return value === "true";
  };
  const retention = (key: ConfigKey, env: Environment | undefined, cloudwatch: boolean): number | undefined => {
    const n = int(key, 1, 36500);
    if (n === undefined) return undefined;
    if (cloudwatch && !CLOUDWATCH_RETENTION_DAYS.includes(n)) {
      problem(key, String(n), `must be a value CloudWatch Logs accepts: ${CLOUDWATCH_RETENTION_DAYS.join(", ")}`);
      return undefined;
    }
    if (env === "prod" && n < HIPAA_RETENTION_FLOOR_DAYS) {
      problem(key, String(n), `prod must keep at least ${HIPAA_RETENTION_FLOOR_DAYS} days (six years, 45 CFR 164.316(b)(2)(i)), got ${n}`);
      return undefined;
    }
    return n;
  };

  const environment = oneOf<Environment>("environment", ["dev", "prod"]);
  const prod = environment === "prod";

  const alertEmail = str("alertEmail");
  if (alertEmail !== undefined && !EMAIL.test(alertEmail)) {
    problem("alertEmail", alertEmail, "must be an e-mail address such as security-team@example.org");
  }

  const vpcCidr = str("vpcCidr");
  const cidrProblem = vpcCidr === undefined ? undefined : validateVpcCidr(vpcCidr);
  if (cidrProblem) problem("vpcCidr", vpcCidr, cidrProblem);

  const availabilityZoneCount = int("availabilityZoneCount", MIN_AVAILABILITY_ZONES, MAX_AVAILABILITY_ZONES);
  if (prod && availabilityZoneCount !== undefined && availabilityZoneCount < 3) {
    problem("availabilityZoneCount", String(availabilityZoneCount), "prod must span at least 3 availability zones");
  }
  const natGatewayMode = oneOf<NatGatewayMode>("natGatewayMode", ["single", "per-az"]);
  if (prod && natGatewayMode === "single") {
    problem("natGatewayMode", natGatewayMode, "prod must use per-az NAT gateways so one AZ failure cannot cut egress");
  }

  const logRetentionInDays = retention("logRetentionInDays", environment, true);
  const dataRetentionInDays = retention("dataRetentionInDays", environment, false);
  const reportRetentionInDays = retention("reportRetentionInDays", environment, false);

  const eventIndexRetentionInDays = parseEventIndexRetention(str("eventIndexRetentionInDays"), problem);

  const kmsDeletionWindowInDays = int("kmsDeletionWindowInDays", 7, 30);
  if (prod && kmsDeletionWindowInDays !== undefined && kmsDeletionWindowInDays !== 30) {
    problem("kmsDeletionWindowInDays", String(kmsDeletionWindowInDays), "prod must use the longest window, 30 days");
  }
  const protectData = bool("protectData");
  if (prod && protectData === false) {
    problem("protectData", "false", "prod must protect its data: set it to true (or remove the key)");
  }
  const enableAccountGuardrails = bool("enableAccountGuardrails");
  const existingServiceLinkedRoles = parseExistingServiceLinkedRoles(raw.existingServiceLinkedRoles, problem);
  const recoveryRegion = str("recoveryRegion") || undefined;
  if (recoveryRegion !== undefined && !REGION.test(recoveryRegion)) {
    problem("recoveryRegion", recoveryRegion, "must be an AWS region code such as us-west-2");
  } else if (recoveryRegion !== undefined && recoveryRegion === context.awsRegion) {
    problem("recoveryRegion", recoveryRegion, "must differ from aws:region: a replica in the same region survives no regional outage");
  } else if (prod && recoveryRegion === undefined) {
    problem(
      "recoveryRegion",
      undefined,
      "prod must replicate PHI to a second region (45 CFR 164.308(a)(7)(ii)(B), disaster recovery): set it with `pulumi config set recoveryRegion us-west-2`",
    );
  }
  const dataProcessorMemoryInMb = int("dataProcessorMemoryInMb", 128, 10240);
  const dataProcessorReservedConcurrency = int("dataProcessorReservedConcurrency", 0, 1000);
  const maxRecordSizeInBytes = int("maxRecordSizeInBytes", 1, 100 * 1024 * 1024);
  const dataClassification = oneOf<DataClassification>("dataClassification", ["PHI", "Confidential", "Internal", "Public"]);
  const extraTags = parseExtraTags(raw.tags, problem);
  const accessGrants = parseAccessGrants(raw.accessGrants, problem, context.now ?? new Date());
  const application = parseApplicationConfig({ str, int, bool, problem, prod, awsRegion: context.awsRegion });

  if (problems.length > 0) throw new PlatformConfigError(problems);

  return Object.freeze({
    project: context.project ?? PROJECT_NAME,
    stack: context.stack,
    environment: environment!,
    vpcCidr: vpcCidr!,
    availabilityZoneCount: availabilityZoneCount!,
    natGatewayMode: natGatewayMode!,
    logRetentionInDays: logRetentionInDays!,
    dataRetentionInDays: dataRetentionInDays!,
    reportRetentionInDays: reportRetentionInDays!,
    eventIndexRetentionInDays: eventIndexRetentionInDays!,
    kmsDeletionWindowInDays: kmsDeletionWindowInDays!,
    protectData: protectData!,
    alertEmail: alertEmail!,
    enableAccountGuardrails: enableAccountGuardrails!,
    existingServiceLinkedRoles: Object.freeze(existingServiceLinkedRoles),
    recoveryRegion,
    dataProcessorMemoryInMb: dataProcessorMemoryInMb!,
    // 0 is "no reservation": for Lambda itself, 0 reserved executions would throttle every event.
    dataProcessorReservedConcurrency: dataProcessorReservedConcurrency === 0 ? undefined : dataProcessorReservedConcurrency,
    maxRecordSizeInBytes: maxRecordSizeInBytes!,
    dataClassification: dataClassification!,
    extraTags: Object.freeze(extraTags),
    accessGrants: Object.freeze(accessGrants),
    application: Object.freeze(application as ApplicationConfig),
  });
}

// ---------------------------------------------------------------------------------------------
// The application tier's keys (components/application/), parsed in their own block.

/** An ACM certificate ARN: `arn:<partition>:acm:<region>:<account>:certificate/<uuid>`. */
const ACM_CERTIFICATE_ARN =
  /^arn:aws(-[a-z]+)*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EC2_INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const RDS_INSTANCE_CLASS = /^db\.[a-z][a-z0-9-]*\.[a-z0-9]+$/;
/** The PostgreSQL majors RDS supports (https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-versions.html). */
export const POSTGRES_MAJOR_VERSIONS: readonly number[] = [13, 14, 15, 16, 17];

interface ApplicationParseTools {
  readonly str: (key: ConfigKey) => string | undefined;
  readonly int: (key: ConfigKey, min: number, max: number) => number | undefined;
  readonly bool: (key: ConfigKey) => boolean | undefined;
  readonly problem: (key: string, value: string | undefined, message: string) => void;
  readonly prod: boolean;
  readonly awsRegion: string | undefined;
}

function parseApplicationConfig(t: ApplicationParseTools): Partial<ApplicationConfig> {
  const { str, int, bool, problem, prod } = t;
  const certificateArn = str("certificateArn") || undefined;
  const cert = certificateArn === undefined ? undefined : ACM_CERTIFICATE_ARN.exec(certificateArn);
  if (certificateArn !== undefined && cert === null) {
    problem(
      "certificateArn",
      certificateArn,
      "must be an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<uuid>",
    );
  } else if (cert && t.awsRegion !== undefined && AWS_REGIONS.includes(t.awsRegion) && cert[2] !== t.awsRegion) {
    // (A misspelt aws:region is reported once, as itself, not again through the certificate.)
    problem(
      "certificateArn",
      certificateArn,
      `must be a certificate of aws:region ${t.awsRegion} (a load balancer uses certificates of its own region), got ${cert[2]}`,
    );
  }
  const instanceType = str("appInstanceType");
  if (instanceType !== undefined && !EC2_INSTANCE_TYPE.test(instanceType)) {
    problem("appInstanceType", instanceType, "must be an EC2 instance type such as t4g.small or m7g.large");
  }
  const minInstances = int("appMinInstances", 1, 100);
  if (prod && minInstances !== undefined && minInstances < 2) {
    problem("appMinInstances", String(minInstances), "prod must run at least 2 instances so one zone's failure leaves the application up");
  }
  const maxInstances = int("appMaxInstances", 1, 100);
  if (minInstances !== undefined && maxInstances !== undefined && maxInstances < minInstances) {
    problem("appMaxInstances", String(maxInstances), `must be at least appMinInstances (${minInstances})`);
  }
  const appPort = int("appPort", 1024, 65535);
  const dbInstanceClass = str("dbInstanceClass");
  if (dbInstanceClass !== undefined && !RDS_INSTANCE_CLASS.test(dbInstanceClass)) {
    problem("dbInstanceClass", dbInstanceClass, "must be an RDS instance class such as db.t4g.medium or db.m7g.large");
  } else if (dbInstanceClass !== undefined && /\.(micro|small)$/.test(dbInstanceClass)) {
    problem(
      "dbInstanceClass",
      dbInstanceClass,
      "micro and small classes do not support Performance Insights, which the database keeps encrypted with the PHI key: use db.t4g.medium or larger",
    );
  }
  const dbAllocatedStorageInGb = int("dbAllocatedStorageInGb", 20, 65536);
  const dbMaxAllocatedStorageInGb = int("dbMaxAllocatedStorageInGb", 20, 65536);
  if (
    dbAllocatedStorageInGb !== undefined &&
    dbMaxAllocatedStorageInGb !== undefined &&
    dbMaxAllocatedStorageInGb < dbAllocatedStorageInGb
  ) {
    problem(
      "dbMaxAllocatedStorageInGb",
      String(dbMaxAllocatedStorageInGb),
      `must be at least dbAllocatedStorageInGb (${dbAllocatedStorageInGb})`,
    );
  }
  const dbEngineVersion = str("dbEngineVersion");
  const major = dbEngineVersion === undefined ? undefined : /^(\d+)(\.\d+)?$/.exec(dbEngineVersion);
  if (dbEngineVersion !== undefined && (!major || !POSTGRES_MAJOR_VERSIONS.includes(Number(major[1])))) {
    problem(
      "dbEngineVersion",
      dbEngineVersion,
      `must be a PostgreSQL major version RDS supports (${POSTGRES_MAJOR_VERSIONS.join(", ")}) or major.minor such as 17.5`,
    );
  }
  const wafRateLimitPer5Minutes = int("wafRateLimitPer5Minutes", 10, 2_000_000_000);
  const enableDevelopersGroup = bool("enableDevelopersGroup");
  return {
    certificateArn: cert ? certificateArn : undefined,
    instanceType,
    minInstances,
    maxInstances,
    appPort,
    dbInstanceClass,
    dbAllocatedStorageInGb,
    dbMaxAllocatedStorageInGb,
    dbEngineVersion,
    wafRateLimitPer5Minutes,
    enableDevelopersGroup,
  };
}

/** The kinds of access a grant gives, as CloudTrail data events imply them. */
export const ACCESS_KINDS = ["read", "write", "delete"] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

/** The PHI buckets a grant may name, by purpose (the platform's SecureBucket purposes that hold PHI). */
export const PHI_BUCKET_PURPOSES = [
  "phi-data",
  "phi-replica",
  "security-events",
  "security-events-replica",
  // The incident reports name principals and key hashes (components/security-events/incident-workflow.ts).
  "incident-reports",
  "incident-reports-replica",
] as const;
export type PhiBucketPurpose = (typeof PHI_BUCKET_PURPOSES)[number];

/** One declared access to PHI. */
export interface AccessGrant {
  /** IAM role or user ARN (never a wildcard, an account root or a session). */
  readonly principal: string;
  /** The PHI bucket, by purpose. */
  readonly bucket: PhiBucketPurpose;
  /** Key prefix the grant covers ("" for the whole bucket). */
  readonly prefix: string;
  readonly access: readonly AccessKind[];
  /** ISO date (UTC) after which the grant no longer holds. */
  readonly expiresAt?: string;
}

/** An IAM role or user ARN, with an optional path; no wildcard, no root, no assumed-role session. */
const GRANT_PRINCIPAL = /^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const GRANT_PREFIX = /^(?!\/)[^*?]{0,1024}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?Z)?$/;

/** A config value parsed as JSON, or undefined when it is not JSON (the caller reports the key). */
function parseJsonOrUndefined(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function parseAccessGrants(
  value: string | undefined,
  problem: (key: string, value: string | undefined, message: string) => void,
  now: Date,
): AccessGrant[] {
  if (value === undefined) return [];
  const entries = parseJsonOrUndefined(value);
  if (!Array.isArray(entries)) {
    problem(
      "accessGrants",
      value,
      'must be a list of { principal, bucket, prefix, access, expiresAt? }, e.g. [{"principal": "arn:aws:iam::123456789012:role/analyst", "bucket": "phi-data", "prefix": "processed/", "access": ["read"]}]',
    );
    return [];
  }
  const grants: AccessGrant[] = [];
  const seen = new Set<string>();
  entries.forEach((entry: unknown, i) => {
    const at = `accessGrants[${i}]`;
    const text = JSON.stringify(entry);
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      problem(at, text, "must be an object { principal, bucket, prefix, access, expiresAt? }");
      return;
    }
    const e = entry as Record<string, unknown>;
    const before = grantProblems.length;
    for (const key of Object.keys(e)) {
      if (!["principal", "bucket", "prefix", "access", "expiresAt"].includes(key))
        grantProblem(`${at}.${key}`, "is not a grant field (principal, bucket, prefix, access, expiresAt)");
    }
    if (typeof e.principal !== "string" || !GRANT_PRINCIPAL.test(e.principal)) {
      grantProblem(
        `${at}.principal`,
        "must be the ARN of an IAM role or user, such as arn:aws:iam::123456789012:role/analyst (no wildcard, no account root; an assumed-role session is granted through its role)",
      );
    }
    if (typeof e.bucket !== "string" || !(PHI_BUCKET_PURPOSES as readonly string[]).includes(e.bucket)) {
      grantProblem(`${at}.bucket`, `must be a PHI bucket of the platform: ${PHI_BUCKET_PURPOSES.join(", ")}`);
    }
    // Required: a grant without a prefix would cover the whole PHI bucket by omission; "" says so on purpose.
    const prefix = e.prefix;
    if (prefix === undefined) {
      grantProblem(`${at}.prefix`, 'is required: a key prefix such as "processed/", or "" to grant the whole bucket on purpose');
    } else if (typeof prefix !== "string" || !GRANT_PREFIX.test(prefix)) {
      grantProblem(`${at}.prefix`, 'must be a key prefix without a leading "/" or wildcards ("" for the whole bucket)');
    }
    const access = e.access;
    if (
      !Array.isArray(access) ||
      access.length === 0 ||
      !access.every((a) => (ACCESS_KINDS as readonly unknown[]).includes(a)) ||
      new Set(access).size !== access.length
    ) {
      grantProblem(`${at}.access`, `must be a non-empty list of distinct ${ACCESS_KINDS.join(", ")}`);
    }
    if (e.expiresAt !== undefined) {
      const expiresAt = e.expiresAt;
      const when = typeof expiresAt === "string" && ISO_DATE.test(expiresAt) ? new Date(expiresAt) : undefined;
      if (typeof expiresAt !== "string" || when === undefined || Number.isNaN(when.getTime())) {
        grantProblem(`${at}.expiresAt`, "must be an ISO date such as 2027-06-30 (or 2027-06-30T12:00Z)");
      } else if (when.getTime() <= now.getTime()) {
        grantProblem(`${at}.expiresAt`, `is in the past (${expiresAt}): remove the expired grant`);
      }
    }
    if (grantProblems.length > before) {
      for (const p of grantProblems.splice(before)) problem(p.key, text, p.message);
      return;
    }
    const grant: AccessGrant = {
      principal: e.principal as string,
      bucket: e.bucket as PhiBucketPurpose,
      prefix: prefix as string,
      access: Object.freeze([...(access as AccessKind[])]),
      ...(e.expiresAt === undefined ? {} : { expiresAt: e.expiresAt as string }),
    };
    const identity = `${grant.principal} ${grant.bucket} ${grant.prefix}`;
    if (seen.has(identity)) {
      problem(at, text, `repeats the grant of ${grant.principal} on ${grant.bucket}/${grant.prefix}: merge their access lists`);
      return;
    }
    seen.add(identity);
    grants.push(Object.freeze(grant));
  });
  return grants;
}

const grantProblems: { key: string; message: string }[] = [];
function grantProblem(key: string, message: string): void {
  grantProblems.push({ key, message });
}

/** `existingServiceLinkedRoles`: a list of distinct services of {@link SERVICE_LINKED_ROLE_SERVICES}. */
function parseExistingServiceLinkedRoles(
  value: string | undefined,
  problem: (key: string, value: string | undefined, message: string) => void,
): ServiceLinkedRoleService[] {
  if (value === undefined) return [];
  const entries = parseJsonOrUndefined(value);
  const allowed = SERVICE_LINKED_ROLE_SERVICES as readonly unknown[];
  if (!Array.isArray(entries) || entries.some((e) => !allowed.includes(e)) || new Set(entries).size !== entries.length) {
    problem(
      "existingServiceLinkedRoles",
      value,
      `must be a list of distinct services among ${SERVICE_LINKED_ROLE_SERVICES.join(", ")} (the account's service-linked roles the stack must not create)`,
    );
    return [];
  }
  return entries as ServiceLinkedRoleService[];
}

function parseExtraTags(
  value: string | undefined,
  problem: (key: string, value: string | undefined, message: string) => void,
): Record<string, string> {
  if (value === undefined) return {};
  const entries = parseJsonOrUndefined(value);
  if (!Array.isArray(entries)) {
    problem("tags", value, 'must be a list of "Key=Value" strings, e.g. ["CostCenter=1234"]');
    return {};
  }
  const tags: Record<string, string> = {};
  for (const entry of entries as unknown[]) {
    const text = typeof entry === "string" ? entry : JSON.stringify(entry);
    const eq = typeof entry === "string" ? entry.indexOf("=") : -1;
    if (typeof entry !== "string" || eq <= 0) {
      problem("tags", text, 'each entry must be "Key=Value" with a non-empty key');
      continue;
    }
    const key = entry.slice(0, eq).trim();
    const tagValue = entry.slice(eq + 1).trim();
    if ((MANDATORY_TAG_KEYS as readonly string[]).includes(key)) {
      problem("tags", text, `may not override the mandatory tag ${key}`);
    } else if (key.toLowerCase().startsWith("aws:")) {
      problem("tags", text, 'tag keys may not start with "aws:" (reserved by AWS)');
    } else if (!TAG_KEY.test(key) || !TAG_VALUE.test(tagValue)) {
      problem("tags", text, "tag keys are 1-128 and values 0-256 letters, digits, spaces or _ . : / = + - @");
    } else if (key in tags) {
      problem("tags", text, `duplicate tag key ${key}`);
    } else {
      tags[key] = tagValue;
    }
  }
  return tags;
}

/** AWS region codes: us-east-1, eu-central-2, us-gov-west-1, ap-southeast-5, ... */
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

/**
 * The stack's `aws:region`, validated. The program passes it to its explicit provider (an
 * explicit provider does not read `aws:region` by itself).
 */
export function readAwsRegion(all: Readonly<Record<string, string>> = pulumi.runtime.allConfig()): string {
  const problems = awsConfigProblems(all);
  if (problems.length > 0) throw new PlatformConfigError(problems, "");
  return all["aws:region"];
}

/** Every region code AWS has (the provider's own list), so a misspelt region fails here, not at `pulumi up`. */
export const AWS_REGIONS: readonly string[] = Object.freeze(Object.values(aws.Region) as string[]);

/**
 * The `aws:` keys the AWS provider reads (its config schema). The platform's explicit provider
 * takes only `aws:region`; the others configure credentials of the default provider and the CLI.
 */
export const AWS_PROVIDER_KEYS: readonly string[] = Object.freeze([
  "accessKey",
  "allowedAccountIds",
  "assumeRole",
  "assumeRoles",
  "assumeRoleWithWebIdentity",
  "customCaBundle",
  "defaultTags",
  "ec2MetadataServiceEndpoint",
  "ec2MetadataServiceEndpointMode",
  "endpoints",
  "forbiddenAccountIds",
  "httpProxy",
  "httpsProxy",
  "ignoreTags",
  "insecure",
  "maxRetries",
  "noProxy",
  "profile",
  "region",
  "retryMode",
  "s3UsEast1RegionalEndpoint",
  "s3UsePathStyle",
  "secretKey",
  "sharedConfigFiles",
  "sharedCredentialsFiles",
  "skipCredentialsValidation",
  "skipMetadataApiCheck",
  "skipRegionValidation",
  "skipRequestingAccountId",
  "stsRegion",
  "tagPolicyCompliance",
  "token",
  "tokenBucketRateLimiterCapacity",
  "useDualstackEndpoint",
  "useFipsEndpoint",
  "userAgents",
]);

/** Problems of the `aws:` namespace, keys qualified (`aws:region`): a known region, no misspelt key. */
export function awsConfigProblems(all: Readonly<Record<string, string>>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(all).filter((k) => k.startsWith("aws:"))) {
    const bare = key.slice("aws:".length);
    if (!AWS_PROVIDER_KEYS.includes(bare)) {
      const best = closest(bare, AWS_PROVIDER_KEYS);
      problems.push({
        key,
        message: `unknown key of the aws namespace.${best ? ` Did you mean "aws:${best}"?` : ""} See the AWS provider's configuration keys`,
      });
    }
  }
  const region = all["aws:region"];
  if (region === undefined) {
    problems.push({ key: "aws:region", message: "is required: set it with `pulumi config set aws:region us-east-1`" });
  } else if (!REGION.test(region) || !AWS_REGIONS.includes(region)) {
    const best = closest(region, AWS_REGIONS);
    problems.push({
      key: "aws:region",
      value: region,
      message: `must be an AWS region code such as us-east-1.${best ? ` Did you mean "${best}"?` : ""}`,
    });
  }
  return problems;
}

/** The nearest of `candidates` to `word` by edit distance, when near enough to be a typo. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  const best = candidates.map((k) => ({ k, d: levenshtein(word.toLowerCase(), k.toLowerCase()) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(best.k.length / 3)) ? best.k : undefined;
}

/**
 * The whole stack config, both namespaces, in one report: `aws:` keys and every project key,
 * fully qualified. `secretKeys` (qualified) are values the offline plan cannot decrypt: they are
 * reported as such, not as malformed values.
 */
export function parseStackConfig(
  all: Readonly<Record<string, string>>,
  context: { stack: string; project?: string; secretKeys?: readonly string[] },
): PlatformConfig {
  const project = context.project ?? PROJECT_NAME;
  const prefix = `${project}:`;
  const secret = new Set((context.secretKeys ?? []).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)));
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(all)) {
    if (key.startsWith(prefix) && !secret.has(key.slice(prefix.length))) raw[key.slice(prefix.length)] = value;
  }
  const problems: ConfigProblem[] = [...awsConfigProblems(all), ...stackProblems(raw, prefix)];
  for (const key of secret) {
    problems.push({
      key: `${prefix}${key}`,
      message:
        "is encrypted (secure:); the offline plan cannot read secrets, and no key of this project holds one: " +
        `set it in plain text with \`pulumi config set ${key} <value>\``,
    });
  }
  try {
    const config = parsePlatformConfig(raw, { stack: context.stack, project, awsRegion: all["aws:region"] });
    if (problems.length > 0) throw new PlatformConfigError(problems, "");
    return config;
  } catch (err) {
    if (!(err instanceof PlatformConfigError) || err.problems === problems) throw err;
    const own = err.problems.filter((p) => !secret.has(p.key)).map((p) => ({ ...p, key: `${prefix}${p.key}` }));
    throw new PlatformConfigError([...problems, ...own], "");
  }
}

/**
 * What the whole stack needs beyond each key's own shape, reported with the other problems instead
 * of failing later in a component: the application tier (always built) needs `certificateArn`, and
 * a grant names only a bucket the stack has (the `*-replica` buckets exist only with a recoveryRegion).
 */
function stackProblems(raw: Readonly<Record<string, string>>, prefix: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!raw.certificateArn) {
    problems.push({
      key: `${prefix}certificateArn`,
      message:
        "is required: the application tier's HTTPS listener needs an ACM certificate of the stack's region. Set it with " +
        "`pulumi config set certificateArn arn:aws:acm:<region>:<account>:certificate/<id>` (docs/deploy.md, first deploy)",
    });
  }
  let grants: unknown;
  try {
    grants = raw.accessGrants === undefined ? [] : JSON.parse(raw.accessGrants);
  } catch {
    grants = []; // malformed JSON is reported by parsePlatformConfig
  }
  if (!raw.recoveryRegion && Array.isArray(grants)) {
    grants.forEach((g: unknown, i) => {
      const bucket = typeof g === "object" && g !== null && "bucket" in g ? g.bucket : undefined;
      if (typeof bucket === "string" && (PHI_BUCKET_PURPOSES as readonly string[]).includes(bucket) && bucket.endsWith("-replica")) {
        problems.push({
          key: `${prefix}accessGrants[${i}].bucket`,
          value: bucket,
          message:
            "is a bucket this stack does not have: the *-replica buckets exist only with a recoveryRegion; set one or grant the primary bucket",
        });
      }
    });
  }
  return problems;
}

/**
 * The example account of AWS's documentation, used by the committed stack files' placeholder ARNs
 * (certificateArn, grant principals) and by the offline plan's mock cloud as its caller identity.
 */
export const PLACEHOLDER_ACCOUNT = "123456789012";

/**
 * Placeholder ARNs a real deploy must not use: any ARN of {@link PLACEHOLDER_ACCOUNT} in the config
 * when the deploying identity (aws.getCallerIdentity) is another account. The offline plan runs as
 * that account, so placeholders pass there; `pulumi preview` and `pulumi up` against a real account
 * fail before the provider registers (index.ts). Keys are qualified with the project.
 */
export function placeholderProblems(config: PlatformConfig, callerAccount: string, project = PROJECT_NAME): ConfigProblem[] {
  if (callerAccount === PLACEHOLDER_ACCOUNT) return [];
  const placeholder = (arn: string | undefined) => arn !== undefined && arn.split(":")[4] === PLACEHOLDER_ACCOUNT;
  const problems: ConfigProblem[] = [];
  const how = `this deploy runs as account ${callerAccount}: replace it with your own (docs/deploy.md, first deploy)`;
  if (placeholder(config.application.certificateArn)) {
    problems.push({
      key: `${project}:certificateArn`,
      value: config.application.certificateArn,
      message: `is the committed placeholder (example account ${PLACEHOLDER_ACCOUNT}); request or import the certificate in ACM and set its ARN: ${how}`,
    });
  }
  config.accessGrants.forEach((g, i) => {
    if (placeholder(g.principal)) {
      problems.push({
        key: `${project}:accessGrants[${i}].principal`,
        value: g.principal,
        message: `is a placeholder of the example account ${PLACEHOLDER_ACCOUNT}; ${how}`,
      });
    }
  });
  return problems;
}

/**
 * Reads the running stack's config (every `healthcare-platform:*` key) and validates it.
 * Call once, from index.ts, before any resource is created.
 */
export function loadPlatformConfig(): PlatformConfig {
  return parseStackConfig(pulumi.runtime.allConfig(), { stack: pulumi.getStack(), project: pulumi.getProject() });
}

/**
 * `eventIndexRetentionInDays`: whole days from 1 to six years. More than the archive's six years would
 * keep a search copy longer than the record itself; the ISM policy's `min_index_age` takes it as `<n>d`
 * (https://docs.opensearch.org/latest/im-plugin/ism/policies/#transitions).
 */
function parseEventIndexRetention(
  value: string | undefined,
  problem: (key: string, value: string | undefined, message: string) => void,
): number | undefined {
  if (value === undefined) return undefined;
  const fix = `set it with \`pulumi config set eventIndexRetentionInDays ${DEFAULT_EVENT_INDEX_RETENTION_DAYS}\` (or remove the key for the default)`;
  if (!/^\d+$/.test(value.trim())) {
    problem("eventIndexRetentionInDays", value, `must be a whole number of days from 1 to ${HIPAA_RETENTION_FLOOR_DAYS}: ${fix}`);
    return undefined;
  }
  const n = Number(value);
  if (n < 1 || n > HIPAA_RETENTION_FLOOR_DAYS) {
    problem(
      "eventIndexRetentionInDays",
      value,
      `must be from 1 to ${HIPAA_RETENTION_FLOOR_DAYS} days, got ${n} (the index is a search copy; the S3 archive keeps six years): ${fix}`,
    );
    return undefined;
  }
  return n;
}
