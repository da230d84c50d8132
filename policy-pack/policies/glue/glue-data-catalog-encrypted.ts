import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isTrue, str } from "../lib/util";

export const glueDataCatalogEncrypted = stackPolicy({
  name: "glue-data-catalog-encrypted",
  description: "Data Catalog encryption settings declared in the stack encrypt metadata (SSE-KMS) and connection passwords.",
  severity: "medium",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  resourceTypes: [T.glueCatalogEncryption],
  remediationSteps:
    "Set encryptionAtRest.catalogEncryptionMode SSE-KMS (sseAwsKmsKeyId) and " +
    "connectionPasswordEncryption.returnConnectionPasswordEncrypted true on the aws.glue.DataCatalogEncryptionSettings.",
  validate: (ctx, report) => {
    ctx.each(ctx.ofType([T.glueCatalogEncryption]), (s) => {
      const cfg = get(s.props, "dataCatalogEncryptionSettings");
      const good =
        str(get(cfg, "encryptionAtRest", "catalogEncryptionMode")) === "SSE-KMS" &&
        isTrue(get(cfg, "connectionPasswordEncryption", "returnConnectionPasswordEncrypted"));
      if (!good) {
        report(s.urn, "Data Catalog encryption settings leave metadata or connection passwords unencrypted.");
      }
    });
  },
});
