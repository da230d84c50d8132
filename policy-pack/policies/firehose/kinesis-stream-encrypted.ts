import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, present, str } from "../lib/util";

export const kinesisStreamEncrypted = resourcePolicy({
  name: "kinesis-stream-encrypted",
  description: "Kinesis data streams are encrypted with KMS.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  awsConfig: ["kinesis-stream-encrypted"],
  resourceTypes: [T.kinesisStream],
  remediationSteps: 'Set `encryptionType: "KMS"` and `kmsKeyId` to a customer-managed key.',
  validate: (ctx, report) => {
    if (str(get(ctx.props, "encryptionType")) !== "KMS" || !present(ctx.props, "kmsKeyId")) {
      report("The stream is not encrypted with KMS (encryptionType KMS with kmsKeyId).");
    }
  },
});
