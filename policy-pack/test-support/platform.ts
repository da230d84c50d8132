// A secure healthcare platform as a deployment: one compliant instance of every resource kind the
// pack checks, wired the way the components wire them (companions joined through
// propertyDependencies, ARNs and names as the provider would produce them). Every policy passes on
// it, mandatory and advisory alike; tests mutate one property at a time to produce each violation.

import { StateResource } from "../checker/deployment";
import { ACCOUNT, hex, REGION } from "./builder";
import { BucketSet, Env, PlatformParts, T } from "./platform-parts";

export type { BucketOptions, BucketSet, Env } from "./platform-parts";

export class Platform extends PlatformParts {
  readonly dataKey: StateResource;
  readonly logKey: StateResource;
  readonly accessLogs: BucketSet;
  readonly auditLogs: BucketSet;
  readonly phiData: BucketSet;
  readonly incidentReports: BucketSet;
  readonly archive: BucketSet;
  readonly trailLogGroup: StateResource;
  readonly trail: StateResource;
  readonly alertsTopic: StateResource;
  readonly vpc: StateResource;
  readonly lambda: StateResource;

  constructor(env: Env = "dev", prefix = "hcp") {
    super(env, prefix);
    this.dataKey = this.kmsKey("data-key");
    this.logKey = this.kmsKey("logs-key");
    this.accessLogs = this.bucketSet("access-logs", { classification: "Confidential", purpose: "access-logs" });
    this.auditLogs = this.bucketSet("audit-logs", {
      classification: "Confidential",
      purpose: "audit-logs",
      logsTo: this.accessLogs.bucket,
    });
    this.phiData = this.bucketSet("phi-data", { classification: "PHI", logsTo: this.accessLogs.bucket, replicate: true });
    this.archive = this.bucketSet("event-archive", {
      classification: "PHI",
      purpose: "security-archive",
      logsTo: this.accessLogs.bucket,
      replicate: true,
    });
    this.incidentReports = this.bucketSet("incident-reports", {
      classification: "PHI",
      purpose: "incident-reports",
      logsTo: this.accessLogs.bucket,
      lock: true,
      replicate: true,
    });
    this.trailLogGroup = this.logGroup("cloudtrail-logs", `/${prefix}/${env}/cloudtrail`);
    this.trail = this.addTrail([this.phiData.bucket, this.archive.bucket, this.incidentReports.bucket]);
    this.alertsTopic = this.add(
      "aws:sns/topic:Topic",
      "alerts",
      this.tagged("Confidential", {
        name: `${prefix}-${env}-alerts`,
        kmsMasterKeyId: this.arn(this.dataKey),
      }),
      { outputs: { arn: `arn:aws:sns:${REGION}:${ACCOUNT}:${prefix}-${env}-alerts` }, pd: { kmsMasterKeyId: [this.dataKey] } },
    );
    this.add(
      T.alarm,
      "root-login-alarm",
      this.tagged("Internal", {
        name: `${prefix}-${env}-root-login`,
        alarmActions: [this.arn(this.alertsTopic)],
        metricName: "RootLogin",
        namespace: "HCP/Security",
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        evaluationPeriods: 1,
        period: 300,
        statistic: "Sum",
      }),
      { pd: { alarmActions: [this.alertsTopic] } },
    );
    this.vpc = this.network();
    this.compute();
    // Runs as the reader role (identity()), which may read the PHI bucket: a PHI reader by structure.
    this.lambda = this.functionWithLogs("data-processor", "PHI", `${prefix}-${env}-reader`);
    this.data();
    this.application();
    this.pipeline();
    this.identity();
    this.macieJob([this.phiData.bucket, this.archive.bucket, this.incidentReports.bucket]);
    const trailRoleName = `${prefix}-${env}-cloudtrail-logs`;
    this.add(
      "aws:iam/role:Role",
      "cloudtrail-logs-role",
      this.tagged("Internal", {
        name: trailRoleName,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "CloudTrailAssume",
              Effect: "Allow",
              Principal: { Service: "cloudtrail.amazonaws.com" },
              Action: "sts:AssumeRole",
            },
          ],
        }),
      }),
      { id: trailRoleName, outputs: { arn: `arn:aws:iam::${ACCOUNT}:role/${trailRoleName}` } },
    );
  }

  data(): void {
    this.add(
      "aws:dynamodb/table:Table",
      "audit-table",
      this.tagged("PHI", {
        name: `${this.prefix}-${this.env}-audit`,
        billingMode: "PAY_PER_REQUEST",
        hashKey: "pk",
        rangeKey: "sk",
        attributes: [
          { name: "pk", type: "S" },
          { name: "sk", type: "S" },
        ],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: this.arn(this.dataKey) },
        deletionProtectionEnabled: this.prod,
      }),
      { pd: { serverSideEncryption: [this.dataKey] }, ...this.stateful() },
    );
    const db = `${this.prefix}-${this.env}-app`;
    this.add(
      "aws:rds/instance:Instance",
      "app-db",
      this.tagged("PHI", {
        identifier: db,
        engine: "postgres",
        engineVersion: "16.4",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 20,
        storageEncrypted: true,
        kmsKeyId: this.arn(this.dataKey),
        publiclyAccessible: false,
        backupRetentionPeriod: this.prod ? 35 : 7,
        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        autoMinorVersionUpgrade: true,
        monitoringInterval: 60,
        monitoringRoleArn: `arn:aws:iam::${ACCOUNT}:role/${db}-monitoring`,
        multiAz: this.prod,
        deletionProtection: this.prod,
        skipFinalSnapshot: !this.prod,
        manageMasterUserPassword: true,
        dbSubnetGroupName: `${db}-subnets`,
      }),
      { id: db, outputs: { arn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:${db}` }, pd: { kmsKeyId: [this.dataKey] }, ...this.stateful() },
    );
    const secretArn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${this.prefix}-${this.env}-api-key-${hex(6)}`;
    const secret = this.add(
      "aws:secretsmanager/secret:Secret",
      "api-key",
      this.tagged("Confidential", {
        name: `${this.prefix}-${this.env}-api-key`,
        kmsKeyId: this.arn(this.dataKey),
        recoveryWindowInDays: 30,
      }),
      { id: secretArn, outputs: { arn: secretArn }, pd: { kmsKeyId: [this.dataKey] }, ...this.stateful() },
    );
    this.add(
      "aws:secretsmanager/secretRotation:SecretRotation",
      "api-key-rotation",
      {
        secretId: secretArn,
        rotationLambdaArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${this.prefix}-${this.env}-rotate`,
        rotationRules: { automaticallyAfterDays: 30 },
      },
      { pd: { secretId: [secret] } },
    );
  }

  application(): void {
    const lbName = `${this.prefix}-${this.env}-alb`;
    const lbArn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/${lbName}/${hex(16)}`;
    const lb = this.add(
      "aws:lb/loadBalancer:LoadBalancer",
      "alb",
      this.tagged("Internal", {
        name: lbName,
        loadBalancerType: "application",
        internal: false,
        dropInvalidHeaderFields: true,
        enableDeletionProtection: this.prod,
        accessLogs: { bucket: this.accessLogs.bucket.inputs.bucket, enabled: true, prefix: "alb" },
        subnets: [`subnet-${hex(17)}`, `subnet-${hex(17)}`],
      }),
      { id: lbArn, outputs: { arn: lbArn }, pd: { accessLogs: [this.accessLogs.bucket] } },
    );
    this.add(
      "aws:lb/listener:Listener",
      "https-listener",
      this.tagged("Internal", {
        loadBalancerArn: lbArn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        certificateArn: `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
        defaultActions: [
          { type: "forward", targetGroupArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/app/${hex(16)}` },
        ],
      }),
      { pd: { loadBalancerArn: [lb] } },
    );
    this.add(
      "aws:lb/listener:Listener",
      "http-redirect",
      this.tagged("Internal", {
        loadBalancerArn: lbArn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      }),
      { pd: { loadBalancerArn: [lb] } },
    );
    const aclName = `${this.prefix}-${this.env}-web`;
    const aclArn = `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/${aclName}/${hex(8)}`;
    const acl = this.add(
      "aws:wafv2/webAcl:WebAcl",
      "web-acl",
      this.tagged("Internal", {
        name: aclName,
        scope: "REGIONAL",
        defaultAction: { allow: {} },
        visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: aclName, sampledRequestsEnabled: true },
        rules: [
          {
            name: "aws-common",
            priority: 1,
            overrideAction: { none: {} },
            statement: { managedRuleGroupStatement: { name: "AWSManagedRulesCommonRuleSet", vendorName: "AWS" } },
            visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "common", sampledRequestsEnabled: true },
          },
          {
            name: "rate-limit",
            priority: 2,
            action: { block: {} },
            statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } },
            visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "rate", sampledRequestsEnabled: true },
          },
        ],
      }),
      { id: aclArn, outputs: { arn: aclArn } },
    );
    this.add(
      "aws:wafv2/webAclAssociation:WebAclAssociation",
      "alb-waf",
      { resourceArn: lbArn, webAclArn: aclArn },
      { pd: { resourceArn: [lb], webAclArn: [acl] } },
    );
    const wafLogs = this.logGroup("waf-logs", `aws-waf-logs-${this.prefix}-${this.env}`);
    this.add(
      "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
      "web-acl-logging",
      {
        resourceArn: aclArn,
        logDestinationConfigs: [this.arn(wafLogs)],
        redactedFields: [{ singleHeader: { name: "authorization" } }],
      },
      { pd: { resourceArn: [acl], logDestinationConfigs: [wafLogs] } },
    );
  }

  pipeline(): void {
    const domainName = `${this.prefix}-${this.env}-events`;
    const osLogs = this.logGroup("opensearch-logs", `/aws/opensearch/${domainName}`);
    this.add(
      "aws:opensearch/domain:Domain",
      "events-domain",
      this.tagged("PHI", {
        domainName,
        engineVersion: "OpenSearch_2.13",
        encryptAtRest: { enabled: true, kmsKeyId: this.arn(this.dataKey) },
        nodeToNodeEncryption: { enabled: true },
        domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
        vpcOptions: { subnetIds: [`subnet-${hex(17)}`, `subnet-${hex(17)}`], securityGroupIds: [`sg-${hex(17)}`] },
        logPublishingOptions: [{ logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: this.arn(osLogs), enabled: true }],
        advancedSecurityOptions: { enabled: true, internalUserDatabaseEnabled: false },
        clusterConfig: {
          instanceType: "r7g.large.search",
          instanceCount: 3,
          zoneAwarenessEnabled: true,
          zoneAwarenessConfig: { availabilityZoneCount: 3 },
          dedicatedMasterEnabled: true,
          dedicatedMasterCount: 3,
          dedicatedMasterType: "m7g.large.search",
        },
      }),
      {
        outputs: { arn: `arn:aws:es:${REGION}:${ACCOUNT}:domain/${domainName}` },
        pd: { logPublishingOptions: [osLogs] },
        ...this.stateful(),
      },
    );
    this.add(
      "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
      "security-events",
      this.tagged("PHI", {
        name: `${this.prefix}-${this.env}-security-events`,
        destination: "opensearch",
        serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: this.arn(this.dataKey) },
        opensearchConfiguration: {
          domainArn: `arn:aws:es:${REGION}:${ACCOUNT}:domain/${domainName}`,
          indexName: "events",
          roleArn: `arn:aws:iam::${ACCOUNT}:role/firehose`,
          s3BackupMode: "AllDocuments",
          s3Configuration: {
            bucketArn: this.arn(this.archive.bucket),
            roleArn: `arn:aws:iam::${ACCOUNT}:role/firehose`,
            kmsKeyArn: this.arn(this.dataKey),
          },
          vpcConfig: {
            subnetIds: [`subnet-${hex(17)}`, `subnet-${hex(17)}`],
            securityGroupIds: [`sg-${hex(17)}`],
            roleArn: `arn:aws:iam::${ACCOUNT}:role/firehose`,
          },
        },
      }),
      { pd: { serverSideEncryption: [this.dataKey] } },
    );
    const sfnLogs = this.logGroup("incident-sfn-logs", `/aws/vendedlogs/states/${this.prefix}-${this.env}-incident`);
    this.add(
      "aws:sfn/stateMachine:StateMachine",
      "incident",
      this.tagged("PHI", {
        name: `${this.prefix}-${this.env}-incident`,
        type: "STANDARD",
        roleArn: `arn:aws:iam::${ACCOUNT}:role/incident`,
        definition: JSON.stringify({
          StartAt: "Classify",
          States: {
            Classify: {
              Type: "Task",
              Resource: "arn:aws:states:::aws-sdk:macie2:createClassificationJob",
              Next: "Done",
              Parameters: { "ClientToken.$": "$$.Execution.Name", JobType: "ONE_TIME", Name: "incident" },
            },
            Done: { Type: "Succeed" },
          },
        }),
        loggingConfiguration: { level: "ALL", includeExecutionData: true, logDestination: `${this.arn(sfnLogs)}:*` },
        tracingConfiguration: { enabled: true },
      }),
      { pd: { loggingConfiguration: [sfnLogs] } },
    );
    this.add(
      "aws:athena/workgroup:Workgroup",
      "investigations",
      this.tagged("PHI", {
        name: `${this.prefix}-${this.env}-investigations`,
        configuration: {
          enforceWorkgroupConfiguration: true,
          publishCloudwatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: 10737418240,
          resultConfiguration: {
            outputLocation: `s3://${String(this.archive.bucket.inputs.bucket)}/athena/`,
            encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: this.arn(this.dataKey) },
          },
        },
      }),
      { pd: { configuration: [this.dataKey, this.archive.bucket] } },
    );
    const secName = `${this.prefix}-${this.env}-glue`;
    this.add(
      "aws:glue/securityConfiguration:SecurityConfiguration",
      "glue-security",
      {
        name: secName,
        encryptionConfiguration: {
          s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: this.arn(this.dataKey) },
          cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: this.arn(this.logKey) },
          jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: this.arn(this.dataKey) },
        },
      },
      { id: secName },
    );
    const dbName = `${this.prefix}_${this.env}_security`;
    const glueDb = this.add("aws:glue/catalogDatabase:CatalogDatabase", "security-db", this.tagged("Confidential", { name: dbName }), {
      id: `${ACCOUNT}:${dbName}`,
    });
    this.add(
      "aws:glue/catalogTable:CatalogTable",
      "access-events",
      {
        name: "access_events",
        databaseName: dbName,
        tableType: "EXTERNAL_TABLE",
        parameters: { "projection.enabled": "true", EXTERNAL: "TRUE" },
      },
      { pd: { databaseName: [glueDb] } },
    );
    this.add("aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings", "catalog-encryption", {
      dataCatalogEncryptionSettings: {
        encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: this.arn(this.dataKey) },
        connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, awsKmsKeyId: this.arn(this.dataKey) },
      },
    });
    this.add(
      "aws:glue/job:Job",
      "compaction",
      this.tagged("PHI", {
        name: `${this.prefix}-${this.env}-compaction`,
        roleArn: `arn:aws:iam::${ACCOUNT}:role/glue`,
        securityConfiguration: secName,
        command: { scriptLocation: `s3://${String(this.archive.bucket.inputs.bucket)}/scripts/compact.py`, pythonVersion: "3" },
      }),
    );
  }

  /** A Macie classification job whose scope lists the buckets (https://docs.aws.amazon.com/macie/latest/user/discovery-jobs.html). */
  macieJob(buckets: StateResource[]): StateResource {
    return this.add(
      "aws:macie2/classificationJob:ClassificationJob",
      "phi-discovery",
      this.tagged("Internal", {
        name: `${this.prefix}-${this.env}-phi-discovery`,
        jobType: "SCHEDULED",
        scheduleFrequency: { weeklySchedule: "MONDAY" },
        samplingPercentage: 10,
        s3JobDefinition: { bucketDefinitions: [{ accountId: ACCOUNT, buckets: buckets.map((b) => String(b.inputs.bucket)) }] },
      }),
      { pd: { s3JobDefinition: buckets } },
    );
  }

  identity(): void {
    const roleName = `${this.prefix}-${this.env}-reader`;
    const role = this.add(
      "aws:iam/role:Role",
      "reader-role",
      this.tagged("Internal", {
        name: roleName,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      }),
      { id: roleName, outputs: { arn: `arn:aws:iam::${ACCOUNT}:role/${roleName}` } },
    );
    const policyArn = `arn:aws:iam::${ACCOUNT}:policy/${roleName}`;
    const policy = this.add(
      "aws:iam/policy:Policy",
      "reader-policy",
      this.tagged("Internal", {
        name: roleName,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: ["s3:GetObject"], Resource: `${this.arn(this.phiData.bucket)}/*` },
            { Effect: "Allow", Action: ["kms:Decrypt"], Resource: this.arn(this.dataKey) },
          ],
        }),
      }),
      { id: policyArn, outputs: { arn: policyArn }, pd: { policy: [this.phiData.bucket, this.dataKey] } },
    );
    this.add(
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "reader-attach",
      { role: roleName, policyArn },
      { pd: { role: [role], policyArn: [policy] } },
    );
  }
}

export function platform(env: Env = "dev"): Platform {
  return new Platform(env);
}
