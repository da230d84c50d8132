/**
 * The network's pure planning and validation, exported and tested with tables: the subnet CIDR
 * plan, the choice of availability zones, the subnets of each interface endpoint, arg validation,
 * network ACL rules, the flow-log format and the flow-log role's permissions. No resources here
 * (the component is ./index.ts).
 */
import { formatCidr, MAX_AVAILABILITY_ZONES, MIN_AVAILABILITY_ZONES, parseCidr } from "../config";

export { MAX_AVAILABILITY_ZONES, MIN_AVAILABILITY_ZONES };

// ---------------------------------------------------------------------------------------------
// Pure planning and validation (exported and tested with tables).

export const NETWORK_TIERS = ["public", "private", "isolated"] as const;
export type NetworkTier = (typeof NETWORK_TIERS)[number];

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
 * Which private subnets each interface endpoint goes in: those whose AZ offers the endpoint
 * service. An endpoint service might not be available in all Availability Zones (AWS Knowledge
 * Center, https://repost.aws/knowledge-center/interface-endpoint-availability-zone), and
 * CreateVpcEndpoint with a subnet in such a zone fails ("The VPC endpoint service ... does not
 * support the availability zone of the subnet"); in us-east-1 the zone with AZ ID use1-az3 lacks
 * many services. The zones a service is offered in come from `aws.ec2.getVpcEndpointService`
 * (DescribeVpcEndpointServices), as zone names of this account.
 *
 * Private DNS resolves the service's name to the endpoint's ENIs wherever they are, so code in a
 * subnet of a zone without the service still reaches it (across zones). Every endpoint keeps at
 * least one subnet: a service offered in none of the network's zones is an error naming the
 * service, the zones it is offered in and the fix (all such services in one error).
 *
 * @param subnetZones the AZ name of each private subnet, index i = subnet i
 * @param offeredZones per service (short name), the AZ names AWS offers it in
 * @returns per service, the indexes of the subnets to use, in subnet order
 */
export function planInterfaceEndpointSubnets(
  region: string,
  subnetZones: readonly string[],
  offeredZones: Readonly<Record<string, readonly string[]>>,
): Record<string, number[]> {
  const placement: Record<string, number[]> = {};
  const problems: string[] = [];
  for (const [service, offered] of Object.entries(offeredZones)) {
    const indexes = subnetZones.flatMap((zone, i) => (offered.includes(zone) ? [i] : []));
    if (indexes.length === 0) {
      problems.push(
        `interfaceEndpointServices: com.amazonaws.${region}.${service} is offered in ${offered.length > 0 ? offered.join(", ") : "no zone"}` +
          ` of ${region}, none of the network's availability zones (${subnetZones.join(", ")}): remove "${service}" from` +
          " interfaceEndpointServices, or raise healthcare-platform:availabilityZoneCount so the network reaches a zone that offers it",
      );
    }
    placement[service] = indexes;
  }
  if (problems.length > 0) {
    throw new Error(`No subnet can hold ${problems.length} interface endpoint(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return placement;
}

/**
 * Interface endpoints the platform needs by default: exactly the AWS APIs that in-VPC code of the
 * platform calls, each with its caller (S3 and DynamoDB are gateway endpoints, created always).
 * Private DNS makes the SDKs' default endpoints resolve to them, so no traffic to these APIs leaves
 * through NAT. An endpoint nothing calls is left out: each costs about $7.30 per AZ per month
 * (https://aws.amazon.com/privatelink/pricing/).
 *
 * - `logs`: the application instances ship their logs to their log group.
 * - `ssm`: the data processor reads its configuration parameter; the instances' SSM Agent.
 * - `ssmmessages`, `ec2messages`: Session Manager and the SSM Agent of the application instances,
 *   which have no SSH and no public IP: "Session Manager ... com.amazonaws.region.ssm,
 *   com.amazonaws.region.ssmmessages, com.amazonaws.region.ec2messages" are the endpoints a
 *   managed node in a subnet without internet access needs
 *   (https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html).
 * - `secretsmanager`: the application reads the database's master secret.
 * - `sns`: the data processor publishes quarantine alerts.
 * - `states`: the authorizer starts incident executions (StartExecution).
 * - `sqs`: the authorizer sends failed incident starts to its dead-letter queue.
 *
 * Not here, because nothing in the VPC calls them: `kms` (S3, DynamoDB, SSM and Secrets Manager
 * decrypt on the caller's behalf, server-side), `sts` (Lambda takes credentials from its environment,
 * instances from the instance metadata service), `kinesis-firehose` (CloudWatch Logs puts the
 * records, outside the VPC), `lambda` (no in-VPC code invokes a function). Add one through
 * `interfaceEndpointServices` when a workload needs it.
 *
 * Names are the suffix of the endpoint service name `com.amazonaws.<region>.<name>`.
 */
export const DEFAULT_INTERFACE_ENDPOINT_SERVICES: readonly string[] = Object.freeze([
  "logs",
  "ssm",
  "ssmmessages",
  "ec2messages",
  "secretsmanager",
  "sns",
  "states",
  "sqs",
]);

/** Interface endpoint services this component accepts (the suffix of `com.amazonaws.<region>.<name>`). */
export const KNOWN_INTERFACE_ENDPOINT_SERVICES: readonly string[] = Object.freeze([
  ...DEFAULT_INTERFACE_ENDPOINT_SERVICES,
  "kms",
  "sts",
  "kinesis-firehose",
  "lambda",
  "athena",
  "autoscaling",
  "ec2",
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
  // The VPC CIDR and the AZ count are stack config, validated once by components/config.ts; the
  // region's real zones are checked where they are known (the component, at plan time).
  const problems: string[] = [];

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
      problems.push(`${where} is not a known interface endpoint service.${hint} Known: ${KNOWN_INTERFACE_ENDPOINT_SERVICES.join(", ")}`);
    }
  });

  const ports = args.isolatedTierPorts;
  if (ports.length === 0) {
    problems.push(
      "isolatedTierPorts must name at least one port (the database's, e.g. 5432): an isolated tier nothing can reach is useless",
    );
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

/** Every IPv4 address: the destination of default routes, and the internet in ACL rules. */
export const ANYWHERE = "0.0.0.0/0";
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
      egress: [allow(100, "-1", vpcCidr, 0), allow(110, "tcp", ANYWHERE, 443), allow(120, "tcp", ANYWHERE, eph.from, eph.to)],
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

/**
 * The actions AWS documents for the role VPC Flow Logs assumes to publish to CloudWatch Logs, in
 * the VPC user guide "IAM role for publishing flow logs to CloudWatch Logs"
 * (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html). Missing one can make
 * delivery fail (the flow log's status shows the error) with no record written.
 */
export const FLOW_LOG_ROLE_ACTIONS: readonly string[] = Object.freeze([
  "logs:CreateLogGroup",
  "logs:CreateLogStream",
  "logs:PutLogEvents",
  "logs:DescribeLogGroups",
  "logs:DescribeLogStreams",
]);

/** One statement of the flow-log role's policy (the shape `aws.iam.getPolicyDocument` takes). */
export interface FlowLogRoleStatement<R> {
  readonly sid: string;
  readonly effect: "Allow";
  readonly actions: string[];
  readonly resources: (R | "*")[];
}

/**
 * The flow-log role's permissions: exactly {@link FLOW_LOG_ROLE_ACTIONS}, each on as little as AWS
 * allows. Per the Service Authorization Reference for CloudWatch Logs
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html):
 * CreateLogGroup and DescribeLogStreams take the `log-group` resource, CreateLogStream and
 * PutLogEvents the `log-stream` resource (`<group arn>:log-stream:<name>`, matched by
 * `<group arn>:*`), so they get this flow log's group only; DescribeLogGroups supports no
 * resource-level permission (no resource type), so it can only be granted on `*` (it lists group
 * names and settings, never log events).
 *
 * @param logGroupResources the flow-log group's ARN and `<arn>:*` (its streams)
 */
export function flowLogRoleStatements<R>(logGroupResources: readonly R[]): FlowLogRoleStatement<R>[] {
  return [
    {
      sid: "WriteFlowLogsToTheirLogGroup",
      effect: "Allow",
      actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      resources: [...logGroupResources],
    },
    {
      sid: "DescribeLogGroupsHasNoResourceLevelPermission",
      effect: "Allow",
      actions: ["logs:DescribeLogGroups"],
      resources: ["*"],
    },
  ];
}
