/**
 * The application tier (ARCHITECTURE.md section 5): ALB (public subnets) behind a WAF web ACL ->
 * an Auto Scaling group of hardened instances (private subnets) -> RDS PostgreSQL (isolated
 * subnets), each tier's security group admitting only the tier before it; an optional developers
 * group whose policy enforces MFA.
 *
 * Parts: security-groups.ts (the chain, as data), waf.ts (rules, redaction), compute.ts (image,
 * instance role, service-linked role, boot script), people.ts (the MFA policy). This file builds
 * the resources.
 *
 * AWS facts relied on, beyond those of the parts:
 * - HTTPS listener policies: `ELBSecurityPolicy-TLS13-1-2-Res-2021-06` offers TLS 1.3 and TLS 1.2 with
 *   forward-secret AEAD ciphers only; the API's default is `ELBSecurityPolicy-2016-08` (TLS 1.0+)
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html).
 * - `routing.http.drop_invalid_header_fields.enabled` and desync mitigation `strictest`
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes).
 * - Access logs go to an SSE-S3 bucket of the load balancer's region with ELB's log-delivery grant
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html):
 *   SecureBucket.forLoadBalancerLogs; the load balancer waits for the bucket policy (ELB checks it).
 * - WAF: a regional web ACL is associated with an ALB by ARN; the association fails while the ALB is
 *   still provisioning (WAFUnavailableEntityException), which the provider retries: the association
 *   depends on the load balancer and its listeners and has a long create timeout
 *   (https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html). Logging to
 *   CloudWatch Logs needs a log group named `aws-waf-logs-*`; WAF adds the log group's resource policy
 *   for `delivery.logs.amazonaws.com` itself (https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html).
 * - RDS: `manageMasterUserPassword` with `masterUserSecretKmsKeyId` keeps the password in Secrets
 *   Manager under our key, rotated by RDS (every 7 days by default; the rotation resource sets it
 *   explicitly) (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html);
 *   exported logs go to `/aws/rds/instance/<id>/<type>`, created here first so they carry the audit
 *   key and the retention (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html);
 *   enhanced monitoring's role trusts `monitoring.rds.amazonaws.com` with aws:SourceAccount and
 *   aws:SourceArn (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.Enabling.html,
 *   "Protecting against the confused deputy problem").
 *
 * HIPAA Security Rule: 164.312(e)(1) transmission security (TLS at the edge and to the targets,
 * rds.force_ssl), 164.312(a)(2)(iv) encryption at rest (PHI key on volumes, database, secret,
 * Performance Insights), 164.312(b) audit controls (ALB, WAF, database and instance logs),
 * 164.312(d) person authentication (MFA), 164.308(a)(7) contingency (Multi-AZ, backups).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, StackContext } from "../config";
import { platformWiring, type PlatformContext } from "../platform-context";
import { physicalName } from "../lib/naming";
import { statefulOptions } from "../lib/stateful";
import { platformTags } from "../lib/tags";
import type { TierContext } from "./context";
import { createDatabase } from "./database";
import { createLoadBalancer, createWebAcl } from "./edge";
import { APPLICATION_TAG, createAutoScalingGroup, createLaunchTemplate } from "./instances";
import { developersPolicyStatements } from "./people";
import { createSecurityGroupChain } from "./security-groups";

export * from "./compute";
export * from "./database";
export * from "./edge";
export * from "./instances";
export * from "./people";
export * from "./security-groups";
export * from "./waf";

/** CloudTrail events of the tier's security-relevant changes, alerted like security-group and IAM changes. */
export const APPLICATION_CHANGE_EVENTS: Readonly<Record<string, readonly string[]>> = {
  "wafv2.amazonaws.com": ["UpdateWebACL", "DeleteWebACL", "DisassociateWebACL", "PutLoggingConfiguration", "DeleteLoggingConfiguration"],
  "elasticloadbalancing.amazonaws.com": [
    "ModifyListener",
    "DeleteListener",
    "CreateListener",
    "ModifyLoadBalancerAttributes",
    "DeleteLoadBalancer",
    "SetSecurityGroups",
  ],
  "rds.amazonaws.com": [
    "ModifyDBInstance",
    "DeleteDBInstance",
    "ModifyDBParameterGroup",
    "ResetDBParameterGroup",
    "ModifyDBSnapshotAttribute",
    "RestoreDBInstanceFromDBSnapshot",
  ],
  "autoscaling.amazonaws.com": ["UpdateAutoScalingGroup", "DeleteAutoScalingGroup"],
  "ec2.amazonaws.com": ["CreateLaunchTemplateVersion", "ModifyLaunchTemplate"],
};

