import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { present } from "../lib/util";

export const cloudtrailEncryptionEnabled = resourcePolicy({
  name: "cloudtrail-encryption-enabled",
  description: "CloudTrail trails encrypt their log files with a customer-managed KMS key.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  cdkNag: ["CloudTrailEncryptionEnabled"],
  awsConfig: ["cloud-trail-encryption-enabled"],
  resourceTypes: [T.trail],
  remediationSteps:
    "Set `kmsKeyId` on the aws.cloudtrail.Trail to the ARN of a customer-managed key whose policy lets " +
    "cloudtrail.amazonaws.com use it under an aws:SourceArn condition.",
  validate: (ctx, report) => {
    if (!present(ctx.props, "kmsKeyId")) {
      report("The trail's log files are not encrypted with a KMS key: set kmsKeyId.");
    }
  },
});
