/**
 * The platform's network: one VPC with three subnet tiers in every availability zone.
 *
 * - **public**: the ALB and the NAT gateways. Routes 0.0.0.0/0 to the internet gateway.
 * - **private**: compute (Lambdas, application tasks, Firehose ENIs, interface endpoints). Routes
 *   0.0.0.0/0 to a NAT gateway (its own AZ's with `natGatewayMode: per-az`, the one NAT otherwise).
 * - **isolated**: databases. No route out of the VPC at all, only the local route and the S3 /
 *   DynamoDB gateway-endpoint prefix lists.
 *
 * No subnet assigns public IPs on launch; the VPC's default security group is emptied and its
 * default network ACL denies everything (it guards only subnets created outside this component).
 * Every flow is logged (`trafficType: ALL`) to a KMS-encrypted log group.
 *
 * HIPAA Security Rule: 164.312(e)(1) transmission security (AWS APIs reached over PrivateLink and
 * gateway endpoints, no public IPs), 164.312(b) audit controls (VPC flow logs), 164.308(a)(1)
 * risk management (databases in subnets with no route to the internet).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { formatCidr, parseCidr, PlatformConfig } from "./config";
import { logGroupName, physicalName } from "./naming";
import { platformTags } from "./tags";
import { createServiceRole } from "./service-role";

// ---------------------------------------------------------------------------------------------
// Pure planning and validation (exported and tested with tables).

export const NETWORK_TIERS = ["public", "private", "isolated"] as const;
export type NetworkTier = (typeof NETWORK_TIERS)[number];

/** The most AZs the CIDR plan has room for (and the most any AWS region offers today). */
export const MAX_AVAILABILITY_ZONES = 6;
/** Subnets in at least two AZs: RDS subnet groups and ALBs require it. */
export const MIN_AVAILABILITY_ZONES = 2;

/** Subnet CIDRs per tier, index i in AZ i. */
export interface SubnetCidrPlan {
  readonly public: readonly string[];
  readonly private: readonly string[];
  readonly isolated: readonly string[];
}

/**
 * Carves the VPC CIDR (prefix /p) into subnets, deterministically and independent of the AZ count,
 * so adding an AZ later never moves an existing subnet:
 *
 * - the VPC is cut into 32 blocks of /(p+5);
 * - private subnet of AZ i: the /(p+4) at blocks 2i..2i+1 (blocks 0-11): twice the others, as
 *   compute and interface-endpoint ENIs live there;
 * - public subnet of AZ i: the /(p+5) block 12+i (blocks 12-17);
 * - isolated subnet of AZ i: the /(p+5) block 18+i (blocks 18-23);
 * - blocks 24-31 (the last quarter of the VPC) stay free for a future tier.
 *
 * A /16 VPC gets /20 private and /21 public and isolated subnets; a /20 VPC gets /24 and /25.
 * The VPC prefix must be /16 to /23 so the smallest subnet is at least a /28 (the AWS minimum).
 */
export function planSubnetCidrs(vpcCidr: string, availabilityZoneCount: number): SubnetCidrPlan {
  const parsed = parseCidr(vpcCidr);
  if (!parsed) throw new Error(`vpcCidr must be an IPv4 CIDR such as 10.0.0.0/16, got ${JSON.stringify(vpcCidr)}`);
  const { address, prefix } = parsed;
  if (prefix < 16 || prefix > 23) {
    throw new Error(
      `vpcCidr must have a prefix from /16 to /23 so that 3 tiers in ${MAX_AVAILABILITY_ZONES} AZs fit in subnets of at least /28, got ${vpcCidr}`,
    );
  }
  const mask = (0xffffffff << (32 - prefix)) >>> 0;
  if ((address & mask) >>> 0 !== address) {
    throw new Error(`vpcCidr ${vpcCidr} is not a network address: use ${formatCidr((address & mask) >>> 0, prefix)}`);
  }
  if (!Number.isInteger(availabilityZoneCount) || availabilityZoneCount < 1 || availabilityZoneCount > MAX_AVAILABILITY_ZONES) {
    throw new Error(`availabilityZoneCount must be a whole number from 1 to ${MAX_AVAILABILITY_ZONES}, got ${availabilityZoneCount}`);
  }
  const blockPrefix = prefix + 5;
  const blockSize = 2 ** (32 - blockPrefix);
  const block = (index: number, subnetPrefix: number) => formatCidr(address + index * blockSize, subnetPrefix);
  const azs = Array.from({ length: availabilityZoneCount }, (_, i) => i);
  return {
    private: azs.map((i) => block(2 * i, prefix + 4)),
    public: azs.map((i) => block(12 + i, blockPrefix)),
    isolated: azs.map((i) => block(18 + i, blockPrefix)),
  };
}

