import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { present } from "../lib/util";

export const cloudtrailCloudWatchLogs = resourcePolicy({
  name: "cloudtrail-cloudwatch-logs",
  description: "CloudTrail trails deliver events to CloudWatch Logs for monitoring and alerting.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.audit, "164.308(a)(1)(ii)(D)"),
  cdkNag: ["CloudTrailCloudWatchLogsEnabled"],
  awsConfig: ["cloud-trail-cloud-watch-logs-enabled"],
  resourceTypes: [T.trail],
  remediationSteps:
    "Set `cloudWatchLogsGroupArn` (the log group ARN followed by `:*`) and `cloudWatchLogsRoleArn` " +
    "(a role CloudTrail can assume to write to it) on the trail.",
  validate: (ctx, report) => {
    if (!present(ctx.props, "cloudWatchLogsGroupArn") || !present(ctx.props, "cloudWatchLogsRoleArn")) {
      report("The trail does not deliver to CloudWatch Logs: set cloudWatchLogsGroupArn and cloudWatchLogsRoleArn.");
    }
  },
});
