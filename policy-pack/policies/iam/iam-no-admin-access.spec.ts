// Specs of the iam-no-admin-access policy (./iam-no-admin-access.ts).

import { iamNoAdminAccess } from "./iam-no-admin-access";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { attach, doc, policy, role } from "../../test-support/specs/iam";

describe("iam", () => {
  policySuite(iamNoAdminAccess, {
    cases: [
      {
        name: "Action * on Resource *",
        mutate: (p) => set(policy(p), "policy", doc({ Effect: "Allow", Action: "*", Resource: "*" })),
        expect: { violation: "reader-policy", message: /every action on every resource/ },
      },
      {
        name: "NotAction allow on *",
        mutate: (p) => set(policy(p), "policy", doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" })),
        expect: { violation: "reader-policy", message: /NotAction/ },
      },
      {
        name: "AdministratorAccess attached",
        mutate: (p) => set(attach(p), "policyArn", "arn:aws:iam::aws:policy/AdministratorAccess"),
        expect: { violation: "reader-attach" },
      },
      {
        name: "inline policy on a role",
        mutate: (p) =>
          set(role(p), "inlinePolicies", [{ name: "admin", policy: doc({ Effect: "Allow", Action: ["*"], Resource: ["*"] }) }]),
        expect: { violation: "reader-role" },
      },
      {
        name: "Deny * on * is fine",
        mutate: (p) => set(policy(p), "policy", doc({ Effect: "Deny", Action: "*", Resource: "*" })),
        expect: "clean",
      },
      { name: "preview: document unknown -> can't run", mutate: (p) => set(policy(p), "policy", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
});
