/**
 * The application database: RDS PostgreSQL in the isolated subnets, TLS required, storage,
 * Performance Insights and the managed master secret under the PHI key, logs exported to log groups
 * under the audit key, enhanced monitoring, and the secret's rotation.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName, rdsLogGroupName } from "../lib/naming";
import { createServiceRole } from "../lib/service-role";
import type { TierContext } from "./context";
import type { SecurityGroupChain } from "./security-groups";
import { POSTGRES_PORT } from "./security-groups";

/** RDS database log types exported to CloudWatch Logs. */
export const DATABASE_LOG_EXPORTS = ["postgresql", "upgrade"] as const;
/** The database's administrator: not the engine default `postgres`. */
export const DATABASE_ADMIN_USER = "hcp_admin";
/** Days between rotations of the managed master secret (RDS's own default, set explicitly). */
export const DATABASE_SECRET_ROTATION_DAYS = 7;
/** Days automated backups are kept: the longest RDS allows in prod, one week in dev. */
export const DATABASE_BACKUP_RETENTION_DAYS = { prod: 35, dev: 7 } as const;
/**
 * The database's own windows (UTC), set rather than left to RDS (which picks them at random in a
 * regional block, 03:00-11:00 in us-east-1): clear of the AWS Backup plan's 05:00-06:00 start window
 * and of the hour before each, where AWS Backup cannot start an RDS backup (components/backup.ts
 * `rdsWindowConflicts`, https://docs.aws.amazon.com/aws-backup/latest/devguide/troubleshooting.html#troubleshooting-create-backup).
 */
export const DATABASE_WINDOWS = { backupWindow: "07:30-08:00", maintenanceWindow: "sun:08:30-sun:09:30" } as const;

export interface Database {
  readonly db: aws.rds.Instance;
  /** The instance's ARN from its identifier (known before it exists: the instance role names it). */
  readonly databaseArn: pulumi.Output<string>;
  /** The RDS-managed master secret. */
  readonly secretArn: pulumi.Output<string>;
}

/**
 * The ARN of the master user secret RDS manages: with `manageMasterUserPassword` RDS creates exactly one
 * and reports it in `MasterUserSecret` (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html;
 * the provider's `masterUserSecrets`). Its absence is an RDS or provider fault, not a state to export.
 */
export function masterSecretArn(secrets: readonly { secretArn?: string }[] | undefined): string {
  const arn = secrets?.[0]?.secretArn;
  if (!arn)
    throw new Error(
      "RDS reported no master user secret although manageMasterUserPassword is set; check the DB instance's MasterUserSecret",
    );
  return arn;
}

