// Security group ingress rules in their three v7 shapes, normalised.
//  - aws.ec2.SecurityGroup / DefaultSecurityGroup: inline `ingress[]` {protocol, fromPort, toPort, cidrBlocks, ipv6CidrBlocks}
//  - aws.ec2.SecurityGroupRule with type "ingress": the same fields
//  - aws.vpc.SecurityGroupIngressRule: {ipProtocol, fromPort, toPort, cidrIpv4, cidrIpv6}
//
// Preview: a CIDR that is unknown is the output of another resource (a VPC or subnet range),
// never the literal 0.0.0.0/0, so it is treated as not world-open. Ports and protocol of a
// world-open rule are read with `get`: unknown -> "can't run during preview".

import { T } from "./types";
import { asString, get, list, num, probe, UNKNOWN } from "./util";

export const WORLD = new Set(["0.0.0.0/0", "::/0"]);

export interface IngressRule {
  protocol: string;
  fromPort: number;
  toPort: number;
  worldCidrs: string[];
}

function worldCidrs(values: unknown[]): string[] {
  return values.filter((v): v is string => v !== UNKNOWN && typeof v === "string" && WORLD.has(v));
}

function cidrList(container: unknown, key: string): unknown[] {
  const raw = probe(container, key);
  if (raw === UNKNOWN || raw === undefined || raw === null) {
    return [];
  }
  if (!Array.isArray(raw)) {
    return [raw];
  }
  const out: unknown[] = [];
  for (let i = 0; i < raw.length; i++) {
    out.push(probe(raw, i));
  }
  return out;
}

function normalise(protocolRaw: unknown, fromRaw: unknown, toRaw: unknown): { protocol: string; fromPort: number; toPort: number } {
  const protocol = asString(protocolRaw ?? "-1").toLowerCase();
  const all = protocol === "-1" || protocol === "all";
  const fromPort = num(fromRaw);
  const toPort = num(toRaw);
  if (all || fromPort === undefined || fromPort < 0) {
    return { protocol: all ? "-1" : protocol, fromPort: 0, toPort: 65535 };
  }
  return { protocol, fromPort, toPort: toPort === undefined || toPort < 0 ? 65535 : toPort };
}

/** World-open ingress rules of a resource (only rules open to 0.0.0.0/0 or ::/0 are returned). */
export function worldOpenIngress(type: string, props: Record<string, unknown>): IngressRule[] {
  const out: IngressRule[] = [];
  const push = (rule: unknown, protoKey: string, cidrKeys: string[]) => {
    const cidrs = worldCidrs(cidrKeys.flatMap((k) => cidrList(rule, k)));
    if (cidrs.length === 0) {
      return;
    }
    const n = normalise(get(rule, protoKey), get(rule, "fromPort"), get(rule, "toPort"));
    out.push({ ...n, worldCidrs: cidrs });
  };
  if (type === T.securityGroup || type === T.defaultSecurityGroup) {
    for (const rule of list(get(props, "ingress"))) {
      push(rule, "protocol", ["cidrBlocks", "ipv6CidrBlocks"]);
    }
  } else if (type === T.securityGroupRule) {
    if (get(props, "type") === "ingress") {
      push(props, "protocol", ["cidrBlocks", "ipv6CidrBlocks"]);
    }
  } else if (type === T.sgIngressRule) {
    push(props, "ipProtocol", ["cidrIpv4", "cidrIpv6"]);
  }
  return out;
}

export const INGRESS_TYPES = [T.securityGroup, T.securityGroupRule, T.sgIngressRule, T.defaultSecurityGroup];

/** TCP-relevant: tcp, "6" or all protocols. */
export function coversTcp(rule: IngressRule): boolean {
  return rule.protocol === "-1" || rule.protocol === "tcp" || rule.protocol === "6";
}

export function coversUdp(rule: IngressRule): boolean {
  return rule.protocol === "-1" || rule.protocol === "udp" || rule.protocol === "17";
}

export function coversPort(rule: IngressRule, port: number): boolean {
  return port >= rule.fromPort && port <= rule.toPort;
}

export function describeRule(rule: IngressRule): string {
  const ports =
    rule.protocol === "-1"
      ? "all traffic"
      : rule.fromPort === rule.toPort
        ? `${rule.protocol}/${rule.fromPort}`
        : `${rule.protocol}/${rule.fromPort}-${rule.toPort}`;
  return `${ports} from ${rule.worldCidrs.join(", ")}`;
}
