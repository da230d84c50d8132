// Specs of the s3-bucket-public-access-block policy (./s3-bucket-public-access-block.ts).

import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { s3BucketPublicAccessBlock } from "./s3-bucket-public-access-block";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { phi } from "../../test-support/specs/s3";

describe("s3", () => {
  policySuite(s3BucketPublicAccessBlock, {
    cases: [
      { name: "no public access block", mutate: (p) => p.remove(phi(p).pab), expect: { violation: "phi-data-bucket" } },
      {
        name: "one flag off",
        mutate: (p) => set(phi(p).pab, "restrictPublicBuckets", false),
        expect: { violation: "phi-data-bucket", message: /restrictPublicBuckets/ },
      },
      {
        name: "account-level block with a flag off",
        mutate: (p) =>
          p.add("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "account-pab", {
            blockPublicAcls: true,
            blockPublicPolicy: false,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
          }),
        expect: { violation: "account-pab" },
      },
      {
        name: "preview: flag unknown -> can't run",
        mutate: (p) => set(phi(p).pab, "blockPublicPolicy", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
});
