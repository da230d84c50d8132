// Specs of the s3-bucket-encryption policy (./s3-bucket-encryption.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { s3BucketEncryption } from "./s3-bucket-encryption";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { phi, toV2, unlink } from "../../test-support/specs/s3";

describe("s3", () => {
  policySuite(s3BucketEncryption, {
    cases: [
      {
        name: "no encryption companion",
        mutate: (p) => p.remove(phi(p).sse),
        expect: { violation: "phi-data-bucket", message: /no BucketServerSideEncryptionConfiguration/ },
      },
      {
        name: "a companion of another bucket does not count",
        mutate: (p) => {
          set(phi(p).sse, "bucket", "other-bucket");
          unlink(phi(p).sse);
        },
        expect: { violation: "phi-data-bucket" },
      },
      { name: "BucketV2 with V2 companions is judged the same (compliant)", mutate: (p) => toV2(p, phi(p)), expect: "clean" },
      {
        name: "BucketV2 without encryption fails like Bucket",
        mutate: (p) => {
          toV2(p, phi(p));
          p.remove(phi(p).sse);
        },
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "deprecated inline serverSideEncryptionConfiguration is accepted",
        mutate: (p) => {
          p.remove(phi(p).sse);
          set(phi(p).bucket, "serverSideEncryptionConfiguration", {
            rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } },
          });
        },
        expect: "clean",
      },
      {
        name: "joined by bucket name when propertyDependencies are missing",
        mutate: (p) => {
          phi(p).sse.propertyDependencies = {};
        },
        expect: "clean",
      },
      {
        name: "preview: bucket name unknown, joined through propertyDependencies -> passes",
        mutate: (p) => set(phi(p).sse, "bucket", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: bucket name unknown and no propertyDependencies -> can't run",
        mutate: (p) => {
          set(phi(p).sse, "bucket", UNKNOWN_STRING);
          phi(p).sse.propertyDependencies = { rules: [] };
        },
        expect: "unknown",
      },
    ],
  });
});
