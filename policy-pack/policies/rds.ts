// RDS: the application database holds PHI.

import { CITES, hipaa } from "./lib/hipaa";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { companionsOf, ofTypes } from "./lib/join";
import { isClassifiedAs } from "./lib/tags";
import { T } from "./lib/types";
import { get, isFalse, isTrue, list, num, present, str } from "./lib/util";

const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

function isAurora(engine: string | undefined): boolean {
  return (engine ?? "").startsWith("aurora");
}

export const rdsStorageEncrypted = resourcePolicy<{ phiClassifications: string[] }>({
  name: "rds-storage-encrypted",
  description: "RDS instances and clusters encrypt storage; PHI databases with a customer-managed KMS key.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  cdkNag: ["RDSStorageEncrypted"],
  awsConfig: ["rds-storage-encrypted", "rds-snapshot-encrypted"],
  resourceTypes: [T.rdsInstance, T.rdsCluster],
  config: {
    phiClassifications: {
      type: "array",
      items: { type: "string" },
      default: ["PHI"],
      description: "DataClassification values that need a customer-managed key (an untagged database counts as PHI).",
    },
  },
  remediationSteps:
    "Set `storageEncrypted: true` and `kmsKeyId: key.arn` (customer-managed). Encryption cannot be " +
    "added to an existing database: restore an encrypted snapshot copy.",
  validate: (ctx, report) => {
    if (ctx.type === T.rdsInstance && isAurora(str(get(ctx.props, "engine")))) {
      return; // Aurora storage is configured (and checked) on the cluster
    }
    if (!isTrue(get(ctx.props, "storageEncrypted"))) {
      report("Storage is not encrypted: set storageEncrypted: true.");
      return;
    }
    if (isClassifiedAs(ctx.tags(), ctx.config.phiClassifications) && !present(ctx.props, "kmsKeyId")) {
      report("The PHI database is encrypted with the AWS-managed key: set kmsKeyId to a customer-managed key.");
    }
  },
});

export const rdsNoPublicAccess = resourcePolicy({
  name: "rds-no-public-access",
  description: "RDS instances are not publicly accessible.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.publicAccess),
  cdkNag: ["RDSInstancePublicAccess"],
  awsConfig: ["rds-instance-public-access-check"],
  resourceTypes: [T.rdsInstance, CLUSTER_INSTANCE],
  remediationSteps: "Set `publiclyAccessible: false` and place the database in isolated subnets.",
  validate: (ctx, report) => {
    if (isTrue(get(ctx.props, "publiclyAccessible"))) {
      report("The database is publicly accessible (publiclyAccessible: true).");
    }
  },
});

export const rdsBackupEnabled = resourcePolicy<{ minBackupRetentionDaysProd: number; minBackupRetentionDays: number }>({
  name: "rds-backup-enabled",
  description: "RDS instances and clusters keep automated backups for at least the configured number of days.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.backup, "164.310(d)(2)(iv)"),
  cdkNag: ["RDSInstanceBackupEnabled"],
  awsConfig: ["db-instance-backup-enabled"],
  resourceTypes: [T.rdsInstance, T.rdsCluster],
  environmentAware: true,
  config: {
    minBackupRetentionDaysProd: {
      type: "integer",
      minimum: 1,
      maximum: 35,
      default: 7,
      description: "Minimum backupRetentionPeriod in prod.",
    },
    minBackupRetentionDays: {
      type: "integer",
      minimum: 1,
      maximum: 35,
      default: 1,
      description: "Minimum backupRetentionPeriod elsewhere.",
    },
  },
  remediationSteps: "Set `backupRetentionPeriod` explicitly (1-35 days; at least the prod minimum in prod).",
  validate: (ctx, report) => {
    if (ctx.type === T.rdsInstance && isAurora(str(get(ctx.props, "engine")))) {
      return; // Aurora backups are a cluster setting
    }
    if (ctx.type === T.rdsInstance && present(ctx.props, "replicateSourceDb")) {
      return; // read replicas are backed up through their source
    }
    const days = num(get(ctx.props, "backupRetentionPeriod"));
    const min = ctx.isProd() ? ctx.config.minBackupRetentionDaysProd : ctx.config.minBackupRetentionDays;
    if (days === undefined) {
      report("backupRetentionPeriod is not set: automated backups depend on defaults. Set it explicitly.");
    } else if (days < min) {
      report(`backupRetentionPeriod is ${days}; ${ctx.env()} requires at least ${min} days.`);
    }
  },
});

