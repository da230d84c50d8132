/**
 * Flow logs: every flow of the VPC, one-minute aggregation, to a log group under the audit key,
 * delivered by a role that may write only there.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, StackContext } from "../config";
import { logGroupName, physicalName } from "../lib/naming";
import { createServiceRole } from "../lib/service-role";
import { statefulOptions } from "../lib/stateful";
import { platformTags } from "../lib/tags";
import type { NetworkContext } from "./context";
import { flowLogFormat, flowLogRoleStatements } from "./plan";

export function createFlowLogs(
  ctx: NetworkContext,
  parts: {
    readonly config: StackContext & Pick<PlatformConfig, "logRetentionInDays">;
    readonly auditKeyArn: pulumi.Input<string>;
    readonly vpc: aws.ec2.Vpc;
    readonly accountId: pulumi.Output<string>;
    readonly region: pulumi.Output<string>;
    readonly partition: pulumi.Output<string>;
  },
): aws.cloudwatch.LogGroup {
  const { name, component, stack, tagged } = ctx;
  const { config, vpc, region, partition } = parts;
  const args = { auditKeyArn: parts.auditKeyArn };
  const identity = { accountId: parts.accountId };
  const parent = { parent: component };
  const flowLogGroup = new aws.cloudwatch.LogGroup(
    `${name}-flow-logs`,
    {
      name: logGroupName(stack, "vpc-flow-logs"),
      kmsKeyId: args.auditKeyArn,
      retentionInDays: config.logRetentionInDays,
      deletionProtectionEnabled: config.protectData,
      tags: platformTags(config, { purpose: "vpc-flow-logs" }),
    },
    statefulOptions(component, config.protectData),
  );

  const flowLogRole = createServiceRole(
    `${name}-flow-logs`,
    {
      roleName: physicalName(stack, "iamRole", "vpc-flow-logs"),
      description: "Lets VPC Flow Logs deliver this VPC's flow records to its log group",
      servicePrincipal: "vpc-flow-logs.amazonaws.com",
      // Confused-deputy conditions as the same page's trust policy shows them: this account's flow logs only.
      trustConditions: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [identity.accountId] },
        {
          test: "ArnLike",
          variable: "aws:SourceArn",
          values: [pulumi.interpolate`arn:${partition}:ec2:${region}:${identity.accountId}:vpc-flow-log/*`],
        },
      ],
      // The actions AWS documents for this role, each scoped as narrowly as the Service
      // Authorization Reference allows: https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
      statements: flowLogRoleStatements([flowLogGroup.arn, pulumi.interpolate`${flowLogGroup.arn}:*`]),
      tags: platformTags(config, { purpose: "vpc-flow-logs" }),
    },
    parent,
  );
  new aws.ec2.FlowLog(
    `${name}-flow-log`,
    {
      vpcId: vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: flowLogGroup.arn,
      iamRoleArn: flowLogRole.role.arn,
      logFormat: flowLogFormat(),
      // One-minute aggregation: finer timelines for incident investigation (default is ten).
      maxAggregationInterval: 60,
      tags: tagged("flow-log"),
    },
    { parent: component, dependsOn: flowLogRole.ready },
  );
  return flowLogGroup;
}
