/**
 * The security-event pipeline, part 2: the incident workflow (ARCHITECTURE.md section 4, issue 10).
 * The authorizer starts it for a denied access to PHI, with the CloudTrail eventID as the execution
 * name and an {@link IncidentInput} (ids only) as input:
 *
 *   Normalize -> PublishIncidentAlert (SNS, the moment the execution starts: ids and the report's key)
 *             -> IsClassifiedBucket? -> StartClassificationJob (Macie, one-time, ClientToken = execution name)
 *             -> WaitForArchive (the archive's Firehose buffer) -> PrepareAccessHistoryQuery (the window)
 *             -> QueryAccessHistory (Athena startQueryExecution.sync, ExecutionParameters, task timeout)
 *             -> WriteReport (the report function: JSON + summary under Object Lock, retried)
 *             -> PublishReportReady (SNS: the report is written, or why not)
 *
 * Alert first (issue 16): the security team hears of the incident seconds after the authorizer's
 * StartExecution, not after Macie, the archive and Athena. A Macie or Athena failure is caught and
 * recorded in the report, never fatal; a report that cannot be written after its retries is the second
 * message ("report NOT written") and fails the execution; a first alert that SNS refused after its
 * retries does not stop the evidence, is named in the second message, and fails the execution at the end.
 *
 * The archive lags the alert: Firehose holds the S3 backup up to its buffering interval
 * (ARCHIVE_BUFFERING_SECONDS = 300 s, https://docs.aws.amazon.com/firehose/latest/dev/buffering-hints.html:
 * delivery happens when the first of the size or interval hints is reached). The record that started the
 * execution reached Firehose before the transform (the authorizer) ran, so it and everything before it
 * is in the archive at most the interval (plus the S3 write) after the execution starts. The workflow
 * therefore WAITS {@link DEFAULT_TIMEOUTS}.archiveSettleSeconds (300 + 60 s margin) before the query,
 * rather than widening the window (a wider window cannot see objects not yet written). The wait delays
 * only the report, never the alert; what the query still cannot see is in the OpenSearch index, which
 * Firehose fills with zero buffering.
 *
 * - Standard type: Express workflows run neither `.sync` integrations nor idempotent execution names
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html).
 * - Logging ALL with execution data to a KMS-encrypted log group with retention, X-Ray tracing,
 *   state (definition, history) encrypted with the pipeline key
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html,
 *   https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html).
 * - The definition is built as data ({@link incidentDefinition}) and validated by the tests with
 *   asl-validator and executed with aws-local-stepfunctions.
 * - The role may do exactly what the tasks call. SDK integrations are camelCase in ASL
 *   (`aws-sdk:macie2:createClassificationJob`) and PascalCase in IAM (`macie2:CreateClassificationJob`),
 *   their parameters PascalCase (`ClientToken`)
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html).
 *
 * HIPAA Security Rule: 164.308(a)(6)(ii) security incident response and reporting, 164.312(b) audit
 * controls, 164.312(c)(1) integrity (Object-Locked reports), 164.316(b)(2)(i) retention.
 */
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PhiBucketPurpose, PlatformConfig, StackContext } from "../config";
import { incidentStateMachineName, logGroupName, physicalName, stateMachineArn } from "../lib/naming";
import { SecureBucket, type ObjectLockMode, type ReplicationDestination } from "../lib/secure-bucket";
import { createServiceRole, kmsViaServiceCondition, type PolicyStatement } from "../lib/service-role";
import { statefulOptions } from "../lib/stateful";
import { platformTags } from "../lib/tags";
import { createFailureAlarm } from "../lib/alarms";
import { createDeadLetterQueue } from "../lib/dead-letter-queue";
import { createVpcFunction, type FunctionNetwork } from "../lib/vpc-function";
import { RESULTS_PREFIX } from "./archive-query";
import { worstCaseSeconds } from "./asl-duration";
import {
  INCIDENT_REPORT_ACTIONS,
  INCIDENT_REPORT_ENV,
  INCIDENT_REPORT_HANDLER,
  INCIDENT_REPORT_MEMORY_MB,
  INCIDENT_REPORT_TIMEOUT_SECONDS,
  REPORT_PREFIX,
} from "../../lambda/incident-report/contract";

export const INCIDENT_REPORT_ENTRY = path.join(__dirname, "..", "..", "lambda", "incident-report", "index.ts");

/** The report bucket's purpose (bucket name part, tags, and the purpose grants name it by). */
export const REPORT_PURPOSE = "incident-reports" satisfies PhiBucketPurpose;

// ---------------------------------------------------------------------------------------------
// The definition, as data.

/** The subset of the Amazon States Language this workflow uses (JSONPath). */
export type AslState = Readonly<Record<string, unknown>> & { readonly Type: "Pass" | "Task" | "Choice" | "Wait" | "Fail" | "Succeed" };
/** The report function's purpose: its names (`vpcFunctionNames` in lib/vpc-function.ts) and tags. */
export const INCIDENT_REPORT_FUNCTION_PURPOSE = "incident-report";

