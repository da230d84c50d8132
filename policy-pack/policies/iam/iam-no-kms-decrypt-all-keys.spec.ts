// Specs of the iam-no-kms-decrypt-all-keys policy (./iam-no-kms-decrypt-all-keys.ts).

import { iamNoKmsDecryptAllKeys } from "./iam-no-kms-decrypt-all-keys";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { doc, policy } from "../../test-support/specs/iam";

describe("iam", () => {
  policySuite(iamNoKmsDecryptAllKeys, {
    cases: [
      {
        name: "kms:Decrypt on *",
        mutate: (p) => set(policy(p), "policy", doc({ Effect: "Allow", Action: "kms:Decrypt", Resource: "*" })),
        expect: { violation: "reader-policy", message: /kms:Decrypt/ },
      },
      {
        name: "kms:* on every key ARN",
        mutate: (p) => set(policy(p), "policy", doc({ Effect: "Allow", Action: "kms:*", Resource: "arn:aws:kms:*:*:key/*" })),
        expect: { violation: "reader-policy" },
      },
      {
        name: "scoped with kms:ViaService",
        mutate: (p) =>
          set(
            policy(p),
            "policy",
            doc({
              Effect: "Allow",
              Action: "kms:Decrypt",
              Resource: "*",
              Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
            }),
          ),
        expect: "clean",
      },
      { name: "preview: document unknown -> can't run", mutate: (p) => set(policy(p), "policy", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
});
