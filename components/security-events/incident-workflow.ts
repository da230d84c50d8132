/**
 * The security-event pipeline, part 2: the incident workflow (ARCHITECTURE.md section 4, issue 10).
 * The authorizer starts it for a denied access to PHI, with the CloudTrail eventID as the execution
 * name and an {@link IncidentInput} (ids only) as input:
 *
 *   Normalize -> IsCanaryIncident? (the canary's probe, `canary: true`, or a real incident)
 *             -> PublishIncidentAlert (SNS, the moment the execution starts: ids and the report's key)
 *             -> IsClassifiedBucket? -> StartClassificationJob (Macie, one-time, ClientToken = execution name;
 *                never for the canary's probe)
 *             -> WaitForArchive (the archive's Firehose buffer) -> PrepareAccessHistoryQuery (the window)
 *             -> QueryAccessHistory (Athena startQueryExecution.sync, ExecutionParameters, task timeout)
 *             -> WriteReport (the report function: JSON + summary under Object Lock, retried)
 *             -> PublishReportReady (SNS: the report is written, or why not)
 *
 * Canary incidents (issue 18): the detection canary's probe, marked by the authorizer, skips Macie
 * (cost; it read a synthetic object) and runs the rest; its subjects say "canary" and every publish
 * of the workflow carries the SNS message attribute `canary` ("true" / "false"), which subscriptions
 * filter on. Every message carries the access's `eventTime` (the canary measures detection from it).
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
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PhiBucketPurpose, PlatformConfig, StackContext } from "../config";
import type { PlatformContext } from "../platform-context";
import { incidentStateMachineName, physicalName, stateMachineArn } from "../lib/naming";
import { SecureBucket, type ObjectLockMode, type ReplicationDestination } from "../lib/secure-bucket";
import { kmsViaServiceCondition } from "../lib/service-role";
import { platformTags } from "../lib/tags";
import { createFailureAlarm } from "../lib/alarms";
import { type FunctionNetwork } from "../lib/vpc-function";
import type { IncidentContext } from "./incident-context";
import { INCIDENT_EXECUTION_FAILURE_METRICS, incidentDefinition, type WorkflowTimeouts } from "./incident-definition";
import { createReportFunction } from "./incident-report";
import { createIncidentRole } from "./incident-role";

/** The report bucket's purpose (bucket name part, tags, and the purpose grants name it by). */
export const REPORT_PURPOSE = "incident-reports" satisfies PhiBucketPurpose;

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
  /** The platform context: config (environment, retention, protection, tags), the `pipeline` key, the access-log bucket. */
  readonly platform: PlatformContext;
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
  /**
   * The canary's topic (encrypted with the audit key, like the alert topic): a canary incident's messages go
   * there, every other incident's to `alertTopicArn`.
   * @default no canary: every message goes to the alert topic, and the definition has no topic choice
   */
  readonly canaryTopicArn?: pulumi.Input<string>;
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

export class IncidentWorkflow extends pulumi.ComponentResource {
  /**
   * The incident-report bucket: PHI, because a report names the principal, the bucket and the SHA-256
   * of the object key (a key such as `intake/MRN-0012345/...` is guessable, so its hash identifies the
   * patient as well as the key does) and points at the query result, which lists keys. Object Lock
   * with default retention, the pipeline key, replicated in prod like every PHI bucket.
   */
  static createReportBucket(name: string, args: IncidentReportBucketArgs, opts?: pulumi.ComponentResourceOptions): SecureBucket {
    const { config, keyArns, accessLogBucket } = args.platform;
    return new SecureBucket(
      name,
      {
        config,
        purpose: REPORT_PURPOSE,
        kmsKeyArn: keyArns.pipeline,
        dataClassification: "PHI",
        accessLogBucket,
        objectLock: reportObjectLock(config),
        // Locked objects cannot expire earlier anyway; versions are kept the retention too.
        holdsLogs: true,
        expireCurrentObjectsAfterDays: Math.max(config.dataRetentionInDays, config.reportRetentionInDays),
        noncurrentVersionExpirationInDays: Math.max(config.dataRetentionInDays, config.reportRetentionInDays),
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
    const ctx: IncidentContext = { name, component: this, args, stack, tags, accountId, region, partition, via, machineArn };

    // --- The report function (incident-report.ts) ------------------------------------------------
    const reportFunction = createReportFunction(ctx, lock);
    // --- The state machine's log group and role (incident-role.ts) -------------------------------
    const { logGroup, role } = createIncidentRole(ctx, reportFunction);

    // --- The state machine -----------------------------------------------------------------------
    const definition: pulumi.Output<string> = pulumi
      .all([
        accountId,
        args.classifiedBucketName,
        reportFunction.fn.arn,
        args.query.workgroupName,
        args.query.databaseName,
        args.alertTopicArn,
        args.canaryTopicArn,
      ])
      .apply(([account, classified, fnArn, workgroup, database, topic, canaryTopic]) =>
        JSON.stringify(
          incidentDefinition({
            accountId: account,
            classifiedBucketName: classified,
            reportFunctionArn: fnArn,
            athenaWorkgroup: workgroup,
            athenaDatabase: database,
            accessHistorySql: args.query.accessHistorySql,
            alertTopicArn: topic,
            ...(canaryTopic === undefined ? {} : { canaryTopicArn: canaryTopic }),
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
