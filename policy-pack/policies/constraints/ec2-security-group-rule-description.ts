// Security-group rule descriptions: EC2 allows a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*, up to
// 255 characters (IpRange, Ipv6Range, PrefixListId, UserIdGroupPair `Description`). The provider
// checks this for inline rules and SecurityGroupRule (terraform-provider-aws
// validSecurityGroupRuleDescription) only when the value is known at plan time; the
// vpc.SecurityGroupIngressRule / EgressRule resources pass the string to
// AuthorizeSecurityGroupIngress/Egress unchecked. One policy for every place a rule description lives.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html

import { resourcePolicy } from "../lib/define";
import { CITES, hipaa } from "../lib/hipaa";
import { T } from "../lib/types";
import { list, probe, UNKNOWN } from "../lib/util";
import { knownString, valueProblem } from "../lib/values";
import { EC2_SG_ALLOWED, EC2_SG_CHAR, EC2_SG_PATTERN } from "./ec2-security-group-create-values";

const DOC = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html";

export const ec2SecurityGroupRuleDescription = resourcePolicy({
  name: "ec2-security-group-rule-description",
  description:
    "Security-group rule descriptions use only the characters EC2 accepts (a-z, A-Z, 0-9, spaces and " +
    `._-:/()#,@[]+=&;{}!$*), up to 255 (${DOC}).`,
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.availability),
  resourceTypes: [T.securityGroup, T.securityGroupRule, T.sgIngressRule, T.sgEgressRule],
  tags: ["deploy-trap", "create-time-constraint"],
  remediationSteps: `Rewrite the rule's description with the allowed characters only (no apostrophes, quotes or non-ASCII) (${DOC}).`,
  validate: (ctx, report) => {
    const check = (value: string | undefined, where: string) => {
      if (value === undefined) return;
      const problem = valueProblem(value, {
        what: `The description of ${where}`,
        char: EC2_SG_CHAR,
        pattern: EC2_SG_PATTERN,
        allowed: EC2_SG_ALLOWED,
        minLength: 0,
        maxLength: 255,
      });
      if (problem) report(problem);
    };
    if (ctx.type !== T.securityGroup) {
      check(knownString(ctx.props, "description"), "this rule");
      return;
    }
    for (const direction of ["ingress", "egress"]) {
      const rules = probe(ctx.props, direction);
      if (rules === UNKNOWN) continue;
      list(rules).forEach((_, i) => check(knownString(ctx.props, direction, i, "description"), `${direction} rule ${i + 1}`));
    }
  },
});
