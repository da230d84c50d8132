// Specs of the s3-bucket-server-access-logging policy (./s3-bucket-server-access-logging.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { s3BucketServerAccessLogging } from "./s3-bucket-server-access-logging";
import { StateResource } from "../../checker/deployment";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { phi, unlink } from "../../test-support/specs/s3";

describe("s3", () => {
  policySuite(s3BucketServerAccessLogging, {
    cases: [
      { name: "no logging", mutate: (p) => p.remove(phi(p).logging as StateResource), expect: { violation: "phi-data-bucket" } },
      { name: "the access-log bucket itself is exempt by Purpose", expect: "clean" },
      // Stance change (issue 12): the target of server access logs is recognised by structure, whatever its tags.
      {
        name: "an untagged access-log target is exempt by structure",
        mutate: (p) => set(p.accessLogs.bucket, "tags", { DataClassification: "Internal" }),
        expect: "clean",
      },
      {
        name: "preview: target bucket unknown -> passes (bucket being created)",
        mutate: (p) => set(phi(p).logging as StateResource, "targetBucket", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: companion's bucket unknown without dependencies -> can't run",
        mutate: (p) => {
          const l = phi(p).logging as StateResource;
          set(l, "bucket", UNKNOWN_STRING);
          unlink(l);
        },
        expect: "unknown",
      },
    ],
  });
});
