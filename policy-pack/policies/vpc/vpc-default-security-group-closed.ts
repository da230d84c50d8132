import { hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { companionsOf } from "../lib/join";
import { T } from "../lib/types";
import { get, list } from "../lib/util";
import { isVpc } from "./lib";

export const vpcDefaultSecurityGroupClosed = stackPolicy({
  name: "vpc-default-security-group-closed",
  description: "Each VPC's default security group is managed and has no rules, so nothing can fall back to it.",
  severity: "medium",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.312(e)(1)", "164.312(a)(1)"),
  cdkNag: ["VPCDefaultSecurityGroupClosed"],
  awsConfig: ["vpc-default-security-group-closed"],
  resourceTypes: [T.vpc],
  relatedTypes: [T.defaultSecurityGroup],
  remediationSteps:
    "Adopt the default group with `new aws.ec2.DefaultSecurityGroup(..., { vpcId: vpc.id })` and no " +
    "ingress or egress blocks: Pulumi then removes AWS's default allow rules.",
  examines: [
    {},
    {
      types: [T.defaultSecurityGroup],
      rule: "the default security group of a VPC of the stack",
      where: (sg, ctx) => ctx.ofType([T.vpc]).some((vpc) => companionsOf(vpc, [sg], ["vpcId"], isVpc).matched.length > 0),
    },
  ],
  validate: (ctx, report) => {
    const defaults = ctx.ofType([T.defaultSecurityGroup]);
    ctx.each(ctx.ofType([T.vpc]), (vpc) => {
      const joined = companionsOf(vpc, defaults, ["vpcId"], isVpc);
      if (joined.matched.length === 0) {
        if (joined.undecided) {
          ctx.undecided([vpc.type, vpc.name, "id"]);
        } else {
          report(vpc.urn, "The VPC's default security group is not managed, so it keeps AWS's allow-all rules.");
        }
        return;
      }
      for (const sg of joined.matched) {
        if (list(get(sg.props, "ingress")).length > 0 || list(get(sg.props, "egress")).length > 0) {
          report(sg.urn, "The default security group has rules: remove every ingress and egress block.");
        }
      }
    });
  },
});
