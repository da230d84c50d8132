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
  framework: hipaa("164.312(b)", ...CITES.availability),
  cdkNag: ["AutoScalingGroupELBHealthCheckRequired"],
  awsConfig: ["autoscaling-group-elb-healthcheck-required"],
  resourceTypes: [T.autoscalingGroup],
  remediationSteps: 'Set `healthCheckType: "ELB"` (with a grace period) on groups that register with target groups.',
  validate: (ctx, report) => {
    const behindLb = ["targetGroupArns", "loadBalancers", "trafficSources"].some((k) => present(ctx.props, k));
    if (behindLb && str(get(ctx.props, "healthCheckType")) !== "ELB") {
      report('The group serves a load balancer but uses EC2 health checks: set healthCheckType: "ELB".');
    }
  },
});
