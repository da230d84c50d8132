/**
 * The mock cloud's account and regions: the account id, the regions it knows with their real
 * availability zones and AZ IDs, the VPC endpoint services it offers (and the zones it leaves them
 * out of), and the config the offline plan cannot serve because of them.
 */
import type { ConfigProblem } from "../../components/config";
import { hexId } from "./ids";

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
        "add its availability zones and AZ IDs, from AWS's AZ ID table, to REGION_ZONES in tools/mock-cloud/regions.ts",
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
          "(https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html) to REGION_ZONES in tools/mock-cloud/regions.ts",
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
export const S3_HOSTED_ZONES: Record<string, string> = {
  "us-east-1": "Z3AQBSTGFYJSTF",
  "us-east-2": "Z2O1EMRO9K5GLX",
  "us-west-2": "Z3BJ6K6RIION7M",
  "eu-central-1": "Z21DNDUVLTQW6Q",
  "eu-west-1": "Z1BKCTXD74EZPE",
};

/** Human names of the regions the mock knows (getRegion's description). */
export const REGION_DESCRIPTIONS: Record<string, string> = {
  "us-east-1": "US East (N. Virginia)",
  "us-east-2": "US East (Ohio)",
  "us-west-1": "US West (N. California)",
  "us-west-2": "US West (Oregon)",
  "eu-central-1": "Europe (Frankfurt)",
  "eu-west-1": "Europe (Ireland)",
};