/**
 * The first `count` of a region's available AZs, or an error that says how many there are and
 * what to change.
 */
export function selectAvailabilityZones(available: readonly string[], count: number, region: string): string[] {
  if (available.length < count) {
    throw new Error(
      `availabilityZoneCount is ${count} but region ${region} has only ${available.length} available availability zone(s)` +
        ` (${available.join(", ") || "none"}): set healthcare-platform:availabilityZoneCount to at most ${available.length}` +
        " or deploy to a region with more zones",
    );
  }
  return available.slice(0, count);
}

/**
 * Interface endpoints the platform needs by default: every AWS API called from inside the VPC
 * (S3 and DynamoDB are gateway endpoints, created always). Private DNS makes the SDKs' default
 * endpoints resolve to them, so no code changes and no traffic to these APIs leaves through NAT.
 *
 * - `logs`: CloudWatch Logs API from in-VPC compute (application log shipping, Logs Insights
 *   queries, the security-event pipeline's subscription setup).
 * - `kms`: envelope encryption and decryption with the platform's customer-managed keys
 *   (GenerateDataKey / Decrypt by the SDKs, SSM SecureString and Secrets Manager reads).
 * - `sts`: regional STS for AssumeRole / GetCallerIdentity by SDK credential providers.
 * - `ssm`: the data processor's and application's parameters (GetParameter(s)).
 * - `secretsmanager`: the RDS credentials secret, read by the application and rotated by the
 *   rotation Lambda running in the VPC.
 * - `sns`: security and processing alerts published by Lambdas.
 * - `states`: the security-event transform Lambda starts incident executions (StartExecution).
 * - `kinesis-firehose`: records put to the security-event delivery stream (PutRecordBatch).
 * - `sqs`: dead-letter and work queues written by the data processor.
 * - `lambda`: functions invoked synchronously by other in-VPC code.
 *
 * Names are the suffix of the endpoint service name `com.amazonaws.<region>.<name>`.
 */
export const DEFAULT_INTERFACE_ENDPOINT_SERVICES: readonly string[] = Object.freeze([
  "logs",
  "kms",
  "sts",
  "ssm",
  "secretsmanager",
  "sns",
  "states",
  "kinesis-firehose",
  "sqs",
  "lambda",
]);

/** Interface endpoint services this component accepts (the suffix of `com.amazonaws.<region>.<name>`). */
export const KNOWN_INTERFACE_ENDPOINT_SERVICES: readonly string[] = Object.freeze([
  ...DEFAULT_INTERFACE_ENDPOINT_SERVICES,
  "athena",
  "autoscaling",
  "ec2",
  "ec2messages",
  "ecr.api",
  "ecr.dkr",
  "ecs",
  "ecs-agent",
  "ecs-telemetry",
  "elasticfilesystem",
  "elasticloadbalancing",
  "events",
  "execute-api",
  "glue",
  "kinesis-streams",
  "macie2",
  "monitoring",
  "rds",
  "rds-data",
  "ssmmessages",
  "sync-states",
  "xray",
]);

