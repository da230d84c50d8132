// DynamoDB: the audit and authorization tables.

import { PolicyResource } from "@pulumi/policy";
import { CITES, hipaa } from "./lib/hipaa";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { companionsOf, ofTypes } from "./lib/join";
import { isClassifiedAs } from "./lib/tags";
import { T } from "./lib/types";
import { get, isTrue, present, probe, str } from "./lib/util";

export const dynamodbPitrEnabled = resourcePolicy({
  name: "dynamodb-pitr-enabled",
  description: "DynamoDB tables have point-in-time recovery enabled.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.backup),
  cdkNag: ["DynamoDBPITREnabled"],
  awsConfig: ["dynamodb-pitr-enabled"],
  resourceTypes: [T.dynamoTable],
  remediationSteps: "Set `pointInTimeRecovery: { enabled: true }` on the aws.dynamodb.Table.",
  validate: (ctx, report) => {
    if (!isTrue(get(ctx.props, "pointInTimeRecovery", "enabled"))) {
      report("Point-in-time recovery is off: set pointInTimeRecovery.enabled: true.");
    }
  },
});

export const dynamodbPhiTableKms = resourcePolicy<{ phiClassifications: string[] }>({
  name: "dynamodb-phi-table-kms",
  description: "DynamoDB tables holding PHI are encrypted with a customer-managed KMS key.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  awsConfig: ["dynamodb-table-encrypted-kms"],
  resourceTypes: [T.dynamoTable],
  config: {
    phiClassifications: {
      type: "array",
      items: { type: "string" },
      default: ["PHI"],
      description: "DataClassification values that need a customer-managed key (an untagged table counts as PHI).",
    },
  },
  remediationSteps: "Set `serverSideEncryption: { enabled: true, kmsKeyArn: key.arn }` (a customer-managed key).",
  validate: (ctx, report) => {
    if (!isClassifiedAs(ctx.tags(), ctx.config.phiClassifications)) {
      return;
    }
    if (!isTrue(get(ctx.props, "serverSideEncryption", "enabled")) || !present(ctx.props, "serverSideEncryption", "kmsKeyArn")) {
      report("The PHI table uses the AWS-owned key: set serverSideEncryption { enabled: true, kmsKeyArn }.");
    }
  },
});

const isTable = ofTypes([T.dynamoTable]);

function tableName(t: PolicyResource): unknown {
  return probe(t.props, "name");
}

export const dynamodbProvisionedAutoscaling = stackPolicy({
  name: "dynamodb-provisioned-autoscaling",
  description: "Provisioned-capacity DynamoDB tables have Application Auto Scaling targets (on-demand tables pass).",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.availability),
  cdkNag: ["DynamoDBAutoscalingEnabled"],
  awsConfig: ["dynamodb-autoscaling-enabled"],
  resourceTypes: [T.dynamoTable],
  relatedTypes: [T.appAutoscalingTarget],
  remediationSteps:
    'Use `billingMode: "PAY_PER_REQUEST"`, or add aws.appautoscaling.Target/Policy for the table\'s ' +
    "read and write capacity (resourceId `table/<name>`).",
  validate: (ctx, report) => {
    const targets = ctx.ofType([T.appAutoscalingTarget]);
    ctx.each(ctx.ofType([T.dynamoTable]), (t) => {
      const mode = str(get(t.props, "billingMode")) ?? "PROVISIONED";
      if (mode !== "PROVISIONED") {
        return;
      }
      const byDep = companionsOf(t, targets, ["resourceId"], isTable);
      const name = tableName(t);
      const byName = typeof name === "string" && targets.some((x) => probe(x.props, "resourceId") === `table/${name}`);
      if (byDep.matched.length > 0 || byName) {
        return;
      }
      if (byDep.undecided) {
        ctx.undecided([t.type, t.name, "name"]);
        return;
      }
      report(t.urn, "The table uses provisioned capacity without auto scaling.");
    });
  },
});

export const dynamodbPolicies = [dynamodbPitrEnabled, dynamodbPhiTableKms, dynamodbProvisionedAutoscaling];
