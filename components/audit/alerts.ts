/**
 * The platform's security alerts: the KMS-encrypted SNS topic every security alarm and rule
 * publishes to ({@link SecurityAlerts}), and, as data, the EventBridge rules for security-relevant
 * changes and the CIS metric filters the audit trail's log group is watched with (the trail
 * component creates them on its log group and events).
 *
 * HIPAA Security Rule: 164.308(a)(1)(ii)(D) information system activity review, 164.308(a)(6)(ii)
 * security incident response and reporting.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, StackContext } from "../config";
import { physicalName, stackNamePattern } from "../lib/naming";
import type { PolicyStatement } from "../lib/secure-bucket";
import { platformTags } from "../lib/tags";

// ---------------------------------------------------------------------------------------------
// Pure data: event patterns, metric filters, conformance pack (exported and tested).

/** Security-group changes (CIS AWS Foundations 4.10 / 3.10). */
export const SECURITY_GROUP_EVENT_NAMES: readonly string[] = [
  "AuthorizeSecurityGroupIngress",
  "AuthorizeSecurityGroupEgress",
  "RevokeSecurityGroupIngress",
  "RevokeSecurityGroupEgress",
  "CreateSecurityGroup",
  "DeleteSecurityGroup",
  "ModifySecurityGroupRules",
];

/** IAM policy changes (CIS 4.4 / 3.4), plus role, user, group, access-key and MFA changes. */
export const IAM_EVENT_NAMES: readonly string[] = [
  // CIS 4.4 IAM policy changes
  "DeleteGroupPolicy",
  "DeleteRolePolicy",
  "DeleteUserPolicy",
  "PutGroupPolicy",
  "PutRolePolicy",
  "PutUserPolicy",
  "CreatePolicy",
  "DeletePolicy",
  "CreatePolicyVersion",
  "DeletePolicyVersion",
  "SetDefaultPolicyVersion",
  "AttachRolePolicy",
  "DetachRolePolicy",
  "AttachUserPolicy",
  "DetachUserPolicy",
  "AttachGroupPolicy",
  "DetachGroupPolicy",
  // Roles
  "CreateRole",
  "DeleteRole",
  "UpdateAssumeRolePolicy",
  // Users and groups
  "CreateUser",
  "DeleteUser",
  "CreateGroup",
  "DeleteGroup",
  "AddUserToGroup",
  "RemoveUserFromGroup",
  "CreateLoginProfile",
  "UpdateLoginProfile",
  "DeleteLoginProfile",
  // Access keys
  "CreateAccessKey",
  "UpdateAccessKey",
  "DeleteAccessKey",
  // MFA
  "CreateVirtualMFADevice",
  "EnableMFADevice",
  "DeactivateMFADevice",
  "DeleteVirtualMFADevice",
  "ResyncMFADevice",
];

/** KMS key disablement or scheduled deletion (CIS 4.7 / 3.7): encrypted PHI would become unreadable. */
export const KMS_EVENT_NAMES: readonly string[] = ["DisableKey", "ScheduleKeyDeletion"];

const CLOUDTRAIL_API_CALL = "AWS API Call via CloudTrail";

/** An EventBridge rule of the audit component: its purpose and its event pattern (as data). */
export interface SecurityEventRule {
  /** Name suffix and `Purpose`, kebab-case. */
  readonly purpose: string;
  readonly description: string;
  readonly pattern: Record<string, unknown>;
}

/** The security-change rules, each with the event pattern EventBridge matches. */
export const SECURITY_EVENT_RULES: readonly SecurityEventRule[] = [
  {
    purpose: "security-group-changes",
    description: "Security group created, deleted or its rules changed",
    pattern: {
      source: ["aws.ec2"],
      "detail-type": [CLOUDTRAIL_API_CALL],
      detail: { eventSource: ["ec2.amazonaws.com"], eventName: [...SECURITY_GROUP_EVENT_NAMES] },
    },
  },
  {
    purpose: "iam-changes",
    description: "IAM policies, roles, users, groups, access keys or MFA devices changed",
    pattern: {
      source: ["aws.iam"],
      "detail-type": [CLOUDTRAIL_API_CALL],
      detail: { eventSource: ["iam.amazonaws.com"], eventName: [...IAM_EVENT_NAMES] },
    },
  },
  {
    purpose: "root-account-usage",
    description: "The root user signed in or called an API",
    pattern: {
      "detail-type": [CLOUDTRAIL_API_CALL, "AWS Console Sign In via CloudTrail"],
      detail: { userIdentity: { type: ["Root"] }, eventType: [{ "anything-but": "AwsServiceEvent" }] },
    },
  },
  {
    purpose: "kms-key-disable-or-deletion",
    description: "A KMS key was disabled or scheduled for deletion",
    pattern: {
      source: ["aws.kms"],
      "detail-type": [CLOUDTRAIL_API_CALL],
      detail: { eventSource: ["kms.amazonaws.com"], eventName: [...KMS_EVENT_NAMES] },
    },
  },
];

