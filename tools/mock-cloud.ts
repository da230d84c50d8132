/**
 * The mock cloud: a realistic stand-in for the Pulumi engine and the AWS provider, shared by the
 * offline plan (`npm run plan`) and every component test (through test/mocks.ts).
 *
 * - Resources get well-formed, deterministic ids and ARNs for their type (a VPC id is `vpc-` and 17
 *   hex digits, a role ARN is `arn:aws:iam::<account>:role/<name>`, ...), derived from the URN so
 *   two runs of the same program produce the same plan.
 * - Invokes return what the provider would: caller identity, region, partition, the region's real
 *   availability zones and AZ IDs ({@link REGION_ZONES}), VPC endpoint services with the zones they
 *   are offered in ({@link ENDPOINT_SERVICE_ZONE_GAPS}), and `aws.iam.getPolicyDocument` rendered to
 *   real IAM JSON. An invoke, region or endpoint service it does not know is an error, never a
 *   silent `{}` or a guess.
 * - Every registration is recorded with what the engine would store: parent, provider,
 *   dependencies, property dependencies, protect and retainOnDelete, taken from the SDK's own
 *   RegisterResourceRequest.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { asString } from "../policy-pack/policies/lib/util";
import type { ConfigProblem } from "../components/config";

export const ACCOUNT_ID = "123456789012";
export const REGION = "us-east-1";
export const PARTITION = "aws";
/** One availability zone as `DescribeAvailabilityZones` reports it to an account. */
export interface MockZone {
  /** The account's name for the zone, e.g. `us-east-1c` (mapped per account in the older regions). */
  readonly name: string;
  /** The zone's AZ ID, the same physical zone in every account, e.g. `use1-az3`. */
  readonly zoneId: string;
}

/**
 * The availability zones (the region's own AZs: no Local or Wavelength Zones) of every region the
 * mock knows, with AWS's real AZ IDs. A region not listed is an error, never a guess.
 *
 * AZ IDs per region: AWS Regions and Availability Zones, "AWS Availability Zones" (the AZ ID table)
 * https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html and
 * "AZ IDs" https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html; us-west-1
 * offers new accounts two zones, usw1-az1 and usw1-az3 (as also listed by the EFS One Zone table,
 * https://docs.aws.amazon.com/efs/latest/ug/OneZoneAZs.html).
 *
 * Zone NAME to AZ ID: in the older regions (us-east-1, us-west-1, us-west-2, eu-west-1, ...) AWS maps
 * names to zones independently per account, so `us-east-1c` is a different zone in another account.
 * The mock picks ONE FIXED mapping for every region: the i-th name (`a`, `b`, ... or the names
 * given) is the i-th AZ ID of the list. It is one possible account, not AWS's mapping: code must
 * never assume a name means a zone id, and must ask AWS (as the network component does) which
 * zones a service is offered in.
 */
export const REGION_ZONES: Readonly<Record<string, readonly MockZone[]>> = Object.freeze({
  "us-east-1": zones("us-east-1", ["a", "b", "c", "d", "e", "f"], ["use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6"]),
  "us-east-2": zones("us-east-2", ["a", "b", "c"], ["use2-az1", "use2-az2", "use2-az3"]),
  "us-west-1": zones("us-west-1", ["a", "c"], ["usw1-az1", "usw1-az3"]),
  "us-west-2": zones("us-west-2", ["a", "b", "c", "d"], ["usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4"]),
  "eu-west-1": zones("eu-west-1", ["a", "b", "c"], ["euw1-az1", "euw1-az2", "euw1-az3"]),
  "eu-central-1": zones("eu-central-1", ["a", "b", "c"], ["euc1-az1", "euc1-az2", "euc1-az3"]),
});

function zones(region: string, letters: readonly string[], zoneIds: readonly string[]): readonly MockZone[] {
  return Object.freeze(letters.map((l, i) => Object.freeze({ name: `${region}${l}`, zoneId: zoneIds[i] })));
}

/** The zones of a region the mock knows; an error naming the region (and the known ones) otherwise. */
export function regionZones(region: string): readonly MockZone[] {
  const found = REGION_ZONES[region];
  if (!found) {
    throw new Error(
      `mock-cloud: region ${JSON.stringify(region)} is not one the mock knows (${Object.keys(REGION_ZONES).join(", ")}); ` +
        "add its availability zones and AZ IDs, from AWS's AZ ID table, to REGION_ZONES in tools/mock-cloud.ts",
    );
  }
  return found;
}

