/**
 * The canary's parts (index.ts builds the component from them): its constants and physical names, the topic,
 * the queues, the roles' permissions, the probe role, the schedule and the alarms.
 */
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  canaryProbeRoleName,
  canaryScheduleExpression,
  detectionAlarmWindowSeconds,
  processingAlarmWindowSeconds,
  type CanaryConfig,
} from "../config";
import type { PlatformContext } from "../platform-context";
import { createObjectiveAlarm } from "../lib/alarms";
import { createDeadLetterQueue, DLQ_KMS_DATA_KEY_REUSE_PERIOD_SECONDS } from "../lib/dead-letter-queue";
import { physicalName } from "../lib/naming";
import type { PolicyCondition, PolicyStatement } from "../lib/service-role";
import { vpcFunctionNames } from "../lib/vpc-function";
import {
  CANARY_ACTIONS,
  CANARY_ALERT_ATTRIBUTE,
  CANARY_DIMENSION,
  CANARY_INTAKE_PREFIX,
  CANARY_METRIC_NAMESPACE,
  CANARY_METRICS,
  CANARY_PROBE_KEY,
  CANARY_PROBE_PREFIX,
  CANARY_PROCESSED_PREFIX,
  PROBE_ACTIONS,
} from "../../lambda/canary/contract";

export const CANARY_ENTRY = path.join(__dirname, "..", "..", "lambda", "canary", "index.ts");
/** Memory of the function: SDK clients and one small record. */
export const CANARY_MEMORY_IN_MB = 256;
/**
 * Reserved concurrency in prod: 1. A run is never needed twice at once (the schedule is minutes apart, a run
 * lasts under its timeout), and the reservation also keeps two runs from overlapping. Dev reserves none
 * (new accounts may have a concurrency limit of 10, below the 100 Lambda keeps unreserved).
 */
export const CANARY_RESERVED_CONCURRENCY_PROD = 1;
/** A malformed alert is received this many times (one per run: the visibility timeout is the function's timeout) before SQS dead-letters it. */
export const ALERT_MAX_RECEIVE_COUNT = 3;
/** Four days, SQS's default retention: alerts of a stalled canary are still measured when it resumes. */
export const ALERT_RETENTION_SECONDS = 4 * 24 * 60 * 60;

/** The SNS filter policy of the canary's subscription: only alerts the workflow marked canary. */
export const CANARY_SUBSCRIPTION_FILTER = { [CANARY_ALERT_ATTRIBUTE]: ["true"] } as const;

export interface CanaryArgs {
  /** The platform context: config (`canary` settings, names, tags), the `phi` key (bucket, table), `pipeline` (queues, environment), `audit` (logs), the alert topic. */
  readonly platform: PlatformContext;
  /** The PHI data bucket (Processing): the canary writes `intake/canary/` and `canary/`, reads `processed/canary/`. */
  readonly dataBucket: { readonly name: pulumi.Input<string>; readonly arn: pulumi.Input<string> };
  /** The processing audit table: the canary queries its own records' items. */
  readonly auditTable: { readonly name: pulumi.Input<string>; readonly arn: pulumi.Input<string> };
  readonly network: { readonly vpcId: pulumi.Input<string>; readonly subnetIds: pulumi.Input<pulumi.Input<string>[]> };
}

/** The physical name of the canary topic (the pipeline key's policy names it: SNS delivers it to the encrypted alert queue). */
export function canaryTopicName(stack: string): string {
  return physicalName(stack, "snsTopic", "canary-alerts");
}

/** The physical names of the canary's roles: known before either exists (each names the other). */
export function canaryRoleNames(stack: string): { canaryRole: string; probeRole: string } {
  return { canaryRole: vpcFunctionNames(stack, "canary").roleName, probeRole: canaryProbeRoleName(stack) };
}

