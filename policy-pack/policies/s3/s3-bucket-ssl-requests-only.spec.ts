// Specs of the s3-bucket-ssl-requests-only policy (./s3-bucket-ssl-requests-only.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { s3BucketSslRequestsOnly } from "./s3-bucket-ssl-requests-only";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { doc, phi } from "../../test-support/specs/s3";

describe("s3", () => {
  policySuite(s3BucketSslRequestsOnly, {
    cases: [
      {
        name: "no bucket policy",
        mutate: (p) => p.remove(phi(p).policy),
        expect: { violation: "phi-data-bucket", message: /no bucket policy/ },
      },
      {
        name: "policy without the TLS deny",
        mutate: (p) => set(phi(p).policy, "policy", doc({ Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: "*" })),
        expect: { violation: "phi-data-bucket", message: /SecureTransport/ },
      },
      {
        name: "deny that misses the objects",
        mutate: (p) => {
          const arn = String(phi(p).bucket.outputs.arn);
          set(
            phi(p).policy,
            "policy",
            doc({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: arn, Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          );
        },
        expect: { violation: "phi-data-bucket" },
      },
      { name: "preview: policy unknown -> can't run", mutate: (p) => set(phi(p).policy, "policy", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
});