/** Common names for a service that are not its endpoint name. */
const ENDPOINT_ALIASES: Readonly<Record<string, string>> = {
  firehose: "kinesis-firehose",
  kinesis: "kinesis-streams",
  sfn: "states",
  stepfunctions: "states",
  "step-functions": "states",
  cloudwatch: "monitoring",
  "cloudwatch-logs": "logs",
  eventbridge: "events",
  "secrets-manager": "secretsmanager",
  ecr: "ecr.api and ecr.dkr",
  apigateway: "execute-api",
  elb: "elasticloadbalancing",
};

/** Gateway endpoints this component always creates, attached to the private and isolated route tables. */
export const GATEWAY_ENDPOINT_SERVICES: readonly string[] = Object.freeze(["s3", "dynamodb"]);

/**
 * Ports the isolated tier accepts from inside the VPC by default: 5432 (PostgreSQL, the RDS
 * database) and 443 (HTTPS, e.g. a search domain's ENIs).
 */
export const DEFAULT_ISOLATED_TIER_PORTS: readonly number[] = Object.freeze([5432, 443]);

/** Ephemeral port range used by NAT gateways, ELBs and Linux / Lambda clients (the widest: NAT's). */
export const EPHEMERAL_PORTS = { from: 1024, to: 65535 } as const;

/**
 * The ephemeral range as admitted from 0.0.0.0/0: without 3389, so no ACL entry opens RDP to the
 * internet (Security Hub EC2.21, AWS Config nacl-no-unrestricted-ssh-rdp; 22 is below the range).
 * The price: a response to a connection whose NAT-chosen source port happens to be 3389 (one port
 * in 64,512) is dropped and the client retries.
 */
export const INTERNET_EPHEMERAL_PORT_RANGES: readonly { readonly from: number; readonly to: number }[] = Object.freeze([
  { from: EPHEMERAL_PORTS.from, to: 3388 },
  { from: 3390, to: EPHEMERAL_PORTS.to },
]);

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** The args of {@link Network} that can be checked before any resource exists. */
export interface NetworkArgsToValidate {
  readonly vpcCidr: string;
  readonly availabilityZoneCount: number;
  readonly interfaceEndpointServices: readonly string[];
  readonly isolatedTierPorts: readonly number[];
  /** Checked only when it is a plain string (an Output is checked by AWS). */
  readonly auditKeyArn?: unknown;
}

