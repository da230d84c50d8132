import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { companionsOf, ofTypes } from "../lib/join";
import { T } from "../lib/types";

const isUser = ofTypes([T.iamUser]);

export const iamUserGroupMembership = stackPolicy({
  name: "iam-user-group-membership",
  description: "Every IAM user belongs to at least one group.",
  severity: "medium",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.leastPrivilege),
  cdkNag: ["IAMUserGroupMembership"],
  awsConfig: ["iam-user-group-membership-check"],
  resourceTypes: [T.iamUser],
  relatedTypes: [T.iamUserGroupMembership, T.iamGroupMembership],
  remediationSteps: "Add the user to a group with aws.iam.UserGroupMembership (or GroupMembership).",
  validate: (ctx, report) => {
    const memberships = [
      ...ctx.ofType([T.iamUserGroupMembership]).map((m) => ({ m, key: "user" })),
      ...ctx.ofType([T.iamGroupMembership]).map((m) => ({ m, key: "users" })),
    ];
    ctx.each(ctx.ofType([T.iamUser]), (u) => {
      let undecided = false;
      for (const { m, key } of memberships) {
        const r = companionsOf(u, [m], [key], isUser);
        if (r.matched.length > 0) {
          return;
        }
        undecided = undecided || r.undecided;
      }
      if (undecided) {
        ctx.undecided([u.type, u.name, "name"]);
        return;
      }
      report(u.urn, "The IAM user belongs to no group.");
    });
  },
});
