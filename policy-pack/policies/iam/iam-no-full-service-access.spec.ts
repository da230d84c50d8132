// Specs of the iam-no-full-service-access policy (./iam-no-full-service-access.ts).

import { iamNoFullServiceAccess } from "./iam-no-full-service-access";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { attach, doc, policy } from "../../test-support/specs/iam";

describe("iam", () => {
  policySuite(iamNoFullServiceAccess, {
    cases: [
      {
        name: "s3:*",
        mutate: (p) => set(policy(p), "policy", doc({ Effect: "Allow", Action: ["s3:*"], Resource: "arn:aws:s3:::b/*" })),
        expect: { violation: "reader-policy", message: /s3:\*/ },
      },
      {
        name: "AmazonS3FullAccess attached",
        mutate: (p) => set(attach(p), "policyArn", "arn:aws:iam::aws:policy/AmazonS3FullAccess"),
        expect: { violation: "reader-attach" },
      },
      {
        name: "an allowed wildcard from config",
        config: { "iam-no-full-service-access": { allowedServiceWildcards: ["xray:*"] } },
        mutate: (p) => set(policy(p), "policy", doc({ Effect: "Allow", Action: "xray:*", Resource: "*" })),
        expect: "clean",
      },
      { name: "preview: document unknown -> can't run", mutate: (p) => set(policy(p), "policy", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
});
