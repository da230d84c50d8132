// Specs of the s3-bucket-acls-disabled policy (./s3-bucket-acls-disabled.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { s3BucketAclsDisabled } from "./s3-bucket-acls-disabled";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { phi } from "../../test-support/specs/s3";

describe("s3", () => {
  policySuite(s3BucketAclsDisabled, {
    cases: [
      {
        name: "ObjectWriter ownership",
        mutate: (p) => set(phi(p).ownership, "rule.objectOwnership", "ObjectWriter"),
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "a BucketAcl companion",
        mutate: (p) =>
          p.add(
            "aws:s3/bucketAcl:BucketAcl",
            "acl",
            { bucket: phi(p).bucket.inputs.bucket, acl: "private" },
            { pd: { bucket: [phi(p).bucket] } },
          ),
        expect: { violation: "phi-data-bucket" },
      },
      { name: "no ownership controls means the default BucketOwnerEnforced", mutate: (p) => p.remove(phi(p).ownership), expect: "clean" },
      {
        name: "preview: ownership unknown -> can't run",
        mutate: (p) => set(phi(p).ownership, "rule.objectOwnership", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
});
