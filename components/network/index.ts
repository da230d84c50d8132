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
import type { PlatformConfig, StackContext } from "../config";
import { physicalName } from "../lib/naming";
import { platformTags } from "../lib/tags";
import type { NetworkContext } from "./context";
import { createEndpoints } from "./endpoints";
import { createFlowLogs } from "./flow-logs";
import {
  DEFAULT_INTERFACE_ENDPOINT_SERVICES,
  DEFAULT_ISOLATED_TIER_PORTS,
  NETWORK_TIERS,
  NetworkTier,
  SubnetCidrPlan,
  naclRules,
  planSubnetCidrs,
  selectAvailabilityZones,
  validateNetworkArgs,
} from "./plan";
import { createRouting } from "./routing";

export * from "./plan";

// ---------------------------------------------------------------------------------------------
// The component.

export interface NetworkArgs {
  /** The stack's validated config: vpcCidr, availabilityZoneCount, natGatewayMode, logRetentionInDays, protectData. */
  readonly config: StackContext & Pick<PlatformConfig, "vpcCidr" | "availabilityZoneCount" | "natGatewayMode" | "logRetentionInDays">;
  /**
   * ARN of the KMS key that encrypts the flow-log group (the Encryption component's audit key).
   * Its key policy must let `logs.<region>.amazonaws.com` use it for this log group.
   */
  readonly auditKeyArn: pulumi.Input<string>;
  /**
   * Interface endpoints (short names: `logs` for `com.amazonaws.<region>.logs`) to create, with
   * private DNS, in the private subnets.
   * @default DEFAULT_INTERFACE_ENDPOINT_SERVICES: logs, ssm, ssmmessages, ec2messages, secretsmanager, sns, states, sqs
   * (plan.ts says why kms, sts, kinesis-firehose and lambda are not among them)
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
  /** The AZ IDs of {@link availabilityZones} (the same physical zones in every account), in the same order. */
  readonly availabilityZoneIds: pulumi.Output<string[]>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly isolatedSubnetIds: pulumi.Output<string[]>;
  /** The subnet CIDRs per tier (known before deployment, e.g. for security-group rules). */
  readonly subnetCidrs: SubnetCidrPlan;
  /** The security group of the interface endpoints (443 from the VPC CIDR only). */
  readonly endpointSecurityGroupId: pulumi.Output<string>;
  /** The interface endpoint services created. */
  readonly interfaceEndpointServices: readonly string[];
  /**
   * Per interface endpoint service, the private subnets its endpoint is in: those whose AZ offers
   * the service (at least one; not every AZ, e.g. use1-az3 lacks some services).
   */
  readonly interfaceEndpointSubnetIds: Readonly<Record<string, pulumi.Output<string[]>>>;
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
    // The region's real zones, as AWS lists them to this account: more AZs than it has is an error
    // naming availabilityZoneCount, the region and its zone count.
    const azs = pulumi.all([available.names, region]).apply(([names, r]) => selectAvailabilityZones(names, azCount, r));
    const azIds = pulumi
      .all([available.names, available.zoneIds, azs])
      .apply(([names, ids, chosen]) => chosen.map((n) => ids[names.indexOf(n)]));
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

    const ctx: NetworkContext = { name, component: this, stack, tagged, azIndexes, azName };
    const where = { accountId: identity.accountId, region, partition };

    // --- Routing (routing.ts) ------------------------------------------------------------------
    const subnets = { public: publicSubnets, private: privateSubnets, isolated: isolatedSubnets };
    const { privateRouteTables, isolatedRouteTable } = createRouting(ctx, { vpc, igw, natGatewayMode: config.natGatewayMode, subnets });

    // --- Endpoints (endpoints.ts) --------------------------------------------------------------
    const { gatewayEndpoints, endpointSecurityGroup, interfaceEndpoints } = createEndpoints(ctx, {
      vpc,
      vpcCidr: config.vpcCidr,
      services,
      ...where,
      azs,
      privateSubnets,
      privateRouteTables,
      isolatedRouteTable,
    });

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

    // --- Flow logs (flow-logs.ts) --------------------------------------------------------------
    const flowLogGroup = createFlowLogs(ctx, { config, auditKeyArn: args.auditKeyArn, vpc, ...where });

    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;
    this.availabilityZones = azs;
    this.availabilityZoneIds = azIds;
    this.publicSubnetIds = pulumi.all(publicSubnets.map((s) => s.id));
    this.privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));
    this.isolatedSubnetIds = pulumi.all(isolatedSubnets.map((s) => s.id));
    this.subnetCidrs = plan;
    this.endpointSecurityGroupId = endpointSecurityGroup.id;
    this.interfaceEndpointServices = Object.freeze(services);
    this.interfaceEndpointSubnetIds = Object.freeze(Object.fromEntries(services.map((svc, i) => [svc, interfaceEndpoints[i].subnetIds])));
    this.flowLogGroupName = flowLogGroup.name;
    this.flowLogGroupArn = flowLogGroup.arn;
    this.gatewayPrefixListIds = pulumi.all(gatewayEndpoints.map((e) => e.prefixListId));

    this.registerOutputs({
      vpcId: this.vpcId,
      vpcCidr: this.vpcCidr,
      availabilityZones: this.availabilityZones,
      availabilityZoneIds: this.availabilityZoneIds,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      isolatedSubnetIds: this.isolatedSubnetIds,
      endpointSecurityGroupId: this.endpointSecurityGroupId,
      flowLogGroupName: this.flowLogGroupName,
      flowLogGroupArn: this.flowLogGroupArn,
    });
  }
}
