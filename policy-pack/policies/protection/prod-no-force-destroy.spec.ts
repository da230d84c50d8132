// Specs of the prod-no-force-destroy policy (./prod-no-force-destroy.ts).

import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { prodNoForceDestroy } from "./prod-no-force-destroy";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";

describe("prod protection", () => {
  policySuite(prodNoForceDestroy, {
    env: "prod",
    cases: [
      {
        name: "forceDestroy on a prod bucket",
        mutate: (p) => set(p.phiData.bucket, "forceDestroy", true),
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "BucketV2 alias judged the same",
        mutate: (p) => {
          const b = p.phiData.bucket;
          b.urn = b.urn.replace(b.type, "aws:s3/bucketV2:BucketV2");
          b.type = "aws:s3/bucketV2:BucketV2";
          set(b, "forceDestroy", true);
        },
        expect: { violation: "phi-data-bucket" },
      },
      { name: "forceDestroy in dev is allowed", env: "dev", expect: "clean" },
      {
        name: "preview: forceDestroy unknown -> can't run",
        mutate: (p) => set(p.phiData.bucket, "forceDestroy", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
});
