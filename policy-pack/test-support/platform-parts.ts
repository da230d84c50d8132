// The building blocks of the test platform (platform.ts): keys, log groups, bucket sets with their
// companions, the trail, the network and the compute layer, as the components wire them. Platform
// extends this class and assembles one compliant instance of every resource kind.

import { StateResource } from "../checker/deployment";
import { ACCOUNT, Builder, hex, kmsArn, REGION } from "./builder";

export type Env = "dev" | "prod";

export const T = {
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

export abstract class PlatformParts extends Builder {
  readonly env: Env;
  readonly prod: boolean;
  abstract readonly dataKey: StateResource;
  abstract readonly logKey: StateResource;
  abstract readonly auditLogs: BucketSet;
  abstract readonly phiData: BucketSet;
  abstract readonly trailLogGroup: StateResource;

  constructor(
    env: Env,
    protected readonly prefix: string,
  ) {
    super(env);
    this.env = env;
    this.prod = env === "prod";
  }

  /** Tags beyond the provider defaults (Project, Environment, Compliance). */
  tagged(classification: string, inputs: Record<string, unknown>, extra: Record<string, string> = {}): Record<string, unknown> {
    return { ...inputs, tags: { DataClassification: classification, ...extra } };
  }

  arn(r: StateResource): string {
    return String(r.outputs.arn);
  }

  protected stateful(): { protect: boolean } {
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
}