/**
 * Config the offline plan cannot serve, as config problems named before the program runs (inside
 * the program they would surface from an apply, after the run has stalled): a region whose zones
 * the mock does not know, or more availability zones than the region has. A real `pulumi preview`
 * reads the zones from AWS instead, and fails on the second with the network tier's own message.
 */
export function offlinePlanProblems(
  awsRegion: string | undefined,
  availabilityZoneCount: number | undefined,
  project: string,
): ConfigProblem[] {
  if (awsRegion === undefined) return [];
  const zonesOf = REGION_ZONES[awsRegion];
  if (zonesOf === undefined) {
    return [
      {
        key: "aws:region",
        value: awsRegion,
        message:
          `the offline plan does not know this region's availability zones (it knows ${Object.keys(REGION_ZONES).join(", ")}). ` +
          "`pulumi preview` against an AWS account reads them from AWS; to plan offline, add the region's zone names and AZ IDs " +
          "(https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html) to REGION_ZONES in tools/mock-cloud.ts",
      },
    ];
  }
  if (availabilityZoneCount !== undefined && availabilityZoneCount > zonesOf.length) {
    return [
      {
        key: `${project}:availabilityZoneCount`,
        value: String(availabilityZoneCount),
        message:
          `region ${awsRegion} has ${zonesOf.length} availability zones (${zonesOf.map((z) => z.name).join(", ")}): ` +
          `set availabilityZoneCount to at most ${zonesOf.length}, or deploy to a region with more zones`,
      },
    ];
  }
  return [];
}

/** The zone names of a region the mock knows, in order (see {@link REGION_ZONES}). */
export function availabilityZones(region: string): string[] {
  return regionZones(region).map((z) => z.name);
}

/** The zone names of the default region (us-east-1: six zones). */
export const AVAILABILITY_ZONES = availabilityZones(REGION);

/**
 * Interface endpoint services (`com.amazonaws.<region>.<name>`) the mock offers in every region it
 * knows: the AWS services the platform uses or may use. Anything else is an error, as AWS's
 * DescribeVpcEndpointServices finds no such service.
 */
export const MOCK_INTERFACE_ENDPOINT_SERVICES: readonly string[] = Object.freeze([
  "athena",
  "autoscaling",
  "dynamodb",
  "ec2",
  "ec2messages",
  "ecr.api",
  "ecr.dkr",
  "ecs",
  "ecs-agent",
  "ecs-telemetry",
  "elasticfilesystem",
  "elasticloadbalancing",
  "email-smtp",
  "events",
  "execute-api",
  "glue",
  "kinesis-firehose",
  "kinesis-streams",
  "kms",
  "lambda",
  "logs",
  "macie2",
  "monitoring",
  "rds",
  "rds-data",
  "s3",
  "secretsmanager",
  "sns",
  "sqs",
  "ssm",
  "ssmmessages",
  "states",
  "sts",
  "sync-states",
  "transfer",
  "transfer.server",
  "xray",
]);

/** Gateway endpoint services (route-table based, every zone). */
export const MOCK_GATEWAY_ENDPOINT_SERVICES: readonly string[] = Object.freeze(["s3", "dynamodb"]);

/**
 * Interface endpoint services the mock does NOT offer in some zones, by AZ ID. AWS: "an endpoint
 * service might not be available in all Availability Zones" (AWS PrivateLink guide); CreateVpcEndpoint
 * then fails with "The VPC endpoint service com.amazonaws.<region>.<name> does not support the
 * availability zone of the subnet". AWS publishes no table of these gaps (they change, and
 * describe-vpc-endpoint-services is the source of truth); use1-az3 is the us-east-1 zone known to
 * lack many services. The mock's choice, documented so tests rely on it knowingly:
 * - `lambda`: reported missing from a us-east-1 zone (awslabs/aws-orbit-workbench#320,
 *   terraform-aws-modules/terraform-aws-vpc#634); a default service of the network, so the prod plan
 *   (us-east-1a..c = use1-az1..3 in the mock's mapping) exercises the placement.
 * - `email-smtp`: reported unsupported in us-east-1 zones (terraform-aws-modules/terraform-aws-vpc#462, #785).
 * - `transfer.server`: reported unsupported in a us-east-1 zone (CMSgov/beneficiary-fhir-data#1727).
 */
