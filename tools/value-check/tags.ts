/**
 * The shapes of a resource's `tags` map per botocore service: each key against the first, each
 * value against the second (the services' TagKey/TagValue shapes). EC2, RDS, S3, SQS, Lambda and
 * Backup declare tag shapes without a constraint in their models and are not listed.
 */
export const TAG_SHAPES: Readonly<Record<string, readonly [string, string]>> = {
  athena: ["TagKey", "TagValue"],
  autoscaling: ["TagKey", "TagValue"],
  cloudtrail: ["TagKey", "TagValue"],
  events: ["TagKey", "TagValue"],
  logs: ["TagKey", "TagValue"],
  cloudwatch: ["TagKey", "TagValue"],
  dynamodb: ["TagKeyString", "TagValueString"],
  glue: ["TagKey", "TagValue"],
  guardduty: ["TagKey", "TagValue"],
  config: ["TagKey", "TagValue"],
  iam: ["tagKeyType", "tagValueType"],
  firehose: ["TagKey", "TagValue"],
  kms: ["TagKeyType", "TagValueType"],
  elbv2: ["TagKey", "TagValue"],
  opensearch: ["TagKey", "TagValue"],
  secretsmanager: ["TagKeyType", "TagValueType"],
  stepfunctions: ["TagKey", "TagValue"],
  sns: ["TagKey", "TagValue"],
  ssm: ["TagKey", "TagValue"],
  wafv2: ["TagKey", "TagValue"],
};
