import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { isClassifiedAs } from "../lib/tags";
import { T } from "../lib/types";
import { present } from "../lib/util";

export const lambdaInsideVpc = resourcePolicy<{ classifications: string[] }>({
  name: "lambda-inside-vpc",
  description: "Lambda functions that handle PHI or confidential data run inside the VPC.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.publicAccess),
  cdkNag: ["LambdaInsideVPC"],
  awsConfig: ["lambda-inside-vpc"],
  resourceTypes: [T.lambdaFunction],
  config: {
    classifications: {
      type: "array",
      items: { type: "string" },
      default: ["PHI", "Confidential"],
      description: "DataClassification values that must run in the VPC (an untagged function counts as PHI).",
    },
  },
  remediationSteps:
    "Set `vpcConfig: { subnetIds: <private subnet ids>, securityGroupIds: [<function SG>] }` and give the " +
    "role AWSLambdaVPCAccessExecutionRole-equivalent permissions; reach AWS APIs through VPC endpoints.",
  examines: [
    {
      rule: "functions whose DataClassification is one of `classifications` (untagged counts as PHI)",
      where: (ctx) => isClassifiedAs(ctx.tags(), ctx.config.classifications),
    },
  ],
  validate: (ctx, report) => {
    if (!present(ctx.props, "vpcConfig", "subnetIds")) {
      report(`The function (DataClassification ${ctx.classification()}) is not attached to the VPC: set vpcConfig.subnetIds.`);
    }
  },
});
