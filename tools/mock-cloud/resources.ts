/**
 * What the AWS provider computes for each resource type (ids, ARNs and the other outputs a real
 * deploy reports), deterministic per URN. Types not listed get a generic id and ARN (see MockCloud).
 */
import { asString } from "../../policy-pack/policies/lib/util";
import { autoName, hexId, uuid } from "./ids";
import { ACCOUNT_ID, PARTITION, S3_HOSTED_ZONES } from "./regions";

export interface TypeContext {
  readonly seed: string;
  readonly name: string;
  /** Region of the resource's provider (`aws:region` of an explicit provider, else the default). */
  readonly region: string;
  readonly inputs: Record<string, unknown>;
  readonly arn: (service: string, resource: string, opts?: { region?: boolean; account?: boolean }) => string;
}

export type Computed = (ctx: TypeContext) => { id: string; state: Record<string, unknown> };

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Resources named by a `name` input, falling back to autonaming. */
function named(service: string, resourcePrefix: string, extra?: (n: string, ctx: TypeContext) => Record<string, unknown>): Computed {
  return (ctx) => {
    const n = str(ctx.inputs.name) ?? autoName(ctx.name, ctx.seed);
    const arn = ctx.arn(service, `${resourcePrefix}${n}`);
    return { id: n, state: { name: n, arn, ...(extra ? extra(n, ctx) : {}) } };
  };
}

/** EC2-style resources: `<prefix>-<17 hex>` ids and `arn:aws:ec2:...:<kind>/<id>`. */
function ec2(prefix: string, kind?: string, extra?: (id: string, ctx: TypeContext) => Record<string, unknown>): Computed {
  return (ctx) => {
    const id = `${prefix}-${hexId(ctx.seed, 17)}`;
    const state: Record<string, unknown> = { ownerId: ACCOUNT_ID, ...(extra ? extra(id, ctx) : {}) };
    if (kind) state.arn = ctx.arn("ec2", `${kind}/${id}`);
    return { id, state };
  };
}

const companionOfBucket: Computed = (ctx) => ({ id: str(ctx.inputs.bucket) ?? autoName(ctx.name, ctx.seed), state: {} });

