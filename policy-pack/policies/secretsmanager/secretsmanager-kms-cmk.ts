import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { probe, UNKNOWN } from "../lib/util";

export const secretsmanagerKmsCmk = resourcePolicy({
  name: "secretsmanager-kms-cmk",
  description: "Secrets are encrypted with a customer-managed KMS key.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  cdkNag: ["SecretsManagerUsingKMSKey"],
  awsConfig: ["secretsmanager-using-cmk"],
  resourceTypes: [T.secret],
  remediationSteps: "Set `kmsKeyId` on the aws.secretsmanager.Secret to a customer-managed key (not alias/aws/secretsmanager).",
  validate: (ctx, report) => {
    const key = probe(ctx.props, "kmsKeyId");
    if (key === UNKNOWN) {
      return;
    }
    if (typeof key !== "string" || key === "" || key.endsWith("alias/aws/secretsmanager")) {
      report("The secret uses the AWS-managed key: set kmsKeyId to a customer-managed key.");
    }
  },
});
