import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isTrue } from "../lib/util";

export const vpcSubnetNoPublicIpOnLaunch = resourcePolicy({
  name: "vpc-subnet-no-public-ip-on-launch",
  description: "Subnets do not assign public IPv4 addresses to what is launched in them.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.publicAccess),
  cdkNag: ["VPCSubnetAutoAssignPublicIpDisabled"],
  awsConfig: ["subnet-auto-assign-public-ip-disabled"],
  resourceTypes: [T.subnet],
  remediationSteps:
    "Set `mapPublicIpOnLaunch: false` (or leave it unset). Public subnets only host the ALB and NAT " +
    "gateways, which get their addresses explicitly.",
  validate: (ctx, report) => {
    if (isTrue(get(ctx.props, "mapPublicIpOnLaunch"))) {
      report("The subnet auto-assigns public IPs (mapPublicIpOnLaunch: true).");
    }
  },
});
