/**
 * The one way this program builds a dead-letter queue: an SQS queue encrypted with a customer
 * managed key, keeping messages for the longest SQS allows, and an alarm on the alert topic as soon
 * as one message waits there. A message in a dead-letter queue is work that failed every retry
 * (an S3 event not processed, an incident not started, a report not written); without the alarm it
 * would wait unseen for 14 days and then be deleted.
 *
 * HIPAA Security Rule: 164.308(a)(1)(ii)(D) information system activity review, 164.308(a)(6)(ii)
 * security incident response and reporting, 164.312(a)(2)(iv) encryption.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createFailureAlarm } from "./alarms";
import { physicalName } from "./naming";

/**
 * 14 days, the longest SQS keeps a message: time to investigate and redrive.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html (MessageRetentionPeriod: 60 to 1,209,600 seconds)
 */
export const DLQ_MESSAGE_RETENTION_SECONDS = 14 * 24 * 60 * 60;
/**
 * Five minutes of reuse of an SQS data key: fewer KMS calls, still short-lived keys.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
 */
export const DLQ_KMS_DATA_KEY_REUSE_PERIOD_SECONDS = 300;

export interface DeadLetterQueueArgs {
  readonly stack: string;
  /** What the queue holds, as name parts: the queue is `physicalName(stack, "sqsQueue", ...nameParts)` and its alarm `physicalName(stack, "alarm", ...nameParts, "messages")`. */
  readonly nameParts: readonly string[];
  /** The key that encrypts the messages (they carry the failed events). */
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly alertTopicArn: pulumi.Input<string>;
  /** The alarm's description: what a waiting message means and what the on-call does about it. */
  readonly alarmDescription: string;
  readonly tags: Record<string, string>;
}

/** Creates the queue `<name>` and its alarm `<name>-alarm` as children of `opts.parent`. */
export function createDeadLetterQueue(
  name: string,
  args: DeadLetterQueueArgs,
  opts: { parent: pulumi.Resource },
): { queue: aws.sqs.Queue; alarm: aws.cloudwatch.MetricAlarm } {
  const queue = new aws.sqs.Queue(
    name,
    {
      name: physicalName(args.stack, "sqsQueue", ...args.nameParts),
      kmsMasterKeyId: args.kmsKeyArn,
      kmsDataKeyReusePeriodSeconds: DLQ_KMS_DATA_KEY_REUSE_PERIOD_SECONDS,
      messageRetentionSeconds: DLQ_MESSAGE_RETENTION_SECONDS,
      tags: args.tags,
    },
    opts,
  );
  // Visible messages: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
  const alarm = createFailureAlarm(
    `${name}-alarm`,
    {
      alarmName: physicalName(args.stack, "alarm", ...args.nameParts, "messages"),
      description: args.alarmDescription,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: queue.name },
      statistic: "Maximum",
    },
    args.alertTopicArn,
    args.tags,
    opts,
  );
  return { queue, alarm };
}
