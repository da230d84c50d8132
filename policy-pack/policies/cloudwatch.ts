// CloudWatch Logs and alarms: log groups hold audit records and, often, fragments of PHI.

import { CITES, hipaa } from "./lib/hipaa";
import { resourcePolicy } from "./lib/define";
import { T } from "./lib/types";
import { get, isFalse, num, present, probe, UNKNOWN } from "./lib/util";

/** Retention values CloudWatch Logs accepts. */
export const VALID_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export const cloudwatchLogGroupEncrypted = resourcePolicy({
  name: "cloudwatch-log-group-encrypted",
  description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  cdkNag: ["CloudWatchLogGroupEncrypted"],
  awsConfig: ["cloudwatch-log-group-encrypted"],
  resourceTypes: [T.logGroup],
  remediationSteps:
    "Set `kmsKeyId` on the aws.cloudwatch.LogGroup to a customer-managed key whose policy allows " +
    "logs.<region>.amazonaws.com under a kms:EncryptionContext:aws:logs:arn condition.",
  validate: (ctx, report) => {
    if (!present(ctx.props, "kmsKeyId")) {
      report("The log group is not encrypted with a customer-managed KMS key: set kmsKeyId.");
    }
  },
});

export const cloudwatchLogGroupRetention = resourcePolicy<{
  minRetentionDaysProd: number;
  minRetentionDays: number;
  allowNeverExpire: boolean;
}>({
  name: "cloudwatch-log-group-retention",
  description: "CloudWatch log groups keep events at least as long as the retention floor (six years in prod, 45 CFR 164.316(b)(2)(i)).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.retention),
  cdkNag: ["CloudWatchLogGroupRetentionPeriod"],
  awsConfig: ["cw-loggroup-retention-period-check"],
  resourceTypes: [T.logGroup],
  environmentAware: true,
  config: {
    minRetentionDaysProd: { type: "integer", minimum: 1, default: 2192, description: "Retention floor in prod (2192 days = six years)." },
    minRetentionDays: { type: "integer", minimum: 1, default: 1, description: "Retention floor in other environments." },
    allowNeverExpire: {
      type: "boolean",
      default: true,
      description:
        "Accept a log group without retentionInDays (never expires). cdk-nag requires an explicit period; AWS Config accepts never-expire.",
    },
  },
  remediationSteps:
    "Set `retentionInDays` to a CloudWatch-supported value at or above the floor (2192 in prod), " +
    "or leave it unset for never-expire when allowNeverExpire is true.",
  validate: (ctx, report) => {
    const raw = get(ctx.props, "retentionInDays");
    const days = num(raw);
    if (days === undefined || days === 0) {
      if (!ctx.config.allowNeverExpire) {
        report("The log group has no explicit retention period: set retentionInDays.");
      }
      return;
    }
    if (!VALID_RETENTION_DAYS.includes(days)) {
      report(`retentionInDays ${days} is not a value CloudWatch Logs accepts (${VALID_RETENTION_DAYS.join(", ")}).`);
      return;
    }
    const floor = ctx.isProd() ? ctx.config.minRetentionDaysProd : ctx.config.minRetentionDays;
    if (days < floor) {
      report(`retentionInDays is ${days}; ${ctx.env()} requires at least ${floor} days.`);
    }
  },
});

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

export const cloudwatchPolicies = [cloudwatchLogGroupEncrypted, cloudwatchLogGroupRetention, cloudwatchAlarmAction];
