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
    description: "When the stack defines Glue catalog databases or tables, the Data Catalog is encrypted with KMS.",
    severity: "medium",
    enforcementLevel: "advisory",
    category: "hygiene",
    framework: hipaa(...CITES.encryptionAtRest),
    resourceTypes: [T.glueCatalogDatabase, T.glueCatalogTable, T.glueCatalogEncryption],
    remediationSteps: "Add aws.glue.DataCatalogEncryptionSettings with encryptionAtRest.catalogEncryptionMode SSE-KMS " +
        "(sseAwsKmsKeyId) and connectionPasswordEncryption.returnConnectionPasswordEncrypted true.",
    validate: (ctx, report) => {
        const settings = ctx.ofType([T.glueCatalogEncryption]);
        const good = (s: typeof settings[number]) => {
            const cfg = get(s.props, "dataCatalogEncryptionSettings");
            return str(get(cfg, "encryptionAtRest", "catalogEncryptionMode")) === "SSE-KMS" &&
                isTrue(get(cfg, "connectionPasswordEncryption", "returnConnectionPasswordEncrypted"));
        };
        ctx.each(settings, s => {
            if (!good(s)) {
                report(s.urn, "Data Catalog encryption settings leave metadata or connection passwords unencrypted.");
            }
        });
        if (settings.length === 0) {
            const first = ctx.ofType([T.glueCatalogDatabase, T.glueCatalogTable])[0];
            report(first?.urn, "The stack defines Glue catalog metadata but no DataCatalogEncryptionSettings.");
        }
    },
});

export const gluePolicies = [glueSecurityConfigurationEncrypted, glueJobsUseSecurityConfiguration, glueDataCatalogEncrypted];
