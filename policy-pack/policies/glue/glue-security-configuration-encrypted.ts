import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, present, str } from "../lib/util";

export const glueSecurityConfigurationEncrypted = resourcePolicy({
  name: "glue-security-configuration-encrypted",
  description: "Glue security configurations encrypt S3 output, CloudWatch logs and job bookmarks with KMS.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  resourceTypes: [T.glueSecurityConfiguration],
  remediationSteps: "Set s3Encryption SSE-KMS, cloudwatchEncryption SSE-KMS and jobBookmarksEncryption CSE-KMS, each with kmsKeyArn.",
  validate: (ctx, report) => {
    const enc = get(ctx.props, "encryptionConfiguration");
    const checks: [string, string, string][] = [
      ["s3Encryption", "s3EncryptionMode", "SSE-KMS"],
      ["cloudwatchEncryption", "cloudwatchEncryptionMode", "SSE-KMS"],
      ["jobBookmarksEncryption", "jobBookmarksEncryptionMode", "CSE-KMS"],
    ];
    for (const [block, field, expected] of checks) {
      const mode = str(get(enc, block, field)) ?? "DISABLED";
      if (mode !== expected || !present(enc, block, "kmsKeyArn")) {
        report(`${block} is ${mode}${mode === expected ? " without kmsKeyArn" : ""}; use ${expected} with a customer-managed key.`);
      }
    }
  },
});
