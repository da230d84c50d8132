import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { T } from "../lib/types";

export const glueDataCatalogEncryptionInStack = stackPolicy<{ catalogEncryptionOutsideStack: boolean }>({
  name: "glue-data-catalog-encryption-in-stack",
  description:
    "A stack that defines Glue catalog databases or tables also declares the account's DataCatalogEncryptionSettings " +
    "(an absence check: advisory by default, since the setting is account-wide and often owned by another stack).",
  severity: "medium",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.encryptionAtRest),
  resourceTypes: [T.glueCatalogDatabase, T.glueCatalogTable],
  relatedTypes: [T.glueCatalogEncryption],
  absence: true,
  config: {
    catalogEncryptionOutsideStack: {
      type: "boolean",
      default: false,
      description: "Another stack (an account baseline) owns the Data Catalog encryption settings of this account and region.",
    },
  },
  remediationSteps:
    "Add aws.glue.DataCatalogEncryptionSettings with encryptionAtRest.catalogEncryptionMode SSE-KMS, or declare that the " +
    "account baseline owns it: `catalogEncryptionOutsideStack: true` in this policy's config.",
  examines: [
    {
      rule: "the stack's catalog databases and tables, unless catalogEncryptionOutsideStack says the catalog is encrypted elsewhere",
      where: (_r, ctx) => !ctx.config.catalogEncryptionOutsideStack,
    },
  ],
  validate: (ctx, report) => {
    if (ctx.config.catalogEncryptionOutsideStack || ctx.ofType([T.glueCatalogEncryption]).length > 0) {
      return;
    }
    const first = ctx.ofType([T.glueCatalogDatabase, T.glueCatalogTable])[0];
    report(
      first?.urn,
      "The stack defines Glue catalog metadata but no DataCatalogEncryptionSettings. If an account baseline " +
        "elsewhere encrypts the catalog, declare it with catalogEncryptionOutsideStack: true in this policy's config.",
    );
  },
});