/** Every problem of the args, each naming the arg, the bad value and the fix; empty when valid. */
export function validateNetworkArgs(args: NetworkArgsToValidate): string[] {
  const problems: string[] = [];
  try {
    planSubnetCidrs(args.vpcCidr, MAX_AVAILABILITY_ZONES);
  } catch (err) {
    problems.push(`config.${(err as Error).message}`);
  }
  const n = args.availabilityZoneCount;
  if (!Number.isInteger(n) || n < MIN_AVAILABILITY_ZONES || n > MAX_AVAILABILITY_ZONES) {
    problems.push(
      `config.availabilityZoneCount must be a whole number from ${MIN_AVAILABILITY_ZONES} to ${MAX_AVAILABILITY_ZONES}` +
        ` (RDS subnet groups and load balancers need two AZs; the CIDR plan has room for six), got ${n}`,
    );
  }

  const services = args.interfaceEndpointServices;
  if (services.length === 0) {
    problems.push(
      "interfaceEndpointServices must not be empty: in-VPC code needs these AWS APIs privately;" +
        " omit the arg for the default list or name the services",
    );
  }
  const seen = new Set<string>();
  services.forEach((svc, i) => {
    const where = `interfaceEndpointServices[${i}] = ${JSON.stringify(svc)}`;
    if (seen.has(svc)) {
      problems.push(`${where} is listed twice: remove the duplicate`);
      return;
    }
    seen.add(svc);
    if (GATEWAY_ENDPOINT_SERVICES.includes(svc)) {
      problems.push(`${where} is always created as a gateway endpoint (free, route-table based): remove it from the list`);
    } else if (/^com\.amazonaws\./.test(svc)) {
      const short = svc.split(".").slice(3).join(".");
      problems.push(`${where} must be the short service name, e.g. ${JSON.stringify(short || "logs")}: the region is added for you`);
    } else if (!KNOWN_INTERFACE_ENDPOINT_SERVICES.includes(svc)) {
      const alias = ENDPOINT_ALIASES[svc.toLowerCase()];
      const hint = alias ? ` Did you mean ${alias}?` : "";
      problems.push(
        `${where} is not a known interface endpoint service.${hint} Known: ${KNOWN_INTERFACE_ENDPOINT_SERVICES.join(", ")}`,
      );
    }
  });

  const ports = args.isolatedTierPorts;
  if (ports.length === 0) {
    problems.push("isolatedTierPorts must name at least one port (the database's, e.g. 5432): an isolated tier nothing can reach is useless");
  }
  const seenPorts = new Set<number>();
  ports.forEach((port, i) => {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      problems.push(`isolatedTierPorts[${i}] must be a TCP port from 1 to 65535, got ${port}`);
    }
    if (seenPorts.has(port)) problems.push(`isolatedTierPorts[${i}] = ${port} is listed twice: remove the duplicate`);
    seenPorts.add(port);
  });

  if (typeof args.auditKeyArn === "string" && !KMS_KEY_ARN.test(args.auditKeyArn)) {
    problems.push(
      `auditKeyArn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>; CloudWatch Logs accepts no alias), got ${JSON.stringify(args.auditKeyArn)}`,
    );
  }
  return problems;
}

/** One network ACL entry, the shape of `aws.ec2.NetworkAcl` inline rules. */
export interface NaclRule {
  readonly ruleNo: number;
  readonly action: "allow" | "deny";
  /** "tcp", "udp" or "-1" (all). */
  readonly protocol: string;
  readonly cidrBlock: string;
  readonly fromPort: number;
  readonly toPort: number;
}

export interface TierNaclRules {
  readonly ingress: readonly NaclRule[];
  readonly egress: readonly NaclRule[];
}

const ANYWHERE = "0.0.0.0/0";
const allow = (ruleNo: number, protocol: string, cidrBlock: string, fromPort: number, toPort = fromPort): NaclRule => ({
  ruleNo,
  action: "allow",
  protocol,
  cidrBlock,
  fromPort: protocol === "-1" ? 0 : fromPort,
  toPort: protocol === "-1" ? 0 : toPort,
});

/**
 * The network ACL rules of each tier (a stateless second layer behind security groups; anything
 * not allowed here is denied by the implicit final rule).
 *
 * - public: HTTPS and HTTP (redirected to HTTPS by the ALB) from anywhere; ephemeral TCP but 3389
 *   from anywhere (internet responses to the NAT gateways); everything from inside the VPC (traffic the
 *   NAT gateways forward, ALB target responses). Out: everything to the VPC, HTTPS to anywhere
 *   (what the NATs forward), ephemeral TCP to anywhere (ALB responses to clients).
 * - private: everything from the VPC; ephemeral TCP but 3389 from anywhere (responses through the
 *   NAT keep the remote server's address). Out: everything to the VPC, HTTPS to anywhere.
 * - isolated: in, only `isolatedTierPorts` from the VPC; out, only ephemeral TCP to the VPC (the
 *   responses). Databases answer and never call out, so there is no ephemeral-port ingress that
 *   would open every high port, and nothing to or from outside the VPC (not even S3 through the
 *   gateway endpoint: S3's addresses are public).
 */