/** The Step Functions metrics of an execution that ended without a report: metric, alarm purpose, wording. */
export const INCIDENT_EXECUTION_FAILURE_METRICS: readonly (readonly [string, string, string])[] = [
  ["ExecutionsFailed", "executions-failed", "failed"],
  ["ExecutionsTimedOut", "executions-timed-out", "timed out"],
  ["ExecutionsAborted", "executions-aborted", "were stopped"],
];

export interface AslDefinition {
  readonly Comment: string;
  readonly StartAt: string;
  readonly TimeoutSeconds: number;
  readonly States: Readonly<Record<string, AslState>>;
}

/** Everything the definition names; plain strings (resolved before it is built). */
export interface IncidentDefinitionSpec {
  /** The account whose PHI bucket Macie classifies. */
  readonly accountId: string;
  /** The one bucket Macie classifies (the PHI data bucket): a static scope, never taken from the event. */
  readonly classifiedBucketName: string;
  readonly reportFunctionArn: string;
  readonly athenaWorkgroup: string;
  readonly athenaDatabase: string;
  /** The access-history SQL (`ArchiveQuery.accessHistorySql`): six `?` bound by ExecutionParameters. */
  readonly accessHistorySql: string;
  readonly alertTopicArn: string;
  /** @default {@link DEFAULT_TIMEOUTS} */
  readonly timeouts?: Partial<WorkflowTimeouts>;
  /** Macie's sampling of the bucket's objects, 1-100. @default {@link DEFAULT_MACIE_SAMPLING_PERCENTAGE} */
  readonly macieSamplingPercentage?: number;
}

export interface WorkflowTimeouts {
  /**
   * The whole execution: at least the definition's worst case ({@link worstCaseSeconds}), which the
   * validation enforces. With the defaults that is 2956 s: the alert 422 (6 attempts x 60 s + 62 s of
   * delays), Macie 254, the archive wait 360, prepare-query 247, Athena 734 (4 x 180 + 14), the report
   * 517 (8 x 60 + 37), the outcome message 422; 3600 s leaves 644 s of margin. The typical execution
   * ends in about seven minutes, its alert in its first seconds.
   */
  readonly executionSeconds: number;
  /** The Athena task (the query plus the `.sync` polling). */
  readonly athenaSeconds: number;
  /** Each Lambda and SDK task. */
  readonly taskSeconds: number;
  /**
   * The wait before the access-history query: the archive's Firehose buffering interval
   * (ARCHIVE_BUFFERING_SECONDS, 300) plus a margin for the S3 write, so the triggering minutes are archived.
   */
  readonly archiveSettleSeconds: number;
}

/**
 * The workgroup's scan cutoff bounds what a query reads; this bounds how long we wait: a 7-day window
 * of the archive is a few GB of gzip JSON, which Athena scans in well under a minute.
 */
export const DEFAULT_TIMEOUTS: WorkflowTimeouts = Object.freeze({
  executionSeconds: 3_600,
  athenaSeconds: 180,
  taskSeconds: 60,
  archiveSettleSeconds: 360,
});
/**
 * Macie bills per GB inspected (https://aws.amazon.com/macie/pricing/): a 10% sample of the bucket tells
 * whether it holds what Macie recognizes as sensitive, at a tenth of a full scan's cost per incident.
 */
export const DEFAULT_MACIE_SAMPLING_PERCENTAGE = 10;
/** The first message, published as the execution starts. */
export const ALERT_SUBJECT = "healthcare-platform: PHI access incident";
/** The second message: the report is written (or the next one: it is not). */
export const REPORT_READY_SUBJECT = "healthcare-platform: PHI access incident (report ready)";
export const ALERT_FAILED_SUBJECT = "healthcare-platform: PHI access incident (report NOT written)";

/** The errors AWS recommends retrying for a Lambda invoke task (https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html). */
export const LAMBDA_TRANSIENT_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
];

/** The state machine's states, in order of the happy path. */
export const STATES = {
  normalize: "Normalize",
  composeIncidentAlert: "ComposeIncidentAlert",
  publishIncidentAlert: "PublishIncidentAlert",
  recordIncidentAlertFailure: "RecordIncidentAlertFailure",
  isClassifiedBucket: "IsClassifiedBucket",
  skipClassification: "SkipClassification",
  startClassificationJob: "StartClassificationJob",
  recordClassificationFailure: "RecordClassificationFailure",
  waitForArchive: "WaitForArchive",
  prepareQuery: "PrepareAccessHistoryQuery",
  queryAccessHistory: "QueryAccessHistory",
  recordAccessHistoryFailure: "RecordAccessHistoryFailure",
  writeReport: "WriteReport",
  composeReportReady: "ComposeReportReady",
  publishReportReady: "PublishReportReady",
  wasIncidentAlertPublished: "WasIncidentAlertPublished",
  incidentAlertNotPublished: "IncidentAlertNotPublished",
  done: "Done",
  composeFailureAlert: "ComposeReportFailureAlert",
  publishFailureAlert: "PublishReportFailureAlert",
  reportNotWritten: "ReportNotWritten",
} as const;

