import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { isClassifiedAs } from "../lib/tags";
import { T } from "../lib/types";
import { get, isTrue, present } from "../lib/util";

export const opensearchEncryptedAtRest = resourcePolicy<{ cmkClassifications: string[] }>({
  name: "opensearch-encrypted-at-rest",
  description: "OpenSearch domains encrypt data at rest; PHI and confidential domains with a customer-managed key.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  cdkNag: ["OpenSearchEncryptedAtRest"],
  awsConfig: ["opensearch-encrypted-at-rest", "elasticsearch-encrypted-at-rest"],
  resourceTypes: [T.openSearchDomain],
  config: {
    cmkClassifications: {
      type: "array",
      items: { type: "string" },
      default: ["PHI", "Confidential"],
      description: "DataClassification values that need a customer-managed key (an untagged domain counts as PHI).",
    },
  },
  remediationSteps: "Set `encryptAtRest: { enabled: true, kmsKeyId: key.arn }`.",
  validate: (ctx, report) => {
    if (!isTrue(get(ctx.props, "encryptAtRest", "enabled"))) {
      report("Encryption at rest is off: set encryptAtRest.enabled: true.");
      return;
    }
    if (isClassifiedAs(ctx.tags(), ctx.config.cmkClassifications) && !present(ctx.props, "encryptAtRest", "kmsKeyId")) {
      report("The domain is encrypted with the AWS-managed key: set encryptAtRest.kmsKeyId to a customer-managed key.");
    }
  },
});
