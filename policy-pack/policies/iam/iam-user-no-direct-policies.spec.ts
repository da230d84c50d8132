// Specs of the iam-user-no-direct-policies policy (./iam-user-no-direct-policies.ts).

import { iamUserNoDirectPolicies } from "./iam-user-no-direct-policies";
import { UNKNOWN_STRING } from "../lib/unknown";
import { policySuite } from "../../test-support/suite";

describe("iam", () => {
  policySuite(iamUserNoDirectPolicies, {
    cases: [
      {
        name: "user policy attachment",
        mutate: (p) =>
          p.add("aws:iam/userPolicyAttachment:UserPolicyAttachment", "direct", {
            user: "u",
            policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
          }),
        expect: { violation: "direct" },
      },
      {
        name: "policy attachment with users",
        mutate: (p) => p.add("aws:iam/policyAttachment:PolicyAttachment", "pa", { users: ["u"], policyArn: "arn" }),
        expect: { violation: "pa" },
      },
      {
        name: "preview: users unknown -> can't run",
        mutate: (p) => p.add("aws:iam/policyAttachment:PolicyAttachment", "pa", { users: UNKNOWN_STRING, policyArn: "arn" }),
        expect: "unknown",
      },
    ],
  });
});