export const ENDPOINT_SERVICE_ZONE_GAPS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = Object.freeze({
  "us-east-1": { lambda: ["use1-az3"], "email-smtp": ["use1-az3"], "transfer.server": ["use1-az3"] },
});

/**
 * What `aws.ec2.getVpcEndpointService` returns for an AWS service in `region` (see
 * {@link ENDPOINT_SERVICE_ZONE_GAPS} for the zones left out); an error for an unknown region,
 * service or type.
 */
export function vpcEndpointService(
  region: string,
  service: string,
  serviceType: "Interface" | "Gateway",
  zoneGaps: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = ENDPOINT_SERVICE_ZONE_GAPS,
): Record<string, unknown> {
  const regionalZones = regionZones(region);
  const serviceName = `com.amazonaws.${region}.${service}`;
  const catalogue = serviceType === "Gateway" ? MOCK_GATEWAY_ENDPOINT_SERVICES : MOCK_INTERFACE_ENDPOINT_SERVICES;
  if (!catalogue.includes(service)) {
    throw new Error(
      `mock-cloud: no matching VPC Endpoint Service found: ${serviceName} (type ${serviceType}) does not exist in ${region}; ` +
        `${serviceType} services the mock offers: ${catalogue.join(", ")}`,
    );
  }
  const gaps = serviceType === "Interface" ? (zoneGaps[region]?.[service] ?? []) : [];
  const offered = regionalZones.filter((z) => !gaps.includes(z.zoneId));
  const serviceId = `vpce-svc-${hexId(serviceName + serviceType, 17)}`;
  const privateDns = serviceType === "Interface" ? `${service}.${region}.amazonaws.com` : "";
  return {
    id: serviceId,
    service,
    serviceName,
    serviceId,
    serviceType,
    serviceRegion: region,
    region,
    arn: `arn:${PARTITION}:ec2:${region}:${ACCOUNT_ID}:vpc-endpoint-service/${serviceId}`,
    availabilityZones: offered.map((z) => z.name),
    baseEndpointDnsNames: [`${service}.${region}.vpce.amazonaws.com`],
    owner: "amazon",
    acceptanceRequired: false,
    managesVpcEndpoints: false,
    vpcEndpointPolicySupported: true,
    privateDnsName: privateDns,
    privateDnsNames: privateDns ? [privateDns] : [],
    supportedIpAddressTypes: ["ipv4"],
    tags: {},
  };
}

/**
 * The prefix of a region's zone ids, as AWS forms it: country, direction initials, number
 * (`us-east-1` -> `use1`, `ap-southeast-2` -> `apse2`, `us-gov-west-1` -> `usgw1`).
 */
export function zoneIdPrefix(region: string): string {
  const parts = region.split("-");
  const direction: Record<string, string> = {
    east: "e",
    west: "w",
    north: "n",
    south: "s",
    central: "c",
    northeast: "ne",
    northwest: "nw",
    southeast: "se",
    southwest: "sw",
  };
  const gov = parts[1] === "gov";
  const [country, dir, n] = gov ? [parts[0], parts[2], parts[3]] : [parts[0], parts[1], parts[2]];
  return `${country}${gov ? "g" : ""}${direction[dir] ?? dir}${n}`;
}

/** Route 53 zone of S3 website/alias records per region (S3's `hostedZoneId` output). */
const S3_HOSTED_ZONES: Record<string, string> = {
  "us-east-1": "Z3AQBSTGFYJSTF",
  "us-east-2": "Z2O1EMRO9K5GLX",
  "us-west-2": "Z3BJ6K6RIION7M",
  "eu-central-1": "Z21DNDUVLTQW6Q",
  "eu-west-1": "Z1BKCTXD74EZPE",
};

/** Human names of the regions the mock knows (getRegion's description). */
const REGION_DESCRIPTIONS: Record<string, string> = {
  "us-east-1": "US East (N. Virginia)",
  "us-east-2": "US East (Ohio)",
  "us-west-1": "US West (N. California)",
  "us-west-2": "US West (Oregon)",
  "eu-central-1": "Europe (Frankfurt)",
  "eu-west-1": "Europe (Ireland)",
};
/** The engine's sentinel for a value unknown during preview. */
export const UNKNOWN = pulumi.runtime.unknownValue;

/** One registered resource, shaped like an entry of `pulumi stack export`. */
export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  id?: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  parent?: string;
  provider?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
  retainOnDelete: boolean;
}

