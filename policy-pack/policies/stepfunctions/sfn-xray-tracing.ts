import { hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isTrue } from "../lib/util";

export const sfnXrayTracing = resourcePolicy({
  name: "sfn-xray-tracing",
  description: "State machines have X-Ray tracing enabled.",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.312(b)"),
  resourceTypes: [T.stateMachine],
  remediationSteps: "Set `tracingConfiguration: { enabled: true }`.",
  validate: (ctx, report) => {
    if (!isTrue(get(ctx.props, "tracingConfiguration", "enabled"))) {
      report("X-Ray tracing is off.");
    }
  },
});
