// Every policy of the pack, in report order. `policy-pack/index.ts` serves exactly this array and
// the offline checker runs exactly this array.

import { HipaaPolicy } from "./lib/define";
import { albPolicies } from "./alb";
import { athenaPolicies } from "./athena";
import { cloudtrailPolicies } from "./cloudtrail";
import { cloudwatchPolicies } from "./cloudwatch";
import { constraintPolicies } from "./constraints";
import { dynamodbPolicies } from "./dynamodb";
import { ec2Policies } from "./ec2";
import { firehosePolicies } from "./firehose";
import { gluePolicies } from "./glue";
import { iamPolicies } from "./iam";
import { kmsPolicies } from "./kms";
import { lambdaPolicies } from "./lambda";
import { opensearchPolicies } from "./opensearch";
import { phiPathPolicies } from "./phi-path";
import { protectionPolicies } from "./protection";
import { rdsPolicies } from "./rds";
import { s3Policies } from "./s3";
import { secretsmanagerPolicies } from "./secretsmanager";
import { snsPolicies } from "./sns";
import { sqsPolicies } from "./sqs";
import { stepfunctionsPolicies } from "./stepfunctions";
import { tagPolicies } from "./tags";
import { vpcPolicies } from "./vpc";
import { wafv2Policies } from "./wafv2";

export type { HipaaPolicy } from "./lib/define";

/** Policies grouped by the module (service) that defines them. */
export const policiesByService: Record<string, HipaaPolicy[]> = {
  kms: kmsPolicies,
  cloudtrail: cloudtrailPolicies,
  cloudwatch: cloudwatchPolicies,
  vpc: vpcPolicies,
  ec2: ec2Policies,
  lambda: lambdaPolicies,
  s3: s3Policies,
  dynamodb: dynamodbPolicies,
  sns: snsPolicies,
  sqs: sqsPolicies,
  rds: rdsPolicies,
  secretsmanager: secretsmanagerPolicies,
  alb: albPolicies,
  wafv2: wafv2Policies,
  opensearch: opensearchPolicies,
  firehose: firehosePolicies,
  stepfunctions: stepfunctionsPolicies,
  athena: athenaPolicies,
  glue: gluePolicies,
  iam: iamPolicies,
  protection: protectionPolicies,
  tags: tagPolicies,
  constraints: constraintPolicies,
  "phi-path": phiPathPolicies,
};

export const allPolicies: HipaaPolicy[] = Object.values(policiesByService).flat();
