import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { LB_TYPES, T } from "../lib/types";
import { get, isTrue } from "../lib/util";

export const prodDeletionProtection = resourcePolicy({
  name: "prod-deletion-protection",
  description: "In prod, databases, tables and load balancers have deletion protection (and RDS keeps a final snapshot).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.availability, "164.308(a)(7)(ii)(A)"),
  cdkNag: ["RDSInstanceDeletionProtectionEnabled", "ELBDeletionProtectionEnabled"],
  awsConfig: ["rds-instance-deletion-protection-enabled", "rds-cluster-deletion-protection-enabled", "elb-deletion-protection-enabled"],
  resourceTypes: [T.rdsInstance, T.rdsCluster, T.dynamoTable, ...LB_TYPES],
  environmentAware: true,
  remediationSteps:
    "Derive the flags from the platform's `protectData` switch: `deletionProtection: true` and " +
    "`skipFinalSnapshot: false` on RDS, `deletionProtectionEnabled: true` on DynamoDB, `enableDeletionProtection: true` on the ALB.",
  examines: [
    {
      citations: CITES.availability,
      rule: "prod resources (Environment tag, else the config's environment)",
      where: (ctx) => ctx.isProd(),
    },
    {
      // the final snapshot is the copy a deleted database leaves; a table's or load balancer's deletion protection is no backup
      citations: ["164.308(a)(7)(ii)(A)"],
      types: [T.rdsInstance, T.rdsCluster],
      rule: "prod RDS instances and clusters (their final snapshot on deletion)",
      where: (ctx) => ctx.isProd(),
    },
  ],
  validate: (ctx, report) => {
    const why = `prod rules apply: ${ctx.envReason()}`;
    if (ctx.type === T.rdsInstance || ctx.type === T.rdsCluster) {
      if (!isTrue(get(ctx.props, "deletionProtection"))) {
        report(`This database has no deletion protection (set deletionProtection: true; ${why}).`);
      }
      if (isTrue(get(ctx.props, "skipFinalSnapshot"))) {
        report(`This database skips its final snapshot on deletion (set skipFinalSnapshot: false; ${why}).`);
      }
    } else if (ctx.type === T.dynamoTable) {
      if (!isTrue(get(ctx.props, "deletionProtectionEnabled"))) {
        report(`This table has no deletion protection (set deletionProtectionEnabled: true; ${why}).`);
      }
    } else if (!isTrue(get(ctx.props, "enableDeletionProtection"))) {
      report(`This load balancer has no deletion protection (set enableDeletionProtection: true; ${why}).`);
    }
  },
});
