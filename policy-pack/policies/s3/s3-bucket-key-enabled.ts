import { hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { get, isTrue, list, str } from "../lib/util";
import { first } from "./lib";

export const s3BucketKeyEnabled = resourcePolicy({
  name: "s3-bucket-key-enabled",
  description: "SSE-KMS default encryption enables S3 Bucket Keys (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html).",
  severity: "medium",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.312(a)(2)(iv)", "164.308(a)(7)(ii)(C)"),
  resourceTypes: [...S3.encryption, ...BUCKET_TYPES],
  remediationSteps:
    'Set `bucketKeyEnabled: true` beside `applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }`. Without a ' +
    "Bucket Key every object request calls KMS (request quotas throttle a busy PHI bucket, and every call is billed); " +
    "DSSE-KMS (`aws:kms:dsse`) does not support Bucket Keys and is not judged.",
  validate: (ctx, report) => {
    const rules = BUCKET_TYPES.includes(ctx.type as (typeof BUCKET_TYPES)[number])
      ? list(get(first(get(ctx.props, "serverSideEncryptionConfiguration")), "rule"))
      : list(get(ctx.props, "rules"));
    for (const rule of rules) {
      const algorithm = str(get(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm"));
      if (algorithm === "aws:kms" && !isTrue(get(rule, "bucketKeyEnabled"))) {
        report("Default encryption is SSE-KMS without an S3 Bucket Key: every object request calls KMS (set bucketKeyEnabled: true).");
      }
    }
  },
});