/** A stable hex string for a seed. */
export function hexId(seed: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) out += createHash("sha256").update(`${seed}#${i}`).digest("hex");
  return out.slice(0, length);
}

function uuid(seed: string): string {
  const h = hexId(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The logical-name-plus-suffix physical name Pulumi's autonaming would give. */
function autoName(name: string, seed: string): string {
  return `${name}-${hexId(seed, 7)}`;
}

interface TypeContext {
  readonly seed: string;
  readonly name: string;
  /** Region of the resource's provider (`aws:region` of an explicit provider, else the default). */
  readonly region: string;
  readonly inputs: Record<string, unknown>;
  readonly arn: (service: string, resource: string, opts?: { region?: boolean; account?: boolean }) => string;
}

type Computed = (ctx: TypeContext) => { id: string; state: Record<string, unknown> };

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

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
const RESOURCE_TYPES: Record<string, Computed> = {
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
function serviceOf(type: string): string {
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

// ---------------------------------------------------------------------------------------------
// aws.iam.getPolicyDocument, rendered the way the provider renders it.

interface PolicyStatementInput {
  sid?: string;
  effect?: string;
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  notPrincipals?: { type: string; identifiers: string[] }[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

const oneOrMany = (values: string[]): string | string[] => (values.length === 1 ? values[0] : values);

function renderPrincipals(list: { type: string; identifiers: string[] }[]): unknown {
  if (list.length === 1 && list[0].type === "*") return "*";
  const out: Record<string, string | string[]> = {};
  for (const p of list) {
    const existing = out[p.type];
    const merged = [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), ...p.identifiers];
    out[p.type] = oneOrMany(merged);
  }
  return out;
}

/** Renders getPolicyDocument inputs to the IAM JSON the provider returns. */
export function renderPolicyDocument(inputs: Record<string, unknown>): string {
  const statements = (inputs.statements as PolicyStatementInput[] | undefined) ?? [];
  const doc: Record<string, unknown> = { Version: inputs.version ?? "2012-10-17" };
  if (inputs.policyId) doc.Id = inputs.policyId;
  doc.Statement = statements.map((s) => {
    const out: Record<string, unknown> = {};
    if (s.sid) out.Sid = s.sid;
    out.Effect = s.effect ?? "Allow";
    if (s.actions?.length) out.Action = oneOrMany(s.actions);
    if (s.notActions?.length) out.NotAction = oneOrMany(s.notActions);
    if (s.resources?.length) out.Resource = oneOrMany(s.resources);
    if (s.notResources?.length) out.NotResource = oneOrMany(s.notResources);
    if (s.principals?.length) out.Principal = renderPrincipals(s.principals);
    if (s.notPrincipals?.length) out.NotPrincipal = renderPrincipals(s.notPrincipals);
    if (s.conditions?.length) {
      const cond: Record<string, Record<string, string | string[]>> = {};
      for (const c of s.conditions) {
        cond[c.test] ??= {};
        const existing = cond[c.test][c.variable];
        const merged = [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), ...c.values];
        cond[c.test][c.variable] = oneOrMany(merged);
      }
      out.Condition = cond;
    }
    return out;
  });
  if (inputs.sourcePolicyDocuments || inputs.overridePolicyDocuments) {
    throw new Error(
      "mock-cloud: getPolicyDocument sourcePolicyDocuments/overridePolicyDocuments are not rendered; build one document from statements",
    );
  }
  return JSON.stringify(doc, null, 2);
}

/** What an invoke may read of the mock cloud besides its inputs and region. */
interface InvokeContext {
  /** {@link ENDPOINT_SERVICE_ZONE_GAPS} with this cloud's test overrides. */
  readonly endpointServiceZoneGaps: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

const INVOKES: Record<string, (inputs: Record<string, unknown>, region: string, ctx: InvokeContext) => Record<string, unknown>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    accountId: ACCOUNT_ID,
    arn: `arn:${PARTITION}:iam::${ACCOUNT_ID}:user/offline-plan`,
    userId: "AIDAOFFLINEPLAN000000",
    id: ACCOUNT_ID,
  }),
  "aws:index/getRegion:getRegion": (_inputs, region) => ({
    id: region,
    name: region,
    region,
    endpoint: `ec2.${region}.amazonaws.com`,
    description: REGION_DESCRIPTIONS[region] ?? region,
  }),
  "aws:index/getPartition:getPartition": () => ({
    id: PARTITION,
    partition: PARTITION,
    dnsSuffix: "amazonaws.com",
    reverseDnsPrefix: "com.amazonaws",
  }),
  "aws:index/getAvailabilityZones:getAvailabilityZones": (inputs, region) => {
    if (inputs.state !== undefined && inputs.state !== "available") {
      throw new Error(`mock-cloud: getAvailabilityZones is mocked for state "available" only, got ${asString(inputs.state)}`);
    }
    // Every mocked zone is one of the region's own AZs: available, "opt-in-not-required".
    let found = [...regionZones(region)];
    for (const f of (inputs.filters as { name: string; values: string[] }[] | undefined) ?? []) {
      const field: Record<string, (z: MockZone) => string> = {
        "opt-in-status": () => "opt-in-not-required",
        "zone-name": (z) => z.name,
        "zone-id": (z) => z.zoneId,
        "zone-type": () => "availability-zone",
        "region-name": () => region,
        state: () => "available",
      };
      const of = field[f.name];
      if (!of)
        throw new Error(
          `mock-cloud: getAvailabilityZones filter ${JSON.stringify(f.name)} is not mocked (${Object.keys(field).join(", ")} are)`,
        );
      found = found.filter((z) => f.values.includes(of(z)));
    }
    const excludeNames = (inputs.excludeNames as string[] | undefined) ?? [];
    const excludeZoneIds = (inputs.excludeZoneIds as string[] | undefined) ?? [];
    found = found.filter((z) => !excludeNames.includes(z.name) && !excludeZoneIds.includes(z.zoneId));
    return {
      id: region,
      names: found.map((z) => z.name),
      zoneIds: found.map((z) => z.zoneId),
      groupNames: found.map(() => region),
      state: "available",
    };
  },
  "aws:ec2/getVpcEndpointService:getVpcEndpointService": (inputs, region, ctx) => {
    for (const unsupported of ["filters", "tags"]) {
      if (inputs[unsupported] !== undefined)
        throw new Error(`mock-cloud: getVpcEndpointService ${unsupported} are not mocked; look the service up by service or serviceName`);
    }
    const regions = inputs.serviceRegions as string[] | undefined;
    if (regions !== undefined && (regions.length !== 1 || regions[0] !== region)) {
      throw new Error(
        `mock-cloud: getVpcEndpointService is mocked for the provider's own region ${region} only, got serviceRegions ${JSON.stringify(regions)}`,
      );
    }
    const type = (inputs.serviceType as string | undefined) ?? "Interface";
    if (type !== "Interface" && type !== "Gateway")
      throw new Error(`mock-cloud: getVpcEndpointService serviceType must be Interface or Gateway, got ${type}`);
    const prefix = `com.amazonaws.${region}.`;
    const byName = inputs.serviceName as string | undefined;
    if (byName !== undefined && !byName.startsWith(prefix)) {
      throw new Error(`mock-cloud: no matching VPC Endpoint Service found: ${byName} is not an AWS service of ${region} (${prefix}<name>)`);
    }
    const service = (inputs.service as string | undefined) ?? byName?.slice(prefix.length);
    if (!service) throw new Error("mock-cloud: getVpcEndpointService needs service or serviceName");
    return vpcEndpointService(region, service, type, ctx.endpointServiceZoneGaps);
  },
  // Only the public Amazon Linux 2023 AMI parameters (components/application/compute.ts): a stable,
  // well-formed AMI id per region, name and version; any other parameter is an error, never a guess.
  "aws:ssm/getParameter:getParameter": (inputs, region) => {
    const name = asString(inputs.name);
    if (!/^\/aws\/service\/ami-amazon-linux-latest\/al2023-ami-kernel-default-(x86_64|arm64)$/.test(name))
      throw new Error(`mock-cloud: getParameter is mocked for the public Amazon Linux 2023 AMI parameters only, got ${name}`);
    const value = `ami-${hexId(`${region}:${name}`, 17)}`;
    return {
      id: name,
      name,
      arn: `arn:${PARTITION}:ssm:${region}::parameter${name}`,
      type: "String",
      value,
      insecureValue: value,
      version: 1,
      withDecryption: true,
    };
  },
  "aws:iam/getPolicyDocument:getPolicyDocument": (inputs) => {
    const json = renderPolicyDocument(inputs);
    return { id: hexId(json, 10), json, minifiedJson: JSON.stringify(JSON.parse(json)) };
  },
};

// ---------------------------------------------------------------------------------------------

/** Strips the SDK's secret wrappers, keeping the plain values (the plan records inputs as data). */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (pulumi.asset.AssetArchive.isInstance(value) || pulumi.asset.Asset.isInstance(value)) {
    // Filled in asynchronously by describeAssets(); a placeholder keeps the key's position.
    return { [ASSET_PLACEHOLDER]: value };
  }
  if (value && typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (v[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return plain(v.value);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = plain(x);
    return out;
  }
  return value;
}

const ASSET_PLACEHOLDER = "__pendingAsset";

function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * An asset or archive as the plan records it: its kind, content hash and size per entry, never
 * the content itself (a Lambda bundle is large and is tested on its own).
 */
async function describeAsset(value: unknown): Promise<unknown> {
  if (pulumi.asset.AssetArchive.isInstance(value)) {
    const assets = (await (value as unknown as { assets: Promise<Record<string, unknown>> }).assets) ?? {};
    const entries: Record<string, unknown> = {};
    for (const [name, a] of Object.entries(assets).sort(([x], [y]) => x.localeCompare(y))) entries[name] = await describeAsset(a);
    return { __pulumiArchive: "AssetArchive", hash: sha256(JSON.stringify(entries)), assets: entries };
  }
  if (pulumi.asset.StringAsset.isInstance(value)) {
    const text = (await (value as unknown as { text: Promise<string> }).text) ?? "";
    return { __pulumiAsset: "StringAsset", hash: sha256(text), size: Buffer.byteLength(text) };
  }
  if (pulumi.asset.FileAsset.isInstance(value)) {
    return { __pulumiAsset: "FileAsset", path: await (value as unknown as { path: Promise<string> }).path };
  }
  if (pulumi.asset.FileArchive.isInstance(value)) {
    return { __pulumiArchive: "FileArchive", path: await (value as unknown as { path: Promise<string> }).path };
  }
  return { __pulumiAsset: "unknown" };
}

/** Replaces asset placeholders left by plain() with their descriptions, in place. */
async function resolveAssets(value: unknown): Promise<void> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v && typeof v === "object" && ASSET_PLACEHOLDER in v)
        value[i] = await describeAsset((v as Record<string, unknown>)[ASSET_PLACEHOLDER]);
      else await resolveAssets(v);
    }
  } else if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (v && typeof v === "object" && ASSET_PLACEHOLDER in v)
        o[k] = await describeAsset((v as Record<string, unknown>)[ASSET_PLACEHOLDER]);
      else await resolveAssets(v);
    }
  }
}

