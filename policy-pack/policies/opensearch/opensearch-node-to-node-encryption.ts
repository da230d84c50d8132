import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isTrue } from "../lib/util";

export const opensearchNodeToNodeEncryption = resourcePolicy({
  name: "opensearch-node-to-node-encryption",
  description: "OpenSearch domains encrypt traffic between nodes.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.transmission),
  cdkNag: ["OpenSearchNodeToNodeEncryption"],
  awsConfig: ["opensearch-node-to-node-encryption-check", "elasticsearch-node-to-node-encryption-check"],
  resourceTypes: [T.openSearchDomain],
  remediationSteps: "Set `nodeToNodeEncryption: { enabled: true }`.",
  validate: (ctx, report) => {
    if (!isTrue(get(ctx.props, "nodeToNodeEncryption", "enabled"))) {
      report("Node-to-node encryption is off.");
    }
  },
});