export function naclRules(vpcCidr: string, isolatedTierPorts: readonly number[]): Readonly<Record<NetworkTier, TierNaclRules>> {
  const eph = EPHEMERAL_PORTS;
  const fromInternetEphemeral = (firstRuleNo: number) =>
    INTERNET_EPHEMERAL_PORT_RANGES.map((r, i) => allow(firstRuleNo + 10 * i, "tcp", ANYWHERE, r.from, r.to));
  return {
    public: {
      ingress: [
        allow(100, "tcp", ANYWHERE, 443),
        allow(110, "tcp", ANYWHERE, 80),
        ...fromInternetEphemeral(120),
        allow(140, "-1", vpcCidr, 0),
      ],
      egress: [
        allow(100, "-1", vpcCidr, 0),
        allow(110, "tcp", ANYWHERE, 443),
        allow(120, "tcp", ANYWHERE, eph.from, eph.to),
      ],
    },
    private: {
      ingress: [allow(100, "-1", vpcCidr, 0), ...fromInternetEphemeral(110)],
      egress: [allow(100, "-1", vpcCidr, 0), allow(110, "tcp", ANYWHERE, 443)],
    },
    isolated: {
      ingress: isolatedTierPorts.map((port, i) => allow(100 + 10 * i, "tcp", vpcCidr, port)),
      egress: [allow(100, "tcp", vpcCidr, eph.from, eph.to)],
    },
  };
}

/**
 * Flow log fields: the default format's 14 fields first and in order (so parsers of the default
 * format keep working), then the fields an investigation needs and the default lacks: which
 * VPC / subnet / instance, TCP flags (connection attempts vs. established), the packet-level
 * addresses behind a NAT or ENI (`pkt-srcaddr`, `pkt-dstaddr`), the AWS service on either end,
 * the AZ, the direction and the path traffic took out of the VPC (`traffic-path`: IGW, NAT,
 * gateway endpoint...).
 */
export const FLOW_LOG_FIELDS: readonly string[] = Object.freeze([
  "version",
  "account-id",
  "interface-id",
  "srcaddr",
  "dstaddr",
  "srcport",
  "dstport",
  "protocol",
  "packets",
  "bytes",
  "start",
  "end",
  "action",
  "log-status",
  "vpc-id",
  "subnet-id",
  "instance-id",
  "tcp-flags",
  "type",
  "pkt-srcaddr",
  "pkt-dstaddr",
  "pkt-src-aws-service",
  "pkt-dst-aws-service",
  "az-id",
  "flow-direction",
  "traffic-path",
]);

/** The flow log `logFormat`: `${field}` for each field, space separated. */
export function flowLogFormat(fields: readonly string[] = FLOW_LOG_FIELDS): string {
  return fields.map((f) => "$" + "{" + f + "}").join(" ");
}

// ---------------------------------------------------------------------------------------------
// The component.

export interface NetworkArgs {
  /** The stack's validated config: vpcCidr, availabilityZoneCount, natGatewayMode, logRetentionInDays, protectData. */
  readonly config: PlatformConfig;
  /**
   * ARN of the KMS key that encrypts the flow-log group (the Encryption component's audit key).
   * Its key policy must let `logs.<region>.amazonaws.com` use it for this log group.
   */
  readonly auditKeyArn: pulumi.Input<string>;
  /**
   * Interface endpoints (short names: `logs` for `com.amazonaws.<region>.logs`) to create, with
   * private DNS, in the private subnets.
   * @default DEFAULT_INTERFACE_ENDPOINT_SERVICES: logs, kms, sts, ssm, secretsmanager, sns, states, kinesis-firehose, sqs, lambda
   */
  readonly interfaceEndpointServices?: readonly string[];
  /**
   * TCP ports the isolated tier's network ACL admits from inside the VPC.
   * @default DEFAULT_ISOLATED_TIER_PORTS: 5432 (PostgreSQL) and 443 (HTTPS)
   */
  readonly isolatedTierPorts?: readonly number[];
}