/** Resources of the tasks (https://docs.aws.amazon.com/step-functions/latest/dg/integrate-services.html). */
export const TASK_RESOURCES = {
  macieCreateClassificationJob: "arn:aws:states:::aws-sdk:macie2:createClassificationJob",
  athenaStartQueryExecutionSync: "arn:aws:states:::athena:startQueryExecution.sync",
  lambdaInvoke: "arn:aws:states:::lambda:invoke",
  snsPublish: "arn:aws:states:::sns:publish",
} as const;

/** Problems of a spec (empty when valid): checked once, before the definition is built. */
export function incidentDefinitionProblems(spec: IncidentDefinitionSpec): string[] {
  const problems: string[] = [];
  const t = { ...DEFAULT_TIMEOUTS, ...spec.timeouts };
  for (const [k, v] of Object.entries(t))
    if (!Number.isInteger(v) || v < 1) problems.push(`timeouts.${k} must be a whole number of seconds >= 1, got ${v}`);
  if (t.athenaSeconds + t.archiveSettleSeconds >= t.executionSeconds)
    problems.push(
      `timeouts.athenaSeconds + timeouts.archiveSettleSeconds (${t.athenaSeconds + t.archiveSettleSeconds}) must be below timeouts.executionSeconds (${t.executionSeconds})`,
    );
  const sampling = spec.macieSamplingPercentage ?? DEFAULT_MACIE_SAMPLING_PERCENTAGE;
  if (!Number.isInteger(sampling) || sampling < 1 || sampling > 100)
    problems.push(`macieSamplingPercentage must be a whole number from 1 to 100, got ${sampling}`);
  if ((spec.accessHistorySql.match(/\?/g) ?? []).length !== 6)
    problems.push("accessHistorySql must have exactly six ? placeholders (accessHistoryQuery)");
  if (!/^\d{12}$/.test(spec.accountId)) problems.push(`accountId must be 12 digits, got ${JSON.stringify(spec.accountId)}`);
  if (problems.length > 0) return problems;
  // Every retry of every step, each to its timeout, must fit the execution's timeout: else a slow but
  // recovering execution times out before its report and its outcome message.
  const definition = buildIncidentDefinition(spec);
  const worst = worstCaseSeconds(definition);
  if (worst > definition.TimeoutSeconds)
    problems.push(
      `the worst-case duration of the definition (${worst} s: every retry of every step to its timeout, the archive wait) exceeds timeouts.executionSeconds (${definition.TimeoutSeconds}): raise it or lower the steps' timeouts`,
    );
  return problems;
}

/**
 * The incident state machine's definition. Event fields reach the tasks only as values: the Macie
 * job's scope is the static PHI bucket (the event's bucket only decides whether the job runs), the
 * Athena query is the fixed SQL with its six values in `ExecutionParameters`, and the idempotency
 * tokens derive from the execution name, so a Step Functions retry or a second run of the same
 * incident creates no second Macie job, Athena query or report.
 */
export function incidentDefinition(spec: IncidentDefinitionSpec): AslDefinition {
  const problems = incidentDefinitionProblems(spec);
  if (problems.length > 0) throw new Error(`incident workflow: ${problems.join("; ")}`);
  return buildIncidentDefinition(spec);
}

