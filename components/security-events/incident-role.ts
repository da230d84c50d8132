/**
 * The incident state machine's log group and role: the role may do exactly what the tasks call
 * (SDK integrations are camelCase in ASL and PascalCase in IAM,
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logGroupName } from "../lib/naming";
import { createServiceRole, type PolicyStatement, type ServiceRole } from "../lib/service-role";
import { statefulOptions } from "../lib/stateful";
import type { VpcFunction } from "../lib/vpc-function";
import { RESULTS_PREFIX } from "./archive-query";
import type { IncidentContext } from "./incident-context";

export function createIncidentRole(
  ctx: IncidentContext,
  reportFunction: VpcFunction,
): { readonly logGroup: aws.cloudwatch.LogGroup; readonly role: ServiceRole } {
  const { name, component, args, stack, tags, accountId, region, partition, via, machineArn } = ctx;
  const { config } = args;
  const parent = { parent: component };
  // --- The state machine's log group and role --------------------------------------------------
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    {
      name: logGroupName(stack, "states", "incident"),
      kmsKeyId: args.auditKeyArn,
      retentionInDays: config.logRetentionInDays,
      deletionProtectionEnabled: config.protectData,
      tags: tags("incident-workflow-logs"),
    },
    statefulOptions(component, config.protectData),
  );

  const archiveArn = pulumi.output(args.archive.bucketArn);
  const glue = pulumi.interpolate`arn:${partition.partition}:glue:${region.region}:${accountId}`;
  const statements: pulumi.Input<PolicyStatement>[] = [
    // https://docs.aws.amazon.com/macie/latest/user/security_iam_service-with-iam.html: classification-job resources.
    {
      sid: "StartClassificationJobs",
      effect: "Allow",
      actions: ["macie2:CreateClassificationJob"],
      resources: [pulumi.interpolate`arn:${partition.partition}:macie2:${region.region}:${accountId}:classification-job/*`],
    },
    {
      sid: "InvokeReportFunction",
      effect: "Allow",
      actions: ["lambda:InvokeFunction"],
      resources: [reportFunction.fn.arn, pulumi.interpolate`${reportFunction.fn.arn}:*`],
    },
    // https://docs.aws.amazon.com/step-functions/latest/dg/athena-iam.html (startQueryExecution.sync), narrowed to our workgroup, catalog and table.
    {
      sid: "RunAccessHistoryQueries",
      effect: "Allow",
      actions: ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:StopQueryExecution"],
      resources: [args.query.workgroupArn],
    },
    {
      sid: "ReadArchiveTable",
      effect: "Allow",
      actions: ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"],
      resources: [
        pulumi.interpolate`${glue}:catalog`,
        pulumi.interpolate`${glue}:database/${args.query.databaseName}`,
        pulumi.interpolate`${glue}:table/${args.query.databaseName}/${args.query.tableName}`,
      ],
    },
    // Athena reads the archive and writes the results with the caller's credentials.
    {
      sid: "ArchiveBucket",
      effect: "Allow",
      actions: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
      resources: [archiveArn],
    },
    { sid: "ReadArchiveEvents", effect: "Allow", actions: ["s3:GetObject"], resources: [pulumi.interpolate`${archiveArn}/events/*`] },
    {
      sid: "WriteQueryResults",
      effect: "Allow",
      actions: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      resources: [pulumi.interpolate`${archiveArn}/${RESULTS_PREFIX}*`],
    },
    {
      sid: "ArchiveKeyThroughS3",
      effect: "Allow",
      actions: ["kms:GenerateDataKey", "kms:Decrypt"],
      resources: [args.pipelineKeyArn],
      conditions: [
        via(["s3"]),
        { test: "StringLike", variable: "kms:EncryptionContext:aws:s3:arn", values: [archiveArn, pulumi.interpolate`${archiveArn}/*`] },
      ],
    },
    // https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html: the execution role
    // encrypts and decrypts the state by the state machine's encryption context. No kms:ViaService:
    // AWS warns it "can prevent a new execution from starting or cause a running execution to fail".
    {
      sid: "StateMachineKeyByEncryptionContext",
      effect: "Allow",
      actions: ["kms:GenerateDataKey", "kms:Decrypt"],
      resources: [args.pipelineKeyArn],
      conditions: [{ test: "StringEquals", variable: "kms:EncryptionContext:aws:states:stateMachineArn", values: [machineArn] }],
    },
    // Same page: with a customer managed key and logging, the execution role generates the data key
    // of the execution logs, which delivery.logs.amazonaws.com decrypts (the key policy's
    // LogDeliveryDecryptStateMachineExecutionLogs).
    {
      sid: "ExecutionLogDataKey",
      effect: "Allow",
      actions: ["kms:GenerateDataKey"],
      resources: [args.pipelineKeyArn],
      conditions: [
        {
          test: "StringEquals",
          variable: "kms:EncryptionContext:SourceArn",
          values: [pulumi.interpolate`arn:${partition.partition}:logs:${region.region}:${accountId}:*`],
        },
      ],
    },
    // https://docs.aws.amazon.com/athena/latest/ug/access-encrypted-data-glue-data-catalog.html: with an
    // encrypted Data Catalog every principal using Athena needs these on the catalog key.
    ...(args.catalogKeyArn === undefined
      ? []
      : [
          {
            sid: "CatalogKeyThroughGlue",
            effect: "Allow",
            actions: ["kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt"],
            resources: [args.catalogKeyArn],
            conditions: [via(["glue"])],
          },
        ]),
    // The alert topic, and the canary's topic when there is a canary: the definition then names the topic by
    // path ("TopicArn.$": "$.kind.topicArn"), and Step Functions cannot derive the policy of a dynamic
    // resource (https://docs.aws.amazon.com/step-functions/latest/dg/sns-iam.html, "Path based resources", where its generated policy
    // allows "*"):
    // the two ARNs are listed here, no wildcard.
    {
      sid: "PublishAlerts",
      effect: "Allow",
      actions: ["sns:Publish"],
      resources: args.canaryTopicArn === undefined ? [args.alertTopicArn] : [args.alertTopicArn, args.canaryTopicArn],
    },
    // Both topics are encrypted with the audit key (components/canary/ follows the alert topic);
    // the publisher needs kms:GenerateDataKey and kms:Decrypt on it through SNS
    // (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
    {
      sid: "AlertTopicKeyThroughSns",
      effect: "Allow",
      actions: ["kms:GenerateDataKey", "kms:Decrypt"],
      resources: [args.auditKeyArn],
      conditions: [via(["sns"])],
    },
    // https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy: these take no resource ARN.
    {
      sid: "DeliverExecutionLogs",
      effect: "Allow",
      actions: [
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
      ],
      resources: ["*"],
    },
    // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-xray-tracing.html: X-Ray takes no resource ARN.
    {
      sid: "WriteTraces",
      effect: "Allow",
      actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
      resources: ["*"],
    },
  ];
  // https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html: confused-deputy conditions.
  const role = createServiceRole(
    `${name}-role`,
    {
      roleName: args.stateMachineRoleName,
      description: "The incident state machine: Macie job, Athena access history, the report function, the alert",
      servicePrincipal: "states.amazonaws.com",
      trustConditions: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
        { test: "ArnLike", variable: "aws:SourceArn", values: [machineArn] },
      ],
      statements,
      tags: tags("incident-workflow-role"),
    },
    parent,
  );
  return { logGroup, role };
}
