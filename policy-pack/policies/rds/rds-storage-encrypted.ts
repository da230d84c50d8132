import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy, phiClassificationsSchema } from "../lib/define";
import { isClassifiedAs } from "../lib/tags";
import { T } from "../lib/types";
import { get, isTrue, present, str } from "../lib/util";
import { isAurora } from "./lib";

export const rdsStorageEncrypted = resourcePolicy<{ phiClassifications: string[] }>({
  name: "rds-storage-encrypted",
  description: "RDS instances and clusters encrypt storage; PHI databases with a customer-managed KMS key.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  cdkNag: ["RDSStorageEncrypted"],
  awsConfig: ["rds-storage-encrypted", "rds-snapshot-encrypted"],
  resourceTypes: [T.rdsInstance, T.rdsCluster],
  config: {
    phiClassifications: phiClassificationsSchema(
      "DataClassification values that need a customer-managed key (an untagged database counts as PHI).",
    ),
  },
  remediationSteps:
    "Set `storageEncrypted: true` and `kmsKeyId: key.arn` (customer-managed). Encryption cannot be " +
    "added to an existing database: restore an encrypted snapshot copy.",
  examines: [
    {
      // Aurora storage is configured (and checked) on the cluster
      rule: "clusters and instances that are not Aurora members",
      where: (ctx) => ctx.type !== T.rdsInstance || !isAurora(str(get(ctx.props, "engine"))),
    },
  ],
  validate: (ctx, report) => {
    if (!isTrue(get(ctx.props, "storageEncrypted"))) {
      report("Storage is not encrypted: set storageEncrypted: true.");
      return;
    }
    if (isClassifiedAs(ctx.tags(), ctx.config.phiClassifications) && !present(ctx.props, "kmsKeyId")) {
      report("The PHI database is encrypted with the AWS-managed key: set kmsKeyId to a customer-managed key.");
    }
  },
});
