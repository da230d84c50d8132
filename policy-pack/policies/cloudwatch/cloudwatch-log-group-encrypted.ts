import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { present } from "../lib/util";

export const cloudwatchLogGroupEncrypted = resourcePolicy({
  name: "cloudwatch-log-group-encrypted",
  description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  cdkNag: ["CloudWatchLogGroupEncrypted"],
  awsConfig: ["cloudwatch-log-group-encrypted"],
  resourceTypes: [T.logGroup],
  remediationSteps:
    "Set `kmsKeyId` on the aws.cloudwatch.LogGroup to a customer-managed key whose policy allows " +
    "logs.<region>.amazonaws.com under a kms:EncryptionContext:aws:logs:arn condition.",
  validate: (ctx, report) => {
    if (!present(ctx.props, "kmsKeyId")) {
      report("The log group is not encrypted with a customer-managed KMS key: set kmsKeyId.");
    }
  },
});
