/**
 * The application tier's three-tier security-group chain, as data and as resources.
 *
 *   internet --443, 80--> alb --appPort--> app --5432--> db
 *                                          app --443--> VPC interface endpoints, S3 (gateway prefix list)
 *
 * Each rule is a standalone `aws.vpc.SecurityGroupIngressRule`/`EgressRule` (never inline rules,
 * which the provider cannot mix with standalone ones), created after all three groups, so the
 * chain has no dependency cycle. Every group starts with no rule at all: the provider removes the
 * allow-all egress rule AWS adds to a new group
 * (https://www.pulumi.com/registry/packages/aws/api-docs/ec2/securitygroup/), and the database group
 * gets no egress rule (security groups are stateful: replies need none).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackContext } from "../config";
import { physicalName } from "../lib/naming";
import { platformTags } from "../lib/tags";

/** The tier groups of the chain. */
export type TierGroup = "alb" | "app" | "db";
/** What a rule's other end is: a tier group, the internet, the VPC's interface endpoints, or S3's gateway prefix list. */
export type Peer = TierGroup | "internet" | "endpoints" | "s3";

/** One rule of the chain: traffic from `from` to `to` on `port` (TCP). */
export interface ChainRule {
  readonly from: Peer;
  readonly to: Peer;
  readonly port: number;
  readonly description: string;
}

export const POSTGRES_PORT = 5432;
export const HTTPS_PORT = 443;
export const HTTP_PORT = 80;

/** The rules of the chain for an application serving on `appPort`. */
export function securityGroupChain(appPort: number): ChainRule[] {
  return [
    { from: "internet", to: "alb", port: HTTPS_PORT, description: "HTTPS from the internet" },
    { from: "internet", to: "alb", port: HTTP_PORT, description: "HTTP from the internet (the listener only redirects to HTTPS)" },
    { from: "alb", to: "app", port: appPort, description: "HTTPS to the application instances" },
    { from: "app", to: "db", port: POSTGRES_PORT, description: "PostgreSQL from the application instances" },
    {
      from: "app",
      to: "endpoints",
      port: HTTPS_PORT,
      description: "AWS APIs through the VPC interface endpoints (SSM, logs, Secrets Manager, KMS)",
    },
    { from: "app", to: "s3", port: HTTPS_PORT, description: "S3 through its gateway endpoint (Amazon Linux package repositories)" },
  ];
}

/** Every peer that traffic from `source` can reach, following the chain's rules transitively. */
export function reachable(rules: readonly ChainRule[], source: Peer): Set<Peer> {
  const seen = new Set<Peer>();
  const queue: Peer[] = [source];
  while (queue.length > 0) {
    const at = queue.shift()!;
    for (const r of rules.filter((x) => x.from === at && !seen.has(x.to))) {
      seen.add(r.to);
      queue.push(r.to);
    }
  }
  return seen;
}

export interface SecurityGroupChainArgs {
  readonly config: StackContext;
  readonly vpcId: pulumi.Input<string>;
  readonly appPort: number;
  /** The security group of the VPC's interface endpoints (Network.endpointSecurityGroupId). */
  readonly endpointSecurityGroupId: pulumi.Input<string>;
  /** The S3 gateway endpoint's prefix list (Network.gatewayPrefixListIds[0]). */
  readonly s3PrefixListId: pulumi.Input<string>;
}

export interface SecurityGroupChain {
  readonly albSecurityGroupId: pulumi.Output<string>;
  readonly appSecurityGroupId: pulumi.Output<string>;
  readonly dbSecurityGroupId: pulumi.Output<string>;
}

const GROUP_DESCRIPTIONS: Record<TierGroup, string> = {
  alb: "Application load balancer: HTTPS and HTTP from the internet, to the application instances only",
  app: "Application instances: from the load balancer only; to the database, the VPC endpoints and S3",
  db: "Application database: PostgreSQL from the application instances only, no egress",
};

/** Creates the three groups and the chain's rules as children of `parent`. */
export function createSecurityGroupChain(name: string, args: SecurityGroupChainArgs, parent: pulumi.Resource): SecurityGroupChain {
  const { config } = args;
  const groups = {} as Record<TierGroup, aws.ec2.SecurityGroup>;
  for (const tier of ["alb", "app", "db"] as const) {
    const groupName = physicalName(config.stack, "securityGroup", "app", tier);
    groups[tier] = new aws.ec2.SecurityGroup(
      `${name}-${tier}-sg`,
      {
        vpcId: args.vpcId,
        name: groupName,
        description: GROUP_DESCRIPTIONS[tier],
        revokeRulesOnDelete: true,
        tags: { ...platformTags(config, { purpose: `app-${tier}` }), Name: groupName },
      },
      { parent },
    );
  }
  const peer = (p: Peer): Partial<aws.vpc.SecurityGroupIngressRuleArgs> => {
    switch (p) {
      case "internet":
        return { cidrIpv4: "0.0.0.0/0" };
      case "endpoints":
        return { referencedSecurityGroupId: args.endpointSecurityGroupId };
      case "s3":
        return { prefixListId: args.s3PrefixListId };
      default:
        return { referencedSecurityGroupId: groups[p].id };
    }
  };
  for (const rule of securityGroupChain(args.appPort)) {
    const base = { ipProtocol: "tcp", fromPort: rule.port, toPort: rule.port, description: rule.description };
    const id = `${rule.from}-to-${rule.to}-${rule.port}`;
    const tags = platformTags(config, { purpose: `app-${id}` });
    // An ingress rule on the receiving tier group; an egress rule on the sending tier group.
    if (rule.to === "alb" || rule.to === "app" || rule.to === "db") {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-${id}-in`,
        { securityGroupId: groups[rule.to].id, ...base, ...peer(rule.from), tags },
        { parent },
      );
    }
    if (rule.from === "alb" || rule.from === "app" || rule.from === "db") {
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-${id}-out`,
        { securityGroupId: groups[rule.from].id, ...base, ...peer(rule.to), tags },
        { parent },
      );
    }
  }
  return { albSecurityGroupId: groups.alb.id, appSecurityGroupId: groups.app.id, dbSecurityGroupId: groups.db.id };
}
