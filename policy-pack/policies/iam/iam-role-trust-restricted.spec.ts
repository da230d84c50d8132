// Specs of the iam-role-trust-restricted policy (./iam-role-trust-restricted.ts).

import { iamRoleTrustRestricted } from "./iam-role-trust-restricted";
import { UNKNOWN_STRING } from "../lib/unknown";
import { ACCOUNT, set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { doc, role } from "../../test-support/specs/iam";

describe("iam", () => {
  policySuite(iamRoleTrustRestricted, {
    cases: [
      {
        name: "anyone may assume",
        mutate: (p) => set(role(p), "assumeRolePolicy", doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" })),
        expect: { violation: "reader-role", message: /any AWS principal/ },
      },
      {
        name: "web identity without conditions",
        mutate: (p) =>
          set(
            role(p),
            "assumeRolePolicy",
            doc({
              Effect: "Allow",
              Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
              Action: "sts:AssumeRoleWithWebIdentity",
            }),
          ),
        expect: { violation: "reader-role", message: /federated/ },
      },
      {
        name: "preview: trust policy unknown -> can't run",
        mutate: (p) => set(role(p), "assumeRolePolicy", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
});