export const rdsLoggingEnabled = resourcePolicy<{ requiredLogExports: Record<string, string[]> }>({
  name: "rds-logging-enabled",
  description: "RDS databases export their audit-relevant logs to CloudWatch Logs.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.audit, "164.308(a)(5)(ii)(C)"),
  cdkNag: ["RDSLoggingEnabled"],
  awsConfig: ["rds-logging-enabled"],
  resourceTypes: [T.rdsInstance, T.rdsCluster],
  config: {
    requiredLogExports: {
      type: "object",
      additionalProperties: { type: "array", items: { type: "string" } },
      default: {
        postgres: ["postgresql"],
        "aurora-postgresql": ["postgresql"],
        mysql: ["error", "general"],
        "aurora-mysql": ["audit", "error", "general"],
        mariadb: ["error", "general"],
        sqlserver: ["error", "agent"],
        oracle: ["alert", "audit", "listener"],
      },
      description: "Log types each engine family must export (engine -> enabledCloudwatchLogsExports).",
    },
  },
  remediationSteps:
    'Set `enabledCloudwatchLogsExports` (e.g. ["postgresql", "upgrade"] for PostgreSQL with ' +
    "log_connections/log_disconnections in the parameter group).",
  validate: (ctx, report) => {
    const engine = str(get(ctx.props, "engine")) ?? "";
    if (ctx.type === T.rdsInstance && isAurora(engine)) {
      return; // Aurora exports logs at the cluster level
    }
    const family = Object.keys(ctx.config.requiredLogExports)
      .filter((k) => engine === k || engine.startsWith(`${k}-`))
      .sort((a, b) => b.length - a.length)[0];
    if (!family) {
      return;
    }
    const required = ctx.config.requiredLogExports[family];
    const exported = list(get(ctx.props, "enabledCloudwatchLogsExports")).map(String);
    const missing = required.filter((r) => !exported.includes(r));
    if (missing.length > 0) {
      report(`The ${engine} database does not export ${missing.join(", ")} logs to CloudWatch Logs.`);
    }
  },
});

export const rdsAutoMinorVersionUpgrade = resourcePolicy({
  name: "rds-auto-minor-version-upgrade",
  description: "RDS instances apply minor engine versions (security patches) automatically.",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.patching),
  cdkNag: ["RDSAutomaticMinorVersionUpgradeEnabled"],
  awsConfig: ["rds-automatic-minor-version-upgrade-enabled"],
  resourceTypes: [T.rdsInstance, CLUSTER_INSTANCE],
  remediationSteps: "Leave `autoMinorVersionUpgrade` unset or true, and pin only the major version.",
  validate: (ctx, report) => {
    if (isFalse(get(ctx.props, "autoMinorVersionUpgrade"))) {
      report("Automatic minor version upgrades are disabled.");
    }
  },
});

export const rdsEnhancedMonitoring = resourcePolicy({
  name: "rds-enhanced-monitoring",
  description: "RDS instances have enhanced monitoring enabled.",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.312(b)"),
  cdkNag: ["RDSEnhancedMonitoringEnabled"],
  awsConfig: ["rds-enhanced-monitoring-enabled"],
  resourceTypes: [T.rdsInstance, CLUSTER_INSTANCE],
  remediationSteps: "Set `monitoringInterval` (e.g. 60) and `monitoringRoleArn`.",
  validate: (ctx, report) => {
    const interval = num(get(ctx.props, "monitoringInterval")) ?? 0;
    if (interval <= 0) {
      report("Enhanced monitoring is off (monitoringInterval 0).");
    }
  },
});

const isCluster = ofTypes([T.rdsCluster]);

export const rdsMultiAzProd = stackPolicy({
  name: "rds-multi-az-prod",
  description: "Production databases survive the loss of an Availability Zone (Multi-AZ instance, or an Aurora cluster with a replica).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.availability),
  cdkNag: ["RDSMultiAZSupport"],
  awsConfig: ["rds-multi-az-support", "rds-cluster-multi-az-enabled"],
  resourceTypes: [T.rdsInstance, T.rdsCluster],
  relatedTypes: [CLUSTER_INSTANCE],
  environmentAware: true,
  remediationSteps:
    "In prod set `multiAz: true` on aws.rds.Instance; give an Aurora cluster at least two cluster " +
    "instances in different AZs. Dev stacks are single-AZ by design and are not checked.",
  validate: (ctx, report) => {
    const members = ctx.ofType([CLUSTER_INSTANCE]);
    ctx.each(ctx.ofType([T.rdsInstance, T.rdsCluster]), (db) => {
      if (!ctx.isProd(db)) {
        return;
      }
      const engine = str(get(db.props, "engine"));
      if (db.type === T.rdsInstance) {
        if (isAurora(engine) || present(db.props, "replicateSourceDb")) {
          return;
        }
        if (!isTrue(get(db.props, "multiAz"))) {
          report(db.urn, `This database instance is single-AZ: set multiAz: true (prod rules apply: ${ctx.envReason(db)}).`);
        }
        return;
      }
      if (present(db.props, "dbClusterInstanceClass")) {
        return; // a Multi-AZ DB cluster is always three instances in three AZs
      }
      const joined = companionsOf(db, members, ["clusterIdentifier"], isCluster);
      if (joined.matched.length >= 2) {
        return;
      }
      if (joined.undecided) {
        ctx.undecided([db.type, db.name, "clusterIdentifier"]);
        return;
      }
      report(
        db.urn,
        `This Aurora cluster has ${joined.matched.length} instance(s): add a replica in another AZ (prod rules apply: ${ctx.envReason(db)}).`,
      );
    });
  },
});

export const rdsPolicies = [
  rdsStorageEncrypted,
  rdsNoPublicAccess,
  rdsBackupEnabled,
  rdsLoggingEnabled,
  rdsAutoMinorVersionUpgrade,
  rdsEnhancedMonitoring,
  rdsMultiAzProd,
];
