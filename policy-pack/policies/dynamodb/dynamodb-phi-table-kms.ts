import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy, phiClassificationsSchema } from "../lib/define";
import { isClassifiedAs } from "../lib/tags";
import { T } from "../lib/types";
import { get, isTrue, present } from "../lib/util";

export const dynamodbPhiTableKms = resourcePolicy<{ phiClassifications: string[] }>({
  name: "dynamodb-phi-table-kms",
  description: "DynamoDB tables holding PHI are encrypted with a customer-managed KMS key.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  awsConfig: ["dynamodb-table-encrypted-kms"],
  resourceTypes: [T.dynamoTable],
  config: {
    phiClassifications: phiClassificationsSchema(
      "DataClassification values that need a customer-managed key (an untagged table counts as PHI).",
    ),
  },
  remediationSteps: "Set `serverSideEncryption: { enabled: true, kmsKeyArn: key.arn }` (a customer-managed key).",
  examines: [
    {
      rule: "tables whose DataClassification is one of `phiClassifications` (untagged counts as PHI)",
      where: (ctx) => isClassifiedAs(ctx.tags(), ctx.config.phiClassifications),
    },
  ],
  validate: (ctx, report) => {
    if (!isTrue(get(ctx.props, "serverSideEncryption", "enabled")) || !present(ctx.props, "serverSideEncryption", "kmsKeyArn")) {
      report("The PHI table uses the AWS-owned key: set serverSideEncryption { enabled: true, kmsKeyArn }.");
    }
  },
});
