import { hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isFalse, probe, UNKNOWN } from "../lib/util";

export const cloudwatchAlarmAction = resourcePolicy<{ requireAlarmActions: boolean }>({
  name: "cloudwatch-alarm-action",
  description: "CloudWatch alarms are enabled and notify someone (or act) when they fire.",
  severity: "medium",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.312(b)", "164.308(a)(1)(ii)(D)", "164.308(a)(6)(ii)"),
  cdkNag: ["CloudWatchAlarmAction"],
  awsConfig: ["cloudwatch-alarm-action-check"],
  resourceTypes: [T.metricAlarm, T.compositeAlarm],
  config: {
    requireAlarmActions: {
      type: "boolean",
      default: true,
      description: "Require alarmActions (AWS Config's default); false accepts any of alarm, OK or insufficient-data actions (cdk-nag).",
    },
  },
  remediationSteps: "Give the alarm `alarmActions` (e.g. the security alerts SNS topic ARN) and keep `actionsEnabled` true.",
  validate: (ctx, report) => {
    if (isFalse(get(ctx.props, "actionsEnabled"))) {
      report("The alarm's actions are disabled (actionsEnabled: false).");
      return;
    }
    const has = (key: string) => {
      const v = probe(ctx.props, key);
      return v === UNKNOWN || (Array.isArray(v) && v.length > 0);
    };
    if (ctx.config.requireAlarmActions ? !has("alarmActions") : !["alarmActions", "okActions", "insufficientDataActions"].some(has)) {
      report("The alarm has no alarmActions: when it fires, nobody is told. Add the alerts topic ARN.");
    }
  },
});
