// Glue: the catalog table over the security-event archive, and any jobs or crawlers.

import { CITES, hipaa } from "./lib/hipaa";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { T } from "./lib/types";
import { get, isTrue, present, str } from "./lib/util";

export const glueSecurityConfigurationEncrypted = resourcePolicy({
  name: "glue-security-configuration-encrypted",
  description: "Glue security configurations encrypt S3 output, CloudWatch logs and job bookmarks with KMS.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  resourceTypes: [T.glueSecurityConfiguration],
  remediationSteps: "Set s3Encryption SSE-KMS, cloudwatchEncryption SSE-KMS and jobBookmarksEncryption CSE-KMS, each with kmsKeyArn.",
  validate: (ctx, report) => {
    const enc = get(ctx.props, "encryptionConfiguration");
    const checks: [string, string, string][] = [
      ["s3Encryption", "s3EncryptionMode", "SSE-KMS"],
      ["cloudwatchEncryption", "cloudwatchEncryptionMode", "SSE-KMS"],
      ["jobBookmarksEncryption", "jobBookmarksEncryptionMode", "CSE-KMS"],
    ];
    for (const [block, field, expected] of checks) {
      const mode = str(get(enc, block, field)) ?? "DISABLED";
      if (mode !== expected || !present(enc, block, "kmsKeyArn")) {
        report(`${block} is ${mode}${mode === expected ? " without kmsKeyArn" : ""}; use ${expected} with a customer-managed key.`);
      }
    }
  },
});

export const glueJobsUseSecurityConfiguration = resourcePolicy({
  name: "glue-jobs-use-security-configuration",
  description: "Glue jobs and crawlers run with a security configuration.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  resourceTypes: [T.glueJob, T.glueCrawler],
  remediationSteps: "Set `securityConfiguration` to an aws.glue.SecurityConfiguration that encrypts with KMS.",
  validate: (ctx, report) => {
    if (!present(ctx.props, "securityConfiguration")) {
      report("No securityConfiguration: output, logs and bookmarks are written unencrypted by Glue.");
    }
  },
});

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

export const gluePolicies = [
  glueSecurityConfigurationEncrypted,
  glueJobsUseSecurityConfiguration,
  glueDataCatalogEncrypted,
  glueDataCatalogEncryptionInStack,
];
