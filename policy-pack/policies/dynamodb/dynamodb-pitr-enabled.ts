import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isTrue } from "../lib/util";

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
