import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { LB_TYPES } from "../lib/types";
import { get, isTrue } from "../lib/util";
import { isApplication } from "./lib";

export const albDropInvalidHeaders = resourcePolicy({
  name: "alb-drop-invalid-headers",
  description: "Application load balancers drop requests with invalid HTTP header fields.",
  severity: "medium",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.transmission),
  cdkNag: ["ALBHttpDropInvalidHeaderEnabled"],
  awsConfig: ["alb-http-drop-invalid-header-enabled"],
  resourceTypes: [...LB_TYPES],
  remediationSteps: "Set `dropInvalidHeaderFields: true` on the aws.lb.LoadBalancer.",
  examines: [{ rule: "Application Load Balancers (the setting exists on them only)", where: (ctx) => isApplication(ctx.props) }],
  validate: (ctx, report) => {
    if (!isTrue(get(ctx.props, "dropInvalidHeaderFields"))) {
      report("Invalid header fields are forwarded (dropInvalidHeaderFields is not true): request smuggling risk.");
    }
  },
});
