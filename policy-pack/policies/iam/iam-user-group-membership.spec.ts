// Specs of the iam-user-group-membership policy (./iam-user-group-membership.ts).

import { iamUserGroupMembership } from "./iam-user-group-membership";
import { UNKNOWN_STRING } from "../lib/unknown";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";
import { group } from "../../test-support/specs/iam";

const user = (p: Platform) =>
  p.add("aws:iam/user:User", "auditor", { name: "auditor", tags: { DataClassification: "Internal" } }, { id: "auditor" });

describe("iam", () => {
  policySuite(iamUserGroupMembership, {
    cases: [
      {
        name: "user in a group",
        mutate: (p) => {
          const u = user(p);
          const g = group(p);
          p.add(
            "aws:iam/userGroupMembership:UserGroupMembership",
            "m",
            { user: "auditor", groups: ["auditors"] },
            { pd: { user: [u], groups: [g] } },
          );
        },
        expect: "clean",
      },
      { name: "user in no group", mutate: (p) => user(p), expect: { violation: "auditor" } },
      {
        name: "preview: membership user unknown without dependencies -> can't run",
        mutate: (p) => {
          user(p);
          p.add("aws:iam/userGroupMembership:UserGroupMembership", "m", { user: UNKNOWN_STRING, groups: ["auditors"] });
        },
        expect: "unknown",
      },
    ],
  });
});
