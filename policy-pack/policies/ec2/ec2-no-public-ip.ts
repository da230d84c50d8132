import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isTrue, list } from "../lib/util";
import { COMPUTE } from "./lib";

export const ec2NoPublicIp = resourcePolicy({
  name: "ec2-no-public-ip",
  description: "Instances, launch templates and launch configurations do not associate public IP addresses.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.publicAccess),
  cdkNag: ["EC2InstanceNoPublicIp", "AutoScalingLaunchConfigPublicIpDisabled"],
  awsConfig: ["ec2-instance-no-public-ip", "autoscaling-launch-config-public-ip-disabled"],
  resourceTypes: COMPUTE,
  remediationSteps: "Remove `associatePublicIpAddress` (or set it false) and run the instances in private subnets behind the ALB.",
  validate: (ctx, report) => {
    if (ctx.type === T.launchTemplate) {
      list(get(ctx.props, "networkInterfaces")).forEach((ni, i) => {
        if (isTrue(get(ni, "associatePublicIpAddress"))) {
          report(`networkInterfaces[${i}] associates a public IP address.`);
        }
      });
      return;
    }
    if (isTrue(get(ctx.props, "associatePublicIpAddress"))) {
      report("associatePublicIpAddress is true: the instance is reachable from the internet.");
    }
  },
});
