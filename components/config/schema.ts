/**
 * Stack configuration: every key of the project namespace is read here, validated as a whole, and
 * returned as one frozen, typed {@link PlatformConfig}. Nothing else in the program reads config.
 *
 * The schema below is the single source of truth for keys, types, defaults and descriptions;
 * `Pulumi.yaml` mirrors it (a test keeps the two equal) and the README table is generated from the
 * same facts. A key of the `healthcare-platform:` namespace that is not in the schema is an error:
 * a misspelt key must never fall back to a default silently.
 */
import type { ServiceLinkedRoleService } from "../service-linked-roles";
import type { AccessGrant } from "./grants";

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
  /** The canary (components/canary/): its schedule and objectives; see {@link CanaryConfig}. */
  readonly canary: CanaryConfig;
}

/** The canary's schedule and objectives (keys `canary*`), resolved for the stack's environment. */
export interface CanaryConfig {
  /** Minutes between runs (5 to 720; the environment's default when the key is 0). */
  readonly scheduleMinutes: number;
  /** The PHI path's objective: intake write to processed copy and audit record observed. */
  readonly processingObjectiveSeconds: number;
  /** The detection path's objective: the probe's access (CloudTrail eventTime) to the alert's SNS publish time. */
  readonly detectionObjectiveSeconds: number;
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

export interface KeySpec {
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
      "Who may access PHI, reviewed as code: a list of { principal, bucket, prefix, access, expiresAt? } where principal is an IAM role or user ARN (an assumed-role session counts as its role) or an AWS service principal, " +
      'bucket a PHI bucket of the platform (phi-data, phi-replica, security-events, security-events-replica, incident-reports, incident-reports-replica), prefix a key prefix ("" for the whole bucket), access a list of read, write, delete, and expiresAt an optional ISO date (a date holds through that day, UTC) or UTC time. ' +
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
  // --- The canary (components/canary/).
  canaryScheduleMinutes: {
    type: "integer",
    description:
      "Minutes between canary runs, 5 to 720; 0 is the environment's default (prod 15, dev 60). Each run writes a synthetic FHIR record to intake/ and reads a probe object as an ungranted role.",
    default: 0,
  },
  canaryProcessingObjectiveSeconds: {
    type: "integer",
    description:
      "Objective of the canary's PHI path, 10 to 600 seconds: its intake write to the processed copy and audit record (S3 notifications typically arrive in seconds, sometimes a minute or longer).",
    default: 120,
  },
  canaryDetectionObjectiveSeconds: {
    type: "integer",
    description:
      "Objective of the canary's detection path, 60 to 43200 seconds: the probe's access to the incident alert's publish time (CloudTrail typically delivers events within about 5 minutes, not guaranteed).",
    default: 900,
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

export const MANDATORY_TAG_KEYS = ["Project", "Environment", "DataClassification", "Compliance"] as const;
