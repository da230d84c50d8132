// DynamoDB: the audit and authorization tables.

import { dynamodbPitrEnabled } from "./dynamodb-pitr-enabled";
import { dynamodbPhiTableKms } from "./dynamodb-phi-table-kms";
import { dynamodbProvisionedAutoscaling } from "./dynamodb-provisioned-autoscaling";

export { dynamodbPitrEnabled, dynamodbPhiTableKms, dynamodbProvisionedAutoscaling };

export const dynamodbPolicies = [dynamodbPitrEnabled, dynamodbPhiTableKms, dynamodbProvisionedAutoscaling];
