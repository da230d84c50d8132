/** The audit trail and the platform's alarms. */
import { CloudTrailClient, GetTrailStatusCommand } from "@aws-sdk/client-cloudtrail";
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, type AlarmHistoryItem } from "@aws-sdk/client-cloudwatch";
import { count, hoursAgo, type Check } from "./check";
import { requiredString } from "./outputs";

const HOUR_MS = 3_600_000;

/**
 * The trail logs and delivered to S3 and to CloudWatch Logs within the last hour. CloudTrail
 * "typically delivers logs within an average of about 5 minutes of an API call"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-cloudtrail-works.html), and
 * GetTrailStatus reports the latest delivery times and errors
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html).
 * A delivery to the bucket settles that the bucket policy and key policy accept CloudTrail's
 * PutObject as sent, which the documentation leaves open (which SSE headers CloudTrail sends).
 */
export const trailCheck: Check = {
  id: "trail",
  title: "CloudTrail logs and delivers to S3 and CloudWatch Logs within the last hour",
  citation: "164.312(b) Audit controls",
  rows: [
    "cloudtrail-bucket:s3:PutObject CloudTrail/",
    "cloudtrail-bucket:s3:PutObject CloudTrail-Digest/",
    "cloudtrail-logs:logs:PutLogEvents",
    "cloudtrail-key:kms:GenerateDataKey",
  ],
  async run(ctx) {
    const name = requiredString(ctx.outputs, "trailName");
    const ct = ctx.aws.client(CloudTrailClient);
    const s = await ctx.aws.call("cloudtrail:GetTrailStatus", (abortSignal) =>
      ct.send(new GetTrailStatusCommand({ Name: name }), { abortSignal }),
    );
    const problems: string[] = [];
    const cutoff = ctx.now.getTime() - HOUR_MS;
    if (s.IsLogging !== true) problems.push("the trail is not logging");
    const recent = (what: string, at: Date | undefined, error: string | undefined) => {
      if (error) problems.push(`${what} delivery error ${error}`);
      if (at === undefined) problems.push(`no ${what} delivery yet`);
      else if (at.getTime() < cutoff) problems.push(`last ${what} delivery ${hoursAgo(ctx.now, at)}`);
    };
    recent("S3", s.LatestDeliveryTime, s.LatestDeliveryError);
    recent("CloudWatch Logs", s.LatestCloudWatchLogsDeliveryTime, s.LatestCloudWatchLogsDeliveryError);
    // Digest files are hourly; their error is a failure, their age is not checked (a first hour has none).
    if (s.LatestDigestDeliveryError) problems.push(`digest delivery error ${s.LatestDigestDeliveryError}`);
    if (problems.length > 0) {
      return {
        status: "fail",
        detail: `trail ${name}: ${problems.join("; ")}`,
        lookAt: "the trail's bucket policy and key policy (the error code names which), and the CloudWatch Logs role",
      };
    }
    return { status: "pass", detail: `trail ${name} logging; S3 and CloudWatch Logs deliveries within the last hour` };
  },
};

/**
 * No alarm of the platform (`hcp-<stack>-*`, components/lib/naming.ts) is in ALARM, and no alarm
 * action failed in the window. An alarm's history records each action as "Successfully executed
 * action ..." or "Failed to execute action ..."
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html):
 * a successful SNS action to the encrypted alert topic settles the key-policy rows for CloudWatch.
 */
export const alarmsCheck: Check = {
  id: "alarms",
  title: "No platform alarm is in ALARM and no alarm action failed",
  citation: "164.308(a)(1)(ii)(D) Information system activity review",
  // alarm-sns-key rows: only when an action ran in the window (the detail says).
  rows: ["alarm-sns-key *:kms:GenerateDataKey", "alarm-sns-key *:kms:Decrypt", "alarm-sns *:sns:Publish"],
  async run(ctx) {
    const prefix = `hcp-${ctx.stack}-`;
    const cw = ctx.aws.client(CloudWatchClient);
    const inAlarm: string[] = [];
    let token: string | undefined;
    do {
      const page = await ctx.aws.call("cloudwatch:DescribeAlarms", (abortSignal) =>
        cw.send(
          new DescribeAlarmsCommand({
            AlarmNamePrefix: prefix,
            StateValue: "ALARM",
            // Without AlarmTypes only metric alarms are returned (API_DescribeAlarms.html).
            AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
            NextToken: token,
          }),
          { abortSignal },
        ),
      );
      for (const a of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) if (a.AlarmName) inAlarm.push(a.AlarmName);
      token = page.NextToken;
    } while (token);
    const actions: AlarmHistoryItem[] = [];
    token = undefined;
    do {
      const page = await ctx.aws.call("cloudwatch:DescribeAlarmHistory", (abortSignal) =>
        cw.send(
          new DescribeAlarmHistoryCommand({
            HistoryItemType: "Action",
            AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
            StartDate: ctx.since,
            EndDate: ctx.now,
            NextToken: token,
          }),
          {
            abortSignal,
          },
        ),
      );
      actions.push(...(page.AlarmHistoryItems ?? []).filter((h) => h.AlarmName?.startsWith(prefix)));
      token = page.NextToken;
    } while (token);
    const failed = actions.filter((h) => /^Failed/i.test(h.HistorySummary ?? ""));
    const failedAlarms = [...new Set(failed.map((h) => h.AlarmName ?? ""))];
    const problems: string[] = [];
    if (inAlarm.length > 0) problems.push(`in ALARM: ${inAlarm.join(", ")}`);
    if (failed.length > 0) problems.push(`${count(failed.length, "failed alarm action")} (${failedAlarms.join(", ")})`);
    if (problems.length > 0) {
      return {
        status: "fail",
        detail: problems.join("; "),
        lookAt:
          failed.length > 0
            ? "the alert topic's key policy for cloudwatch.amazonaws.com, and the alarm's history"
            : "each alarm's metric and description",
      };
    }
    const ran = actions.length - failed.length;
    return {
      status: "pass",
      detail: `no ${prefix}* alarm in ALARM; ${count(ran, "alarm action")} succeeded in the window${ran === 0 ? " (none ran: the alarm-sns-key rows stay unsettled)" : ""}`,
    };
  },
};