/** The definition of a spec, unchecked ({@link incidentDefinition} checks it first). */
function buildIncidentDefinition(spec: IncidentDefinitionSpec): AslDefinition {
  const t = { ...DEFAULT_TIMEOUTS, ...spec.timeouts };
  const S = STATES;
  const lambdaRetry = { ErrorEquals: LAMBDA_TRANSIENT_ERRORS, IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: "FULL" };
  const caught = (next: string, resultPath: string) => [{ ErrorEquals: ["States.ALL"], ResultPath: resultPath, Next: next }];
  const alertMessage = (alert: string, extra: Record<string, unknown>) => ({
    alert,
    "incidentId.$": "$$.Execution.Name",
    "executionArn.$": "$$.Execution.Id",
    "decision.$": "$.incident.decision",
    "access.$": "$.incident.access",
    ...extra,
  });
  const publish = (subject: string, next: { Next: string }, extra: Record<string, unknown> = {}): AslState => ({
    Type: "Task",
    Resource: TASK_RESOURCES.snsPublish,
    Parameters: { TopicArn: spec.alertTopicArn, Subject: subject, "Message.$": "States.JsonToString($.alert)" },
    ResultSelector: { status: "PUBLISHED", "messageId.$": "$.MessageId" },
    ResultPath: "$.alertResult",
    TimeoutSeconds: t.taskSeconds,
    Retry: [
      {
        ErrorEquals: ["SNS.ThrottledException", "SNS.InternalErrorException", "States.Timeout"],
        IntervalSeconds: 2,
        MaxAttempts: 5,
        BackoffRate: 2,
      },
    ],
    ...extra,
    ...next,
  });
  // The report's keys are known at the start: `reportKeys` (lambda/incident-report/contract.ts) is
  // reports/<UTC day of the execution's start>/<execution name>; StartTime is ISO 8601 UTC.
  const reportKey = (ext: string) =>
    `States.Format('${REPORT_PREFIX}{}/{}.${ext}', States.ArrayGetItem(States.StringSplit($$.Execution.StartTime, 'T'), 0), $$.Execution.Name)`;
  return {
    Comment:
      "PHI access incident: alert first, then Macie classification, access history (Athena), the Object-Locked report, and its outcome. Ids only.",
    StartAt: S.normalize,
    TimeoutSeconds: t.executionSeconds,
    States: {
      // The input (an IncidentInput) moves under $.incident; every step adds its own key beside it.
      [S.normalize]: { Type: "Pass", Parameters: { "incident.$": "$" }, Next: S.composeIncidentAlert },
      // The alert, first: ids, and where the report will be.
      [S.composeIncidentAlert]: {
        Type: "Pass",
        Parameters: alertMessage("PHI_ACCESS_INCIDENT", { reportWillBe: { "key.$": reportKey("json"), "summaryKey.$": reportKey("txt") } }),
        ResultPath: "$.alert",
        Next: S.publishIncidentAlert,
      },
      [S.publishIncidentAlert]: publish(
        ALERT_SUBJECT,
        { Next: S.isClassifiedBucket },
        { ResultPath: "$.incidentAlert", Catch: caught(S.recordIncidentAlertFailure, "$.incidentAlert") },
      ),
      [S.recordIncidentAlertFailure]: {
        Type: "Pass",
        Parameters: { status: "FAILED", "error.$": "$.incidentAlert.Error" },
        ResultPath: "$.incidentAlert",
        Next: S.isClassifiedBucket,
      },
      [S.isClassifiedBucket]: {
        Type: "Choice",
        Choices: [{ Variable: "$.incident.bucket", StringEquals: spec.classifiedBucketName, Next: S.startClassificationJob }],
        Default: S.skipClassification,
      },
      [S.skipClassification]: {
        Type: "Pass",
        Result: { status: "SKIPPED", reason: "the access was not to the classified PHI bucket" },
        ResultPath: "$.macie",
        Next: S.waitForArchive,
      },
      // https://docs.aws.amazon.com/macie/latest/APIReference/jobs.html#CreateClassificationJob
      [S.startClassificationJob]: {
        Type: "Task",
        Resource: TASK_RESOURCES.macieCreateClassificationJob,
        Parameters: {
          "ClientToken.$": "$$.Execution.Name",
          "Name.$": "States.Format('hcp-incident-{}', $$.Execution.Name)",
          Description: "One-time classification of the PHI bucket for a PHI access incident",
          JobType: "ONE_TIME",
          ManagedDataIdentifierSelector: "RECOMMENDED",
          SamplingPercentage: spec.macieSamplingPercentage ?? DEFAULT_MACIE_SAMPLING_PERCENTAGE,
          S3JobDefinition: { BucketDefinitions: [{ AccountId: spec.accountId, Buckets: [spec.classifiedBucketName] }] },
        },
        ResultSelector: { status: "STARTED", "jobId.$": "$.JobId", "jobArn.$": "$.JobArn" },
        ResultPath: "$.macie",
        TimeoutSeconds: t.taskSeconds,
        // ClientToken makes a retry return the same job.
        Retry: [
          {
            ErrorEquals: ["Macie2.ThrottlingException", "Macie2.InternalServerException", "States.Timeout"],
            IntervalSeconds: 2,
            MaxAttempts: 3,
            BackoffRate: 2,
          },
        ],
        Catch: caught(S.recordClassificationFailure, "$.macie"),
        Next: S.waitForArchive,
      },
      // The triggering minutes reach the archive up to the Firehose buffer after the start (see the header).
      [S.waitForArchive]: { Type: "Wait", Seconds: t.archiveSettleSeconds, Next: S.prepareQuery },
      [S.recordClassificationFailure]: {
        Type: "Pass",
        Parameters: { status: "FAILED", "error.$": "$.macie.Error" },
        ResultPath: "$.macie",
        Next: S.waitForArchive,
      },
      [S.prepareQuery]: {
        Type: "Task",
        Resource: TASK_RESOURCES.lambdaInvoke,
        Parameters: { FunctionName: spec.reportFunctionArn, Payload: { action: "prepare-query", "incident.$": "$.incident" } },
        ResultSelector: { "executionParameters.$": "$.Payload.executionParameters" },
        ResultPath: "$.query",
        TimeoutSeconds: t.taskSeconds,
        Retry: [lambdaRetry],
        Catch: caught(S.recordAccessHistoryFailure, "$.accessHistory"),
        Next: S.queryAccessHistory,
      },
      // https://docs.aws.amazon.com/step-functions/latest/dg/connect-athena.html
      [S.queryAccessHistory]: {
        Type: "Task",
        Resource: TASK_RESOURCES.athenaStartQueryExecutionSync,
        Parameters: {
          QueryString: spec.accessHistorySql,
          WorkGroup: spec.athenaWorkgroup,
          QueryExecutionContext: { Catalog: "AwsDataCatalog", Database: spec.athenaDatabase },
          "ExecutionParameters.$": "$.query.executionParameters",
          // 32-128 characters (https://docs.aws.amazon.com/athena/latest/APIReference/API_StartQueryExecution.html): the name's SHA-256.
          "ClientRequestToken.$": "States.Hash($$.Execution.Name, 'SHA-256')",
        },
        ResultSelector: {
          status: "SUCCEEDED",
          "queryExecutionId.$": "$.QueryExecution.QueryExecutionId",
          "resultLocation.$": "$.QueryExecution.ResultConfiguration.OutputLocation",
        },
        ResultPath: "$.accessHistory",
        TimeoutSeconds: t.athenaSeconds,
        Retry: [{ ErrorEquals: ["Athena.TooManyRequestsException"], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
        Catch: caught(S.recordAccessHistoryFailure, "$.accessHistory"),
        Next: S.writeReport,
      },
      [S.recordAccessHistoryFailure]: {
        Type: "Pass",
        Parameters: { status: "FAILED", "error.$": "$.accessHistory.Error" },
        ResultPath: "$.accessHistory",
        Next: S.writeReport,
      },
      [S.writeReport]: {
        Type: "Task",
        Resource: TASK_RESOURCES.lambdaInvoke,
        Parameters: {
          FunctionName: spec.reportFunctionArn,
          Payload: {
            action: "write-report",
            execution: { "name.$": "$$.Execution.Name", "id.$": "$$.Execution.Id", "startTime.$": "$$.Execution.StartTime" },
            "incident.$": "$.incident",
            "macie.$": "$.macie",
            "accessHistory.$": "$.accessHistory",
          },
        },
        ResultSelector: { "location.$": "$.Payload" },
        ResultPath: "$.report",
        TimeoutSeconds: t.taskSeconds,
        Retry: [lambdaRetry, { ErrorEquals: ["ReportWriteFailed", "States.Timeout"], IntervalSeconds: 2, MaxAttempts: 4, BackoffRate: 2 }],
        Catch: caught(S.composeFailureAlert, "$.reportError"),
        Next: S.composeReportReady,
      },
      [S.composeReportReady]: {
        Type: "Pass",
        Parameters: alertMessage("PHI_ACCESS_INCIDENT_REPORT_READY", {
          report: {
            "bucket.$": "$.report.location.bucket",
            "key.$": "$.report.location.key",
            "summaryKey.$": "$.report.location.summaryKey",
          },
          "classification.$": "$.macie.status",
          "accessHistory.$": "$.accessHistory.status",
          "incidentAlert.$": "$.incidentAlert.status",
        }),
        ResultPath: "$.alert",
        Next: S.publishReportReady,
      },
      [S.publishReportReady]: publish(REPORT_READY_SUBJECT, { Next: S.wasIncidentAlertPublished }),
      // A first alert SNS refused fails the execution (the ExecutionsFailed alarm), after the evidence.
      [S.wasIncidentAlertPublished]: {
        Type: "Choice",
        Choices: [{ Variable: "$.incidentAlert.status", StringEquals: "FAILED", Next: S.incidentAlertNotPublished }],
        Default: S.done,
      },
      [S.incidentAlertNotPublished]: {
        Type: "Fail",
        Error: "IncidentAlertNotPublished",
        Cause: "SNS refused the first alert after its retries; the report was written and the second message names it.",
      },
      [S.done]: { Type: "Succeed" },
      [S.composeFailureAlert]: {
        Type: "Pass",
        Parameters: alertMessage("PHI_ACCESS_INCIDENT_REPORT_NOT_WRITTEN", {
          "error.$": "$.reportError.Error",
          "incidentAlert.$": "$.incidentAlert.status",
        }),
        ResultPath: "$.alert",
        Next: S.publishFailureAlert,
      },
      [S.publishFailureAlert]: publish(ALERT_FAILED_SUBJECT, { Next: S.reportNotWritten }),
      [S.reportNotWritten]: {
        Type: "Fail",
        Error: "IncidentReportNotWritten",
        Cause: "The report could not be written after its retries; the alert names the incident.",
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The component.

/** The report bucket's Object Lock: COMPLIANCE in prod, GOVERNANCE elsewhere, kept `reportRetentionInDays`. */
export function reportObjectLock(config: Pick<PlatformConfig, "environment" | "reportRetentionInDays">): {
  mode: ObjectLockMode;
  retentionInDays: number;
} {
  return { mode: config.environment === "prod" ? "COMPLIANCE" : "GOVERNANCE", retentionInDays: config.reportRetentionInDays };
}

export interface IncidentReportBucketArgs {
  readonly config: StackContext & Pick<PlatformConfig, "dataRetentionInDays" | "logRetentionInDays" | "reportRetentionInDays">;
  readonly pipelineKeyArn: pulumi.Input<string>;
  readonly accessLogBucket: pulumi.Input<string>;
  /** The recovery copy (`Recovery.reportsReplica`). @default no replication (prod always has one) */
  readonly replicateTo?: ReplicationDestination;
}

export interface IncidentWorkflowArgs {
  /** The stack's validated config: environment, retention, protection, tags. */
  readonly config: StackContext & Pick<PlatformConfig, "dataRetentionInDays" | "logRetentionInDays" | "reportRetentionInDays">;
  /** The incident-report bucket ({@link IncidentWorkflow.createReportBucket}), built before the trail. */
  readonly reportBucket: SecureBucket;
  /** The pipeline key: the state machine's state, the report bucket, the function's environment, Athena's results. */
  readonly pipelineKeyArn: pulumi.Input<string>;
  /** The audit key: the log groups; the alert topic's key (the role publishes through SNS). */
  readonly auditKeyArn: pulumi.Input<string>;
  readonly alertTopicArn: pulumi.Input<string>;
  readonly network: FunctionNetwork;
  /** The PHI bucket Macie classifies. */
  readonly classifiedBucketName: pulumi.Input<string>;
  /** The archive and its query layer (ArchiveQuery). */
  readonly archive: { readonly bucketName: pulumi.Input<string>; readonly bucketArn: pulumi.Input<string> };
  readonly query: {
    readonly workgroupName: pulumi.Input<string>;
    readonly workgroupArn: pulumi.Input<string>;
    readonly databaseName: pulumi.Input<string>;
    readonly tableName: pulumi.Input<string>;
    readonly accessHistorySql: string;
  };
  /**
   * Physical name of the state machine's role (known before it exists: the grants table names it; the
   * report function's role is `vpcFunctionNames(stack, INCIDENT_REPORT_FUNCTION_PURPOSE).roleName`).
   */
  readonly stateMachineRoleName: string;
  /** @default {@link DEFAULT_TIMEOUTS} */
  readonly timeouts?: Partial<WorkflowTimeouts>;
  /**
   * The key encrypting the account's Glue Data Catalog, when the stack encrypts it
   * (`enableAccountGuardrails`): Athena reads the table through Glue with the role's credentials.
   * @default the catalog is not encrypted with a customer key
   */
  readonly catalogKeyArn?: pulumi.Input<string>;
}

/** Reserved concurrency of the report function in prod: the throttle allows one incident per principal per window. */
export const INCIDENT_REPORT_RESERVED_CONCURRENCY_PROD = 5;

export class IncidentWorkflow extends pulumi.ComponentResource {
  /**
   * The incident-report bucket: PHI, because a report names the principal, the bucket and the SHA-256
   * of the object key (a key such as `intake/MRN-0012345/...` is guessable, so its hash identifies the
   * patient as well as the key does) and points at the query result, which lists keys. Object Lock
   * with default retention, the pipeline key, replicated in prod like every PHI bucket.
   */
  static createReportBucket(name: string, args: IncidentReportBucketArgs, opts?: pulumi.ComponentResourceOptions): SecureBucket {
    return new SecureBucket(
      name,
      {
        config: args.config,
        purpose: REPORT_PURPOSE,
        kmsKeyArn: args.pipelineKeyArn,
        dataClassification: "PHI",
        accessLogBucket: args.accessLogBucket,
        objectLock: reportObjectLock(args.config),
        // Locked objects cannot expire earlier anyway; versions are kept the retention too.
        holdsLogs: true,
        expireCurrentObjectsAfterDays: Math.max(args.config.dataRetentionInDays, args.config.reportRetentionInDays),
        noncurrentVersionExpirationInDays: Math.max(args.config.dataRetentionInDays, args.config.reportRetentionInDays),
        replicateTo: args.replicateTo,
      },
      opts,
    );
  }

  readonly stateMachineArn: pulumi.Output<string>;
  readonly stateMachineRoleArn: pulumi.Output<string>;
  readonly reportBucketName: pulumi.Output<string>;
  readonly reportFunctionName: pulumi.Output<string>;
  readonly reportFunctionRoleArn: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;

  constructor(name: string, args: IncidentWorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
    super("healthcare:security-events:IncidentWorkflow", name, {}, opts);
    const { config } = args;
    const stack = config.stack;
    const parent = { parent: this };
    const tags = (purpose: string) => platformTags(config, { dataClassification: "PHI", purpose });
    const identity = aws.getCallerIdentityOutput({}, parent);
    const region = aws.getRegionOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent);
    const accountId = identity.accountId;
    const via = (services: readonly string[]) => kmsViaServiceCondition(services, region.region, partition.dnsSuffix);
    const lock = reportObjectLock(config);
    const bucket = args.reportBucket;

    const machineName = incidentStateMachineName(stack);
    const machineArn = pulumi
      .all([partition.partition, region.region, accountId])
      .apply(([p, r, a]) => stateMachineArn(p, r, a, machineName));

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
      { parent: this },
    );

    // --- The state machine's log group and role --------------------------------------------------
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: logGroupName(stack, "states", "incident"),
        kmsKeyId: args.auditKeyArn,
        retentionInDays: config.logRetentionInDays,
        deletionProtectionEnabled: config.protectData,
        tags: tags("incident-workflow-logs"),
      },
      statefulOptions(this, config.protectData),
    );

    const archiveArn = pulumi.output(args.archive.bucketArn);
    const glue = pulumi.interpolate`arn:${partition.partition}:glue:${region.region}:${accountId}`;
    const statements: pulumi.Input<PolicyStatement>[] = [
      // https://docs.aws.amazon.com/macie/latest/user/security_iam_service-with-iam.html: classification-job resources.
      {
        sid: "StartClassificationJobs",
        effect: "Allow",
        actions: ["macie2:CreateClassificationJob"],
        resources: [pulumi.interpolate`arn:${partition.partition}:macie2:${region.region}:${accountId}:classification-job/*`],
      },
      {
        sid: "InvokeReportFunction",
        effect: "Allow",
        actions: ["lambda:InvokeFunction"],
        resources: [reportFunction.fn.arn, pulumi.interpolate`${reportFunction.fn.arn}:*`],
      },
      // https://docs.aws.amazon.com/step-functions/latest/dg/athena-iam.html (startQueryExecution.sync), narrowed to our workgroup, catalog and table.
      {
        sid: "RunAccessHistoryQueries",
        effect: "Allow",
        actions: ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:StopQueryExecution"],
        resources: [args.query.workgroupArn],
      },
      {
        sid: "ReadArchiveTable",
        effect: "Allow",
        actions: ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"],
        resources: [
          pulumi.interpolate`${glue}:catalog`,
          pulumi.interpolate`${glue}:database/${args.query.databaseName}`,
          pulumi.interpolate`${glue}:table/${args.query.databaseName}/${args.query.tableName}`,
        ],
      },
      // Athena reads the archive and writes the results with the caller's credentials.
      {
        sid: "ArchiveBucket",
        effect: "Allow",
        actions: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
        resources: [archiveArn],
      },
      { sid: "ReadArchiveEvents", effect: "Allow", actions: ["s3:GetObject"], resources: [pulumi.interpolate`${archiveArn}/events/*`] },
      {
        sid: "WriteQueryResults",
        effect: "Allow",
        actions: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
        resources: [pulumi.interpolate`${archiveArn}/${RESULTS_PREFIX}*`],
      },
      {
        sid: "ArchiveKeyThroughS3",
        effect: "Allow",
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: [args.pipelineKeyArn],
        conditions: [
          via(["s3"]),
          { test: "StringLike", variable: "kms:EncryptionContext:aws:s3:arn", values: [archiveArn, pulumi.interpolate`${archiveArn}/*`] },
        ],
      },
      // https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html: the execution role
      // encrypts and decrypts the state by the state machine's encryption context. No kms:ViaService:
      // AWS warns it "can prevent a new execution from starting or cause a running execution to fail".
      {
        sid: "StateMachineKeyByEncryptionContext",
        effect: "Allow",
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: [args.pipelineKeyArn],
        conditions: [{ test: "StringEquals", variable: "kms:EncryptionContext:aws:states:stateMachineArn", values: [machineArn] }],
      },
      // Same page: with a customer managed key and logging, the execution role generates the data key
      // of the execution logs, which delivery.logs.amazonaws.com decrypts (the key policy's
      // LogDeliveryDecryptStateMachineExecutionLogs).
      {
        sid: "ExecutionLogDataKey",
        effect: "Allow",
        actions: ["kms:GenerateDataKey"],
        resources: [args.pipelineKeyArn],
        conditions: [
          {
            test: "StringEquals",
            variable: "kms:EncryptionContext:SourceArn",
            values: [pulumi.interpolate`arn:${partition.partition}:logs:${region.region}:${accountId}:*`],
          },
        ],
      },
      // https://docs.aws.amazon.com/athena/latest/ug/access-encrypted-data-glue-data-catalog.html: with an
      // encrypted Data Catalog every principal using Athena needs these on the catalog key.
      ...(args.catalogKeyArn === undefined
        ? []
        : [
            {
              sid: "CatalogKeyThroughGlue",
              effect: "Allow",
              actions: ["kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt"],
              resources: [args.catalogKeyArn],
              conditions: [via(["glue"])],
            },
          ]),
      { sid: "PublishAlerts", effect: "Allow", actions: ["sns:Publish"], resources: [args.alertTopicArn] },
      {
        sid: "AlertTopicKeyThroughSns",
        effect: "Allow",
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: [args.auditKeyArn],
        conditions: [via(["sns"])],
      },
      // https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy: these take no resource ARN.
      {
        sid: "DeliverExecutionLogs",
        effect: "Allow",
        actions: [
          "logs:CreateLogDelivery",
          "logs:GetLogDelivery",
          "logs:UpdateLogDelivery",
          "logs:DeleteLogDelivery",
          "logs:ListLogDeliveries",
          "logs:PutResourcePolicy",
          "logs:DescribeResourcePolicies",
          "logs:DescribeLogGroups",
        ],
        resources: ["*"],
      },
      // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-xray-tracing.html: X-Ray takes no resource ARN.
      {
        sid: "WriteTraces",
        effect: "Allow",
        actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
        resources: ["*"],
      },
    ];
    // https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html: confused-deputy conditions.
    const role = createServiceRole(
      `${name}-role`,
      {
        roleName: args.stateMachineRoleName,
        description: "The incident state machine: Macie job, Athena access history, the report function, the alert",
        servicePrincipal: "states.amazonaws.com",
        trustConditions: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
          { test: "ArnLike", variable: "aws:SourceArn", values: [machineArn] },
        ],
        statements,
        tags: tags("incident-workflow-role"),
      },
      parent,
    );

    // --- The state machine -----------------------------------------------------------------------
    const definition: pulumi.Output<string> = pulumi
      .all([
        accountId,
        args.classifiedBucketName,
        reportFunction.fn.arn,
        args.query.workgroupName,
        args.query.databaseName,
        args.alertTopicArn,
      ])
      .apply(([account, classified, fnArn, workgroup, database, topic]) =>
        JSON.stringify(
          incidentDefinition({
            accountId: account,
            classifiedBucketName: classified,
            reportFunctionArn: fnArn,
            athenaWorkgroup: workgroup,
            athenaDatabase: database,
            accessHistorySql: args.query.accessHistorySql,
            alertTopicArn: topic,
            timeouts: args.timeouts,
          }),
        ),
      );
    const machine = new aws.sfn.StateMachine(
      `${name}-state-machine`,
      {
        name: machineName,
        type: "STANDARD",
        roleArn: role.role.arn,
        definition,
        loggingConfiguration: { level: "ALL", includeExecutionData: true, logDestination: pulumi.interpolate`${logGroup.arn}:*` },
        tracingConfiguration: { enabled: true },
        encryptionConfiguration: { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyId: args.pipelineKeyArn, kmsDataKeyReusePeriodSeconds: 300 },
        tags: tags("incident-workflow"),
      },
      // Step Functions checks at creation that the role may deliver logs and use the key.
      { parent: this, dependsOn: [...role.ready, logGroup] },
    );

    // An execution that ends without its report is an alarm. Step Functions counts the three ways
    // apart (ExecutionsFailed, ExecutionsTimedOut past the machine's TimeoutSeconds, ExecutionsAborted
    // by StopExecution): https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html
    for (const [metricName, purpose, how] of INCIDENT_EXECUTION_FAILURE_METRICS) {
      createFailureAlarm(
        `${name}-${purpose}-alarm`,
        {
          alarmName: physicalName(stack, "alarm", "incident-workflow", purpose),
          description: `Incident executions ${how}: an incident report is missing (the alert names the incident)`,
          namespace: "AWS/States",
          metricName,
          dimensions: { StateMachineArn: machine.arn },
          statistic: "Sum",
        },
        args.alertTopicArn,
        tags("incident-workflow-alarm"),
        { parent: this },
      );
    }

    // The ARN AWS gives it (`arn:<partition>:states:<region>:<account>:stateMachine:<name>`,
    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html), derived
    // from the same name as the authorizer's (so the two cannot differ), resolved once the machine exists.
    this.stateMachineArn = pulumi.all([machine.arn, machineArn]).apply(([, arn]) => arn);
    this.stateMachineRoleArn = role.role.arn;
    this.reportBucketName = bucket.bucketName;
    this.reportFunctionName = reportFunction.fn.name;
    this.reportFunctionRoleArn = reportFunction.role.role.arn;
    this.logGroupName = logGroup.name;
    this.registerOutputs({
      stateMachineArn: this.stateMachineArn,
      reportBucketName: this.reportBucketName,
      reportFunctionName: this.reportFunctionName,
    });
  }
}
