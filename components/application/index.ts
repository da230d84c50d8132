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
import { logGroupName, physicalName, rdsLogGroupName, wafLogGroupName } from "../lib/naming";
import { SecureBucket } from "../lib/secure-bucket";
import { createServiceRole } from "../lib/service-role";
import { statefulOptions } from "../lib/stateful";
import { platformTags } from "../lib/tags";
import { imageIdFor, instanceRoleStatements, userData } from "./compute";
import { developersPolicyStatements } from "./people";
import { createSecurityGroupChain, HTTP_PORT, HTTPS_PORT, POSTGRES_PORT } from "./security-groups";
import { redactedFields, webAclRules } from "./waf";

export * from "./compute";
export * from "./people";
export * from "./security-groups";
export * from "./waf";

/** The HTTPS listener's security policy: TLS 1.3 and 1.2, forward-secret AEAD ciphers only. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";
/** The path the target group checks (the boot script serves it). */
export const HEALTH_CHECK_PATH = "/health";
/** RDS database log types exported to CloudWatch Logs. */
export const DATABASE_LOG_EXPORTS = ["postgresql", "upgrade"] as const;
/** The database's administrator: not the engine default `postgres`. */
export const DATABASE_ADMIN_USER = "hcp_admin";
/** Days between rotations of the managed master secret (RDS's own default, set explicitly). */
export const DATABASE_SECRET_ROTATION_DAYS = 7;
/** Days automated backups are kept: the longest RDS allows in prod, one week in dev. */
export const DATABASE_BACKUP_RETENTION_DAYS = { prod: 35, dev: 7 } as const;
/**
 * The database's own windows (UTC), set rather than left to RDS (which picks them at random in a
 * regional block, 03:00-11:00 in us-east-1): clear of the AWS Backup plan's 05:00-06:00 start window
 * and of the hour before each, where AWS Backup cannot start an RDS backup (components/backup.ts
 * `rdsWindowConflicts`, https://docs.aws.amazon.com/aws-backup/latest/devguide/troubleshooting.html#troubleshooting-create-backup).
 */
export const DATABASE_WINDOWS = { backupWindow: "07:30-08:00", maintenanceWindow: "sun:08:30-sun:09:30" } as const;
/** The value of the `Application` tag of the instances (Session Manager access of the developers group). */
export const APPLICATION_TAG = "hcp-app";

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

