/**
 * The edge: the load balancer's log bucket, the internet-facing ALB, the HTTPS target group, the
 * HTTPS listener and the HTTP redirect; and the WAF web ACL in front of it, with its logs.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { physicalName, wafLogGroupName } from "../lib/naming";
import { SecureBucket } from "../lib/secure-bucket";
import type { TierContext } from "./context";
import type { SecurityGroupChain } from "./security-groups";
import { HTTP_PORT, HTTPS_PORT } from "./security-groups";
import { redactedFields, webAclRules } from "./waf";

/** The HTTPS listener's security policy: TLS 1.3 and 1.2, forward-secret AEAD ciphers only. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";
/** The path the target group checks (the boot script serves it). */
export const HEALTH_CHECK_PATH = "/health";

export interface Edge {
  readonly alb: aws.lb.LoadBalancer;
  /** The bucket the load balancer writes its access logs to (under `alb/`). */
  readonly logBucketName: pulumi.Output<string>;
  readonly targetGroup: aws.lb.TargetGroup;
  readonly https: aws.lb.Listener;
  readonly http: aws.lb.Listener;
}

export function createLoadBalancer(ctx: TierContext, sg: SecurityGroupChain): Edge {
  const { name, component, args, tags } = ctx;
  const { config } = args;
  const app = config.application;
  const parent = { parent: component };
  const logPrefix = "alb";
  const albLogs = SecureBucket.forLoadBalancerLogs(
    `${name}-alb-logs`,
    { config, accessLogBucket: args.accessLogBucket, prefix: logPrefix },
    parent,
  );
  const alb = new aws.lb.LoadBalancer(
    `${name}-alb`,
    {
      name: physicalName(config.stack, "loadBalancer", "app"),
      loadBalancerType: "application",
      internal: false,
      ipAddressType: "ipv4",
      subnets: args.publicSubnetIds,
      securityGroups: [sg.albSecurityGroupId],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "strictest",
      enableDeletionProtection: config.protectData,
      enableHttp2: true,
      enableWafFailOpen: false,
      accessLogs: { bucket: albLogs.bucketName, prefix: logPrefix, enabled: true },
      tags: tags("app-load-balancer"),
    },
    { parent: component, dependsOn: [albLogs.bucketPolicy] },
  );
  const targetGroup = new aws.lb.TargetGroup(
    `${name}-targets`,
    {
      name: physicalName(config.stack, "targetGroup", "app-https"),
      vpcId: args.vpcId,
      targetType: "instance",
      protocol: "HTTPS",
      protocolVersion: "HTTP1",
      port: app.appPort,
      deregistrationDelay: 30,
      healthCheck: {
        enabled: true,
        protocol: "HTTPS",
        path: HEALTH_CHECK_PATH,
        port: "traffic-port",
        matcher: "200",
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      tags: tags("app-targets"),
    },
    parent,
  );
  const https = new aws.lb.Listener(
    `${name}-https`,
    {
      loadBalancerArn: alb.arn,
      port: HTTPS_PORT,
      protocol: "HTTPS",
      sslPolicy: TLS_POLICY,
      certificateArn: app.certificateArn,
      defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
      tags: tags("app-https-listener"),
    },
    parent,
  );
  const http = new aws.lb.Listener(
    `${name}-http-redirect`,
    {
      loadBalancerArn: alb.arn,
      port: HTTP_PORT,
      protocol: "HTTP",
      defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: String(HTTPS_PORT), statusCode: "HTTP_301" } }],
      tags: tags("app-http-redirect"),
    },
    parent,
  );
  return { alb, logBucketName: albLogs.bucketName, targetGroup, https, http };
}

/** The web ACL, and the name of the `aws-waf-logs-*` group it logs to. */
export function createWebAcl(ctx: TierContext, edge: Edge): { webAcl: aws.wafv2.WebAcl; logGroupName: pulumi.Output<string> } {
  const { name, component, args, stateful, tags } = ctx;
  const { config } = args;
  const app = config.application;
  const { alb, https, http } = edge;
  const parent = { parent: component };
  const aclName = physicalName(config.stack, "webAcl", "app");
  const webAcl = new aws.wafv2.WebAcl(
    `${name}-web-acl`,
    {
      name: aclName,
      description: "Application load balancer: AWS managed rule groups blocking, per-IP rate limit",
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rules: webAclRules({
        rateLimitPer5Minutes: app.wafRateLimitPer5Minutes,
        largeBodyPathPrefix: args.largeBodyPathPrefix,
        metricPrefix: aclName,
      }),
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: aclName, sampledRequestsEnabled: true },
      tags: tags("app-web-acl"),
    },
    parent,
  );
  new aws.wafv2.WebAclAssociation(
    `${name}-web-acl-association`,
    { resourceArn: alb.arn, webAclArn: webAcl.arn },
    { parent: component, dependsOn: [alb, https, http], customTimeouts: { create: "15m" } },
  );
  const wafLogGroup = new aws.cloudwatch.LogGroup(
    `${name}-waf-logs`,
    {
      name: wafLogGroupName(aclName),
      kmsKeyId: args.auditKeyArn,
      retentionInDays: config.logRetentionInDays,
      deletionProtectionEnabled: config.protectData,
      tags: tags("app-waf-logs", "Confidential"),
    },
    stateful,
  );
  new aws.wafv2.WebAclLoggingConfiguration(
    `${name}-waf-logging`,
    { resourceArn: webAcl.arn, logDestinationConfigs: [wafLogGroup.arn], redactedFields: redactedFields() },
    parent,
  );
  return { webAcl, logGroupName: wafLogGroup.name };
}
