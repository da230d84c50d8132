/**
 * The architecture picture, drawn from a deployment (a plan or a `pulumi stack export`) alone:
 *  - trust boundaries: the internet, public / private / isolated subnets (recovered from the route
 *    tables: a route to an internet gateway makes a subnet public, to a NAT gateway private, none
 *    isolated), regional services outside the VPC, and the recovery region (a provider whose region
 *    is not the primary one);
 *  - inside each boundary, the program's components as clusters (the parent chain of URNs);
 *  - the resources that hold PHI (data stores classified PHI, as the pack classifies them: an
 *    untagged store counts as PHI) and those that move it;
 *  - the paths PHI and audit events take, recovered from well-known inputs (a bucket notification's
 *    bucket and function, a replication rule's destination, a trail's bucket and log group, a
 *    subscription filter, Firehose destinations, backup selections, security-group references...)
 *    resolved by ARN, id or name and by the engine's property dependencies.
 * The types drawn and the inputs that link them are in architecture-links.ts.
 * Rendering (architecture-render.ts) uses Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz);
 * the DOT source is sorted, so the same deployment gives the same bytes.
 */
import type { LoadedDeployment, StateResource } from "../../policy-pack/checker/deployment";
import { classificationOf, effectiveTags, Tags } from "../../policy-pack/policies/lib/tags";
import { asString } from "../../policy-pack/policies/lib/util";
import { CONNECTORS, DIRECT, DRAWN, DRAWN_IF_LINKED, MOVERS, STORES, T } from "./architecture-links";

export type Zone = "internet" | "public" | "private" | "isolated" | "regional" | "recovery";
export type FlowKind = "phi" | "audit" | "control";

export interface ArchNode {
  id: string;
  urn: string;
  name: string;
  type: string;
  /** Short service label, e.g. "s3 bucket". */
  kind: string;
  zone: Zone;
  region?: string;
  /** Component URNs from the outermost to the innermost parent (the stack excluded). */
  components: string[];
  /** Classified PHI (DataClassification tag, provider default tags; untagged counts as PHI). */
  phi: boolean;
  holdsPhi: boolean;
  movesPhi: boolean;
}

export interface ArchEdge {
  from: string;
  to: string;
  kind: FlowKind;
  label: string;
}

export interface Architecture {
  primaryRegion?: string;
  recoveryRegions: string[];
  nodes: ArchNode[];
  edges: ArchEdge[];
}

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === "string") {
    out.push(v);
  } else if (Array.isArray(v)) {
    v.forEach((x) => strings(x, out));
  } else if (v && typeof v === "object") {
    Object.keys(v)
      .sort()
      .forEach((k) => strings((v as Record<string, unknown>)[k], out));
  }
  return out;
}

/** The identifiers a string may stand for: itself, without a `:*` suffix, an S3 ARN's bucket. */
function aliases(s: string): string[] {
  const out = [s];
  if (s.endsWith(":*")) out.push(s.slice(0, -2));
  const m = /^arn:aws[a-z-]*:s3:::([^/]+)/.exec(s);
  if (m) out.push(m[1], `arn:aws:s3:::${m[1]}`);
  return out;
}

function props(r: StateResource): Record<string, unknown> {
  return Object.keys(r.inputs).length > 0 ? r.inputs : r.outputs;
}

function shortType(type: string): string {
  const [pkg, mod] = type.split(":");
  const cls = type.slice(type.lastIndexOf(":") + 1);
  const service = (mod ?? "").split("/")[0];
  return `${pkg === "aws" ? service : pkg} ${cls.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}`;
}

export function urnName(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i >= 0 ? urn.slice(i + 2) : urn;
}

