import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, num } from "../lib/util";

/** Retention values CloudWatch Logs accepts. */
export const VALID_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

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
