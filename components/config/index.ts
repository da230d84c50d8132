/**
 * Stack configuration: every key of the project namespace is read here, validated as a whole, and
 * returned as one frozen, typed {@link PlatformConfig}. Nothing else in the program reads config.
 *
 * - schema.ts: the keys (type, default, meaning; Pulumi.yaml mirrors it) and the config's types
 * - parse.ts: the project keys validated into a PlatformConfig (values.ts, application.ts, grants.ts: the bigger keys)
 * - stack.ts: the whole stack (both namespaces) in one report, placeholder ARNs, loading at run time
 * - aws.ts: the `aws:` namespace (region, the AWS provider's keys)
 * - errors.ts: ConfigProblem and PlatformConfigError; suggest.ts: "did you mean"; cidr.ts: CIDR math
 */
export {
  CLOUDWATCH_RETENTION_DAYS,
  CONFIG_SCHEMA,
  DEFAULT_EVENT_INDEX_RETENTION_DAYS,
  HIPAA_RETENTION_FLOOR_DAYS,
  MANDATORY_TAG_KEYS,
  MAX_AVAILABILITY_ZONES,
  MIN_AVAILABILITY_ZONES,
  PROJECT_NAME,
} from "./schema";
export type {
  ApplicationConfig,
  CanaryConfig,
  ConfigKey,
  DataClassification,
  Environment,
  NatGatewayMode,
  PlatformConfig,
  StackContext,
} from "./schema";
export { PlatformConfigError } from "./errors";
export type { ConfigProblem } from "./errors";
export { formatCidr, parseCidr, validateVpcCidr } from "./cidr";
export { parsePlatformConfig } from "./parse";
export { POSTGRES_MAJOR_VERSIONS } from "./application";
export {
  canaryScheduleExpression,
  detectionAlarmWindowSeconds,
  processingAlarmWindowSeconds,
  CANARY_DEFAULT_SCHEDULE_MINUTES,
  CANARY_DEFAULT_DETECTION_OBJECTIVE_SECONDS,
  CANARY_DEFAULT_PROCESSING_OBJECTIVE_SECONDS,
} from "./canary";
export { ACCESS_KINDS, canaryProbeRoleName, PHI_BUCKET_PURPOSES } from "./grants";
export type { AccessGrant, AccessKind, PhiBucketPurpose } from "./grants";
export { AWS_PROVIDER_KEYS, AWS_REGIONS, awsConfigProblems, readAwsRegion } from "./aws";
export { loadPlatformConfig, PLACEHOLDER_ACCOUNT, parseStackConfig, placeholderProblems } from "./stack";
