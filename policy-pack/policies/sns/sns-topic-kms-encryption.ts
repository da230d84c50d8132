import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { present } from "../lib/util";

export const snsTopicKmsEncryption = resourcePolicy({
  name: "sns-topic-kms-encryption",
  description: "SNS topics encrypt messages at rest with KMS.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  cdkNag: ["SNSEncryptedKMS"],
  awsConfig: ["sns-encrypted-kms"],
  resourceTypes: [T.snsTopic],
  remediationSteps:
    "Set `kmsMasterKeyId` to a customer-managed key whose policy lets the publishing services " +
    "(e.g. cloudwatch.amazonaws.com under aws:SourceArn) use it.",
  validate: (ctx, report) => {
    if (!present(ctx.props, "kmsMasterKeyId")) {
      report("The topic is not encrypted: set kmsMasterKeyId.");
    }
  },
});
