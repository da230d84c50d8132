// A secure healthcare platform as a deployment: one compliant instance of every resource kind the
// pack checks, wired the way the components wire them (companions joined through
// propertyDependencies, ARNs and names as the provider would produce them). Every policy passes on
// it, mandatory and advisory alike; tests mutate one property at a time to produce each violation.

import { StateResource } from "../../../policy-pack/checker/deployment";
import { ACCOUNT, Builder, hex, kmsArn, REGION } from "./builder";

export type Env = "dev" | "prod";

const T = {
  key: "aws:kms/key:Key",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  trail: "aws:cloudtrail/trail:Trail",
  bucket: "aws:s3/bucket:Bucket",
};

export interface BucketSet {
  bucket: StateResource;
  sse: StateResource;
  versioning: StateResource;
  pab: StateResource;
  policy: StateResource;
  ownership: StateResource;
  lifecycle: StateResource;
  logging?: StateResource;
  lock?: StateResource;
  replication?: StateResource;
}

export interface BucketOptions {
  classification: string;
  purpose?: string;
  logsTo?: StateResource;
  lock?: boolean;
  replicate?: boolean;
}

export class Platform extends Builder {
  readonly env: Env;
  readonly prod: boolean;
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

  constructor(
    env: Env = "dev",
    private readonly prefix = "hcp",
  ) {
    super(env);
    this.env = env;
    this.prod = env === "prod";
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

  /** Tags beyond the provider defaults (Project, Environment, Compliance). */
  tagged(classification: string, inputs: Record<string, unknown>, extra: Record<string, string> = {}): Record<string, unknown> {
    return { ...inputs, tags: { DataClassification: classification, ...extra } };
  }

  arn(r: StateResource): string {
    return String(r.outputs.arn);
  }

  private stateful(): { protect: boolean } {
    return { protect: this.prod };
  }

  kmsKey(name: string): StateResource {
    const id = `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
    const policy = {
      Version: "2012-10-17",
      Statement: [
        // As components/encryption.ts builds it: the account administers the key, and uses it only
        // through AWS services (kms:ViaService), so the key policy names who decrypts PHI.
        {
          Sid: "KeyAdministrationByAccount",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: ["kms:CreateAlias", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*"],
          Resource: "*",
        },
        {
          Sid: "KeyUseThroughAwsServices",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
          Resource: "*",
          Condition: {
            StringEquals: {
              "kms:CallerAccount": ACCOUNT,
              "kms:ViaService": [`s3.${REGION}.amazonaws.com`, `lambda.${REGION}.amazonaws.com`],
            },
          },
        },
        {
          Sid: "CloudWatchLogs",
          Effect: "Allow",
          Principal: { Service: `logs.${REGION}.amazonaws.com` },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${REGION}:${ACCOUNT}:*` } },
        },
        {
          Sid: "CloudTrail",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: ["kms:GenerateDataKey*", "kms:DescribeKey"],
          Resource: "*",
          Condition: {
            StringEquals: { "aws:SourceArn": `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${this.prefix}-${this.env}-audit` },
          },
        },
      ],
    };
    return this.add(
      T.key,
      name,
      this.tagged("Confidential", {
        description: `${name} for ${this.env}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify(policy),
      }),
      { id, outputs: { arn: kmsArn(id), keyId: id }, ...this.stateful() },
    );
  }

  logGroup(name: string, groupName: string, pd: Record<string, StateResource[]> = {}): StateResource {
    return this.add(
      T.logGroup,
      name,
      this.tagged("Confidential", {
        name: groupName,
        kmsKeyId: this.arn(this.logKey),
        retentionInDays: 2192,
      }),
      {
        id: groupName,
        outputs: { arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${groupName}` },
        pd: { kmsKeyId: [this.logKey], ...pd },
        ...this.stateful(),
      },
    );
  }

  bucketSet(name: string, o: BucketOptions): BucketSet {
    const bucketName = `${this.prefix}-${this.env}-${name}-${ACCOUNT}-${REGION}`;
    const extra: Record<string, string> = o.purpose ? { Purpose: o.purpose } : {};
    const bucket = this.add(
      T.bucket,
      `${name}-bucket`,
      this.tagged(
        o.classification,
        {
          bucket: bucketName,
          forceDestroy: !this.prod,
          ...(o.lock ? { objectLockEnabled: true } : {}),
        },
        extra,
      ),
      { id: bucketName, outputs: { arn: `arn:aws:s3:::${bucketName}` }, ...this.stateful() },
    );
    const on = { pd: { bucket: [bucket] } };
    const arn = `arn:aws:s3:::${bucketName}`;
    const kms = o.purpose !== "access-logs";
    const sse = this.add(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      `${name}-sse`,
      {
        bucket: bucketName,
        rules: [
          {
            applyServerSideEncryptionByDefault: kms
              ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.arn(this.dataKey) }
              : { sseAlgorithm: "AES256" },
            bucketKeyEnabled: kms,
          },
        ],
      },
      { pd: { bucket: [bucket], ...(kms ? { rules: [this.dataKey] } : {}) } },
    );
    const versioning = this.add(
      "aws:s3/bucketVersioning:BucketVersioning",
      `${name}-versioning`,
      {
        bucket: bucketName,
        versioningConfiguration: { status: "Enabled" },
      },
      on,
    );
    const pab = this.add(
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      `${name}-pab`,
      {
        bucket: bucketName,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      on,
    );
    const statements: unknown[] = [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ];
    if (o.purpose === "access-logs") {
      statements.push({
        Sid: "S3ServerAccessLogs",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${arn}/*`,
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
      });
    }
    const policy = this.add(
      "aws:s3/bucketPolicy:BucketPolicy",
      `${name}-policy`,
      {
        bucket: bucketName,
        policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
      },
      { pd: { bucket: [bucket], policy: [bucket] } },
    );
    const ownership = this.add(
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
      `${name}-ownership`,
      {
        bucket: bucketName,
        rule: { objectOwnership: "BucketOwnerEnforced" },
      },
      on,
    );
    const lifecycle = this.add(
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      `${name}-lifecycle`,
      {
        bucket: bucketName,
        rules: [
          {
            id: "archive",
            status: "Enabled",
            filter: {},
            transitions: [{ days: 90, storageClass: "GLACIER" }],
            noncurrentVersionTransitions: [{ noncurrentDays: 30, storageClass: "GLACIER" }],
            ...(o.purpose && o.purpose.endsWith("logs") ? { expiration: { days: 2557 } } : {}),
          },
        ],
      },
      on,
    );
    const set: BucketSet = { bucket, sse, versioning, pab, policy, ownership, lifecycle };
    if (o.logsTo) {
      set.logging = this.add(
        "aws:s3/bucketLogging:BucketLogging",
        `${name}-logging`,
        {
          bucket: bucketName,
          targetBucket: String(o.logsTo.inputs.bucket),
          targetPrefix: `${name}/`,
        },
        { pd: { bucket: [bucket], targetBucket: [o.logsTo] } },
      );
    }
    if (o.lock) {
      set.lock = this.add(
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        `${name}-lock`,
        {
          bucket: bucketName,
          rule: { defaultRetention: this.prod ? { mode: "COMPLIANCE", years: 6 } : { mode: "GOVERNANCE", days: 30 } },
        },
        on,
      );
    }
    if (o.replicate) {
      set.replication = this.add(
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        `${name}-replication`,
        {
          bucket: bucketName,
          role: `arn:aws:iam::${ACCOUNT}:role/${this.prefix}-${this.env}-replication`,
          rules: [{ id: "dr", status: "Enabled", destination: { bucket: `arn:aws:s3:::${bucketName}-dr`, storageClass: "STANDARD" } }],
        },
        on,
      );
    }
    return set;
  }

  addTrail(phiBuckets: StateResource[]): StateResource {
    const name = `${this.prefix}-${this.env}-audit`;
    return this.add(
      T.trail,
      "audit-trail",
      this.tagged("Confidential", {
        name,
        s3BucketName: this.auditLogs.bucket.inputs.bucket,
        kmsKeyId: this.arn(this.logKey),
        enableLogFileValidation: true,
        enableLogging: true,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        cloudWatchLogsGroupArn: `${this.arn(this.trailLogGroup)}:*`,
        cloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/${this.prefix}-${this.env}-cloudtrail-logs`,
        advancedEventSelectors: [
          { name: "Management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
          {
            name: "PHI object access",
            fieldSelectors: [
              { field: "eventCategory", equals: ["Data"] },
              { field: "resources.type", equals: ["AWS::S3::Object"] },
              { field: "resources.ARN", startsWiths: phiBuckets.map((b) => `${this.arn(b)}/`) },
            ],
          },
        ],
      }),
      {
        id: name,
        outputs: { arn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${name}` },
        pd: {
          advancedEventSelectors: phiBuckets,
          kmsKeyId: [this.logKey],
          cloudWatchLogsGroupArn: [this.trailLogGroup],
          s3BucketName: [this.auditLogs.bucket],
        },
      },
    );
  }

  network(): StateResource {
    const vpcId = `vpc-${hex(17)}`;
    const vpc = this.add("aws:ec2/vpc:Vpc", "vpc", this.tagged("Internal", { cidrBlock: "10.20.0.0/16", enableDnsHostnames: true }), {
      id: vpcId,
      outputs: { arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/${vpcId}` },
    });
    const flowGroup = this.logGroup("flow-logs", `/${this.prefix}/${this.env}/vpc-flow-logs`);
    this.add(
      "aws:ec2/flowLog:FlowLog",
      "vpc-flow-log",
      this.tagged("Internal", {
        vpcId,
        trafficType: "ALL",
        logDestination: this.arn(flowGroup),
        logDestinationType: "cloud-watch-logs",
        iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/${this.prefix}-${this.env}-flow-logs`,
      }),
      { pd: { vpcId: [vpc], logDestination: [flowGroup] } },
    );
    this.add("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "vpc-default-sg", this.tagged("Internal", { vpcId }), {
      pd: { vpcId: [vpc] },
    });
    for (const [tier, i] of [
      ["public", 0],
      ["private", 1],
      ["isolated", 2],
    ] as const) {
      this.add(
        "aws:ec2/subnet:Subnet",
        `${tier}-subnet-a`,
        this.tagged(
          "Internal",
          {
            vpcId,
            cidrBlock: `10.20.${i}.0/24`,
            availabilityZone: `${REGION}a`,
            mapPublicIpOnLaunch: false,
          },
          { Tier: tier },
        ),
        { id: `subnet-${hex(17)}`, pd: { vpcId: [vpc] } },
      );
    }
    const albSg = this.add(
      "aws:ec2/securityGroup:SecurityGroup",
      "alb-sg",
      this.tagged("Internal", {
        vpcId,
        description: "ALB",
        ingress: [
          { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
          { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] },
        ],
        egress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["10.20.0.0/16"] }],
      }),
      { id: `sg-${hex(17)}`, pd: { vpcId: [vpc] } },
    );
    const appSg = this.add("aws:ec2/securityGroup:SecurityGroup", "app-sg", this.tagged("Internal", { vpcId, description: "app" }), {
      id: `sg-${hex(17)}`,
      pd: { vpcId: [vpc] },
    });
    this.add(
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "app-from-alb",
      this.tagged("Internal", {
        securityGroupId: appSg.id,
        referencedSecurityGroupId: albSg.id,
        ipProtocol: "tcp",
        fromPort: 8080,
        toPort: 8080,
      }),
      { pd: { securityGroupId: [appSg], referencedSecurityGroupId: [albSg] } },
    );
    this.add(
      "aws:ec2/securityGroupRule:SecurityGroupRule",
      "db-from-app",
      {
        type: "ingress",
        securityGroupId: appSg.id,
        protocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
        cidrBlocks: ["10.20.1.0/24"],
      },
      { pd: { securityGroupId: [appSg] } },
    );
    return vpc;
  }

  compute(): void {
    const lt = this.add(
      "aws:ec2/launchTemplate:LaunchTemplate",
      "app-lt",
      this.tagged("PHI", {
        imageId: "ami-0123456789abcdef0",
        instanceType: "t3.small",
        metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [
          { deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: this.arn(this.dataKey), volumeSize: 30, volumeType: "gp3" } },
        ],
        networkInterfaces: [{ associatePublicIpAddress: "false", deviceIndex: 0 }],
        monitoring: { enabled: true },
        iamInstanceProfile: { arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${this.prefix}-${this.env}-app` },
      }),
      { outputs: { arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:launch-template/lt-${hex(17)}` } },
    );
    this.add(
      "aws:autoscaling/group:Group",
      "app-asg",
      {
        minSize: 1,
        maxSize: 2,
        launchTemplate: { id: lt.id, version: "$Latest" },
        healthCheckType: "ELB",
        healthCheckGracePeriod: 300,
        targetGroupArns: [`arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/app/${hex(16)}`],
        tags: [{ key: "DataClassification", value: "PHI", propagateAtLaunch: true }],
      },
      { pd: { launchTemplate: [lt] } },
    );
    this.add(
      "aws:ebs/volume:Volume",
      "scratch-volume",
      this.tagged("PHI", {
        availabilityZone: `${REGION}a`,
        size: 20,
        encrypted: true,
        kmsKeyId: this.arn(this.dataKey),
      }),
      { pd: { kmsKeyId: [this.dataKey] }, ...this.stateful() },
    );
  }

  functionWithLogs(name: string, classification = "PHI", role?: string): StateResource {
    const fnName = `${this.prefix}-${this.env}-${name}`;
    const group = this.logGroup(`${name}-logs`, `/aws/lambda/${fnName}`);
    const dlq = this.add(
      "aws:sqs/queue:Queue",
      `${name}-dlq`,
      this.tagged("PHI", {
        name: `${fnName}-dlq`,
        kmsMasterKeyId: this.arn(this.dataKey),
        messageRetentionSeconds: 1209600,
      }),
      { outputs: { arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${fnName}-dlq` }, pd: { kmsMasterKeyId: [this.dataKey] } },
    );
    const fn = this.add(
      "aws:lambda/function:Function",
      name,
      this.tagged(classification, {
        name: fnName,
        runtime: "nodejs22.x",
        handler: "index.handler",
        role: `arn:aws:iam::${ACCOUNT}:role/${role ?? fnName}`,
        vpcConfig: { subnetIds: [`subnet-${hex(17)}`, `subnet-${hex(17)}`], securityGroupIds: [`sg-${hex(17)}`] },
        reservedConcurrentExecutions: 5,
        deadLetterConfig: { targetArn: this.arn(dlq) },
        loggingConfig: { logFormat: "JSON", logGroup: group.inputs.name },
        kmsKeyArn: this.arn(this.dataKey),
        tracingConfig: { mode: "Active" },
      }),
      {
        id: fnName,
        outputs: { arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fnName}` },
        pd: { loggingConfig: [group], deadLetterConfig: [dlq], kmsKeyArn: [this.dataKey] },
      },
    );
    this.add(
      "aws:lambda/permission:Permission",
      `${name}-invoke-from-s3`,
      {
        action: "lambda:InvokeFunction",
        function: fnName,
        principal: "s3.amazonaws.com",
        sourceArn: this.arn(this.phiData.bucket),
        sourceAccount: ACCOUNT,
      },
      { pd: { function: [fn], sourceArn: [this.phiData.bucket] } },
    );
    return fn;
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
