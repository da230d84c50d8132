/**
 * VPC endpoint policies: without one, AWS attaches a policy that allows full access through the
 * endpoint ("The default endpoint policy allows full access through the endpoint",
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html), so a PHI workload
 * could write to any bucket, or reach another account's secrets, through our own endpoints. Each
 * endpoint here admits only:
 * - principals of this account (`aws:PrincipalAccount`);
 * - the actions of its service that the platform's VPC workloads (the Lambda functions in the VPC and
 *   the application instances) are granted (ENDPOINT_ACTIONS; test/aws/storage-network-rows.ts checks
 *   every such grant of the plans against it);
 * - for the gateways, the stack's own buckets and tables (named `hcp-<stack>-*`, in this account:
 *   `aws:ResourceAccount`), plus, for S3, the AWS-owned buckets the instances read: the Amazon Linux
 *   2023 package repositories (https://docs.aws.amazon.com/linux/al2023/ug/managing-repos-os-updates.html)
 *   and the SSM Agent's and Patch Manager's buckets
 *   (https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html,
 *   https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html).
 * An endpoint policy does not grant anything: the caller's identity policy and the resource's policy
 * still have to allow the call.
 */
import type { PolicyStatement } from "../lib/service-role";
import { SESSION_MANAGER_CHANNEL_ACTIONS, SSM_AGENT_MESSAGE_ACTIONS, ssmAgentSsmActions } from "../ssm-agent";

/** Facts an endpoint policy is built from. */
export interface EndpointPolicyContext {
  readonly stack: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

/**
 * Per endpoint service (the short name of `com.amazonaws.<region>.<name>`), the actions the platform's
 * VPC workloads are granted on it. An interface service not listed admits nothing (a policy with no
 * Allow denies every call): add its actions here when a workload starts using it.
 */
export const ENDPOINT_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  s3: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectRetention", "s3:PutObjectTagging"],
  // Query: the canary reads its own audit items (components/canary/).
  dynamodb: ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
  logs: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
  kms: ["kms:Decrypt", "kms:GenerateDataKey"],
  // AssumeRole: the canary reads its probe as the probe role (components/canary/). GetCallerIdentity needs no
  // permission and is what SDKs and agents probe with. Neither endpoint is built by default (the canary goes through
  // NAT), but a stack that adds it must not cut the canary off: calls through a private-DNS interface endpoint are
  // checked against its policy (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html).
  sts: ["sts:AssumeRole", "sts:GetCallerIdentity"],
  // CloudWatch's endpoint: the canary publishes its measurements.
  monitoring: ["cloudwatch:PutMetricData"],
  // The SSM Agent's calls (components/ssm-agent.ts) and the Lambdas' GetParameter.
  ssm: [...ssmAgentSsmActions(), "ssm:GetParameter"].sort(),
  secretsmanager: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
  sns: ["sns:Publish"],
  states: ["states:StartExecution"],
  // The pipeline's stream is written by CloudWatch Logs and EventBridge, not from the VPC; the data plane only.
  "kinesis-firehose": ["firehose:PutRecord", "firehose:PutRecordBatch"],
  // ReceiveMessage and DeleteMessage: the canary drains its alert queue (components/canary/).
  sqs: ["sqs:DeleteMessage", "sqs:ReceiveMessage", "sqs:SendMessage"],
  lambda: ["lambda:InvokeFunction"],
  ssmmessages: SESSION_MANAGER_CHANNEL_ACTIONS,
  ec2messages: SSM_AGENT_MESSAGE_ACTIONS,
};

