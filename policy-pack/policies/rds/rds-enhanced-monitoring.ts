import { hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, num } from "../lib/util";
import { CLUSTER_INSTANCE } from "./lib";

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
