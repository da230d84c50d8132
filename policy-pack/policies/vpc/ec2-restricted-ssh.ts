import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { coversPort, coversTcp, describeRule, INGRESS_TYPES, worldOpenIngress } from "../lib/net";

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
