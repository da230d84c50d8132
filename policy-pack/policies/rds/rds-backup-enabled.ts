import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, num, present, str } from "../lib/util";
import { isAurora } from "./lib";

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
  examines: [
    {
      // Aurora backups are a cluster setting; read replicas are backed up through their source
      rule: "clusters and instances that are neither Aurora members nor read replicas",
      where: (ctx) => ctx.type !== T.rdsInstance || (!isAurora(str(get(ctx.props, "engine"))) && !present(ctx.props, "replicateSourceDb")),
    },
  ],
  validate: (ctx, report) => {
    const days = num(get(ctx.props, "backupRetentionPeriod"));
    const min = ctx.isProd() ? ctx.config.minBackupRetentionDaysProd : ctx.config.minBackupRetentionDays;
    if (days === undefined) {
      report("backupRetentionPeriod is not set: automated backups depend on defaults. Set it explicitly.");
    } else if (days < min) {
      report(`backupRetentionPeriod is ${days}; ${ctx.env()} requires at least ${min} days.`);
    }
  },
});