export interface ApplicationTierArgs {
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

/** Every problem of the args (empty when valid): the config facts the tier needs. */
export function applicationTierArgProblems(args: Pick<ApplicationTierArgs, "config" | "largeBodyPathPrefix">): string[] {
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
  readonly autoScalingGroupName: pulumi.Output<string>;
  readonly instanceRoleArn: pulumi.Output<string>;
  readonly databaseEndpoint: pulumi.Output<string>;
  readonly databaseArn: pulumi.Output<string>;
  /** The RDS-managed master secret (undefined only under the offline mocks, which do not compute it). */
  readonly databaseSecretArn: pulumi.Output<string | undefined>;
  /** The developers group's name, or undefined when `enableDevelopersGroup` is false. */
  readonly developersGroupName: pulumi.Output<string> | undefined;
  readonly albSecurityGroupId: pulumi.Output<string>;
  readonly appSecurityGroupId: pulumi.Output<string>;
  readonly dbSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, args: ApplicationTierArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = applicationTierArgProblems(args);
    if (problems.length > 0) throw new Error(`ApplicationTier ${name}: ${problems.join("; ")}`);
    super("healthcare:application:ApplicationTier", name, {}, opts);

    const { config } = args;
    const app = config.application;
    const prod = config.environment === "prod";
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

    // --- Database --------------------------------------------------------------------------------
    const dbIdentifier = physicalName(config.stack, "rdsInstance", "app-db");
    const databaseArn = pulumi.interpolate`arn:${partition}:rds:${region}:${identity.accountId}:db:${dbIdentifier}`;
    const major = app.dbEngineVersion.split(".")[0];
    const subnetGroup = new aws.rds.SubnetGroup(
      `${name}-db-subnets`,
      {
        name: physicalName(config.stack, "rdsGroup", "app-db"),
        description: "Application database: the isolated subnets (no route out of the VPC)",
        subnetIds: args.isolatedSubnetIds,
        tags: tags("app-database"),
      },
      parent,
    );
    const parameterGroup = new aws.rds.ParameterGroup(
      `${name}-db-parameters`,
      {
        name: physicalName(config.stack, "rdsGroup", "app-db", `postgres${major}`),
        family: `postgres${major}`,
        description: "Application database: TLS required, connections logged",
        parameters: [
          // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html#PostgreSQL.Concepts.General.SSL.Requiring
          { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
          { name: "log_connections", value: "1", applyMethod: "pending-reboot" },
          { name: "log_disconnections", value: "1", applyMethod: "pending-reboot" },
        ],
        tags: tags("app-database"),
      },
      parent,
    );
    const dbLogGroups = DATABASE_LOG_EXPORTS.map(
      (type) =>
        new aws.cloudwatch.LogGroup(
          `${name}-db-${type}-logs`,
          {
            name: rdsLogGroupName(dbIdentifier, type),
            kmsKeyId: args.auditKeyArn,
            retentionInDays: config.logRetentionInDays,
            deletionProtectionEnabled: config.protectData,
            tags: tags(`app-database-${type}-logs`, "PHI"),
          },
          stateful,
        ),
    );
    const monitoringRole = createServiceRole(
      `${name}-db-monitoring-role`,
      {
        roleName: physicalName(config.stack, "iamRole", "app-db-monitoring"),
        description: "RDS enhanced monitoring of the application database: OS metrics to CloudWatch Logs (RDSOSMetrics)",
        servicePrincipal: "monitoring.rds.amazonaws.com",
        trustConditions: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [identity.accountId] },
          { test: "ArnLike", variable: "aws:SourceArn", values: [databaseArn] },
        ],
        // AmazonRDSEnhancedMonitoringRole's actions, narrowed from `RDS*` log groups to RDS's one
        // (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonRDSEnhancedMonitoringRole.html).
        statements: [
          {
            sid: "EnhancedMonitoringLogGroup",
            effect: "Allow",
            actions: ["logs:CreateLogGroup", "logs:PutRetentionPolicy"],
            resources: [pulumi.interpolate`arn:${partition}:logs:${region}:${identity.accountId}:log-group:RDSOSMetrics`],
          },
          {
            sid: "EnhancedMonitoringLogStreams",
            effect: "Allow",
            actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:GetLogEvents"],
            resources: [pulumi.interpolate`arn:${partition}:logs:${region}:${identity.accountId}:log-group:RDSOSMetrics:log-stream:*`],
          },
        ],
        tags: tags("app-database-monitoring"),
      },
      parent,
    );
    const db = new aws.rds.Instance(
      `${name}-db`,
      {
        identifier: dbIdentifier,
        engine: "postgres",
        engineVersion: app.dbEngineVersion,
        autoMinorVersionUpgrade: true,
        instanceClass: app.dbInstanceClass,
        allocatedStorage: app.dbAllocatedStorageInGb,
        maxAllocatedStorage: app.dbMaxAllocatedStorageInGb,
        storageType: "gp3",
        storageEncrypted: true,
        kmsKeyId: args.phiKeyArn,
        dbName: "app",
        username: DATABASE_ADMIN_USER,
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: args.phiKeyArn,
        iamDatabaseAuthenticationEnabled: true,
        port: POSTGRES_PORT,
        dbSubnetGroupName: subnetGroup.name,
        parameterGroupName: parameterGroup.name,
        vpcSecurityGroupIds: [sg.dbSecurityGroupId],
        publiclyAccessible: false,
        multiAz: prod,
        caCertIdentifier: "rds-ca-rsa2048-g1",
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: args.phiKeyArn,
        performanceInsightsRetentionPeriod: 7,
        monitoringInterval: 60,
        monitoringRoleArn: monitoringRole.role.arn,
        enabledCloudwatchLogsExports: [...DATABASE_LOG_EXPORTS],
        backupRetentionPeriod: prod ? DATABASE_BACKUP_RETENTION_DAYS.prod : DATABASE_BACKUP_RETENTION_DAYS.dev,
        backupWindow: DATABASE_WINDOWS.backupWindow,
        maintenanceWindow: DATABASE_WINDOWS.maintenanceWindow,
        copyTagsToSnapshot: true,
        deleteAutomatedBackups: !config.protectData,
        deletionProtection: config.protectData,
        skipFinalSnapshot: !config.protectData,
        finalSnapshotIdentifier: config.protectData ? physicalName(config.stack, "rdsInstance", "app-db-final") : undefined,
        applyImmediately: false,
        tags: tags("app-database", "PHI"),
      },
      { ...stateful, dependsOn: [...dbLogGroups, ...monitoringRole.ready] },
    );
    this.databaseArn = db.arn;
    this.databaseEndpoint = db.endpoint;
    const secretArn = db.masterUserSecrets.apply((secrets) => secrets?.[0]?.secretArn);
    this.databaseSecretArn = secretArn;
    new aws.secretsmanager.SecretRotation(
      `${name}-db-secret-rotation`,
      { secretId: secretArn, rotationRules: { automaticallyAfterDays: DATABASE_SECRET_ROTATION_DAYS } },
      parent,
    );

    // --- Compute -----------------------------------------------------------------------------------
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
      .all([partition, region, identity.accountId, appLogGroup.arn, args.phiKeyArn, databaseArn])
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
    this.instanceRoleArn = instanceRole.role.arn;
    const profile = new aws.iam.InstanceProfile(
      `${name}-instance-profile`,
      { name: physicalName(config.stack, "iamGroup", "app-instance"), role: instanceRole.role.name, tags: tags("app-instance") },
      { parent: this, dependsOn: instanceRole.ready },
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
        imageId: imageIdFor(app.instanceType, { parent: this }),
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
        userData: Buffer.from(userData({ appPort: app.appPort, logGroupName: logGroupName(config.stack, "application") })).toString(
          "base64",
        ),
        updateDefaultVersion: true,
        tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: instanceTags })),
        tags: tags("app-instance"),
      },
      parent,
    );

    // --- Edge: log bucket, load balancer, target group, listeners -------------------------------------
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
      { parent: this, dependsOn: [albLogs.bucketPolicy] },
    );
    this.loadBalancerArn = alb.arn;
    this.loadBalancerDnsName = alb.dnsName;
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

    // --- The Auto Scaling group --------------------------------------------------------------------
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
      { parent: this, dependsOn: [https] },
    );
    this.autoScalingGroupName = group.name;
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

    // --- WAF -------------------------------------------------------------------------------------------
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
    this.webAclArn = webAcl.arn;
    new aws.wafv2.WebAclAssociation(
      `${name}-web-acl-association`,
      { resourceArn: alb.arn, webAclArn: webAcl.arn },
      { parent: this, dependsOn: [alb, https, http], customTimeouts: { create: "15m" } },
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