/** Recovers the architecture from a deployment. Pure and deterministic. */
export function buildArchitecture(deployment: LoadedDeployment): Architecture {
  const resources = [...deployment.resources].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  const byUrn = new Map(resources.map((r) => [r.urn, r]));

  // identifiers -> URNs
  const ids = new Map<string, Set<string>>();
  const addId = (s: unknown, urn: string) => {
    if (typeof s !== "string" || s === "") return;
    for (const a of aliases(s)) {
      const set = ids.get(a) ?? new Set<string>();
      set.add(urn);
      ids.set(a, set);
    }
  };
  for (const r of resources) {
    if (!r.custom) continue;
    addId(r.id, r.urn);
    for (const src of [r.outputs, r.inputs]) {
      for (const k of ["arn", "id", "name", "bucket", "identifier", "domainName"]) addId(src[k], r.urn);
    }
  }
  const resolve = (r: StateResource, key: string, types: readonly string[]): string[] => {
    const found = new Set<string>();
    for (const s of strings(props(r)[key])) {
      for (const a of aliases(s)) {
        for (const urn of ids.get(a) ?? []) if (urn !== r.urn && types.includes(byUrn.get(urn)!.type)) found.add(urn);
      }
    }
    for (const urn of r.propertyDependencies[key] ?? []) {
      const t = byUrn.get(urn)?.type;
      if (t && urn !== r.urn && types.includes(t)) found.add(urn);
    }
    return [...found].sort();
  };

  // regions by provider
  const providerRegion = new Map<string, string>();
  for (const r of resources) {
    if (r.type.startsWith("pulumi:providers:aws") && typeof r.inputs.region === "string") providerRegion.set(r.urn, r.inputs.region);
  }
  const regionOf = (r: StateResource): string | undefined => {
    if (!r.provider) return undefined;
    const i = r.provider.lastIndexOf("::");
    return providerRegion.get(i > 0 ? r.provider.slice(0, i) : r.provider);
  };
  const regionCounts = new Map<string, number>();
  for (const r of resources) {
    const reg = regionOf(r);
    if (reg && r.custom) regionCounts.set(reg, (regionCounts.get(reg) ?? 0) + 1);
  }
  const primaryRegion = [...regionCounts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  const recoveryRegions = [...regionCounts.keys()].filter((r) => r !== primaryRegion).sort();

  // subnet tiers from routes
  const routeTableTier = new Map<string, "public" | "private">();
  const markRoutes = (rt: string, route: Record<string, unknown>) => {
    const gw = asString(route.gatewayId ?? "");
    if (gw.startsWith("igw-")) routeTableTier.set(rt, "public");
    else if ((route.natGatewayId || route.transitGatewayId || gw.startsWith("vgw-")) && routeTableTier.get(rt) !== "public")
      routeTableTier.set(rt, "private");
  };
  const rtKey = (r: StateResource) => [...resolve(r, "routeTableId", [T.routeTable])];
  for (const r of resources) {
    if (r.type === T.route) rtKey(r).forEach((rt) => markRoutes(rt, props(r)));
    if (r.type === T.routeTable) {
      for (const route of Array.isArray(props(r).routes) ? (props(r).routes as Record<string, unknown>[]) : []) markRoutes(r.urn, route);
    }
  }
  const subnetTier = new Map<string, "public" | "private" | "isolated">();
  for (const r of resources) {
    if (r.type === T.subnet) subnetTier.set(r.urn, props(r).mapPublicIpOnLaunch === true ? "public" : "isolated");
  }
  for (const r of resources) {
    if (r.type !== T.rta) continue;
    const tier = rtKey(r)
      .map((rt) => routeTableTier.get(rt))
      .find((t) => t !== undefined);
    for (const s of resolve(r, "subnetId", [T.subnet])) {
      const before = subnetTier.get(s);
      if (tier === "public" || (tier === "private" && before !== "public")) subnetTier.set(s, tier);
    }
  }

  // resource -> subnets and security groups
  const subnetKeys: Record<string, string[]> = {
    [T.fn]: ["vpcConfig"],
    [T.domain]: ["vpcOptions"],
    [T.alb]: ["subnets", "subnetMappings"],
    [T.albAlias]: ["subnets", "subnetMappings"],
    [T.asg]: ["vpcZoneIdentifiers"],
    [T.ec2]: ["subnetId"],
    [T.firehose]: ["opensearchConfiguration", "elasticsearchConfiguration"],
    [T.subnetGroup]: ["subnetIds"],
  };
  const subnetsOf = (r: StateResource): string[] => {
    const keys = subnetKeys[r.type] ?? [];
    const out = new Set(keys.flatMap((k) => resolve(r, k, [T.subnet])));
    if (r.type === T.rds || r.type === T.rdsCluster) {
      for (const g of resolve(r, "dbSubnetGroupName", [T.subnetGroup])) subnetsOf(byUrn.get(g)!).forEach((s) => out.add(s));
    }
    return [...out].sort();
  };
  const sgKeys: Record<string, string[]> = {
    [T.fn]: ["vpcConfig"],
    [T.domain]: ["vpcOptions"],
    [T.alb]: ["securityGroups"],
    [T.albAlias]: ["securityGroups"],
    [T.rds]: ["vpcSecurityGroupIds"],
    [T.rdsCluster]: ["vpcSecurityGroupIds"],
    [T.ec2]: ["vpcSecurityGroupIds", "securityGroups"],
    [T.launchTemplate]: ["networkInterfaces", "vpcSecurityGroupIds"],
    [T.firehose]: ["opensearchConfiguration", "elasticsearchConfiguration"],
  };
  const sgsOf = (r: StateResource): string[] => {
    const out = new Set((sgKeys[r.type] ?? []).flatMap((k) => resolve(r, k, [T.sg])));
    if (r.type === T.asg) {
      for (const lt of resolve(r, "launchTemplate", [T.launchTemplate])) sgsOf(byUrn.get(lt)!).forEach((s) => out.add(s));
    }
    return [...out].sort();
  };

  const components = (r: StateResource): string[] => {
    const chain: string[] = [];
    let p = r.parent ? byUrn.get(r.parent) : undefined;
    while (p && p.type !== "pulumi:pulumi:Stack") {
      chain.unshift(p.urn);
      p = p.parent ? byUrn.get(p.parent) : undefined;
    }
    return chain;
  };
  const classification = (r: StateResource): string => {
    let tags: Tags = {};
    try {
      const prov = r.provider ? byUrn.get(r.provider.slice(0, r.provider.lastIndexOf("::"))) : undefined;
      tags = effectiveTags(props(r), prov ? { props: prov.inputs } : undefined);
    } catch {
      tags = {};
    }
    return classificationOf(tags);
  };

  // nodes
  const candidates = resources.filter((r) => r.custom && (DRAWN.has(r.type) || DRAWN_IF_LINKED.has(r.type)));
  const nodeOf = new Map<string, ArchNode>();
  candidates.forEach((r, i) => {
    const region = regionOf(r);
    const tiers = subnetsOf(r).map((s) => subnetTier.get(s) ?? "isolated");
    const zone: Zone =
      region && region !== primaryRegion
        ? "recovery"
        : tiers.includes("public")
          ? "public"
          : tiers.includes("private")
            ? "private"
            : tiers.includes("isolated")
              ? "isolated"
              : "regional";
    const phi = classification(r) === "PHI";
    nodeOf.set(r.urn, {
      id: `n${i}`,
      urn: r.urn,
      name: urnName(r.urn),
      type: r.type,
      kind: shortType(r.type),
      zone,
      region,
      components: components(r),
      phi,
      holdsPhi: phi && STORES.has(r.type),
      movesPhi: phi && MOVERS.has(r.type),
    });
  });

  // edges
  const edges = new Map<string, ArchEdge>();
  const add = (from: string, to: string, kind: FlowKind | "auto", label: string) => {
    const a = nodeOf.get(from);
    const b = nodeOf.get(to);
    if (!a || !b || a === b) return;
    const k: FlowKind = kind !== "auto" ? kind : a.phi && b.phi ? "phi" : "audit";
    const key = `${a.urn}\u0000${b.urn}\u0000${label}`;
    if (!edges.has(key)) edges.set(key, { from: a.urn, to: b.urn, kind: k, label });
  };
  for (const r of resources) {
    for (const l of DIRECT) {
      if (!l.type.includes(r.type)) continue;
      for (const t of resolve(r, l.key, l.to)) {
        if (l.reverse) add(t, r.urn, l.kind, l.label);
        else add(r.urn, t, l.kind, l.label);
      }
    }
    for (const c of CONNECTORS) {
      if (c.type !== r.type) continue;
      const to = resolve(r, c.toKey, c.to);
      for (const f of resolve(r, c.fromKey, c.from)) for (const t of to) add(f, t, c.kind, c.label);
    }
  }
  // network paths: an ingress rule admitting a security group (or the internet) into another
  const members = new Map<string, string[]>();
  for (const r of resources) {
    if (!nodeOf.has(r.urn)) continue;
    for (const sg of sgsOf(r)) members.set(sg, [...(members.get(sg) ?? []), r.urn]);
  }
  const internet = "internet";
  let internetUsed = false;
  for (const r of resources) {
    if (r.type !== T.ingress && r.type !== T.sgRule) continue;
    const p = props(r);
    if (r.type === T.sgRule && p.type !== "ingress") continue;
    const into = resolve(r, "securityGroupId", [T.sg]).flatMap((sg) => members.get(sg) ?? []);
    const fromKey = r.type === T.ingress ? "referencedSecurityGroupId" : "sourceSecurityGroupId";
    const from = resolve(r, fromKey, [T.sg]).flatMap((sg) => members.get(sg) ?? []);
    const port = p.fromPort === p.toPort ? `port ${String(p.fromPort)}` : `ports ${String(p.fromPort)}-${String(p.toPort)}`;
    const open = p.cidrIpv4 === "0.0.0.0/0" || p.cidrIpv6 === "::/0" || (Array.isArray(p.cidrBlocks) && p.cidrBlocks.includes("0.0.0.0/0"));
    for (const t of into) {
      for (const f of from) add(f, t, "auto", port);
      if (open && nodeOf.get(t)?.zone === "public") {
        internetUsed = true;
        edges.set(`${internet}\u0000${t}\u0000${port}`, {
          from: internet,
          to: t,
          kind: nodeOf.get(t)!.movesPhi ? "phi" : "audit",
          label: port,
        });
      }
    }
  }

  const linked = new Set<string>();
  for (const e of edges.values()) linked.add(e.from).add(e.to);
  const nodes = [...nodeOf.values()].filter((n) => !DRAWN_IF_LINKED.has(n.type) || linked.has(n.urn));
  if (internetUsed) {
    nodes.unshift({
      id: "internet",
      urn: internet,
      name: "Internet",
      type: "internet",
      kind: "users and clients",
      zone: "internet",
      components: [],
      phi: true,
      holdsPhi: false,
      movesPhi: true,
    });
  }
  const order = (a: ArchEdge, b: ArchEdge) => (`${a.from} ${a.to} ${a.label}` < `${b.from} ${b.to} ${b.label}` ? -1 : 1);
  return { primaryRegion, recoveryRegions, nodes, edges: [...edges.values()].sort(order) };
}
