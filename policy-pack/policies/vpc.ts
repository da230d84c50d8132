// VPC and security groups: network isolation of PHI workloads and records of the traffic.

import { CITES, hipaa } from "./lib/hipaa";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { companionsOf, ofTypes } from "./lib/join";
import { coversPort, coversTcp, coversUdp, describeRule, INGRESS_TYPES, worldOpenIngress } from "./lib/net";
import { T } from "./lib/types";
import { get, isTrue, list, present, str } from "./lib/util";

const isVpc = ofTypes([T.vpc]);

export const vpcFlowLogsEnabled = stackPolicy<{ requiredTrafficType: string }>({
  name: "vpc-flow-logs-enabled",
  description: "Every VPC has a flow log that records its traffic.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.audit, "164.308(a)(1)(ii)(D)"),
  cdkNag: ["VPCFlowLogsEnabled"],
  awsConfig: ["vpc-flow-logs-enabled"],
  resourceTypes: [T.vpc],
  relatedTypes: [T.flowLog],
  config: {
    requiredTrafficType: {
      type: "string",
      enum: ["ALL", "REJECT", "ACCEPT"],
      default: "ALL",
      description: "Traffic the VPC-level flow log must capture.",
    },
  },
  remediationSteps:
    'Add an aws.ec2.FlowLog with `vpcId: vpc.id`, `trafficType: "ALL"` and a destination ' +
    "(an encrypted CloudWatch log group with its delivery role, or an S3 bucket).",
  validate: (ctx, report) => {
    const flowLogs = ctx.ofType([T.flowLog]);
    ctx.each(ctx.ofType([T.vpc]), (vpc) => {
      const joined = companionsOf(vpc, flowLogs, ["vpcId"], isVpc);
      const good = joined.matched.filter((f) => {
        const traffic = str(get(f.props, "trafficType")) ?? "";
        return (
          (traffic === "ALL" || traffic === ctx.config.requiredTrafficType) &&
          (present(f.props, "logDestination") || present(f.props, "logGroupName"))
        );
      });
      if (good.length > 0) {
        return;
      }
      if (joined.undecided) {
        ctx.undecided([vpc.type, vpc.name, "id"]);
        return;
      }
      report(
        vpc.urn,
        joined.matched.length === 0
          ? "The VPC has no flow log: add an aws.ec2.FlowLog for it."
          : `The VPC's flow log does not capture ${ctx.config.requiredTrafficType} traffic to a destination.`,
      );
    });
  },
});

export const vpcDefaultSecurityGroupClosed = stackPolicy({
  name: "vpc-default-security-group-closed",
  description: "Each VPC's default security group is managed and has no rules, so nothing can fall back to it.",
  severity: "medium",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.312(e)(1)", "164.312(a)(1)"),
  cdkNag: ["VPCDefaultSecurityGroupClosed"],
  awsConfig: ["vpc-default-security-group-closed"],
  resourceTypes: [T.vpc],
  relatedTypes: [T.defaultSecurityGroup],
  remediationSteps:
    "Adopt the default group with `new aws.ec2.DefaultSecurityGroup(..., { vpcId: vpc.id })` and no " +
    "ingress or egress blocks: Pulumi then removes AWS's default allow rules.",
  validate: (ctx, report) => {
    const defaults = ctx.ofType([T.defaultSecurityGroup]);
    ctx.each(ctx.ofType([T.vpc]), (vpc) => {
      const joined = companionsOf(vpc, defaults, ["vpcId"], isVpc);
      if (joined.matched.length === 0) {
        if (joined.undecided) {
          ctx.undecided([vpc.type, vpc.name, "id"]);
        } else {
          report(vpc.urn, "The VPC's default security group is not managed, so it keeps AWS's allow-all rules.");
        }
        return;
      }
      for (const sg of joined.matched) {
        if (list(get(sg.props, "ingress")).length > 0 || list(get(sg.props, "egress")).length > 0) {
          report(sg.urn, "The default security group has rules: remove every ingress and egress block.");
        }
      }
    });
  },
});

export const vpcSubnetNoPublicIpOnLaunch = resourcePolicy({
  name: "vpc-subnet-no-public-ip-on-launch",
  description: "Subnets do not assign public IPv4 addresses to what is launched in them.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.publicAccess),
  cdkNag: ["VPCSubnetAutoAssignPublicIpDisabled"],
  awsConfig: ["subnet-auto-assign-public-ip-disabled"],
  resourceTypes: [T.subnet],
  remediationSteps:
    "Set `mapPublicIpOnLaunch: false` (or leave it unset). Public subnets only host the ALB and NAT " +
    "gateways, which get their addresses explicitly.",
  validate: (ctx, report) => {
    if (isTrue(get(ctx.props, "mapPublicIpOnLaunch"))) {
      report("The subnet auto-assigns public IPs (mapPublicIpOnLaunch: true).");
    }
  },
});