export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly vpcCidr: pulumi.Output<string>;
  /** The AZ names used, in order: index i of every subnet list is in AZ i. */
  readonly availabilityZones: pulumi.Output<string[]>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly isolatedSubnetIds: pulumi.Output<string[]>;
  /** The subnet CIDRs per tier (known before deployment, e.g. for security-group rules). */
  readonly subnetCidrs: SubnetCidrPlan;
  /** The security group of the interface endpoints (443 from the VPC CIDR only). */
  readonly endpointSecurityGroupId: pulumi.Output<string>;
  /** The interface endpoint services created. */
  readonly interfaceEndpointServices: readonly string[];
  readonly flowLogGroupName: pulumi.Output<string>;
  readonly flowLogGroupArn: pulumi.Output<string>;
  /** Prefix lists of the S3 and DynamoDB gateway endpoints, for HTTPS egress rules that avoid 0.0.0.0/0. */
  readonly gatewayPrefixListIds: pulumi.Output<string[]>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validated before anything registers, the component included.
    const { config } = args;
    const services = [...(args.interfaceEndpointServices ?? DEFAULT_INTERFACE_ENDPOINT_SERVICES)];
    const isolatedTierPorts = [...(args.isolatedTierPorts ?? DEFAULT_ISOLATED_TIER_PORTS)];
    const problems = validateNetworkArgs({
      vpcCidr: config.vpcCidr,
      availabilityZoneCount: config.availabilityZoneCount,
      interfaceEndpointServices: services,
      isolatedTierPorts,
      auditKeyArn: args.auditKeyArn,
    });
    if (problems.length > 0) {
      throw new Error(`Invalid args for Network "${name}" (${problems.length}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
    super("healthcare:network:Network", name, {}, opts);

    const stack = config.stack;
    const azCount = config.availabilityZoneCount;
    const plan = planSubnetCidrs(config.vpcCidr, azCount);
    const parent = { parent: this };
    const baseTags = platformTags(config);
    const tagged = (...nameParts: pulumi.Input<string>[]) => ({
      ...baseTags,
      Name: pulumi.all(nameParts).apply((parts) => physicalName(stack, "securityGroup", ...parts)),
    });

    const region = aws.getRegionOutput({}, parent).region;
    const identity = aws.getCallerIdentityOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent).partition;
    const available = aws.getAvailabilityZonesOutput(
      // Local and Wavelength zones are opt-in zones: only the region's own AZs qualify.
      { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
      parent,
    );
    const azs = pulumi
      .all([available.names, region])
      .apply(([names, r]) => selectAvailabilityZones(names, azCount, r));
    const azIndexes = Array.from({ length: azCount }, (_, i) => i);
    const azName = (i: number) => azs.apply((a) => a[i]);

    // --- VPC, gateway, subnets -----------------------------------------------------------------
    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: config.vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: tagged("vpc") },
      parent,
    );

    // Nothing may use the default security group: it loses its allow-all rules.
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: vpc.id, ingress: [], egress: [], tags: tagged("default", "do-not-use") },
      parent,
    );

    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tagged("igw") }, parent);

    const subnetsOf = (tier: NetworkTier) =>
      azIndexes.map(
        (i) =>
          new aws.ec2.Subnet(
            `${name}-${tier}-az${i + 1}`,
            {
              vpcId: vpc.id,
              cidrBlock: plan[tier][i],
              availabilityZone: azName(i),
              // No subnet hands out public IPs, not even the public tier: the ALB and NATs get their own.
              mapPublicIpOnLaunch: false,
              tags: { ...tagged(tier, azName(i)), Tier: tier },
            },
            parent,
          ),
      );
    const publicSubnets = subnetsOf("public");
    const privateSubnets = subnetsOf("private");
    const isolatedSubnets = subnetsOf("isolated");

    // --- Routing -----------------------------------------------------------------------------
    const associate = (tier: NetworkTier, subnets: aws.ec2.Subnet[], tables: aws.ec2.RouteTable[]) =>
      subnets.forEach(
        (subnet, i) =>
          new aws.ec2.RouteTableAssociation(
            `${name}-${tier}-az${i + 1}`,
            { subnetId: subnet.id, routeTableId: tables[Math.min(i, tables.length - 1)].id },
            parent,
          ),
      );

    const publicRouteTable = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, tags: { ...tagged("public", "rt"), Tier: "public" } }, parent);
    new aws.ec2.Route(
      `${name}-public-internet`,
      { routeTableId: publicRouteTable.id, destinationCidrBlock: ANYWHERE, gatewayId: igw.id },
      parent,
    );
    associate("public", publicSubnets, [publicRouteTable]);

    const natCount = config.natGatewayMode === "per-az" ? azCount : 1;
    const natGateways = azIndexes.slice(0, natCount).map((i) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-az${i + 1}`,
        { domain: "vpc", tags: tagged("nat-eip", azName(i)) },
        { parent: this, dependsOn: [igw] },
      );
      return new aws.ec2.NatGateway(
        `${name}-nat-az${i + 1}`,
        { allocationId: eip.allocationId, subnetId: publicSubnets[i].id, connectivityType: "public", tags: tagged("nat", azName(i)) },
        { parent: this, dependsOn: [igw] },
      );
    });

    const privateRouteTables = azIndexes.map((i) => {
      const table = new aws.ec2.RouteTable(
        `${name}-private-rt-az${i + 1}`,
        { vpcId: vpc.id, tags: { ...tagged("private", "rt", azName(i)), Tier: "private" } },
        parent,
      );
      new aws.ec2.Route(
        `${name}-private-az${i + 1}-nat`,
        { routeTableId: table.id, destinationCidrBlock: ANYWHERE, natGatewayId: natGateways[Math.min(i, natGateways.length - 1)].id },
        parent,
      );
      return table;
    });
    associate("private", privateSubnets, privateRouteTables);

    // The isolated tier's table has the local route only (and the gateway endpoints' prefix lists).
    const isolatedRouteTable = new aws.ec2.RouteTable(
      `${name}-isolated-rt`,
      { vpcId: vpc.id, tags: { ...tagged("isolated", "rt"), Tier: "isolated" } },
      parent,
    );
    associate("isolated", isolatedSubnets, [isolatedRouteTable]);

    // --- Endpoints ---------------------------------------------------------------------------
    const gatewayEndpoints = GATEWAY_ENDPOINT_SERVICES.map(
      (svc) =>
        new aws.ec2.VpcEndpoint(
          `${name}-${svc}-gateway`,
          {
            vpcId: vpc.id,
            serviceName: pulumi.interpolate`com.amazonaws.${region}.${svc}`,
            vpcEndpointType: "Gateway",
            routeTableIds: [...privateRouteTables.map((t) => t.id), isolatedRouteTable.id],
            tags: tagged("vpce", svc),
          },
          parent,
        ),
    );

    const endpointSecurityGroup = new aws.ec2.SecurityGroup(
      `${name}-endpoints-sg`,
      {
        vpcId: vpc.id,
        name: physicalName(stack, "securityGroup", "vpc-endpoints"),
        description: "Interface VPC endpoints: HTTPS from inside the VPC only",
        ingress: [{ description: "HTTPS from the VPC", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [config.vpcCidr] }],
        // No egress rule at all: endpoint ENIs only answer, and security groups are stateful.
        egress: [],
        tags: tagged("vpc-endpoints"),
      },
      parent,
    );

    for (const svc of services) {
      new aws.ec2.VpcEndpoint(
        `${name}-${svc.replace(/\./g, "-")}-endpoint`,
        {
          vpcId: vpc.id,
          serviceName: pulumi.interpolate`com.amazonaws.${region}.${svc}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: privateSubnets.map((s) => s.id),
          securityGroupIds: [endpointSecurityGroup.id],
          tags: tagged("vpce", svc),
        },
        parent,
      );
    }

    // --- Network ACLs --------------------------------------------------------------------------
    const rules = naclRules(config.vpcCidr, isolatedTierPorts);
    const tierSubnets: Record<NetworkTier, aws.ec2.Subnet[]> = {
      public: publicSubnets,
      private: privateSubnets,
      isolated: isolatedSubnets,
    };
    const nacls = NETWORK_TIERS.map(
      (tier) =>
        new aws.ec2.NetworkAcl(
          `${name}-${tier}-nacl`,
          {
            vpcId: vpc.id,
            subnetIds: tierSubnets[tier].map((s) => s.id),
            ingress: rules[tier].ingress.map((r) => ({ ...r })),
            egress: rules[tier].egress.map((r) => ({ ...r })),
            tags: { ...tagged(tier, "nacl"), Tier: tier },
          },
          parent,
        ),
    );
    // Managed, not left alone: with no rules it denies everything, so a subnet created outside this
    // component fails closed, and the default ACL's allow-all from 0.0.0.0/0 (Security Hub EC2.21)
    // is gone. Every subnet here is associated with its tier's ACL, so which subnets AWS lists
    // under the default ACL is not ours to manage.
    new aws.ec2.DefaultNetworkAcl(
      `${name}-default-nacl`,
      { defaultNetworkAclId: vpc.defaultNetworkAclId, ingress: [], egress: [], tags: tagged("default", "deny-all") },
      { parent: this, dependsOn: nacls, ignoreChanges: ["subnetIds"] },
    );

    // --- Flow logs ---------------------------------------------------------------------------
    const flowLogGroup = new aws.cloudwatch.LogGroup(
      `${name}-flow-logs`,
      {
        name: logGroupName(stack, "vpc-flow-logs"),
        kmsKeyId: args.auditKeyArn,
        retentionInDays: config.logRetentionInDays,
        deletionProtectionEnabled: config.protectData,
        tags: platformTags(config, { purpose: "vpc-flow-logs" }),
      },
      { parent: this, protect: config.protectData, retainOnDelete: config.protectData },
    );

    const flowLogRole = createServiceRole(
      `${name}-flow-logs`,
      {
        roleName: physicalName(stack, "iamRole", "vpc-flow-logs"),
        description: "Lets VPC Flow Logs deliver this VPC's flow records to its log group",
        servicePrincipal: "vpc-flow-logs.amazonaws.com",
        trustConditions: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [identity.accountId] },
          {
            test: "ArnLike",
            variable: "aws:SourceArn",
            values: [pulumi.interpolate`arn:${partition}:ec2:${region}:${identity.accountId}:vpc-flow-log/*`],
          },
        ],
        statements: [
          {
            sid: "WriteFlowLogsToTheirLogGroup",
            effect: "Allow",
            actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            resources: [flowLogGroup.arn, pulumi.interpolate`${flowLogGroup.arn}:*`],
          },
        ],
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
      { parent: this, dependsOn: flowLogRole.ready },
    );

    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;
    this.availabilityZones = azs;
    this.publicSubnetIds = pulumi.all(publicSubnets.map((s) => s.id));
    this.privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));
    this.isolatedSubnetIds = pulumi.all(isolatedSubnets.map((s) => s.id));
    this.subnetCidrs = plan;
    this.endpointSecurityGroupId = endpointSecurityGroup.id;
    this.interfaceEndpointServices = Object.freeze(services);
    this.flowLogGroupName = flowLogGroup.name;
    this.flowLogGroupArn = flowLogGroup.arn;
    this.gatewayPrefixListIds = pulumi.all(gatewayEndpoints.map((e) => e.prefixListId));

    this.registerOutputs({
      vpcId: this.vpcId,
      vpcCidr: this.vpcCidr,
      availabilityZones: this.availabilityZones,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      isolatedSubnetIds: this.isolatedSubnetIds,
      endpointSecurityGroupId: this.endpointSecurityGroupId,
      flowLogGroupName: this.flowLogGroupName,
      flowLogGroupArn: this.flowLogGroupArn,
    });
  }
}
