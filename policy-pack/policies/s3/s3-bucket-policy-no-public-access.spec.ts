// Specs of the s3-bucket-policy-no-public-access policy (./s3-bucket-policy-no-public-access.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { s3BucketPolicyNoPublicAccess } from "./s3-bucket-policy-no-public-access";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { doc, phi } from "../../test-support/specs/s3";

describe("s3", () => {
  policySuite(s3BucketPolicyNoPublicAccess, {
    cases: [
      {
        name: "public read statement",
        mutate: (p) =>
          set(phi(p).policy, "policy", doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::x/*" })),
        expect: { violation: "phi-data-policy", message: /to anyone/ },
      },
      {
        name: "a SecureTransport condition does not restrict who",
        mutate: (p) =>
          set(
            phi(p).policy,
            "policy",
            doc({
              Effect: "Allow",
              Principal: { AWS: "*" },
              Action: "s3:GetObject",
              Resource: "*",
              Condition: { Bool: { "aws:SecureTransport": "true" } },
            }),
          ),
        expect: { violation: "phi-data-policy" },
      },
      {
        name: "scoped to the organization passes",
        mutate: (p) =>
          set(
            phi(p).policy,
            "policy",
            doc({
              Effect: "Allow",
              Principal: "*",
              Action: "s3:GetObject",
              Resource: "*",
              Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } },
            }),
          ),
        expect: "clean",
      },
      {
        name: "inline bucket policy is judged",
        mutate: (p) => set(phi(p).bucket, "policy", doc({ Effect: "Allow", Principal: "*", Action: "s3:PutObject", Resource: "*" })),
        expect: { violation: "phi-data-bucket" },
      },
      { name: "preview: policy unknown -> can't run", mutate: (p) => set(phi(p).policy, "policy", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
});
