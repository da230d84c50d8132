/** The project's keys, validated as a whole into one frozen {@link PlatformConfig}. */
import { parseApplicationConfig } from "./application";
import { parseCanaryConfig } from "./canary";
import { REGION } from "./aws";
import { validateVpcCidr } from "./cidr";
import { ConfigProblem, PlatformConfigError } from "./errors";
import { parseAccessGrants } from "./grants";
import {
  ApplicationConfig,
  CanaryConfig,
  CLOUDWATCH_RETENTION_DAYS,
  CONFIG_SCHEMA,
  ConfigKey,
  DataClassification,
  Environment,
  HIPAA_RETENTION_FLOOR_DAYS,
  KeySpec,
  MAX_AVAILABILITY_ZONES,
  MIN_AVAILABILITY_ZONES,
  NatGatewayMode,
  PlatformConfig,
  PROJECT_NAME,
} from "./schema";
import { suggestKey } from "./suggest";
import { parseEventIndexRetention, parseExistingServiceLinkedRoles, parseExtraTags } from "./values";

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

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
  const { grants: accessGrants, problems: grantProblems } = parseAccessGrants(raw.accessGrants, context.now ?? new Date(), context.stack);
  problems.push(...grantProblems);
  const application = parseApplicationConfig({ str, int, bool, problem, prod, awsRegion: context.awsRegion });
  const canary = parseCanaryConfig({ int, problem, environment });

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
    canary: Object.freeze(canary as CanaryConfig),
  });
}
