/**
 * The provider functions (invokes) the mock answers, with what the provider would return; any other
 * invoke is an error. `aws.iam.getPolicyDocument` is rendered to the IAM JSON the provider renders.
 */
import { asString } from "../../policy-pack/policies/lib/util";
import { hexId } from "./ids";
import { ACCOUNT_ID, MockZone, PARTITION, REGION_DESCRIPTIONS, regionZones, vpcEndpointService } from "./regions";

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
export interface InvokeContext {
  /** {@link ENDPOINT_SERVICE_ZONE_GAPS} with this cloud's test overrides. */
  readonly endpointServiceZoneGaps: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

export const INVOKES: Record<string, (inputs: Record<string, unknown>, region: string, ctx: InvokeContext) => Record<string, unknown>> = {
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
