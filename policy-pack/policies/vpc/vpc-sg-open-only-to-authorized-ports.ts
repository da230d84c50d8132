import { hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { coversTcp, coversUdp, describeRule, INGRESS_TYPES, worldOpenIngress } from "../lib/net";

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
