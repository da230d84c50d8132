import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { companionsOf } from "../lib/join";
import { T } from "../lib/types";
import { get, present, str } from "../lib/util";
import { isVpc } from "./lib";

export const vpcFlowLogsEnabled = stackPolicy<{ requiredTrafficType: string }>({
  name: "vpc-flow-logs-enabled",
  description: "Every VPC has a flow log that records its traffic.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.audit, "164.308(a)(1)(ii)(D)"),
  cdkNag: ["VPCFlowLogsEnabled"],
  awsConfig: ["vpc-flow-logs-enabled"],
  resourceTypes: [T.vpc],
  relatedTypes: [T.flowLog],
  examines: [
    {},
    {
      types: [T.flowLog],
      rule: "the flow logs of the stack's VPCs (their traffic type and destination are judged)",
      where: (f, ctx) => ctx.ofType([T.vpc]).some((vpc) => companionsOf(vpc, [f], ["vpcId"], isVpc).matched.length > 0),
    },
  ],
  config: {
    requiredTrafficType: {
      type: "string",
      enum: ["ALL", "REJECT", "ACCEPT"],
      default: "ALL",
      description: "Traffic the VPC-level flow log must capture.",
    },
  },
  remediationSteps:
    'Add an aws.ec2.FlowLog with `vpcId: vpc.id`, `trafficType: "ALL"` and a destination ' +
    "(an encrypted CloudWatch log group with its delivery role, or an S3 bucket).",
  validate: (ctx, report) => {
    const flowLogs = ctx.ofType([T.flowLog]);
    ctx.each(ctx.ofType([T.vpc]), (vpc) => {
      const joined = companionsOf(vpc, flowLogs, ["vpcId"], isVpc);
      const good = joined.matched.filter((f) => {
        const traffic = str(get(f.props, "trafficType")) ?? "";
        return (
          (traffic === "ALL" || traffic === ctx.config.requiredTrafficType) &&
          (present(f.props, "logDestination") || present(f.props, "logGroupName"))
        );
      });
      if (good.length > 0) {
        return;
      }
      if (joined.undecided) {
        ctx.undecided([vpc.type, vpc.name, "id"]);
        return;
      }
      report(
        vpc.urn,
        joined.matched.length === 0
          ? "The VPC has no flow log: add an aws.ec2.FlowLog for it."
          : `The VPC's flow log does not capture ${ctx.config.requiredTrafficType} traffic to a destination.`,
      );
    });
  },
});
