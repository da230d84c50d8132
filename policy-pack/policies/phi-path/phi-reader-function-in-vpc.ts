// A function that reads PHI runs in the VPC, whatever its tags: its role may read a PHI bucket.

import { stackPolicy } from "../lib/define";
import { CITES, hipaa } from "../lib/hipaa";
import { PHI_CLASSIFICATIONS_SCHEMA, phiReaders } from "../lib/phi-path";
import { BUCKET_TYPES, IAM_ATTACHMENT_TYPES, IAM_POLICY_DOC_TYPES, T } from "../lib/types";
import { present } from "../lib/util";

export const phiReaderFunctionInVpc = stackPolicy<{ phiClassifications: string[] }>({
  name: "phi-reader-function-in-vpc",
  description:
    "A Lambda function whose execution role may read objects of a PHI bucket (s3:GetObject in a policy the stack attaches to it) " +
    "is attached to the VPC (subnets and security groups), whatever its DataClassification tag " +
    "(https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.publicAccess),
  cdkNag: ["LambdaInsideVPC"],
  awsConfig: ["lambda-inside-vpc"],
  resourceTypes: [T.lambdaFunction],
  relatedTypes: [T.iamRole, ...IAM_POLICY_DOC_TYPES, ...IAM_ATTACHMENT_TYPES, ...BUCKET_TYPES],
  config: { phiClassifications: PHI_CLASSIFICATIONS_SCHEMA },
  remediationSteps:
    "Set `vpcConfig: { subnetIds: <private subnet ids>, securityGroupIds: [<function SG>] }` on the function and reach S3 " +
    "through a gateway endpoint (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html), or remove the " +
    "s3:GetObject grant on the PHI bucket from its role.",
  examines: [
    {
      rule: "functions whose role may read a PHI bucket",
      where: (fn, ctx) => phiReaders(ctx.resources, (r) => ctx.tags(r), ctx.config.phiClassifications).some((x) => x.fn === fn),
    },
  ],
  validate: (ctx, report) => {
    const readers = phiReaders(ctx.resources, (r) => ctx.tags(r), ctx.config.phiClassifications);
    ctx.each(readers, (reader) => {
      const fn = reader.fn;
      if (present(fn.props, "vpcConfig", "subnetIds") && present(fn.props, "vpcConfig", "securityGroupIds")) {
        return;
      }
      if (reader.reads === "maybe") {
        ctx.undecided([fn.type, fn.name, "role"]);
        return;
      }
      report(
        fn.urn,
        `The function's role may read PHI (${reader.buckets.map((b) => b.name).join(", ")}) but the function is not attached ` +
          "to the VPC: set vpcConfig.subnetIds and vpcConfig.securityGroupIds.",
      );
    });
  },
});
