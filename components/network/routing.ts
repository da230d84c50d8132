/**
 * Routing: the public tier's table (internet gateway), one private table per AZ (its NAT gateway,
 * one per AZ or one in all), and the isolated tier's table with the local route only.
 */
import * as aws from "@pulumi/aws";
import type { PlatformConfig } from "../config";
import type { NetworkContext } from "./context";
import { ANYWHERE, NetworkTier } from "./plan";

export interface Routing {
  readonly privateRouteTables: aws.ec2.RouteTable[];
  readonly isolatedRouteTable: aws.ec2.RouteTable;
}

export function createRouting(
  ctx: NetworkContext,
  parts: {
    readonly vpc: aws.ec2.Vpc;
    readonly igw: aws.ec2.InternetGateway;
    readonly natGatewayMode: PlatformConfig["natGatewayMode"];
    readonly subnets: Readonly<Record<NetworkTier, aws.ec2.Subnet[]>>;
  },
): Routing {
  const { name, component, tagged, azIndexes, azName } = ctx;
  const { vpc, igw } = parts;
  const { public: publicSubnets, private: privateSubnets, isolated: isolatedSubnets } = parts.subnets;
  const azCount = azIndexes.length;
  const parent = { parent: component };
  const associate = (tier: NetworkTier, subnets: aws.ec2.Subnet[], tables: aws.ec2.RouteTable[]) =>
    subnets.forEach(
      (subnet, i) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-${tier}-az${i + 1}`,
          { subnetId: subnet.id, routeTableId: tables[Math.min(i, tables.length - 1)].id },
          parent,
        ),
    );

  const publicRouteTable = new aws.ec2.RouteTable(
    `${name}-public-rt`,
    { vpcId: vpc.id, tags: { ...tagged("public", "rt"), Tier: "public" } },
    parent,
  );
  new aws.ec2.Route(
    `${name}-public-internet`,
    { routeTableId: publicRouteTable.id, destinationCidrBlock: ANYWHERE, gatewayId: igw.id },
    parent,
  );
  associate("public", publicSubnets, [publicRouteTable]);

  const natCount = parts.natGatewayMode === "per-az" ? azCount : 1;
  const natGateways = azIndexes.slice(0, natCount).map((i) => {
    const eip = new aws.ec2.Eip(
      `${name}-nat-az${i + 1}`,
      { domain: "vpc", tags: tagged("nat-eip", azName(i)) },
      { parent: component, dependsOn: [igw] },
    );
    return new aws.ec2.NatGateway(
      `${name}-nat-az${i + 1}`,
      { allocationId: eip.allocationId, subnetId: publicSubnets[i].id, connectivityType: "public", tags: tagged("nat", azName(i)) },
      { parent: component, dependsOn: [igw] },
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
  return { privateRouteTables, isolatedRouteTable };
}
