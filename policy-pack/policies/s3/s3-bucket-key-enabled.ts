import { hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { get, isTrue, list, str } from "../lib/util";
import { first } from "./lib";

/** The resource's default-encryption rules whose algorithm is aws:kms. */
function kmsRules(type: string, props: unknown): unknown[] {
  const rules = BUCKET_TYPES.includes(type as (typeof BUCKET_TYPES)[number])
    ? list(get(first(get(props, "serverSideEncryptionConfiguration")), "rule"))
    : list(get(props, "rules"));
  return rules.filter((rule) => str(get(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm")) === "aws:kms");
}

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
  examines: [
    { rule: "default-encryption rules (inline or separate) with SSE-KMS", where: (ctx) => kmsRules(ctx.type, ctx.props).length > 0 },
  ],
  validate: (ctx, report) => {
    for (const rule of kmsRules(ctx.type, ctx.props)) {
      if (!isTrue(get(rule, "bucketKeyEnabled"))) {
        report("Default encryption is SSE-KMS without an S3 Bucket Key: every object request calls KMS (set bucketKeyEnabled: true).");
      }
    }
  },
});
