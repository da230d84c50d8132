/**
 * The incident workflow's definition, as data (Amazon States Language, JSONPath): the states, their
 * retries, timeouts and the SNS subjects, validated by the tests with asl-validator and executed
 * with aws-local-stepfunctions. The component that deploys it is incident-workflow.ts.
 */
import { REPORT_PREFIX } from "../../lambda/incident-report/contract";
import { worstCaseSeconds } from "./asl-duration";

/** The subset of the Amazon States Language this workflow uses (JSONPath). */
export type AslState = Readonly<Record<string, unknown>> & { readonly Type: "Pass" | "Task" | "Choice" | "Wait" | "Fail" | "Succeed" };

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
  /**
   * The canary's own topic: a canary incident's messages go there, never to `alertTopicArn` (whose e-mail
   * subscription cannot filter them out: components/canary/). Each kind then carries its topic
   * (`$.kind.topicArn`) and each publish names it by path, which the SNS optimized integration takes like
   * any parameter (https://docs.aws.amazon.com/step-functions/latest/dg/connect-parameters.html).
   * @default no canary topic: the definition names `alertTopicArn` in every publish, as before
   */
  readonly canaryTopicArn?: string;
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

/**
 * The subjects of each kind of incident: a real one, and the detection canary's probe (issue 18),
 * whose every message says "canary". SNS takes a Subject of printable ASCII that begins with a letter,
 * number or punctuation mark, without line breaks, under 100 characters
 * (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html, Subject); test/incident checks each.
 */
export const INCIDENT_SUBJECTS = {
  incident: { alert: ALERT_SUBJECT, reportReady: REPORT_READY_SUBJECT, reportFailed: ALERT_FAILED_SUBJECT },
  canary: {
    alert: "healthcare-platform: canary PHI access incident (detection probe)",
    reportReady: "healthcare-platform: canary PHI access incident (report ready)",
    reportFailed: "healthcare-platform: canary PHI access incident (report NOT written)",
  },
} as const;

/**
 * The SNS message attribute every publish of the workflow carries: `canary` = "true" for the canary's
 * incidents, "false" for every other, so that subscriptions filter on it (the canary's queue takes
 * "true"; people's email leaves it out). Step Functions' sns:publish passes `MessageAttributes` as
 * SNS Publish takes them, `{ <name>: { DataType: "String", StringValue } }`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html, its example;
 * https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html). Message attributes need
 * no IAM permission beyond sns:Publish.
 */
