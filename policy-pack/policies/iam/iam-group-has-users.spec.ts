// Specs of the iam-group-has-users policy (./iam-group-has-users.ts).

import { iamGroupHasUsers } from "./iam-group-has-users";
import { UNKNOWN_STRING } from "../lib/unknown";
import { policySuite } from "../../test-support/suite";
import { group } from "../../test-support/specs/iam";

describe("iam", () => {
  policySuite(iamGroupHasUsers, {
    cases: [
      { name: "empty group", mutate: (p) => group(p), expect: { violation: "auditors" } },
      {
        name: "group with a member",
        mutate: (p) => {
          const g = group(p);
          p.add("aws:iam/groupMembership:GroupMembership", "gm", { group: "auditors", users: ["auditor"] }, { pd: { group: [g] } });
        },
        expect: "clean",
      },
      {
        name: "preview: group name unknown without dependencies -> can't run",
        mutate: (p) => {
          group(p);
          p.add("aws:iam/groupMembership:GroupMembership", "gm", { group: UNKNOWN_STRING, users: ["x"] });
        },
        expect: "unknown",
      },
    ],
  });
});
