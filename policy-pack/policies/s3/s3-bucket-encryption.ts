import { hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { buckets, companions, inlineSse, sseSettings } from "./lib";

const SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

export const s3BucketEncryption = stackPolicy({
  name: "s3-bucket-encryption",
  description: "Every S3 bucket declares default server-side encryption.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.312(a)(2)(iv)", "164.312(c)(2)", "164.312(e)(2)(ii)"),
  cdkNag: ["S3BucketServerSideEncryptionEnabled"],
  awsConfig: ["s3-bucket-server-side-encryption-enabled"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.encryption],
  remediationSteps:
    "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with " +
    '`applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }` and `bucketKeyEnabled: true` ' +
    "(SSE-S3 `AES256` only where a service requires it, such as ALB access logs).",
  validate: (ctx, report) => {
    ctx.each(buckets(ctx), (b) => {
      const joined = companions(ctx, b, S3.encryption);
      const settings = [...joined.matched.flatMap(sseSettings), ...inlineSse(b)];
      if (settings.some((s) => SSE_ALGORITHMS.includes(s.algorithm))) {
        return;
      }
      if (joined.undecided) {
        ctx.undecided([b.type, b.name, "bucket"]);
        return;
      }
      report(
        b.urn,
        settings.length === 0
          ? "The bucket has no BucketServerSideEncryptionConfiguration."
          : `The bucket's encryption algorithm (${settings.map((s) => s.algorithm || "none").join(", ")}) is not AES256, aws:kms or aws:kms:dsse.`,
      );
    });
  },
});
