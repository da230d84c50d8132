/**
 * The canary's keys (components/canary/): how often it runs and the objectives its two alarms hold
 * it to. Defaults follow what AWS documents about the paths the canary measures.
 */
import type { Report } from "./errors";
import type { CanaryConfig, ConfigKey, Environment } from "./schema";
import { canaryTimeoutSeconds } from "../../lambda/canary/contract";

/** The schedule when `canaryScheduleMinutes` is 0 (the default): prod every 15 minutes, dev hourly. */
export const CANARY_DEFAULT_SCHEDULE_MINUTES: Readonly<Record<Environment, number>> = { prod: 15, dev: 60 };

/**
 * The shortest schedule: the authorizer throttles incidents per principal (INCIDENT_THROTTLE_SECONDS),
 * and a probe more often than every 5 minutes would mostly measure the throttle.
 */
export const CANARY_MIN_SCHEDULE_MINUTES = 5;
/** The longest schedule: 12 hours, so that the detection alarm's window (at least two runs) fits CloudWatch's one-day limit. */
export const CANARY_MAX_SCHEDULE_MINUTES = 720;

/**
 * Default processing objective, 120 s: an intake object is processed once S3 has notified the data
 * processor, and "Typically, event notifications are delivered in seconds but can sometimes take a
 * minute or longer" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html);
 * a minute for the notification plus a cold start in the VPC, the configuration read and the copy.
 */
export const CANARY_DEFAULT_PROCESSING_OBJECTIVE_SECONDS = 120;
/**
 * Default detection objective, 900 s. CloudTrail delivery dominates detection: "CloudTrail typically
 * delivers events within an average of about 5 minutes of an API call. This time is not guaranteed."
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-cloudtrail-works.html). The rest of the
 * path (the log group's subscription, Firehose's transform, the incident's start and its first SNS
 * publish) takes seconds to a minute; 900 s is three times CloudTrail's typical delivery, so a
 * breach means delivery is well outside what AWS describes, not one slow event.
 */
export const CANARY_DEFAULT_DETECTION_OBJECTIVE_SECONDS = 900;
export const CANARY_PROCESSING_OBJECTIVE_RANGE = [10, 600] as const;
export const CANARY_DETECTION_OBJECTIVE_RANGE = [60, 43_200] as const;

/** CloudWatch refuses an alarm whose evaluation window (period x evaluation periods) exceeds one day (PutMetricAlarm). */
export const CLOUDWATCH_MAX_ALARM_WINDOW_SECONDS = 86_400;

/**
 * The detection alarm's window: the alert of a probe is measured by the first run after it arrives,
 * at most ceil(objective / interval) runs later while detection meets its objective, so every window
 * of (ceil(objective / interval) + 1) intervals holds at least one measurement in a healthy system,
 * with one interval to spare for the schedule's jitter. A window with none is breaching.
 */
export function detectionAlarmWindowSeconds(scheduleMinutes: number, detectionObjectiveSeconds: number): number {
  const interval = scheduleMinutes * 60;
  return (Math.ceil(detectionObjectiveSeconds / interval) + 1) * interval;
}

/** The processing alarm's window: two intervals, so one failed run alone does not leave it empty. */
export function processingAlarmWindowSeconds(scheduleMinutes: number): number {
  return 2 * scheduleMinutes * 60;
}

/** An EventBridge schedule expression: `rate(15 minutes)`, `rate(1 hour)` (singular, as EventBridge requires), `rate(2 hours)`. */
export function canaryScheduleExpression(scheduleMinutes: number): string {
  if (!Number.isInteger(scheduleMinutes) || scheduleMinutes < 1)
    throw new Error(`schedule must be a whole number of minutes, got ${scheduleMinutes}`);
  if (scheduleMinutes % 60 === 0) {
    const hours = scheduleMinutes / 60;
    return `rate(${hours} ${hours === 1 ? "hour" : "hours"})`;
  }
  return `rate(${scheduleMinutes} ${scheduleMinutes === 1 ? "minute" : "minutes"})`;
}

export interface CanaryParseTools {
  readonly int: (key: ConfigKey, min: number, max: number) => number | undefined;
  readonly problem: Report;
  readonly environment: Environment | undefined;
}

/** The canary's keys, validated together (the detection window depends on both the schedule and the objective). */
export function parseCanaryConfig(t: CanaryParseTools): Partial<CanaryConfig> {
  const { int, problem } = t;
  const raw = int("canaryScheduleMinutes", 0, CANARY_MAX_SCHEDULE_MINUTES);
  let scheduleMinutes: number | undefined;
  if (raw !== undefined && raw !== 0 && raw < CANARY_MIN_SCHEDULE_MINUTES) {
    problem(
      "canaryScheduleMinutes",
      String(raw),
      `must be 0 (the environment's default: prod ${CANARY_DEFAULT_SCHEDULE_MINUTES.prod}, dev ${CANARY_DEFAULT_SCHEDULE_MINUTES.dev}) or from ` +
        `${CANARY_MIN_SCHEDULE_MINUTES} to ${CANARY_MAX_SCHEDULE_MINUTES}: the authorizer throttles incidents per principal, so a probe more often ` +
        `than every ${CANARY_MIN_SCHEDULE_MINUTES} minutes measures the throttle. Set it with \`pulumi config set canaryScheduleMinutes 15\``,
    );
  } else if (raw !== undefined && t.environment !== undefined) {
    scheduleMinutes = raw === 0 ? CANARY_DEFAULT_SCHEDULE_MINUTES[t.environment] : raw;
  }
  const processingObjectiveSeconds = int("canaryProcessingObjectiveSeconds", ...CANARY_PROCESSING_OBJECTIVE_RANGE);
  const detectionObjectiveSeconds = int("canaryDetectionObjectiveSeconds", ...CANARY_DETECTION_OBJECTIVE_RANGE);
  if (scheduleMinutes !== undefined && detectionObjectiveSeconds !== undefined) {
    const window = detectionAlarmWindowSeconds(scheduleMinutes, detectionObjectiveSeconds);
    if (window > CLOUDWATCH_MAX_ALARM_WINDOW_SECONDS) {
      problem(
        "canaryDetectionObjectiveSeconds",
        String(detectionObjectiveSeconds),
        `with a run every ${scheduleMinutes} minutes needs a detection alarm window of ${window} s, over CloudWatch's one day ` +
          `(${CLOUDWATCH_MAX_ALARM_WINDOW_SECONDS} s): lower canaryDetectionObjectiveSeconds or canaryScheduleMinutes`,
      );
    }
  }
  if (scheduleMinutes !== undefined && processingObjectiveSeconds !== undefined) {
    // A run that can outlast the interval overlaps the next: with prod's reserved concurrency of one, the next
    // invocation is throttled and retried, and can age out unmeasured (the independent review, S6).
    const timeout = canaryTimeoutSeconds(processingObjectiveSeconds);
    if (timeout > scheduleMinutes * 60) {
      problem(
        "canaryProcessingObjectiveSeconds",
        String(processingObjectiveSeconds),
        `makes a run last up to ${timeout} s (the objective, its wait margin and a reserve), longer than the ${scheduleMinutes * 60} s between runs ` +
          `(canaryScheduleMinutes ${scheduleMinutes}): lower canaryProcessingObjectiveSeconds or raise canaryScheduleMinutes`,
      );
    }
  }
  return { scheduleMinutes, processingObjectiveSeconds, detectionObjectiveSeconds };
}
