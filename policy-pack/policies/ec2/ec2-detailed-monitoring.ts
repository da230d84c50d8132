import { hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isFalse, isTrue } from "../lib/util";
import { COMPUTE } from "./lib";

export const ec2DetailedMonitoring = resourcePolicy({
  name: "ec2-detailed-monitoring",
  description: "Instances and launch templates enable detailed (1-minute) CloudWatch monitoring.",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.312(b)"),
  cdkNag: ["EC2InstanceDetailedMonitoringEnabled"],
  awsConfig: ["ec2-instance-detailed-monitoring-enabled"],
  resourceTypes: COMPUTE,
  remediationSteps: "Set `monitoring: { enabled: true }` on launch templates, `monitoring: true` on instances.",
  validate: (ctx, report) => {
    const enabled =
      ctx.type === T.launchTemplate
        ? isTrue(get(ctx.props, "monitoring", "enabled"))
        : ctx.type === T.instance
          ? isTrue(get(ctx.props, "monitoring"))
          : !isFalse(get(ctx.props, "enableMonitoring"));
    if (!enabled) {
      report("Detailed monitoring is not enabled.");
    }
  },
});
