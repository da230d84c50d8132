import { PolicyResource } from "@pulumi/policy";
import { hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { companionsOf, ofTypes } from "../lib/join";
import { LB_TYPES, T } from "../lib/types";
import { get, isTrue } from "../lib/util";
import { isApplication } from "./lib";

const isLb = ofTypes(LB_TYPES);

export const albWafEnabled = stackPolicy<{ requireForInternal: boolean }>({
  name: "alb-waf-enabled",
  description: "Internet-facing application load balancers are protected by a WAFv2 web ACL.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.312(e)(1)", "164.312(a)(1)", "164.308(a)(1)(ii)(B)"),
  awsConfig: ["alb-waf-enabled"],
  resourceTypes: [...LB_TYPES],
  relatedTypes: [T.webAclAssociation],
  config: {
    requireForInternal: { type: "boolean", default: false, description: "Also require a web ACL on internal load balancers." },
  },
  remediationSteps: "Add an aws.wafv2.WebAclAssociation with `resourceArn: alb.arn` and `webAclArn: webAcl.arn` " + "(a REGIONAL web ACL).",
  examines: [
    {
      rule: "internet-facing Application Load Balancers (internal ones too with requireForInternal)",
      where: (lb, ctx) => isApplication(lb.props) && (!isTrue(get(lb.props, "internal")) || ctx.config.requireForInternal),
    },
  ],
  validate: (ctx, report) => {
    const associations = ctx.ofType([T.webAclAssociation]);
    ctx.each(ctx.subjects(), (lb: PolicyResource) => {
      const joined = companionsOf(lb, associations, ["resourceArn"], isLb);
      if (joined.matched.length > 0) {
        return;
      }
      if (joined.undecided) {
        ctx.undecided([lb.type, lb.name, "arn"]);
        return;
      }
      report(lb.urn, "The internet-facing load balancer has no WAFv2 web ACL association.");
    });
  },
});