/** The AWS-owned buckets the application instances read over the S3 gateway (object ARNs). */
export function awsOwnedInstanceBuckets(region: string, partition: string): string[] {
  return [
    // dnf's repositories of Amazon Linux 2023, by exact name: bucket names are first come, first served, so a wildcard
    // (`al2023-repos-<region>-*`) would admit a look-alike bucket anyone can create. AL2023's repository definition
    // (/etc/yum.repos.d/amazonlinux.repo) has `mirrorlist=https://al2023-repos-$awsregion-de612dc2.s3$dualstack.$awsregion.$awsdomain/core/mirrors/...`
    // (https://docs.aws.amazon.com/linux/al2023/ug/managing-repos-os-updates.html): one suffix for every Region.
    `al2023-repos-${region}-de612dc2`,
    // SSM Agent's minimum S3 permissions (Linux), and Patch Manager's baseline operations buckets: AWS's documented
    // names, each exact (https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-technical-details.html#ssm-agent-minimum-s3-permissions;
    // aws-windows-downloads-<region> left out: Windows only).
    `aws-ssm-${region}`,
    `amazon-ssm-${region}`,
    `amazon-ssm-packages-${region}`,
    `${region}-birdwatcher-prod`,
    `aws-ssm-distributor-file-${region}`,
    `aws-ssm-document-attachments-${region}`,
    `patch-baseline-snapshot-${region}`,
  ].map((bucket) => `arn:${partition}:s3:::${bucket}/*`);
}

const ALL_PRINCIPALS = [{ type: "*", identifiers: ["*"] }];

/**
 * Interface services whose every resource the platform calls is its own: their endpoints also require
 * `aws:ResourceAccount` (no other account's secret, queue or key through them). Not SSM, its channels
 * and STS (GetCallerIdentity names no resource), nor CloudWatch (PutMetricData names none either), whose resources
 * (instance registrations, sessions, AWS's own documents) are not all ours.
 */
const OWN_RESOURCES_ONLY: readonly string[] = ["logs", "kms", "secretsmanager", "sns", "states", "kinesis-firehose", "sqs", "lambda"];

/** The policy statements of the endpoint of `service`. */
export function endpointPolicyStatements(service: string, ctx: EndpointPolicyContext): PolicyStatement[] {
  const actions = [...(ENDPOINT_ACTIONS[service] ?? [])];
  const principalAccount = { test: "StringEquals", variable: "aws:PrincipalAccount", values: [ctx.accountId] };
  const resourceAccount = { test: "StringEquals", variable: "aws:ResourceAccount", values: [ctx.accountId] };
  const stackNames = `hcp-${ctx.stack}-*`;
  if (actions.length === 0) {
    // Nothing of the platform uses it: deny every call (an explicit statement, so the policy is never empty).
    return [{ sid: "NoPlatformUse", effect: "Deny", principals: ALL_PRINCIPALS, actions: ["*"], resources: ["*"] }];
  }
  if (service === "s3") {
    return [
      {
        sid: "StackBucketsOfThisAccount",
        effect: "Allow",
        principals: ALL_PRINCIPALS,
        actions,
        resources: [`arn:${ctx.partition}:s3:::${stackNames}/*`],
        conditions: [principalAccount, resourceAccount],
      },
      {
        sid: "AwsOwnedBucketsInstancesRead",
        effect: "Allow",
        principals: ALL_PRINCIPALS,
        actions: ["s3:GetObject"],
        resources: awsOwnedInstanceBuckets(ctx.region, ctx.partition),
        // No principal condition: dnf fetches the AL2023 repositories with unsigned (anonymous) requests, which carry
        // no aws:PrincipalAccount; the AL2023 guide's endpoint policy admits these buckets for any principal. Read-only,
        // AWS's own buckets: nothing of ours can leave through it.
      },
    ];
  }
  if (service === "dynamodb") {
    return [
      {
        sid: "StackTablesOfThisAccount",
        effect: "Allow",
        principals: ALL_PRINCIPALS,
        actions,
        resources: [`arn:${ctx.partition}:dynamodb:${ctx.region}:${ctx.accountId}:table/${stackNames}`],
        conditions: [principalAccount],
      },
    ];
  }
  return [
    {
      sid: "PlatformCallsOfThisAccount",
      effect: "Allow",
      principals: ALL_PRINCIPALS,
      actions,
      resources: ["*"],
      conditions: OWN_RESOURCES_ONLY.includes(service) ? [principalAccount, resourceAccount] : [principalAccount],
    },
  ];
}
