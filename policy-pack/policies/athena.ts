// Athena: queries over the archive of PHI access events.

import { CITES, hipaa } from "./lib/hipaa";
import { resourcePolicy } from "./lib/define";
import { T } from "./lib/types";
import { get, isFalse, isTrue, num, present, str } from "./lib/util";

export const athenaWorkgroupEncryptedResults = resourcePolicy<{ allowedEncryptionOptions: string[] }>({
  name: "athena-workgroup-encrypted-results",
  description: "Athena workgroups enforce their configuration and encrypt query results with KMS.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest, "164.312(a)(1)"),
  resourceTypes: [T.athenaWorkgroup],
  config: {
    allowedEncryptionOptions: {
      type: "array",
      items: { type: "string", enum: ["SSE_S3", "SSE_KMS", "CSE_KMS"] },
      default: ["SSE_KMS", "CSE_KMS"],
      description: "Accepted result encryption options.",
    },
  },
  remediationSteps:
    "Set `configuration: { enforceWorkgroupConfiguration: true, resultConfiguration: { outputLocation, " +
    'encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: key.arn } } }`.',
  validate: (ctx, report) => {
    const cfg = get(ctx.props, "configuration");
    if (isFalse(get(cfg, "enforceWorkgroupConfiguration"))) {
      report("enforceWorkgroupConfiguration is false: clients can override result location and encryption.");
    }
    if (isTrue(get(cfg, "managedQueryResultsConfiguration", "enabled"))) {
      if (!present(cfg, "managedQueryResultsConfiguration", "encryptionConfiguration", "kmsKey")) {
        report("Managed query results are not encrypted with a customer-managed key (encryptionConfiguration.kmsKey).");
      }
      return;
    }
    const enc = get(cfg, "resultConfiguration", "encryptionConfiguration");
    const option = str(get(enc, "encryptionOption"));
    if (!option || !ctx.config.allowedEncryptionOptions.includes(option)) {
      report(
        `Query results are ${option ? `encrypted with ${option}` : "not encrypted"}; use ${ctx.config.allowedEncryptionOptions.join(" or ")}.`,
      );
    } else if (option !== "SSE_S3" && !present(enc, "kmsKeyArn")) {
      report("The result encryption has no kmsKeyArn (customer-managed key).");
    }
  },
});

export const athenaWorkgroupQueryLimits = resourcePolicy({
  name: "athena-workgroup-query-limits",
  description: "Athena workgroups bound the data a query may scan and publish CloudWatch metrics.",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.312(b)"),
  resourceTypes: [T.athenaWorkgroup],
  remediationSteps: "Set `configuration.bytesScannedCutoffPerQuery` and `publishCloudwatchMetricsEnabled: true`.",
  validate: (ctx, report) => {
    const cfg = get(ctx.props, "configuration");
    if (num(get(cfg, "bytesScannedCutoffPerQuery")) === undefined) {
      report("No bytesScannedCutoffPerQuery: a query can scan the whole archive.");
    }
    if (isFalse(get(cfg, "publishCloudwatchMetricsEnabled"))) {
      report("CloudWatch metrics are not published.");
    }
  },
});

export const athenaPolicies = [athenaWorkgroupEncryptedResults, athenaWorkgroupQueryLimits];
