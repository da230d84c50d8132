import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { present } from "../lib/util";

export const opensearchInVpc = resourcePolicy({
  name: "opensearch-in-vpc",
  description: "OpenSearch domains are reachable only inside the VPC.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.publicAccess),
  cdkNag: ["OpenSearchInVPCOnly"],
  awsConfig: ["opensearch-in-vpc-only", "elasticsearch-in-vpc-only"],
  resourceTypes: [T.openSearchDomain],
  remediationSteps: "Set `vpcOptions: { subnetIds: <private subnets, one per AZ>, securityGroupIds: [...] }`.",
  validate: (ctx, report) => {
    if (!present(ctx.props, "vpcOptions", "subnetIds")) {
      report("The domain has a public endpoint: set vpcOptions.subnetIds.");
    }
  },
});