/** A CloudWatch Logs metric filter on the trail's log group, with its alarm. */
export interface SecurityMetricFilter {
  readonly purpose: string;
  readonly metricName: string;
  readonly description: string;
  readonly pattern: string;
}

/** CIS AWS Foundations metric filters (4.1 unauthorized API calls, 4.2 console sign-in without MFA). */
export const SECURITY_METRIC_FILTERS: readonly SecurityMetricFilter[] = [
  {
    purpose: "unauthorized-api-calls",
    metricName: "UnauthorizedApiCalls",
    description: "API calls denied for missing authorization (CIS 4.1)",
    pattern: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
  },
  {
    purpose: "console-signin-without-mfa",
    metricName: "ConsoleSignInWithoutMfa",
    description: "Successful IAM-user console sign-in without MFA (CIS 4.2)",
    pattern:
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  },
];

/** CloudWatch namespace of the stack's security metrics (per stack: stacks may share an account). */
export function securityMetricNamespace(stack: string): string {
  return `HCP/${stack}/Security`;
}

// ---------------------------------------------------------------------------------------------
// SecurityAlerts

export interface SecurityAlertsArgs {
  /** The stack's validated configuration (alert e-mail, tags). */
  readonly config: StackContext & Pick<PlatformConfig, "alertEmail">;
  /**
   * ARN of the CMK that encrypts the topic. Its key policy must let `events.amazonaws.com` and
   * `cloudwatch.amazonaws.com` use it (kms:GenerateDataKey*, kms:Decrypt), or they cannot publish.
   */
  readonly kmsKeyArn: pulumi.Input<string>;
}

/** The security alert topic: KMS-encrypted, publishable by EventBridge and CloudWatch of this account only. */
export class SecurityAlerts extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;
  readonly topicName: pulumi.Output<string>;

  constructor(name: string, args: SecurityAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("healthcare:audit:SecurityAlerts", name, {}, opts);
    const { config } = args;
    const parent = { parent: this };
    const identity = aws.getCallerIdentityOutput({}, parent);

    const topic = new aws.sns.Topic(
      `${name}-topic`,
      {
        name: physicalName(config.stack, "snsTopic", "security-alerts"),
        kmsMasterKeyId: args.kmsKeyArn,
        tags: platformTags(config, { dataClassification: "Confidential", purpose: "security-alerts" }),
      },
      parent,
    );
    this.topicArn = topic.arn;
    this.topicName = topic.name;

    new aws.sns.TopicSubscription(`${name}-email`, { topic: topic.arn, protocol: "email", endpoint: config.alertEmail }, parent);

    const region = aws.getRegionOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent);
    // Who may publish is narrowed here, by the publisher's own ARN: the stack's EventBridge rules
    // and CloudWatch alarms (their names all follow `hcp-<stack>-*`). The key policy cannot do it
    // for EventBridge (AWS supports no aws:Source* keys there; see encryption.ts).
    const servicePublish = (sid: string, service: string, sourceArnPattern: pulumi.Input<string>): PolicyStatement => ({
      sid,
      effect: "Allow",
      principals: [{ type: "Service", identifiers: [service] }],
      actions: ["sns:Publish"],
      resources: [topic.arn],
      conditions: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [identity.accountId] },
        { test: "ArnLike", variable: "aws:SourceArn", values: [sourceArnPattern] },
      ],
    });
    const prefix = pulumi.interpolate`arn:${partition.partition}`;
    const eventRules = pulumi.interpolate`${prefix}:events:${region.region}:${identity.accountId}:rule/${stackNamePattern(config.stack, "eventRule")}`;
    const alarms = pulumi.interpolate`${prefix}:cloudwatch:${region.region}:${identity.accountId}:alarm:${stackNamePattern(config.stack, "alarm")}`;
    const policy = aws.iam.getPolicyDocumentOutput(
      {
        statements: [
          servicePublish("AllowEventBridgeRulesOfThisStackPublish", "events.amazonaws.com", eventRules),
          servicePublish("AllowCloudWatchAlarmsOfThisStackPublish", "cloudwatch.amazonaws.com", alarms),
          {
            sid: "DenyPublishWithoutTls",
            effect: "Deny",
            principals: [{ type: "*", identifiers: ["*"] }],
            actions: ["sns:Publish"],
            resources: [topic.arn],
            conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
          },
        ],
      },
      parent,
    );
    new aws.sns.TopicPolicy(`${name}-topic-policy`, { arn: topic.arn, policy: policy.json }, parent);

    this.registerOutputs({ topicArn: this.topicArn, topicName: this.topicName });
  }
}
