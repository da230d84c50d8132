import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, present, str } from "../lib/util";

export const autoscalingElbHealthCheck = resourcePolicy({
  name: "autoscaling-elb-health-check",
  description: "Auto Scaling groups behind a load balancer use ELB health checks.",
  severity: "medium",
  enforcementLevel: "advisory",
  category: "hygiene",
  // Health checking keeps the group serving (contingency, emergency-mode operation); it records no
  // activity, so it is not 164.312(b) Audit controls, although cdk-nag and AWS Config file it there.
  framework: hipaa(...CITES.availability),
  cdkNag: ["AutoScalingGroupELBHealthCheckRequired"],
  awsConfig: ["autoscaling-group-elb-healthcheck-required"],
  resourceTypes: [T.autoscalingGroup],
  remediationSteps: 'Set `healthCheckType: "ELB"` (with a grace period) on groups that register with target groups.',
  examines: [
    {
      rule: "groups that register with a load balancer (targetGroupArns, loadBalancers or trafficSources)",
      where: (ctx) => ["targetGroupArns", "loadBalancers", "trafficSources"].some((k) => present(ctx.props, k)),
    },
  ],
  validate: (ctx, report) => {
    if (str(get(ctx.props, "healthCheckType")) !== "ELB") {
      report('The group serves a load balancer but uses EC2 health checks: set healthCheckType: "ELB".');
    }
  },
});