export const ec2RestrictedSsh = resourcePolicy({
  name: "ec2-restricted-ssh",
  description: "No security group allows SSH (port 22) from 0.0.0.0/0 or ::/0.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.restrictedPorts),
  cdkNag: ["EC2RestrictedSSH"],
  awsConfig: ["restricted-ssh"],
  resourceTypes: INGRESS_TYPES,
  remediationSteps:
    "Remove the world-open port 22 rule; reach instances through SSM Session Manager or restrict the " +
    "source to a known CIDR or security group.",
  validate: (ctx, report) => {
    for (const rule of worldOpenIngress(ctx.type, ctx.props)) {
      if (coversTcp(rule) && coversPort(rule, 22)) {
        report(`Ingress ${describeRule(rule)} opens SSH to the internet.`);
      }
    }
  },
});

export const ec2RestrictedCommonPorts = resourcePolicy<{ blockedPorts: number[] }>({
  name: "ec2-restricted-common-ports",
  description: "No security group opens administrative or database ports to 0.0.0.0/0 or ::/0.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.restrictedPorts),
  cdkNag: ["EC2RestrictedCommonPorts"],
  awsConfig: ["restricted-common-ports"],
  resourceTypes: INGRESS_TYPES,
  config: {
    blockedPorts: {
      type: "array",
      items: { type: "integer", minimum: 0, maximum: 65535 },
      uniqueItems: true,
      default: [20, 21, 23, 1433, 1521, 3306, 3389, 4333, 5432, 6379, 9200, 27017],
      description: "TCP ports that must never be open to the internet (AWS Config: 20, 21, 3389, 3306, 4333; plus database ports).",
    },
  },
  remediationSteps: "Restrict the rule's source to the security group of the client tier or to a private CIDR.",
  validate: (ctx, report) => {
    for (const rule of worldOpenIngress(ctx.type, ctx.props)) {
      const hit = ctx.config.blockedPorts.filter((p) => coversTcp(rule) && coversPort(rule, p));
      if (hit.length > 0) {
        report(`Ingress ${describeRule(rule)} opens blocked port(s) ${hit.join(", ")} to the internet.`);
      }
    }
  },
});

export const vpcSgOpenOnlyToAuthorizedPorts = resourcePolicy<{ authorizedTcpPorts: number[]; authorizedUdpPorts: number[] }>({
  name: "vpc-sg-open-only-to-authorized-ports",
  description: "Security group rules open to 0.0.0.0/0 or ::/0 only allow the authorized public ports.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.312(e)(1)", "164.312(a)(1)"),
  awsConfig: ["vpc-sg-open-only-to-authorized-ports"],
  resourceTypes: INGRESS_TYPES,
  config: {
    authorizedTcpPorts: {
      type: "array",
      items: { type: "integer", minimum: 0, maximum: 65535 },
      uniqueItems: true,
      default: [80, 443],
      description: "Public TCP ports (the ALB's 443, and 80 which only redirects to HTTPS).",
    },
    authorizedUdpPorts: {
      type: "array",
      items: { type: "integer", minimum: 0, maximum: 65535 },
      uniqueItems: true,
      default: [],
      description: "Public UDP ports.",
    },
  },
  remediationSteps:
    "Open only the authorized ports to the internet (the load balancer's 443/80); everything else " +
    "takes its source from another security group.",
  validate: (ctx, report) => {
    for (const rule of worldOpenIngress(ctx.type, ctx.props)) {
      if (rule.protocol === "-1") {
        report(`Ingress ${describeRule(rule)} opens every port to the internet.`);
        continue;
      }
      if (!coversTcp(rule) && !coversUdp(rule)) {
        continue; // ICMP and other protocols carry no service port (AWS Config checks TCP and UDP only)
      }
      const allowed = coversTcp(rule) ? ctx.config.authorizedTcpPorts : ctx.config.authorizedUdpPorts;
      const width = rule.toPort - rule.fromPort + 1;
      const ok = width <= 1024 && Array.from({ length: width }, (_, i) => rule.fromPort + i).every((p) => allowed.includes(p));
      if (!ok) {
        report(
          `Ingress ${describeRule(rule)} is open to the internet on ports that are not authorized ` +
            `(authorized: ${allowed.length ? allowed.join(", ") : "none"}).`,
        );
      }
    }
  },
});

export const vpcPolicies = [
  vpcFlowLogsEnabled,
  vpcDefaultSecurityGroupClosed,
  vpcSubnetNoPublicIpOnLaunch,
  ec2RestrictedSsh,
  ec2RestrictedCommonPorts,
  vpcSgOpenOnlyToAuthorizedPorts,
];