/** What the canary's builders share: the component, its name and the facts they are built from. */
export interface Parts {
  readonly name: string;
  readonly component: pulumi.ComponentResource;
  readonly stack: string;
  readonly settings: CanaryConfig;
  readonly tags: (purpose: string) => Record<string, string>;
  readonly alertTopicArn: pulumi.Input<string>;
  /** The canary topic: where the incident workflow publishes canary incidents' messages. */
  readonly canaryTopicArn: pulumi.Input<string>;
  readonly phiKeyArn: pulumi.Input<string>;
  readonly pipelineKeyArn: pulumi.Input<string>;
  readonly bucketArn: pulumi.Output<string>;
  readonly timeoutInSeconds: number;
  readonly viaService: (services: string[]) => pulumi.Input<PolicyCondition>;
}

const objectsUnder = (p: Parts, prefix: string) => pulumi.interpolate`${p.bucketArn}/${prefix}*`;
const s3ContextOf = (p: Parts) => ({
  test: "ArnLike",
  variable: "kms:EncryptionContext:aws:s3:arn",
  values: [p.bucketArn, pulumi.interpolate`${p.bucketArn}/*`],
});

/**
 * The canary topic: encrypted with the audit key as the alert topic is (the incident role already uses
 * that key through SNS to publish); SNS encrypts published messages with it
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html). Publishing is denied to
 * every principal but the incident workflow's role (by aws:PrincipalArn: the role is created after this
 * topic, and a condition, unlike a Principal, may name a role that does not exist yet;
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn),
 * and without TLS. Its one subscriber is the canary's alert queue.
 */
export function createTopic(
  name: string,
  args: { stack: string; auditKeyArn: pulumi.Input<string>; incidentRoleArn: pulumi.Input<string>; tags: Record<string, string> },
  parent: pulumi.ComponentResource,
): aws.sns.Topic {
  const topic = new aws.sns.Topic(
    `${name}-topic`,
    { name: canaryTopicName(args.stack), kmsMasterKeyId: args.auditKeyArn, tags: args.tags },
    { parent },
  );
  const anyone = [{ type: "*", identifiers: ["*"] }];
  const policy = aws.iam.getPolicyDocumentOutput(
    {
      statements: [
        {
          sid: "DenyPublishExceptByTheIncidentWorkflow",
          effect: "Deny",
          principals: anyone,
          actions: ["sns:Publish"],
          resources: [topic.arn],
          conditions: [{ test: "ArnNotEquals", variable: "aws:PrincipalArn", values: [args.incidentRoleArn] }],
        },
        {
          sid: "DenyPublishWithoutTls",
          effect: "Deny",
          principals: anyone,
          actions: ["sns:Publish"],
          resources: [topic.arn],
          conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    },
    { parent },
  );
  new aws.sns.TopicPolicy(`${name}-topic-policy`, { arn: topic.arn, policy: policy.json }, { parent });
  return topic;
}

/** The function's dead-letter queue, and the alert queue (redriven to its own dead-letter queue, written by the canary topic only, subscribed to canary alerts). */
export function createQueues(p: Parts): { dlq: aws.sqs.Queue; alertQueue: aws.sqs.Queue } {
  const { name, stack, tags, alertTopicArn, canaryTopicArn, pipelineKeyArn, timeoutInSeconds } = p;
  const parent = { parent: p.component };
  const { queue: dlq } = createDeadLetterQueue(
    `${name}-dlq`,
    {
      stack,
      nameParts: ["canary", "dlq"],
      kmsKeyArn: pipelineKeyArn,
      alertTopicArn,
      alarmDescription: "canary runs failed every retry: the canary is not proving processing or detection; see its log group",
      tags: tags("canary-dlq"),
    },
    parent,
  );
  const { queue: alertDlq } = createDeadLetterQueue(
    `${name}-alerts-dlq`,
    {
      stack,
      nameParts: ["canary", "alerts", "dlq"],
      kmsKeyArn: pipelineKeyArn,
      alertTopicArn,
      alarmDescription:
        "canary alerts were received 3 times without being measured and were dead-lettered: malformed (check the incident workflow's alert format) " +
        "or the canary's runs failed before deleting them (check its log for a failed step, such as the metric publish)",
      tags: tags("canary-alerts-dlq"),
    },
    parent,
  );
  const alertQueue = new aws.sqs.Queue(
    `${name}-alerts`,
    {
      name: physicalName(stack, "sqsQueue", "canary", "alerts"),
      kmsMasterKeyId: pipelineKeyArn,
      kmsDataKeyReusePeriodSeconds: DLQ_KMS_DATA_KEY_REUSE_PERIOD_SECONDS,
      messageRetentionSeconds: ALERT_RETENTION_SECONDS,
      // A message received by a run stays invisible for the rest of it: one receive per run.
      visibilityTimeoutSeconds: timeoutInSeconds,
      redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: alertDlq.arn, maxReceiveCount: ALERT_MAX_RECEIVE_COUNT }),
      tags: tags("canary-alerts"),
    },
    parent,
  );
  // SNS delivers to the queue as sns.amazonaws.com with aws:SourceArn = the topic
  // (https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html); only the canary topic may.
  const queuePolicy = new aws.sqs.QueuePolicy(
    `${name}-alerts-policy`,
    {
      queueUrl: alertQueue.url,
      policy: aws.iam.getPolicyDocumentOutput(
        {
          statements: [
            {
              sid: "CanaryTopicSendsCanaryAlerts",
              effect: "Allow",
              principals: [{ type: "Service", identifiers: ["sns.amazonaws.com"] }],
              actions: ["sqs:SendMessage"],
              resources: [alertQueue.arn],
              conditions: [{ test: "ArnEquals", variable: "aws:SourceArn", values: [canaryTopicArn] }],
            },
            {
              sid: "DenyInsecureTransport",
              effect: "Deny",
              principals: [{ type: "*", identifiers: ["*"] }],
              actions: ["sqs:*"],
              resources: [alertQueue.arn],
              conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
            },
          ],
        },
        parent,
      ).json,
    },
    parent,
  );
  new aws.sns.TopicSubscription(
    `${name}-alerts-subscription`,
    {
      topic: canaryTopicArn,
      protocol: "sqs",
      endpoint: alertQueue.arn,
      // The SNS envelope (Timestamp = publish time) is what the canary measures: no raw delivery.
      // The filter is a second guard: the workflow publishes only canary incidents to this topic.
      rawMessageDelivery: false,
      filterPolicyScope: "MessageAttributes",
      filterPolicy: JSON.stringify(CANARY_SUBSCRIPTION_FILTER),
    },
    { parent: p.component, dependsOn: [queuePolicy] },
  );

  return { dlq, alertQueue };
}

