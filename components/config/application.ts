/** The application tier's keys (components/application/): certificate, instances, database, WAF. */
import { AWS_REGIONS } from "./aws";
import type { Report } from "./errors";
import type { ApplicationConfig, ConfigKey } from "./schema";

/** An ACM certificate ARN: `arn:<partition>:acm:<region>:<account>:certificate/<uuid>`. */
const ACM_CERTIFICATE_ARN =
  /^arn:aws(-[a-z]+)*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EC2_INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const RDS_INSTANCE_CLASS = /^db\.[a-z][a-z0-9-]*\.[a-z0-9]+$/;
/** The PostgreSQL majors RDS supports (https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-versions.html). */
export const POSTGRES_MAJOR_VERSIONS: readonly number[] = [13, 14, 15, 16, 17];

export interface ApplicationParseTools {
  readonly str: (key: ConfigKey) => string | undefined;
  readonly int: (key: ConfigKey, min: number, max: number) => number | undefined;
  readonly bool: (key: ConfigKey) => boolean | undefined;
  readonly problem: Report;
  readonly prod: boolean;
  readonly awsRegion: string | undefined;
}

export function parseApplicationConfig(t: ApplicationParseTools): Partial<ApplicationConfig> {
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