export const CANARY_MESSAGE_ATTRIBUTE = "canary";

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
  isCanaryIncident: "IsCanaryIncident",
  markCanaryIncident: "MarkCanaryIncident",
  markIncident: "MarkIncident",
  composeIncidentAlert: "ComposeIncidentAlert",
  publishIncidentAlert: "PublishIncidentAlert",
  recordIncidentAlertFailure: "RecordIncidentAlertFailure",
  isClassifiedBucket: "IsClassifiedBucket",
  skipClassification: "SkipClassification",
  skipCanaryClassification: "SkipCanaryClassification",
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
  if (spec.canaryTopicArn !== undefined && spec.canaryTopicArn === spec.alertTopicArn)
    problems.push("canaryTopicArn must not be the alert topic: canary messages would reach its e-mail subscription");
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
  // Every message names the access's time (the canary measures detection from it) and whether it is the canary's.
  const alertMessage = (alert: string, extra: Record<string, unknown>) => ({
    alert,
    "canary.$": "$.kind.canary",
    "incidentId.$": "$$.Execution.Name",
    "executionArn.$": "$$.Execution.Id",
    "eventTime.$": "$.incident.eventTime",
    "decision.$": "$.incident.decision",
    "access.$": "$.incident.access",
    ...extra,
  });
  // The kind of incident ($.kind, set once after Normalize): its subjects, its message attribute and,
  // with a canary topic, the topic its messages go to.
  const canaryTopic = spec.canaryTopicArn;
  const kind = (canary: boolean) => ({
    canary,
    attribute: String(canary),
    subjects: INCIDENT_SUBJECTS[canary ? "canary" : "incident"],
    ...(canaryTopic === undefined ? {} : { topicArn: canary ? canaryTopic : spec.alertTopicArn }),
  });
  const publish = (
    subject: keyof (typeof INCIDENT_SUBJECTS)["incident"],
    next: { Next: string },
    extra: Record<string, unknown> = {},
  ): AslState => ({
    Type: "Task",
    Resource: TASK_RESOURCES.snsPublish,
    Parameters: {
      ...(canaryTopic === undefined ? { TopicArn: spec.alertTopicArn } : { "TopicArn.$": "$.kind.topicArn" }),
      "Subject.$": `$.kind.subjects.${subject}`,
      "Message.$": "States.JsonToString($.alert)",
      MessageAttributes: { [CANARY_MESSAGE_ATTRIBUTE]: { DataType: "String", "StringValue.$": "$.kind.attribute" } },
    },
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
      "PHI access incident: alert first, then Macie classification (not for the canary's probe), access history (Athena), the Object-Locked report, and its outcome. Ids only.",
    StartAt: S.normalize,
    TimeoutSeconds: t.executionSeconds,
    States: {
      // The input (an IncidentInput) moves under $.incident; every step adds its own key beside it.
      [S.normalize]: { Type: "Pass", Parameters: { "incident.$": "$" }, Next: S.isCanaryIncident },
      // Canary only for `canary: true`; an input without the field (every real incident) is a normal one.
      // Rules are tried in order and the first match wins (https://states-language.net/spec.html#choice-state),
      // so BooleanEquals only ever sees a boolean that is present: AWS fails an execution whose Choice
      // compares a path that does not exist (why IsPresent exists:
      // https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html, Choice Rules (JSONPath)).
      // `Not IsPresent: true` rather than `IsPresent: false`: the same on AWS, and aws-local-stepfunctions
      // 3.0.0 (the tests' engine) never matches `IsPresent: false` or `IsBoolean: false`.
      [S.isCanaryIncident]: {
        Type: "Choice",
        Choices: [
          { Not: { Variable: "$.incident.canary", IsPresent: true }, Next: S.markIncident },
          { Not: { Variable: "$.incident.canary", IsBoolean: true }, Next: S.markIncident },
          { Variable: "$.incident.canary", BooleanEquals: true, Next: S.markCanaryIncident },
        ],
        Default: S.markIncident,
      },
      [S.markCanaryIncident]: { Type: "Pass", Result: kind(true), ResultPath: "$.kind", Next: S.composeIncidentAlert },
      [S.markIncident]: { Type: "Pass", Result: kind(false), ResultPath: "$.kind", Next: S.composeIncidentAlert },
      // The alert, first: ids, and where the report will be.
      [S.composeIncidentAlert]: {
        Type: "Pass",
        Parameters: alertMessage("PHI_ACCESS_INCIDENT", { reportWillBe: { "key.$": reportKey("json"), "summaryKey.$": reportKey("txt") } }),
        ResultPath: "$.alert",
        Next: S.publishIncidentAlert,
      },
      [S.publishIncidentAlert]: publish(
        "alert",
        { Next: S.isClassifiedBucket },
        { ResultPath: "$.incidentAlert", Catch: caught(S.recordIncidentAlertFailure, "$.incidentAlert") },
      ),
      [S.recordIncidentAlertFailure]: {
        Type: "Pass",
        Parameters: { status: "FAILED", "error.$": "$.incidentAlert.Error" },
        ResultPath: "$.incidentAlert",
        Next: S.isClassifiedBucket,
      },
      // The canary's probe reads a synthetic object: a Macie job (billed per GB) would tell nothing.
      [S.isClassifiedBucket]: {
        Type: "Choice",
        Choices: [
          { Variable: "$.kind.canary", BooleanEquals: true, Next: S.skipCanaryClassification },
          { Variable: "$.incident.bucket", StringEquals: spec.classifiedBucketName, Next: S.startClassificationJob },
        ],
        Default: S.skipClassification,
      },
      [S.skipClassification]: {
        Type: "Pass",
        Result: { status: "SKIPPED", reason: "the access was not to the classified PHI bucket" },
        ResultPath: "$.macie",
        Next: S.waitForArchive,
      },
      [S.skipCanaryClassification]: {
        Type: "Pass",
        Result: { status: "SKIPPED", reason: "canary incident: the detection probe read a synthetic object, Macie is not run" },
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
      [S.publishReportReady]: publish("reportReady", { Next: S.wasIncidentAlertPublished }),
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
      [S.publishFailureAlert]: publish("reportFailed", { Next: S.reportNotWritten }),
      [S.reportNotWritten]: {
        Type: "Fail",
        Error: "IncidentReportNotWritten",
        Cause: "The report could not be written after its retries; the alert names the incident.",
      },
    },
  };
}