interface ProtoPropertyDependencies {
  getUrnsList(): string[];
}
interface ProtoRegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (value: ProtoPropertyDependencies, key: string) => void): void };
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getObject(): unknown;
}
interface ProtoRegisterResponse {
  getUrn(): string;
  getId(): string;
  getObject(): unknown;
}
type Callback<T> = (err: Error | null, resp?: T) => void;
interface MonitorLike {
  registerResource(req: ProtoRegisterRequest, cb: Callback<ProtoRegisterResponse>): Promise<void> | void;
  registerResourceOutputs(req: { getUrn(): string; getOutputs(): unknown }, cb: Callback<unknown>): void;
}

export interface MockCloudOptions {
  readonly project: string;
  readonly stack: string;
  /** Run as `pulumi preview`: computed outputs of resources are unknown. */
  readonly preview?: boolean;
}

/**
 * Installs the mocks into the Pulumi runtime of this process and records what registers.
 * Only one mock cloud exists per process (the runtime has one monitor).
 */
export class MockCloud {
  readonly resources: RecordedResource[] = [];
  private readonly pendingAssets = new Set<Promise<void>>();
  private readonly byUrn = new Map<string, RecordedResource>();
  readonly options: MockCloudOptions;

  constructor(options: MockCloudOptions) {
    this.options = options;
    const mocks: pulumi.runtime.Mocks = {
      newResource: (args) => this.newResource(args),
      call: (args) => {
        const handler = INVOKES[args.token];
        try {
          if (!handler) {
            throw new Error(`mock-cloud: no mock for invoke ${args.token}; add a realistic result to INVOKES in tools/mock-cloud.ts`);
          }
          return handler(args.inputs as Record<string, unknown>, this.regionOf(args.provider), {
            endpointServiceZoneGaps: this.endpointServiceZoneGaps,
          });
        } catch (err) {
          // The SDK reports an invoke failure by the gRPC error's `details`, so carry the message there.
          throw Object.assign(err instanceof Error ? err : new Error(String(err)), { details: String((err as Error).message ?? err) });
        }
      },
    };
    // setMocks is async in its signature only: it does all its work before returning, and a constructor cannot await.
    void pulumi.runtime.setMocks(mocks, options.project, options.stack, options.preview ?? false);
    this.wrapMonitor();
    // A resource whose inputs fail (an apply that throws, an invoke that errs) never registers: the
    // SDK leaves the error as an unhandled rejection (`pulumi up` prints it and fails) and its
    // registration pending forever. Record it, so settle() fails with it instead of hanging.
    process.on("unhandledRejection", (reason) => {
      const err = reason instanceof Error ? reason : new Error(String(reason));
      if (!String(err.stack).includes("@pulumi")) return;
      this.failures.push(err);
      for (const notify of this.failureListeners.splice(0)) notify(err);
    });
  }

