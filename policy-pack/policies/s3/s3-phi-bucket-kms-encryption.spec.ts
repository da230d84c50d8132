// Specs of the s3-phi-bucket-kms-encryption policy (./s3-phi-bucket-kms-encryption.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { s3PhiBucketKmsEncryption } from "./s3-phi-bucket-kms-encryption";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { phi } from "../../test-support/specs/s3";

describe("s3", () => {
  policySuite(s3PhiBucketKmsEncryption, {
    cases: [
      {
        name: "PHI bucket with SSE-S3",
        mutate: (p) => set(phi(p).sse, "rules", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]),
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "PHI bucket with the AWS-managed key",
        mutate: (p) => set(phi(p).sse, "rules", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }]),
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "alias/aws/s3 is the AWS-managed key",
        mutate: (p) =>
          set(phi(p).sse, "rules", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" } }]),
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "access-log buckets may use SSE-S3 even when untagged (Purpose)",
        mutate: (p) => set(p.accessLogs.bucket, "tags", { Purpose: "access-logs" }),
        expect: "clean",
      },
      {
        name: "preview: kmsMasterKeyId unknown -> passes (key being created)",
        mutate: (p) =>
          set(phi(p).sse, "rules", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN_STRING } }]),
        expect: "clean",
      },
      {
        name: "preview: algorithm unknown -> can't run",
        mutate: (p) => set(phi(p).sse, "rules", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: UNKNOWN_STRING } }]),
        expect: "unknown",
      },
    ],
  });
});
