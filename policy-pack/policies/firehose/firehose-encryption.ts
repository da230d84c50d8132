import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isTrue, present, str } from "../lib/util";

export const firehoseEncryption = resourcePolicy<{ requireCustomerManagedKey: boolean }>({
  name: "firehose-encryption",
  description: "Direct-put Firehose delivery streams encrypt buffered records with a customer-managed KMS key.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  resourceTypes: [T.firehose],
  config: {
    requireCustomerManagedKey: {
      type: "boolean",
      default: true,
      description: "Require keyType CUSTOMER_MANAGED_CMK (false accepts the AWS-owned key).",
    },
  },
  remediationSteps:
    'Set `serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: key.arn }`. ' +
    "Streams fed by a Kinesis stream inherit its encryption (see kinesis-stream-encrypted).",
  examines: [
    {
      // encryption at rest of a stream with a Kinesis or MSK source is the source's
      rule: "Direct PUT streams (no Kinesis or MSK source)",
      where: (ctx) => !present(ctx.props, "kinesisSourceConfiguration") && !present(ctx.props, "mskSourceConfiguration"),
    },
  ],
  validate: (ctx, report) => {
    if (!isTrue(get(ctx.props, "serverSideEncryption", "enabled"))) {
      report("Server-side encryption is off: set serverSideEncryption.enabled: true.");
      return;
    }
    if (ctx.config.requireCustomerManagedKey) {
      const type = str(get(ctx.props, "serverSideEncryption", "keyType")) ?? "AWS_OWNED_CMK";
      if (type !== "CUSTOMER_MANAGED_CMK" || !present(ctx.props, "serverSideEncryption", "keyArn")) {
        report("The stream uses the AWS-owned key: set keyType CUSTOMER_MANAGED_CMK with keyArn.");
      }
    }
  },
});