/** The canary role's own permissions: exactly the handler's calls (lambda/canary/contract.ts CANARY_ACTIONS). */
export function canaryStatements(
  p: Parts,
  auditTable: CanaryArgs["auditTable"],
  queues: { dlq: aws.sqs.Queue; alertQueue: aws.sqs.Queue },
  probeRoleArn: pulumi.Input<string>,
): pulumi.Input<PolicyStatement>[] {
  const { bucketArn, phiKeyArn, pipelineKeyArn, viaService } = p;
  const { dlq, alertQueue } = queues;
  const objects = (prefix: string) => objectsUnder(p, prefix);
  const s3Context = s3ContextOf(p);
  const sqsContext = (arn: pulumi.Input<string>) => ({
    test: "StringEquals",
    variable: "kms:EncryptionContext:aws:sqs:arn",
    values: [arn],
  });
  return [
    {
      sid: "WriteCanaryRecordsAndProbe",
      effect: "Allow",
      actions: [...CANARY_ACTIONS.s3Write],
      resources: [objects(CANARY_INTAKE_PREFIX), pulumi.interpolate`${bucketArn}/${CANARY_PROBE_KEY}`],
    },
    {
      sid: "ReadProcessedCanaryRecords",
      effect: "Allow",
      actions: [...CANARY_ACTIONS.s3Read],
      resources: [objects(CANARY_PROCESSED_PREFIX)],
    },
    {
      sid: "QueryOwnAuditItems",
      effect: "Allow",
      actions: [...CANARY_ACTIONS.dynamodb],
      resources: [auditTable.arn],
      // Only the items of its own records (partition key under intake/canary/): never a patient's.
      conditions: [{ test: "ForAllValues:StringLike", variable: "dynamodb:LeadingKeys", values: [`${CANARY_INTAKE_PREFIX}*`] }],
    },
    { sid: "AssumeProbeRole", effect: "Allow", actions: [...CANARY_ACTIONS.sts], resources: [probeRoleArn] },
    { sid: "ReceiveCanaryAlerts", effect: "Allow", actions: [...CANARY_ACTIONS.sqs], resources: [alertQueue.arn] },
    {
      sid: "PublishCanaryMetrics",
      effect: "Allow",
      actions: [...CANARY_ACTIONS.cloudwatch],
      // PutMetricData has no resource type: "*" with the namespace condition
      // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html).
      resources: ["*"],
      conditions: [{ test: "StringEquals", variable: "cloudwatch:namespace", values: [CANARY_METRIC_NAMESPACE] }],
    },
    {
      sid: "UsePhiKeyThroughS3ForThePhiBucket",
      effect: "Allow",
      actions: [...CANARY_ACTIONS.kms],
      resources: [phiKeyArn],
      conditions: [viaService(["s3"]), s3Context],
    },
    {
      sid: "UsePhiKeyThroughDynamoDbForTheAuditTable",
      effect: "Allow",
      actions: ["kms:Decrypt"],
      resources: [phiKeyArn],
      conditions: [
        viaService(["dynamodb"]),
        { test: "StringEquals", variable: "kms:EncryptionContext:aws:dynamodb:tableName", values: [auditTable.name] },
      ],
    },
    {
      sid: "UsePipelineKeyThroughSqsForItsQueues",
      effect: "Allow",
      actions: [...CANARY_ACTIONS.kms],
      resources: [pipelineKeyArn],
      conditions: [viaService(["sqs"]), { ...sqsContext(alertQueue.arn), values: [alertQueue.arn, dlq.arn] }],
    },
  ];
}

