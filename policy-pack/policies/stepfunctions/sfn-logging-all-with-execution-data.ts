import { hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isTrue, present, str } from "../lib/util";

export const sfnLoggingAllWithExecutionData = resourcePolicy({
  name: "sfn-logging-all-with-execution-data",
  description: "State machines log ALL events, with execution data, to CloudWatch Logs.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.312(b)", "164.308(a)(1)(ii)(D)", "164.308(a)(6)(ii)"),
  resourceTypes: [T.stateMachine],
  remediationSteps:
    'Set `loggingConfiguration: { level: "ALL", includeExecutionData: true, logDestination: ' +
    "`${logGroup.arn}:*` }` (the log group is KMS-encrypted because execution data can contain PHI).",
  validate: (ctx, report) => {
    const level = str(get(ctx.props, "loggingConfiguration", "level")) ?? "OFF";
    if (level !== "ALL") {
      report(`Logging level is ${level}, not ALL: failed and successful steps of an incident are not all recorded.`);
    }
    if (!isTrue(get(ctx.props, "loggingConfiguration", "includeExecutionData"))) {
      report("includeExecutionData is not true: the logs do not show what each step received and returned.");
    }
    if (!present(ctx.props, "loggingConfiguration", "logDestination")) {
      report("loggingConfiguration.logDestination is not set.");
    }
  },
});
