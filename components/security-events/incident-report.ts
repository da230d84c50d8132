/**
 * The incident workflow's report function: it computes the access-history window and writes the
 * Object-Locked incident report (ids only), with a dead-letter queue for a by-hand asynchronous call.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { createDeadLetterQueue } from "../lib/dead-letter-queue";
import type { ObjectLockMode } from "../lib/secure-bucket";
import { createVpcFunction, type VpcFunction } from "../lib/vpc-function";
import {
  INCIDENT_REPORT_ACTIONS,
  INCIDENT_REPORT_ENV,
  INCIDENT_REPORT_HANDLER,
  INCIDENT_REPORT_MEMORY_MB,
  INCIDENT_REPORT_TIMEOUT_SECONDS,
  REPORT_PREFIX,
} from "../../lambda/incident-report/contract";
import type { IncidentContext } from "./incident-context";

export const INCIDENT_REPORT_ENTRY = path.join(__dirname, "..", "..", "lambda", "incident-report", "index.ts");

/** The report function's purpose: its names (`vpcFunctionNames` in lib/vpc-function.ts) and tags. */
export const INCIDENT_REPORT_FUNCTION_PURPOSE = "incident-report";

/** Reserved concurrency of the report function in prod: the throttle allows one incident per principal per window. */
export const INCIDENT_REPORT_RESERVED_CONCURRENCY_PROD = 5;

export function createReportFunction(
  ctx: IncidentContext,
  lock: { readonly mode: ObjectLockMode; readonly retentionInDays: number },
): VpcFunction {
  const { name, component, args, stack, tags, via } = ctx;
  const { config } = args;
  const bucket = args.reportBucket;
  const parent = { parent: component };
  // --- The report function ---------------------------------------------------------------------
  // The state machine invokes it synchronously (RequestResponse, https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html),
  // so nothing should ever land here; an asynchronous invocation by hand would, instead of being dropped.
  const { queue: reportDlq } = createDeadLetterQueue(
    `${name}-report-dlq`,
    {
      stack,
      nameParts: ["incident-report-dlq"],
      kmsKeyArn: args.pipelineKeyArn,
      alertTopicArn: args.alertTopicArn,
      alarmDescription: "An incident-report invocation failed every retry and waits in the dead-letter queue: write the report by hand",
      tags: tags("incident-report-dlq"),
    },
    parent,
  );
  const reportFunction = createVpcFunction(
    `${name}-report`,
    {
      config,
      description: "Incident workflow: the access-history window, and the Object-Locked incident report (ids only)",
      entry: INCIDENT_REPORT_ENTRY,
      handler: INCIDENT_REPORT_HANDLER,
      memorySizeInMb: INCIDENT_REPORT_MEMORY_MB,
      timeoutInSeconds: INCIDENT_REPORT_TIMEOUT_SECONDS,
      reservedConcurrency: config.environment === "prod" ? INCIDENT_REPORT_RESERVED_CONCURRENCY_PROD : undefined,
      environment: {
        [INCIDENT_REPORT_ENV.reportBucketName]: bucket.bucketName,
        [INCIDENT_REPORT_ENV.reportKmsKeyArn]: args.pipelineKeyArn,
        [INCIDENT_REPORT_ENV.objectLockMode]: lock.mode,
        [INCIDENT_REPORT_ENV.retentionInDays]: String(lock.retentionInDays),
      },
      environmentKeyArn: args.pipelineKeyArn,
      logKeyArn: args.auditKeyArn,
      network: args.network,
      deadLetterQueueArn: reportDlq.arn,
      statements: [
        {
          sid: "WriteReports",
          effect: "Allow",
          actions: [...INCIDENT_REPORT_ACTIONS.reportObjects],
          resources: [pulumi.interpolate`${bucket.arn}/${REPORT_PREFIX}*`],
        },
        {
          sid: "ReportKeyThroughS3",
          effect: "Allow",
          actions: [...INCIDENT_REPORT_ACTIONS.reportKey],
          resources: [args.pipelineKeyArn],
          conditions: [
            via(["s3"]),
            {
              test: "StringLike",
              variable: "kms:EncryptionContext:aws:s3:arn",
              values: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
            },
          ],
        },
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
        {
          sid: "DeadLetterQueueKeyThroughSqs",
          effect: "Allow",
          actions: ["kms:GenerateDataKey", "kms:Decrypt"],
          resources: [args.pipelineKeyArn],
          conditions: [via(["sqs"]), { test: "ArnEquals", variable: "kms:EncryptionContext:aws:sqs:arn", values: [reportDlq.arn] }],
        },
      ],
      tags,
      purpose: INCIDENT_REPORT_FUNCTION_PURPOSE,
    },
    { parent: component },
  );
  return reportFunction;
}