  /**
   * {@link ENDPOINT_SERVICE_ZONE_GAPS} plus what a test withheld with {@link withholdEndpointService}
   * (until reset()).
   */
  private endpointServiceZoneGaps: Record<string, Record<string, readonly string[]>> = structuredClone(ENDPOINT_SERVICE_ZONE_GAPS);

  /**
   * Makes `getVpcEndpointService` leave the interface endpoint service out of these zones (by AZ ID)
   * of `region` until reset(), e.g. to see what a network does with a service offered in none of its zones.
   */
  withholdEndpointService(region: string, service: string, zoneIds: readonly string[]): void {
    const known = regionZones(region).map((z) => z.zoneId);
    const unknown = zoneIds.filter((id) => !known.includes(id));
    if (unknown.length > 0) throw new Error(`mock-cloud: ${unknown.join(", ")} is not a zone of ${region} (${known.join(", ")})`);
    this.endpointServiceZoneGaps[region] = { ...this.endpointServiceZoneGaps[region], [service]: [...zoneIds] };
  }

  /** Program errors since the last reset() (resources that could not register), first first. */
  readonly failures: Error[] = [];
  private readonly failureListeners: ((err: Error) => void)[] = [];

  /**
   * Region of each explicit AWS provider by its URN, recorded when the provider registers (a
   * resource's provider reference is `<provider urn>::<id>`, and the provider has registered by the
   * time anything refers to it).
   */
  private readonly providerRegions = new Map<string, string>();