/** What an {@link ApplicationTier}'s builders receive: its {@link ApplicationTierArgs} with the platform context unpacked. */
export interface ApplicationTierWiring {
  /** The stack's context plus the facts the tier reads: `application` (its choices), log and data retention (the ALB log bucket). */
  readonly config: StackContext & Pick<PlatformConfig, "application" | "logRetentionInDays" | "dataRetentionInDays">;
  readonly vpcId: pulumi.Input<string>;
  readonly publicSubnetIds: pulumi.Input<string[]>;
  readonly privateSubnetIds: pulumi.Input<string[]>;
  readonly isolatedSubnetIds: pulumi.Input<string[]>;
  /** Security group of the VPC's interface endpoints (the instances reach SSM, logs, KMS, Secrets Manager there). */
  readonly endpointSecurityGroupId: pulumi.Input<string>;
  /** The gateway endpoints' prefix lists, S3's first (Network.gatewayPrefixListIds). */
  readonly gatewayPrefixListIds: pulumi.Input<string[]>;
  /** The PHI key: volumes, database storage, Performance Insights, the master secret. */
  readonly phiKeyArn: pulumi.Input<string>;
  /** The audit key: the tier's log groups. */
  readonly auditKeyArn: pulumi.Input<string>;
  /** The access-log bucket (the ALB log bucket's own access logs). */
  readonly accessLogBucket: pulumi.Input<string>;
  /** The security alert topic (alarms and change alerts). */
  readonly alertTopicArn: pulumi.Input<string>;
  /** ARN of the stack's Auto Scaling service-linked role ({@link createAutoScalingServiceLinkedRole}), named in the PHI key's policy. */
  readonly autoScalingServiceLinkedRoleArn: pulumi.Input<string>;
  /**
   * Path prefix where POST bodies over WAF's 8 KB inspection limit are allowed (waf.ts).
   * @default "/fhir/"
   */
  readonly largeBodyPathPrefix?: string;
}

/**
 * An {@link ApplicationTier}'s arguments: the platform context (config; the `phi` key for volumes,
 * database storage, Performance Insights and the master secret, the `audit` key for the log groups;
 * the access-log bucket; the alert topic for alarms and change alerts) and the tier's placement.
 */
export interface ApplicationTierArgs extends Omit<
  ApplicationTierWiring,
  "config" | "phiKeyArn" | "auditKeyArn" | "accessLogBucket" | "alertTopicArn"
> {
  readonly platform: PlatformContext;
}

/** Every problem of the args (empty when valid): the config facts the tier needs. */
export function applicationTierArgProblems(args: Pick<ApplicationTierWiring, "config" | "largeBodyPathPrefix">): string[] {
  const problems: string[] = [];
  if (args.config.application.certificateArn === undefined) {
    problems.push(
      `config.certificateArn is required: the HTTPS listener needs an ACM certificate of the stack's region. Set it with ` +
        '`pulumi config set certificateArn arn:aws:acm:<region>:<account>:certificate/<id>` (dev: import a self-signed certificate, README "Application tier")',
    );
  }
  if (args.largeBodyPathPrefix !== undefined && !/^\/[A-Za-z0-9._~\-/]*\/$/.test(args.largeBodyPathPrefix)) {
    problems.push(`largeBodyPathPrefix must be a URL path that starts and ends with "/", got ${JSON.stringify(args.largeBodyPathPrefix)}`);
  }
  return problems;
}

