import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { companionsOf } from "../lib/join";
import { T } from "../lib/types";
import { isGroup } from "./lib";

export const iamGroupHasUsers = stackPolicy({
  name: "iam-group-has-users",
  description: "Every IAM group has at least one user.",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.leastPrivilege),
  cdkNag: ["IAMGroupHasUsers"],
  awsConfig: ["iam-group-has-users-check"],
  resourceTypes: [T.iamGroup],
  relatedTypes: [T.iamUserGroupMembership, T.iamGroupMembership],
  remediationSteps: "Add users to the group or delete it.",
  validate: (ctx, report) => {
    const memberships = [
      ...ctx.ofType([T.iamGroupMembership]).map((m) => ({ m, key: "group" })),
      ...ctx.ofType([T.iamUserGroupMembership]).map((m) => ({ m, key: "groups" })),
    ];
    ctx.each(ctx.ofType([T.iamGroup]), (g) => {
      let undecided = false;
      for (const { m, key } of memberships) {
        const r = companionsOf(g, [m], [key], isGroup);
        if (r.matched.length > 0) {
          return;
        }
        undecided = undecided || r.undecided;
      }
      if (undecided) {
        ctx.undecided([g.type, g.name, "name"]);
        return;
      }
      report(g.urn, "The IAM group has no users.");
    });
  },
});
