import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, list } from "../lib/util";

export const iamNoInlinePolicy = resourcePolicy({
  name: "iam-no-inline-policy",
  description: "Permissions are granted with managed policies rather than inline policies.",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.leastPrivilege),
  cdkNag: ["IAMNoInlinePolicy"],
  awsConfig: ["iam-no-inline-policy-check"],
  resourceTypes: [T.iamRolePolicy, T.iamUserPolicy, T.iamGroupPolicy, T.iamRole],
  remediationSteps: "Create an aws.iam.Policy and attach it with aws.iam.RolePolicyAttachment.",
  validate: (ctx, report) => {
    if (ctx.type === T.iamRole) {
      if (list(get(ctx.props, "inlinePolicies")).length > 0) {
        report("The role embeds inline policies (inlinePolicies).");
      }
      return;
    }
    report("This is an inline policy.");
  },
});
