/**
 * Endpoints: the gateway endpoints (S3, DynamoDB) on the private and isolated tables, and the
 * interface endpoints with private DNS in the private subnets whose zone offers them, behind one
 * security group (HTTPS from the VPC only).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../lib/naming";
import type { NetworkContext } from "./context";
import { endpointPolicyStatements } from "./endpoint-policies";
import { GATEWAY_ENDPOINT_SERVICES, planInterfaceEndpointSubnets } from "./plan";

export interface Endpoints {
  readonly gatewayEndpoints: aws.ec2.VpcEndpoint[];
  readonly endpointSecurityGroup: aws.ec2.SecurityGroup;
  readonly interfaceEndpoints: aws.ec2.VpcEndpoint[];
}

export function createEndpoints(
  ctx: NetworkContext,
  parts: {
    readonly vpc: aws.ec2.Vpc;
    readonly vpcCidr: string;
    readonly services: readonly string[];
    readonly accountId: pulumi.Output<string>;
    readonly region: pulumi.Output<string>;
    readonly partition: pulumi.Output<string>;
    readonly azs: pulumi.Output<string[]>;
    readonly privateSubnets: aws.ec2.Subnet[];
    readonly privateRouteTables: aws.ec2.RouteTable[];
    readonly isolatedRouteTable: aws.ec2.RouteTable;
  },
): Endpoints {
  const { name, component, stack, tagged } = ctx;
  const { vpc, services, region, partition, azs, privateSubnets, privateRouteTables, isolatedRouteTable } = parts;
  const identity = { accountId: parts.accountId };
  const config = { vpcCidr: parts.vpcCidr };
  const parent = { parent: component };
  // Each with its own policy (endpoint-policies.ts): never AWS's default full access.
  const endpointPolicy = (svc: string) =>
    aws.iam.getPolicyDocumentOutput(
      {
        statements: pulumi
          .all([identity.accountId, region, partition])
          .apply(([accountId, r, p]) => endpointPolicyStatements(svc, { stack, accountId, region: r, partition: p })),
      },
      parent,
    ).json;
  const gatewayEndpoints = GATEWAY_ENDPOINT_SERVICES.map(
    (svc) =>
      new aws.ec2.VpcEndpoint(
        `${name}-${svc}-gateway`,
        {
          vpcId: vpc.id,
          serviceName: pulumi.interpolate`com.amazonaws.${region}.${svc}`,
          vpcEndpointType: "Gateway",
          policy: endpointPolicy(svc),
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

  // Each interface endpoint only in the private subnets whose zone offers its service (in
  // us-east-1, use1-az3 lacks many): CreateVpcEndpoint fails on a subnet in any other zone.
  const offeredZones = pulumi.all(
    Object.fromEntries(
      services.map((svc) => [
        svc,
        aws.ec2.getVpcEndpointServiceOutput({ service: svc, serviceType: "Interface" }, parent).availabilityZones,
      ]),
    ),
  );
  const endpointSubnets = pulumi
    .all([region, azs, offeredZones])
    .apply(([r, zones, offered]) => planInterfaceEndpointSubnets(r, zones, offered));
  const privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));
  const interfaceEndpoints = services.map(
    (svc) =>
      new aws.ec2.VpcEndpoint(
        `${name}-${svc.replace(/\./g, "-")}-endpoint`,
        {
          vpcId: vpc.id,
          serviceName: pulumi.interpolate`com.amazonaws.${region}.${svc}`,
          vpcEndpointType: "Interface",
          policy: endpointPolicy(svc),
          privateDnsEnabled: true,
          subnetIds: pulumi.all([endpointSubnets, privateSubnetIds]).apply(([placement, ids]) => placement[svc].map((i) => ids[i])),
          securityGroupIds: [endpointSecurityGroup.id],
          tags: tagged("vpce", svc),
        },
        parent,
      ),
  );
  return { gatewayEndpoints, endpointSecurityGroup, interfaceEndpoints };
}