/** `arn:<partition>:iam::<account>:root` of a role's ARN. */
export function accountRootOf(roleArn: string): string {
  const m = /^(arn:[^:]+:iam::\d{12}:)role\//.exec(roleArn);
  if (m === null) throw new Error(`not an IAM role ARN: ${roleArn}`);
  return `${m[1]}root`;
}

/** The probe role: trusted by the canary's role only, reading canary/ only; deliberately not in the grants table. */
export function createProbeRole(p: Parts, canaryRole: aws.iam.Role, probeRoleName: string): aws.iam.Role {
  const { name, tags, phiKeyArn, viaService } = p;
  const parent = { parent: p.component };
  const objects = (prefix: string) => objectsUnder(p, prefix);
  const s3Context = s3ContextOf(p);
  const trust = aws.iam.getPolicyDocumentOutput(
    {
      statements: [
        // The account, narrowed to the canary's role by aws:PrincipalArn, rather than the role as principal: IAM
        // stores a role principal as its unique id, so a replaced canary role (same name, same ARN, so no update
        // of this input) would be refused until a refresh; a condition compares the ARN itself
        // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles).
        {
          sid: "AssumedByTheCanaryOnly",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [canaryRole.arn.apply(accountRootOf)] }],
          actions: ["sts:AssumeRole"],
          conditions: [{ test: "ArnEquals", variable: "aws:PrincipalArn", values: [canaryRole.arn] }],
        },
      ],
    },
    parent,
  );
  const probeRole = new aws.iam.Role(
    `${name}-probe-role`,
    {
      name: probeRoleName,
      description: "Canary probe: reads canary/ of the PHI bucket, deliberately ungranted, so each read is a canary incident",
      assumeRolePolicy: trust.json,
      maxSessionDuration: 3600,
      tags: tags("canary-probe-role"),
    },
    // The trust names the account and the canary role by ARN in a condition (not checked at create time); ordered after the role all the same.
    { parent: p.component, dependsOn: [canaryRole] },
  );
  const probePolicy = new aws.iam.Policy(
    `${name}-probe-role-policy`,
    {
      name: probeRoleName,
      description: `Permissions of ${probeRoleName}: read the canary probe prefix of the PHI bucket`,
      policy: aws.iam.getPolicyDocumentOutput(
        {
          statements: [
            { sid: "ReadCanaryProbe", effect: "Allow", actions: [...PROBE_ACTIONS.s3Read], resources: [objects(CANARY_PROBE_PREFIX)] },
            {
              sid: "DecryptThroughS3ForThePhiBucket",
              effect: "Allow",
              actions: [...PROBE_ACTIONS.kms],
              resources: [phiKeyArn],
              conditions: [viaService(["s3"]), s3Context],
            },
          ],
        },
        parent,
      ).json,
      tags: tags("canary-probe-role"),
    },
    parent,
  );
  new aws.iam.RolePolicyAttachment(`${name}-probe-role-permissions`, { role: probeRole.name, policyArn: probePolicy.arn }, parent);

  return probeRole;
}