/** The application tier: edge (ALB + WAF), compute (Auto Scaling), database (RDS PostgreSQL), people (MFA group). */
export class ApplicationTier extends pulumi.ComponentResource {
  readonly loadBalancerArn: pulumi.Output<string>;
  readonly loadBalancerDnsName: pulumi.Output<string>;
  readonly webAclArn: pulumi.Output<string>;
  /** The load balancer's access-log bucket, and the web ACL's `aws-waf-logs-*` group (what `npm run verify` reads). */
  readonly loadBalancerLogBucketName: pulumi.Output<string>;
  readonly webAclLogGroupName: pulumi.Output<string>;
  /** The group the instances' CloudWatch agent ships the application's logs to. */
  readonly applicationLogGroupName: pulumi.Output<string>;
  readonly autoScalingGroupName: pulumi.Output<string>;
  readonly instanceRoleArn: pulumi.Output<string>;
  readonly databaseEndpoint: pulumi.Output<string>;
  readonly databaseArn: pulumi.Output<string>;
  /** The RDS-managed master secret. */
  readonly databaseSecretArn: pulumi.Output<string>;
  /** The developers group's name, or undefined when `enableDevelopersGroup` is false. */
  readonly developersGroupName: pulumi.Output<string> | undefined;
  readonly albSecurityGroupId: pulumi.Output<string>;
  readonly appSecurityGroupId: pulumi.Output<string>;
  readonly dbSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, { platform, ...own }: ApplicationTierArgs, opts?: pulumi.ComponentResourceOptions) {
    const args: ApplicationTierWiring = {
      ...own,
      ...platformWiring(platform),
      phiKeyArn: platform.keyArns.phi,
    };
    const problems = applicationTierArgProblems(args);
    if (problems.length > 0) throw new Error(`ApplicationTier ${name}: ${problems.join("; ")}`);
    super("healthcare:application:ApplicationTier", name, {}, opts);

    const { config } = args;
    const app = config.application;
    const parent = { parent: this };
    const stateful = statefulOptions(this, config.protectData);
    const tags = (purpose: string, dataClassification?: "PHI" | "Confidential") => platformTags(config, { purpose, dataClassification });
    const identity = aws.getCallerIdentityOutput({}, parent);
    const region = aws.getRegionOutput({}, parent).region;
    const partition = aws.getPartitionOutput({}, parent).partition;

    // --- Security groups -----------------------------------------------------------------------
    const sg = createSecurityGroupChain(
      name,
      {
        config,
        vpcId: args.vpcId,
        appPort: app.appPort,
        endpointSecurityGroupId: args.endpointSecurityGroupId,
        s3PrefixListId: pulumi.output(args.gatewayPrefixListIds).apply((ids) => ids[0]),
      },
      this,
    );
    this.albSecurityGroupId = sg.albSecurityGroupId;
    this.appSecurityGroupId = sg.appSecurityGroupId;
    this.dbSecurityGroupId = sg.dbSecurityGroupId;

    const ctx: TierContext = { name, component: this, args, stateful, tags, accountId: identity.accountId, region, partition };

    // --- Database (database.ts) --------------------------------------------------------------------
    const { db, databaseArn, secretArn } = createDatabase(ctx, sg);
    this.databaseArn = db.arn;
    this.databaseEndpoint = db.endpoint;
    this.databaseSecretArn = secretArn;
    // --- Compute (instances.ts) --------------------------------------------------------------------
    const { appLogGroup, instanceRole, launchTemplate } = createLaunchTemplate(ctx, sg, databaseArn);
    this.instanceRoleArn = instanceRole.role.arn;
    this.applicationLogGroupName = appLogGroup.name;
    // --- Edge: log bucket, load balancer, target group, listeners (edge.ts) -------------------------
    const edge = createLoadBalancer(ctx, sg);
    const { alb, targetGroup } = edge;
    this.loadBalancerArn = alb.arn;
    this.loadBalancerDnsName = alb.dnsName;
    this.loadBalancerLogBucketName = edge.logBucketName;
    // --- The Auto Scaling group (instances.ts) -----------------------------------------------------
    this.autoScalingGroupName = createAutoScalingGroup(ctx, { launchTemplate, targetGroup, https: edge.https }).name;
    // --- WAF (edge.ts) -----------------------------------------------------------------------------
    const waf = createWebAcl(ctx, edge);
    this.webAclArn = waf.webAcl.arn;
    this.webAclLogGroupName = waf.logGroupName;

    // --- Alerts: the tier's security changes and unhealthy targets -----------------------------------------
    const changes = new aws.cloudwatch.EventRule(
      `${name}-security-changes`,
      {
        name: physicalName(config.stack, "eventRule", "app-security-changes"),
        description: "Application tier: WAF, load balancer, database, Auto Scaling or launch template security settings changed",
        eventPattern: JSON.stringify(applicationChangePattern()),
        tags: tags("app-security-changes"),
      },
      parent,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-security-changes-alert`,
      { rule: changes.name, arn: args.alertTopicArn, targetId: "security-alerts" },
      parent,
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-unhealthy-targets`,
      {
        name: physicalName(config.stack, "alarm", "app-unhealthy-targets"),
        alarmDescription: "Application instances fail the load balancer's health check",
        namespace: "AWS/ApplicationELB",
        metricName: "UnHealthyHostCount",
        dimensions: { LoadBalancer: alb.arnSuffix, TargetGroup: targetGroup.arnSuffix },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 5,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [args.alertTopicArn],
        tags: tags("app-unhealthy-targets"),
      },
      parent,
    );

    // --- People ----------------------------------------------------------------------------------------
    if (app.enableDevelopersGroup) {
      const groupName = physicalName(config.stack, "iamGroup", "developers");
      const developers = new aws.iam.Group(`${name}-developers`, { name: groupName }, parent);
      const document = aws.iam.getPolicyDocumentOutput(
        {
          statements: pulumi
            .all([partition, identity.accountId, region, appLogGroup.arn])
            .apply(([p, accountId, r, logArn]) =>
              developersPolicyStatements({ partition: p, accountId, region: r, applicationTag: APPLICATION_TAG, logGroupArns: [logArn] }),
            ),
        },
        parent,
      );
      const policy = new aws.iam.Policy(
        `${name}-developers-policy`,
        {
          name: groupName,
          description: "Developers (break-glass next to IAM Identity Center): nothing but MFA enrolment until signed in with MFA",
          policy: document.json,
          tags: tags("developers"),
        },
        parent,
      );
      new aws.iam.GroupPolicyAttachment(`${name}-developers-policy`, { group: developers.name, policyArn: policy.arn }, parent);
      this.developersGroupName = developers.name;
    }

    this.registerOutputs({
      loadBalancerArn: this.loadBalancerArn,
      loadBalancerDnsName: this.loadBalancerDnsName,
      webAclArn: this.webAclArn,
      autoScalingGroupName: this.autoScalingGroupName,
      instanceRoleArn: this.instanceRoleArn,
      databaseEndpoint: this.databaseEndpoint,
      databaseSecretArn: this.databaseSecretArn,
      developersGroupName: this.developersGroupName,
    });
  }
}

/** The EventBridge pattern of {@link APPLICATION_CHANGE_EVENTS}. */
export function applicationChangePattern(): Record<string, unknown> {
  return {
    "detail-type": ["AWS API Call via CloudTrail"],
    detail: {
      eventSource: Object.keys(APPLICATION_CHANGE_EVENTS),
      eventName: [...new Set(Object.values(APPLICATION_CHANGE_EVENTS).flat())],
    },
  };
}