export function createDatabase(ctx: TierContext, sg: SecurityGroupChain): Database {
  const { name, component, args, stateful, tags, accountId, region, partition } = ctx;
  const { config } = args;
  const app = config.application;
  const prod = config.environment === "prod";
  const parent = { parent: component };
  const dbIdentifier = physicalName(config.stack, "rdsInstance", "app-db");
  const databaseArn = pulumi.interpolate`arn:${partition}:rds:${region}:${accountId}:db:${dbIdentifier}`;
  const major = app.dbEngineVersion.split(".")[0];
  const subnetGroup = new aws.rds.SubnetGroup(
    `${name}-db-subnets`,
    {
      name: physicalName(config.stack, "rdsGroup", "app-db"),
      description: "Application database: the isolated subnets (no route out of the VPC)",
      subnetIds: args.isolatedSubnetIds,
      tags: tags("app-database"),
    },
    parent,
  );
  const parameterGroup = new aws.rds.ParameterGroup(
    `${name}-db-parameters`,
    {
      name: physicalName(config.stack, "rdsGroup", "app-db", `postgres${major}`),
      family: `postgres${major}`,
      description: "Application database: TLS required, connections logged",
      parameters: [
        // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html#PostgreSQL.Concepts.General.SSL.Requiring
        { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
        { name: "log_connections", value: "1", applyMethod: "pending-reboot" },
        { name: "log_disconnections", value: "1", applyMethod: "pending-reboot" },
      ],
      tags: tags("app-database"),
    },
    parent,
  );
  const dbLogGroups = DATABASE_LOG_EXPORTS.map(
    (type) =>
      new aws.cloudwatch.LogGroup(
        `${name}-db-${type}-logs`,
        {
          name: rdsLogGroupName(dbIdentifier, type),
          kmsKeyId: args.auditKeyArn,
          retentionInDays: config.logRetentionInDays,
          deletionProtectionEnabled: config.protectData,
          tags: tags(`app-database-${type}-logs`, "PHI"),
        },
        stateful,
      ),
  );
  const monitoringRole = createServiceRole(
    `${name}-db-monitoring-role`,
    {
      roleName: physicalName(config.stack, "iamRole", "app-db-monitoring"),
      description: "RDS enhanced monitoring of the application database: OS metrics to CloudWatch Logs (RDSOSMetrics)",
      servicePrincipal: "monitoring.rds.amazonaws.com",
      trustConditions: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
        { test: "ArnLike", variable: "aws:SourceArn", values: [databaseArn] },
      ],
      // AmazonRDSEnhancedMonitoringRole's actions, narrowed from `RDS*` log groups to RDS's one
      // (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonRDSEnhancedMonitoringRole.html).
      statements: [
        {
          sid: "EnhancedMonitoringLogGroup",
          effect: "Allow",
          actions: ["logs:CreateLogGroup", "logs:PutRetentionPolicy"],
          resources: [pulumi.interpolate`arn:${partition}:logs:${region}:${accountId}:log-group:RDSOSMetrics`],
        },
        {
          sid: "EnhancedMonitoringLogStreams",
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:GetLogEvents"],
          resources: [pulumi.interpolate`arn:${partition}:logs:${region}:${accountId}:log-group:RDSOSMetrics:log-stream:*`],
        },
      ],
      tags: tags("app-database-monitoring"),
    },
    parent,
  );
  const db = new aws.rds.Instance(
    `${name}-db`,
    {
      identifier: dbIdentifier,
      engine: "postgres",
      engineVersion: app.dbEngineVersion,
      autoMinorVersionUpgrade: true,
      instanceClass: app.dbInstanceClass,
      allocatedStorage: app.dbAllocatedStorageInGb,
      maxAllocatedStorage: app.dbMaxAllocatedStorageInGb,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: args.phiKeyArn,
      dbName: "app",
      username: DATABASE_ADMIN_USER,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: args.phiKeyArn,
      iamDatabaseAuthenticationEnabled: true,
      port: POSTGRES_PORT,
      dbSubnetGroupName: subnetGroup.name,
      parameterGroupName: parameterGroup.name,
      vpcSecurityGroupIds: [sg.dbSecurityGroupId],
      publiclyAccessible: false,
      multiAz: prod,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: args.phiKeyArn,
      performanceInsightsRetentionPeriod: 7,
      monitoringInterval: 60,
      monitoringRoleArn: monitoringRole.role.arn,
      enabledCloudwatchLogsExports: [...DATABASE_LOG_EXPORTS],
      backupRetentionPeriod: prod ? DATABASE_BACKUP_RETENTION_DAYS.prod : DATABASE_BACKUP_RETENTION_DAYS.dev,
      backupWindow: DATABASE_WINDOWS.backupWindow,
      maintenanceWindow: DATABASE_WINDOWS.maintenanceWindow,
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: !config.protectData,
      deletionProtection: config.protectData,
      skipFinalSnapshot: !config.protectData,
      finalSnapshotIdentifier: config.protectData ? physicalName(config.stack, "rdsInstance", "app-db-final") : undefined,
      applyImmediately: false,
      tags: tags("app-database", "PHI"),
    },
    { ...stateful, dependsOn: [...dbLogGroups, ...monitoringRole.ready] },
  );
  const secretArn = db.masterUserSecrets.apply((secrets) => masterSecretArn(secrets));
  new aws.secretsmanager.SecretRotation(
    `${name}-db-secret-rotation`,
    { secretId: secretArn, rotationRules: { automaticallyAfterDays: DATABASE_SECRET_ROTATION_DAYS } },
    parent,
  );
  return { db, databaseArn, secretArn };
}
