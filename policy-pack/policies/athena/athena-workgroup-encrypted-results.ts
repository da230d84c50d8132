import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isFalse, isTrue, present, str } from "../lib/util";

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
