/**
 * The one way this program raises an alarm: a CloudWatch metric alarm that notifies the platform's
 * alert topic when it fires and again when it clears. A failure alarm treats missing data as "no
 * failure" (a function that did not run did not fail); an objective alarm treats it as breaching (a
 * measurement that stopped arriving is a failure). A silently stalled pipeline or a failing handler is
 * worse than a failed deploy, so every component alarms on its failures through this.
 *
 * HIPAA Security Rule: 164.308(a)(1)(ii)(D) information system activity review, 164.308(a)(6)(ii)
 * security incident response and reporting.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Failures are counted over five minutes. */
export const ALARM_PERIOD_SECONDS = 300;

/** What one alarm watches: a metric above a threshold over one period. */
export interface FailureAlarm {
  /** Physical alarm name (`physicalName(stack, "alarm", ...)`). */
  readonly alarmName: string;
  readonly description: string;
  readonly namespace: pulumi.Input<string>;
  readonly metricName: pulumi.Input<string>;
  readonly dimensions: pulumi.Input<Record<string, pulumi.Input<string>>>;
  readonly statistic: "Sum" | "Maximum" | "Average";
  /** The alarm fires when the statistic is above this. @default 0 (any failure) */
  readonly threshold?: number;
}

/** The fields every platform alarm has: "greater than", one evaluation period, the alert topic on alarm and on recovery. */
type AlarmFields = Pick<
  aws.cloudwatch.MetricAlarmArgs,
  "namespace" | "metricName" | "dimensions" | "statistic" | "period" | "threshold" | "treatMissingData"
> & { readonly alarmName: string; readonly description: string };

function platformAlarm(
  name: string,
  fields: AlarmFields,
  alertTopicArn: pulumi.Input<string>,
  tags: Record<string, string>,
  opts: { parent: pulumi.Resource },
): aws.cloudwatch.MetricAlarm {
  const { alarmName, description, ...metric } = fields;
  return new aws.cloudwatch.MetricAlarm(
    name,
    {
      name: alarmName,
      alarmDescription: description,
      namespace: metric.namespace,
      metricName: metric.metricName,
      dimensions: metric.dimensions,
      statistic: metric.statistic,
      period: metric.period,
      evaluationPeriods: 1,
      threshold: metric.threshold,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: metric.treatMissingData,
      alarmActions: [alertTopicArn],
      okActions: [alertTopicArn],
      tags,
    },
    opts,
  );
}

/** Creates `<name>` as a child of `opts.parent`, notifying `alertTopicArn` on alarm and on recovery. */
export function createFailureAlarm(
  name: string,
  alarm: FailureAlarm,
  alertTopicArn: pulumi.Input<string>,
  tags: Record<string, string>,
  opts: { parent: pulumi.Resource },
): aws.cloudwatch.MetricAlarm {
  const { threshold, ...rest } = alarm;
  return platformAlarm(
    name,
    { ...rest, period: ALARM_PERIOD_SECONDS, threshold: threshold ?? 0, treatMissingData: "notBreaching" },
    alertTopicArn,
    tags,
    opts,
  );
}

/** What an objective alarm watches: a measured value against its objective, measurements expected every window. */
export interface ObjectiveAlarm {
  readonly alarmName: string;
  readonly description: string;
  readonly namespace: pulumi.Input<string>;
  readonly metricName: pulumi.Input<string>;
  readonly dimensions: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** The objective: the alarm fires when the window's Maximum is above it. */
  readonly objective: number;
  /** The window (CloudWatch period) in which at least one measurement must arrive: a window without one is breaching. */
  readonly windowInSeconds: number;
}

/**
 * An alarm on an objective: fires when the Maximum measured in a window exceeds the objective, AND
 * when a window passes without any measurement (`treatMissingData: breaching`: a stalled canary is as
 * bad as a slow pipeline); notifies the alert topic on alarm and on recovery.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
 */
export function createObjectiveAlarm(
  name: string,
  alarm: ObjectiveAlarm,
  alertTopicArn: pulumi.Input<string>,
  tags: Record<string, string>,
  opts: { parent: pulumi.Resource },
): aws.cloudwatch.MetricAlarm {
  const { objective, windowInSeconds, ...rest } = alarm;
  return platformAlarm(
    name,
    { ...rest, statistic: "Maximum", period: windowInSeconds, threshold: objective, treatMissingData: "breaching" },
    alertTopicArn,
    tags,
    opts,
  );
}
