import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, list } from "../lib/util";

export const iamUserNoDirectPolicies = resourcePolicy({
  name: "iam-user-no-direct-policies",
  description: "IAM users receive permissions only through groups (no user policies or user attachments).",
  severity: "medium",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.leastPrivilege),
  cdkNag: ["IAMUserNoPolicies"],
  awsConfig: ["iam-user-no-policies-check"],
  resourceTypes: [T.iamUserPolicy, T.iamUserPolicyAttachment, T.iamPolicyAttachment],
  remediationSteps: "Attach the policy to a group (aws.iam.GroupPolicyAttachment) and add the user to the group.",
  validate: (ctx, report) => {
    if (ctx.type === T.iamPolicyAttachment) {
      if (list(get(ctx.props, "users")).length > 0) {
        report("The policy attachment attaches the policy directly to users.");
      }
      return;
    }
    report("The policy is attached directly to a user.");
  },
});
