import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { coversPort, coversTcp, describeRule, INGRESS_TYPES, worldOpenIngress } from "../lib/net";

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