/** The EventBridge rule that runs the function, its target and the permission it invokes with. */
export function createSchedule(p: Parts, fn: aws.lambda.Function): string {
  const { name, stack, tags, settings } = p;
  const parent = { parent: p.component };
  const scheduleExpression = canaryScheduleExpression(settings.scheduleMinutes);
  const rule = new aws.cloudwatch.EventRule(
    `${name}-schedule`,
    {
      name: physicalName(stack, "eventRule", "canary-schedule"),
      description: `Runs the canary ${scheduleExpression}`,
      scheduleExpression,
      tags: tags("canary-schedule"),
    },
    parent,
  );
  const permission = new aws.lambda.Permission(
    `${name}-schedule-invoke`,
    {
      statementId: "AllowCanaryScheduleInvoke",
      action: "lambda:InvokeFunction",
      function: fn.name,
      principal: "events.amazonaws.com",
      sourceArn: rule.arn,
    },
    parent,
  );
  new aws.cloudwatch.EventTarget(
    `${name}-schedule-target`,
    { rule: rule.name, arn: fn.arn, targetId: "canary" },
    { parent: p.component, dependsOn: [permission] },
  );

  return scheduleExpression;
}

/** The two objective alarms, to the alert topic. */
export function createAlarms(p: Parts): void {
  const { name, stack, tags, settings, alertTopicArn } = p;
  const parent = { parent: p.component };
  const dimensions = { [CANARY_DIMENSION]: stack };
  createObjectiveAlarm(
    `${name}-processing-alarm`,
    {
      alarmName: physicalName(stack, "alarm", "canary", "processing"),
      description:
        `Canary PHI path above its objective (${settings.processingObjectiveSeconds} s from intake to processed and audited), ` +
        `or no measurement in ${processingAlarmWindowSeconds(settings.scheduleMinutes)} s: check the data processor and the canary's logs`,
      namespace: CANARY_METRIC_NAMESPACE,
      metricName: CANARY_METRICS.processing,
      dimensions,
      objective: settings.processingObjectiveSeconds,
      windowInSeconds: processingAlarmWindowSeconds(settings.scheduleMinutes),
    },
    alertTopicArn,
    tags("canary-alarm"),
    parent,
  );
  createObjectiveAlarm(
    `${name}-detection-alarm`,
    {
      alarmName: physicalName(stack, "alarm", "canary", "detection"),
      description:
        `Canary detection above its objective (${settings.detectionObjectiveSeconds} s from a PHI access to its alert), or no measurement in ` +
        `${detectionAlarmWindowSeconds(settings.scheduleMinutes, settings.detectionObjectiveSeconds)} s: check the trail, the pipeline and the incident workflow`,
      namespace: CANARY_METRIC_NAMESPACE,
      metricName: CANARY_METRICS.detection,
      dimensions,
      objective: settings.detectionObjectiveSeconds,
      windowInSeconds: detectionAlarmWindowSeconds(settings.scheduleMinutes, settings.detectionObjectiveSeconds),
    },
    alertTopicArn,
    tags("canary-alarm"),
    parent,
  );
}
