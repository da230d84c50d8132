// Specs of the iam-no-inline-policy policy (./iam-no-inline-policy.ts).

import { iamNoInlinePolicy } from "./iam-no-inline-policy";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { doc, role } from "../../test-support/specs/iam";

describe("iam", () => {
  policySuite(iamNoInlinePolicy, {
    cases: [
      {
        name: "RolePolicy",
        mutate: (p) =>
          p.add("aws:iam/rolePolicy:RolePolicy", "inline", {
            role: "r",
            policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }),
          }),
        expect: { violation: "inline" },
      },
      {
        name: "role with inlinePolicies",
        mutate: (p) =>
          set(role(p), "inlinePolicies", [{ name: "x", policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }) }]),
        expect: { violation: "reader-role" },
      },
      {
        name: "preview: inlinePolicies unknown -> can't run",
        mutate: (p) => set(role(p), "inlinePolicies", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
});