/** Outputs the AWS provider computes, per resource type. Types not listed get a generic id and ARN. */
export const RESOURCE_TYPES: Record<string, Computed> = {
  "pulumi:providers:aws": (ctx) => ({ id: uuid(ctx.seed), state: {} }),
  "aws:kms/key:Key": (ctx) => {
    const keyId = uuid(ctx.seed);
    return { id: keyId, state: { keyId, arn: ctx.arn("kms", `key/${keyId}`) } };
  },
  "aws:kms/alias:Alias": (ctx) => {
    const n = str(ctx.inputs.name) ?? `alias/${autoName(ctx.name, ctx.seed)}`;
    return { id: n, state: { name: n, arn: ctx.arn("kms", n), targetKeyArn: ctx.arn("kms", `key/${String(ctx.inputs.targetKeyId)}`) } };
  },
  "aws:kms/keyPolicy:KeyPolicy": (ctx) => ({ id: String(ctx.inputs.keyId), state: {} }),
  "aws:s3/bucket:Bucket": (ctx) => {
    const b = str(ctx.inputs.bucket) ?? autoName(ctx.name, ctx.seed).toLowerCase();
    return {
      id: b,
      state: {
        bucket: b,
        arn: `arn:${PARTITION}:s3:::${b}`,
        bucketDomainName: `${b}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${b}.s3.${ctx.region}.amazonaws.com`,
        region: ctx.region,
        ...(S3_HOSTED_ZONES[ctx.region] ? { hostedZoneId: S3_HOSTED_ZONES[ctx.region] } : {}),
      },
    };
  },
  "aws:s3/bucketVersioning:BucketVersioning": companionOfBucket,
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": companionOfBucket,
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": companionOfBucket,
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": companionOfBucket,
  "aws:s3/bucketPolicy:BucketPolicy": companionOfBucket,
  "aws:s3/bucketLogging:BucketLogging": companionOfBucket,
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": companionOfBucket,
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": companionOfBucket,
  "aws:s3/bucketNotification:BucketNotification": companionOfBucket,
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": companionOfBucket,
  "aws:iam/role:Role": named("iam", "role/", (n, ctx) => ({ uniqueId: `AROA${hexId(ctx.seed, 17).toUpperCase()}`, id: n })),
  "aws:iam/policy:Policy": named("iam", "policy/", (_n, ctx) => ({ policyId: `ANPA${hexId(ctx.seed, 17).toUpperCase()}` })),
  "aws:iam/rolePolicy:RolePolicy": (ctx) => ({
    id: `${String(ctx.inputs.role)}:${str(ctx.inputs.name) ?? autoName(ctx.name, ctx.seed)}`,
    state: {},
  }),
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (ctx) => ({ id: `${String(ctx.inputs.role)}-${hexId(ctx.seed, 20)}`, state: {} }),
  "aws:ec2/vpc:Vpc": ec2("vpc", "vpc", (_id, ctx) => ({
    defaultSecurityGroupId: `sg-${hexId(`${ctx.seed}/sg`, 17)}`,
    defaultNetworkAclId: `acl-${hexId(`${ctx.seed}/acl`, 17)}`,
    defaultRouteTableId: `rtb-${hexId(`${ctx.seed}/rtb`, 17)}`,
    mainRouteTableId: `rtb-${hexId(`${ctx.seed}/rtb`, 17)}`,
    dhcpOptionsId: `dopt-${hexId(`${ctx.seed}/dopt`, 17)}`,
  })),
  "aws:ec2/subnet:Subnet": ec2("subnet", "subnet"),
  "aws:ec2/internetGateway:InternetGateway": ec2("igw", "internet-gateway"),
  "aws:ec2/eip:Eip": ec2("eipalloc", "elastic-ip", (id, ctx) => {
    const n = parseInt(hexId(ctx.seed, 2), 16) % 254;
    return { allocationId: id, publicIp: `203.0.113.${n + 1}`, domain: "vpc" };
  }),
  "aws:ec2/natGateway:NatGateway": ec2("nat", "natgateway"),
  "aws:ec2/routeTable:RouteTable": ec2("rtb", "route-table"),
  "aws:ec2/route:Route": ec2("r-rtb"),
  "aws:ec2/routeTableAssociation:RouteTableAssociation": ec2("rtbassoc"),
  "aws:ec2/vpcEndpoint:VpcEndpoint": ec2("vpce", "vpc-endpoint", (id, ctx) => ({
    dnsEntries: [{ dnsName: `${id}.${ctx.region}.vpce.amazonaws.com`, hostedZoneId: "Z7HUB22UULQXV" }],
    prefixListId: `pl-${hexId(id, 8)}`,
  })),
  "aws:ec2/securityGroup:SecurityGroup": (ctx) => {
    const id = `sg-${hexId(ctx.seed, 17)}`;
    return {
      id,
      state: {
        arn: ctx.arn("ec2", `security-group/${id}`),
        name: str(ctx.inputs.name) ?? autoName(ctx.name, ctx.seed),
        ownerId: ACCOUNT_ID,
      },
    };
  },
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ec2("sg", "security-group"),
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ec2("sgr", "security-group-rule"),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ec2("sgr", "security-group-rule"),
  "aws:ec2/securityGroupRule:SecurityGroupRule": ec2("sgrule"),
  "aws:ec2/networkAcl:NetworkAcl": ec2("acl", "network-acl"),
  "aws:ec2/networkAclRule:NetworkAclRule": ec2("nacl"),
  "aws:ec2/networkAclAssociation:NetworkAclAssociation": ec2("aclassoc"),
  "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": ec2("acl", "network-acl"),
  "aws:ec2/flowLog:FlowLog": ec2("fl", "vpc-flow-log"),
  // A new launch template's first version is 1 (its default and latest).
  "aws:ec2/launchTemplate:LaunchTemplate": ec2("lt", "launch-template", () => ({ latestVersion: 1, defaultVersion: 1 })),
  "aws:cloudwatch/logGroup:LogGroup": (ctx) => {
    const n = str(ctx.inputs.name) ?? autoName(ctx.name, ctx.seed);
    return { id: n, state: { name: n, arn: ctx.arn("logs", `log-group:${n}`) } };
  },
  "aws:cloudwatch/logMetricFilter:LogMetricFilter": named("logs", "metric-filter:"),
  "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": named("logs", "subscription-filter:"),
  "aws:cloudwatch/metricAlarm:MetricAlarm": named("cloudwatch", "alarm:"),
  "aws:cloudwatch/eventRule:EventRule": named("events", "rule/"),
  "aws:cloudwatch/eventTarget:EventTarget": (ctx) => ({
    id: `${String(ctx.inputs.rule)}-${str(ctx.inputs.targetId) ?? hexId(ctx.seed, 8)}`,
    state: {},
  }),
  "aws:cloudtrail/trail:Trail": named("cloudtrail", "trail/", (_n, ctx) => ({ homeRegion: ctx.region })),
  "aws:sns/topic:Topic": (ctx) => {
    const n = str(ctx.inputs.name) ?? autoName(ctx.name, ctx.seed);
    const arn = ctx.arn("sns", n);
    return { id: arn, state: { name: n, arn, owner: ACCOUNT_ID } };
  },
  "aws:sns/topicPolicy:TopicPolicy": (ctx) => ({ id: String(ctx.inputs.arn), state: { owner: ACCOUNT_ID } }),
  "aws:sns/topicSubscription:TopicSubscription": (ctx) => {
    const arn = `${String(ctx.inputs.topic)}:${uuid(ctx.seed)}`;
    return { id: arn, state: { arn, ownerId: ACCOUNT_ID, pendingConfirmation: ctx.inputs.protocol === "email" } };
  },
  "aws:sqs/queue:Queue": (ctx) => {
    const n = str(ctx.inputs.name) ?? autoName(ctx.name, ctx.seed);
    const url = `https://sqs.${ctx.region}.amazonaws.com/${ACCOUNT_ID}/${n}`;
    return { id: url, state: { name: n, url, arn: ctx.arn("sqs", n) } };
  },
  "aws:sqs/queuePolicy:QueuePolicy": (ctx) => ({ id: String(ctx.inputs.queueUrl), state: {} }),
  "aws:lambda/function:Function": (ctx) => {
    const n = str(ctx.inputs.name) ?? autoName(ctx.name, ctx.seed);
    const arn = ctx.arn("lambda", `function:${n}`);
    return {
      id: n,
      state: {
        name: n,
        arn,
        qualifiedArn: `${arn}:$LATEST`,
        invokeArn: `arn:${PARTITION}:apigateway:${ctx.region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
        version: "$LATEST",
        sourceCodeHash: hexId(`${ctx.seed}/code`, 44),
      },
    };
  },
  "aws:lambda/permission:Permission": (ctx) => ({ id: str(ctx.inputs.statementId) ?? autoName(ctx.name, ctx.seed), state: {} }),
  "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": (ctx) => ({ id: String(ctx.inputs.functionName), state: {} }),
  "aws:dynamodb/table:Table": named("dynamodb", "table/", (n, ctx) => ({
    streamArn: ctx.arn("dynamodb", `table/${n}/stream/2026-01-01T00:00:00.000`),
  })),
  "aws:ssm/parameter:Parameter": (ctx) => {
    const n = str(ctx.inputs.name) ?? autoName(ctx.name, ctx.seed);
    return { id: n, state: { name: n, arn: ctx.arn("ssm", `parameter/${n.replace(/^\//, "")}`), version: 1 } };
  },
  "aws:cfg/recorder:Recorder": named("config", "config-recorder/"),
  "aws:cfg/deliveryChannel:DeliveryChannel": named("config", "delivery-channel/"),
  "aws:cfg/recorderStatus:RecorderStatus": (ctx) => ({ id: String(ctx.inputs.name), state: {} }),
  "aws:cfg/conformancePack:ConformancePack": named("config", "conformance-pack/"),
  // RDS: `arn:aws:rds:<region>:<account>:db:<identifier>`, the identifier is the id; with
  // `manageMasterUserPassword`, RDS creates the master secret (`rds!db-<uuid>`) and reports it.
  "aws:rds/instance:Instance": (ctx) => {
    const identifier = str(ctx.inputs.identifier) ?? autoName(ctx.name, ctx.seed).toLowerCase();
    const address = `${identifier}.${hexId(ctx.seed, 12)}.${ctx.region}.rds.amazonaws.com`;
    const secret =
      ctx.inputs.manageMasterUserPassword === true
        ? [
            {
              secretArn: ctx.arn("secretsmanager", `secret:rds!db-${uuid(ctx.seed)}-${hexId(`${ctx.seed}/s`, 6)}`),
              secretStatus: "active",
              kmsKeyId: str(ctx.inputs.masterUserSecretKmsKeyId) ?? "",
            },
          ]
        : [];
    return {
      id: identifier,
      state: {
        identifier,
        arn: ctx.arn("rds", `db:${identifier}`),
        address,
        endpoint: `${address}:${asString(ctx.inputs.port ?? 5432)}`,
        resourceId: `db-${hexId(ctx.seed, 26).toUpperCase()}`,
        masterUserSecrets: secret,
      },
    };
  },
  // Load balancers and target groups: `.../loadbalancer/app/<name>/<16 hex>`, `.../targetgroup/<name>/<16 hex>`.
  "aws:lb/loadBalancer:LoadBalancer": (ctx) => {
    const n = str(ctx.inputs.name) ?? autoName(ctx.name, ctx.seed).slice(0, 32);
    const suffix = `app/${n}/${hexId(ctx.seed, 16)}`;
    const arn = ctx.arn("elasticloadbalancing", `loadbalancer/${suffix}`);
    return {
      id: arn,
      state: {
        name: n,
        arn,
        arnSuffix: suffix,
        dnsName: `${n}-${hexId(ctx.seed, 10)}.${ctx.region}.elb.amazonaws.com`,
        zoneId: "Z35SXDOTRQ7X7K",
      },
    };
  },
  "aws:lb/targetGroup:TargetGroup": (ctx) => {
    const n = str(ctx.inputs.name) ?? autoName(ctx.name, ctx.seed).slice(0, 32);
    const suffix = `targetgroup/${n}/${hexId(ctx.seed, 16)}`;
    const arn = ctx.arn("elasticloadbalancing", suffix);
    return { id: arn, state: { name: n, arn, arnSuffix: suffix } };
  },
  // Firehose: `arn:aws:firehose:<region>:<account>:deliverystream/<name>`.
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": named("firehose", "deliverystream/"),
  // OpenSearch: named by `domainName`; a VPC domain's endpoint is `vpc-<name>-<hash>.<region>.es.amazonaws.com`.
  "aws:opensearch/domain:Domain": (ctx) => {
    const n = str(ctx.inputs.domainName) ?? autoName(ctx.name, ctx.seed).toLowerCase().slice(0, 28);
    const host = `${ctx.inputs.vpcOptions === undefined ? "search" : "vpc"}-${n}-${hexId(ctx.seed, 26)}.${ctx.region}.es.amazonaws.com`;
    return {
      id: ctx.arn("es", `domain/${n}`),
      state: { domainName: n, arn: ctx.arn("es", `domain/${n}`), endpoint: host, domainId: `${ACCOUNT_ID}/${n}` },
    };
  },
  // AWS Backup vault ARNs are `arn:aws:backup:<region>:<account>:backup-vault:<name>`, the vault name is its id.
  "aws:backup/vault:Vault": named("backup", "backup-vault:"),
  "aws:guardduty/detector:Detector": (ctx) => {
    const id = hexId(ctx.seed, 32);
    return { id, state: { arn: ctx.arn("guardduty", `detector/${id}`), accountId: ACCOUNT_ID } };
  },
};

/** Service part of a generic ARN, from the type token's module: `aws:sfn/stateMachine:...` -> `sfn`. */
export function serviceOf(type: string): string {
  const mod = type.split(":")[1]?.split("/")[0] ?? "unknown";
  const map: Record<string, string> = {
    cloudwatch: "logs",
    cfg: "config",
    lb: "elasticloadbalancing",
    alb: "elasticloadbalancing",
    opensearch: "es",
    kinesis: "firehose",
  };
  return map[mod] ?? mod;
}
