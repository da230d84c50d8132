/**
 * The application instances: their log group, role and instance profile, the launch template
 * (Amazon Linux 2023, IMDSv2 only, encrypted root volume, no public IP, no key pair), and the Auto
 * Scaling group behind the load balancer with its CPU target.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logGroupName, physicalName } from "../lib/naming";
import { createServiceRole, type ServiceRole } from "../lib/service-role";
import { imageIdFor, instanceRoleStatements, userData } from "./compute";
import type { TierContext } from "./context";
import type { SecurityGroupChain } from "./security-groups";

/** The value of the `Application` tag of the instances (Session Manager access of the developers group). */
export const APPLICATION_TAG = "hcp-app";

export interface Instances {
  readonly appLogGroup: aws.cloudwatch.LogGroup;
  readonly instanceRole: ServiceRole;
  readonly launchTemplate: aws.ec2.LaunchTemplate;
}

export function createLaunchTemplate(ctx: TierContext, sg: SecurityGroupChain, databaseArn: pulumi.Output<string>): Instances {
  const { name, component, args, stateful, tags, accountId, region, partition } = ctx;
  const { config } = args;
  const app = config.application;
  const parent = { parent: component };
  const appLogGroup = new aws.cloudwatch.LogGroup(
    `${name}-instance-logs`,
    {
      name: logGroupName(config.stack, "application"),
      kmsKeyId: args.auditKeyArn,
      retentionInDays: config.logRetentionInDays,
      deletionProtectionEnabled: config.protectData,
      tags: tags("app-instance-logs", "PHI"),
    },
    stateful,
  );
  const roleStatements = pulumi
    .all([partition, region, accountId, appLogGroup.arn, args.phiKeyArn, databaseArn])
    .apply(([p, r, accountId, logGroupArn, phiKeyArn, dbArn]) =>
      instanceRoleStatements({ partition: p, region: r, accountId, logGroupArn, phiKeyArn, databaseArn: dbArn }),
    );
  // One input per statement (their number does not depend on the values).
  const statementCount = instanceRoleStatements({
    partition: "",
    region: "",
    accountId: "",
    logGroupArn: "",
    phiKeyArn: "",
    databaseArn: "",
  }).length;
  const instanceStatements = Array.from({ length: statementCount }, (_, i) => roleStatements.apply((all) => all[i]));
  const instanceRole = createServiceRole(
    `${name}-instance-role`,
    {
      roleName: physicalName(config.stack, "iamRole", "app-instance"),
      description: "Application instances: Session Manager, their own log group, the database secret",
      servicePrincipal: "ec2.amazonaws.com",
      trustConditions: [],
      unconditionedTrust: "ec2InstanceProfile",
      statements: instanceStatements,
      tags: tags("app-instance"),
    },
    parent,
  );
  const profile = new aws.iam.InstanceProfile(
    `${name}-instance-profile`,
    { name: physicalName(config.stack, "iamGroup", "app-instance"), role: instanceRole.role.name, tags: tags("app-instance") },
    { parent: component, dependsOn: instanceRole.ready },
  );
  const instanceTags = {
    ...tags("app-instance", "PHI"),
    Application: APPLICATION_TAG,
    Name: physicalName(config.stack, "securityGroup", "app"),
  };
  const launchTemplate = new aws.ec2.LaunchTemplate(
    `${name}-launch-template`,
    {
      name: physicalName(config.stack, "launchTemplate", "app"),
      description: "Application instances: Amazon Linux 2023, IMDSv2 only, encrypted root volume, no public IP, no key pair",
      imageId: imageIdFor(app.instanceType, { parent: component }),
      instanceType: app.instanceType,
      iamInstanceProfile: { arn: profile.arn },
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      networkInterfaces: [
        { deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [sg.appSecurityGroupId] },
      ],
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { volumeSize: 20, volumeType: "gp3", encrypted: "true", kmsKeyId: args.phiKeyArn, deleteOnTermination: "true" },
        },
      ],
      monitoring: { enabled: true },
      userData: Buffer.from(userData({ appPort: app.appPort, logGroupName: logGroupName(config.stack, "application") })).toString("base64"),
      updateDefaultVersion: true,
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: instanceTags })),
      tags: tags("app-instance"),
    },
    parent,
  );
  return { appLogGroup, instanceRole, launchTemplate };
}

export function createAutoScalingGroup(
  ctx: TierContext,
  parts: { readonly launchTemplate: aws.ec2.LaunchTemplate; readonly targetGroup: aws.lb.TargetGroup; readonly https: aws.lb.Listener },
): aws.autoscaling.Group {
  const { name, component, args, tags } = ctx;
  const { config } = args;
  const app = config.application;
  const { launchTemplate, targetGroup, https } = parts;
  const parent = { parent: component };
  const group = new aws.autoscaling.Group(
    `${name}-instances`,
    {
      name: physicalName(config.stack, "autoScalingGroup", "app"),
      vpcZoneIdentifiers: args.privateSubnetIds,
      launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
      minSize: app.minInstances,
      maxSize: app.maxInstances,
      targetGroupArns: [targetGroup.arn],
      healthCheckType: "ELB",
      healthCheckGracePeriod: 300,
      defaultInstanceWarmup: 300,
      serviceLinkedRoleArn: args.autoScalingServiceLinkedRoleArn,
      // No autoRollback: AWS rolls back to "the configuration that you last saved on the Auto Scaling group before
      // starting the instance refresh" (https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html),
      // but the provider saves the new launch-template version (UpdateAutoScalingGroup) before StartInstanceRefresh
      // (terraform-provider-aws internal/service/autoscaling/group.go resourceGroupUpdate;
      // https://github.com/hashicorp/terraform-provider-aws/issues/34189, PR #39007 closed unmerged), so a rollback would
      // relaunch the new version; and `pulumi up` does not wait for the refresh. A bad AMI stops the refresh at the
      // minimum healthy percentage; the revert is a `pulumi up` of the previous commit (its AMI id is in the template version).
      instanceRefresh: {
        strategy: "Rolling",
        preferences: { minHealthyPercentage: app.minInstances > 1 ? 90 : 0, instanceWarmup: "300" },
      },
      tags: Object.entries(tags("app-instances")).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
    },
    { parent: component, dependsOn: [https] },
  );
  new aws.autoscaling.Policy(
    `${name}-cpu-target`,
    {
      autoscalingGroupName: group.name,
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
        targetValue: 60,
      },
    },
    parent,
  );
  return group;
}
