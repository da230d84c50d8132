// Specs of the s3-versioned-bucket-lifecycle policy (./s3-versioned-bucket-lifecycle.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { s3VersionedBucketLifecycle } from "./s3-versioned-bucket-lifecycle";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { phi, unlink } from "../../test-support/specs/s3";

describe("s3", () => {
  policySuite(s3VersionedBucketLifecycle, {
    cases: [
      { name: "versioned bucket without lifecycle", mutate: (p) => p.remove(phi(p).lifecycle), expect: { violation: "phi-data-bucket" } },
      {
        name: "preview: lifecycle's bucket unknown without dependencies -> can't run",
        mutate: (p) => {
          set(phi(p).lifecycle, "bucket", UNKNOWN_STRING);
          unlink(phi(p).lifecycle);
        },
        expect: "unknown",
      },
    ],
  });
});