  /** The region a provider reference stands for; the default provider's region otherwise. */
  private regionOf(providerRef: string | undefined): string {
    if (providerRef === undefined) return REGION;
    return this.providerRegions.get(providerRef.slice(0, providerRef.lastIndexOf("::"))) ?? REGION;
  }

  private newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    const seed = `${this.options.stack}/${args.type}/${args.name}`;
    const region = this.regionOf(args.provider);
    const arn: TypeContext["arn"] = (service, resource, o = {}) =>
      `arn:${PARTITION}:${service}:${o.region === false || service === "iam" ? "" : region}:${o.account === false ? "" : ACCOUNT_ID}:${resource}`;
    const computed = RESOURCE_TYPES[args.type];
    if (!args.custom) return { id: undefined, state: inputs };
    if (computed) {
      const { id, state } = computed({ seed, name: args.name, region, inputs, arn });
      if (this.options.preview) return { id: undefined, state: inputs };
      return { id: args.id || id, state: { ...inputs, ...state } };
    }
    const kind = (args.type.split(":")[2] ?? "resource").replace(/^./, (c) => c.toLowerCase());
    const physical = str(inputs.name) ?? autoName(args.name, seed);
    if (this.options.preview) return { id: undefined, state: inputs };
    return { id: args.id || physical, state: { ...inputs, arn: arn(serviceOf(args.type), `${kind}/${physical}`), id: physical } };
  }

  private wrapMonitor(): void {
    const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) =>
      register(req, (err, resp) => {
        if (!err && resp) this.record(req, resp);
        cb(err, resp);
      });
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, cb) => {
      const rec = this.byUrn.get(req.getUrn());
      if (rec) {
        rec.outputs = plain(pulumi.runtime.deserializeProperties(req.getOutputs() as never)) as Record<string, unknown>;
      }
      registerOutputs(req, cb);
    };
  }

  private record(req: ProtoRegisterRequest, resp: ProtoRegisterResponse): void {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((value, key) => {
      const urns = value.getUrnsList();
      if (urns.length > 0) propertyDependencies[key] = [...urns];
    });
    const custom = req.getCustom();
    const rec: RecordedResource = {
      urn: resp.getUrn(),
      type: req.getType(),
      name: req.getName(),
      custom,
      id: custom ? resp.getId() || undefined : undefined,
      inputs: plain(pulumi.runtime.deserializeProperties(req.getObject() as never, true)) as Record<string, unknown>,
      outputs: custom ? (plain(pulumi.runtime.deserializeProperties(resp.getObject() as never, true)) as Record<string, unknown>) : {},
      parent: req.getParent() || undefined,
      provider: req.getProvider() || undefined,
      dependencies: [...new Set(req.getDependenciesList())],
      propertyDependencies,
      protect: req.getProtect() === true,
      retainOnDelete: req.getRetainondelete() === true,
    };
    this.resources.push(rec);
    this.byUrn.set(rec.urn, rec);
    if (rec.type === "pulumi:providers:aws" && typeof rec.inputs.region === "string") this.providerRegions.set(rec.urn, rec.inputs.region);
    const pending = Promise.all([resolveAssets(rec.inputs), resolveAssets(rec.outputs)]).then(() => undefined);
    this.pendingAssets.add(pending);
    void pending.finally(() => this.pendingAssets.delete(pending));
  }

  /**
   * Waits until every outstanding registration, invoke and apply has finished; rejects with the
   * program's error when a resource could not register (as `pulumi preview` fails), naming it.
   */
  async settle(): Promise<void> {
    const settings = (await import("@pulumi/pulumi/runtime/settings")) as unknown as { waitForRPCs(): Promise<void> };
    const failed = new Promise<never>((_, reject) => {
      if (this.failures.length > 0) reject(this.failures[0]);
      else this.failureListeners.push(reject);
    });
    try {
      await Promise.race([settings.waitForRPCs(), failed]);
      // Node reports an unhandled rejection only once the microtask queue is empty: let it.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (this.failures.length > 0) throw this.failures[0];
    } catch (err) {
      // Let the registrations that can still finish do so (they must not land in the next test).
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The SDK prefixes the cause with the property path it failed in; the cause is what matters.
      const message = (err as Error).message.replace(/^(error serializing property "[^"]*": )+/, "");
      throw new Error(message, { cause: err });
    }
    await Promise.all([...this.pendingAssets]);
  }

  /**
   * Forgets what was recorded (between tests). After a program error it also drops the runtime's
   * queue of pending registrations, which the failed ones would otherwise hold open for ever (the
   * runtime's internals, @pulumi/pulumi/runtime/state: a test harness's privilege).
   */
  reset(): void {
    this.resources.length = 0;
    this.byUrn.clear();
    this.providerRegions.clear();
    this.failureListeners.length = 0;
    this.endpointServiceZoneGaps = structuredClone(ENDPOINT_SERVICE_ZONE_GAPS);
    if (this.failures.length > 0) {
      this.failures.length = 0;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const state = require("@pulumi/pulumi/runtime/state") as {
        getStore(): { settings: { rpcDone: Promise<unknown> }; leakCandidates: Set<unknown> };
      };
      const store = state.getStore();
      store.settings.rpcDone = Promise.resolve();
      // ...and forgets their promises, which never settle, so the runtime does not report them as leaks at exit.
      store.leakCandidates = new Set();
    }
  }

  get(urn: string): RecordedResource | undefined {
    return this.byUrn.get(urn);
  }

  ofType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** Exactly one resource of `type` (whose logical name contains `nameIncludes`, if given). */
  one(type: string, nameIncludes?: string): RecordedResource {
    const found = this.ofType(type).filter((r) => nameIncludes === undefined || r.name.includes(nameIncludes));
    if (found.length !== 1) {
      throw new Error(
        `expected exactly one ${type}${nameIncludes ? ` named *${nameIncludes}*` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
      );
    }
    return found[0];
  }

  /** The resources whose parent is `urn`. */
  childrenOf(urn: string): RecordedResource[] {
    return this.resources.filter((r) => r.parent === urn);
  }
}
