/**
 * The security-event pipeline, part 1: every access to PHI is recorded, checked against who may
 * access it, searchable within seconds, archived for the retention, and a denied access opens an
 * incident (ARCHITECTURE.md section 4).
 *
 * CloudTrail (S3 data events of the PHI buckets) -> its CloudWatch log group -> a subscription
 * filter (S3 data events only) -> one Firehose stream in the VPC whose only processor is the
 * authorizer Lambda (lambda/authorizer: it decodes the subscription's gzip messages itself, since
 * Firehose does not document Decompression / CloudWatchLogProcessing on an OpenSearch destination;
 * decision per event, incident start for a denied one) -> OpenSearch in the VPC (zero buffering) with every document
 * also written, gzip, to the S3 archive (`AllDocuments`), which Athena queries through a Glue table
 * with partition projection.
 *
 * Everything holding events is encrypted with the pipeline key (stream, domain, archive, store,
 * incident queue, the functions' environment); the log groups with the audit key.
 *
 * HIPAA Security Rule: 164.312(b) audit controls, 164.308(a)(1)(ii)(D) information system activity
 * review, 164.308(a)(6)(ii) security incident response, 164.308(a)(4) information access management.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PhiBucketPurpose, PlatformConfig, StackContext } from "../config";
import { platformWiring, type PlatformContext } from "../platform-context";
import { physicalName } from "../lib/naming";
import { ReplicationDestination, SecureBucket } from "../lib/secure-bucket";
import { kmsViaServiceCondition } from "../lib/service-role";
import { platformTags } from "../lib/tags";
import { createFailureAlarm, FailureAlarm } from "../lib/alarms";
import { FunctionNetwork } from "../lib/vpc-function";
import { ArchiveQuery } from "./archive-query";
import { ARCHIVE_PURPOSE, createAccessStore } from "./access";
import { createAuthorizer } from "./authorizer";
import type { PipelineContext } from "./context";
import { IncidentWorkflow } from "./incident-workflow";
import { createSearchDomain } from "./opensearch-config";
import { PlatformGrant } from "./store";
import { createDeliveryStream, createStreamRole } from "./stream";
import { grantFieldProblem } from "../../lambda/authorizer/grant-model";

export { ARCHIVE_PURPOSE } from "./access";
export { AUTHORIZER_ENTRY, AUTHORIZER_RESERVED_CONCURRENCY_PROD } from "./authorizer";
export { OPENSEARCH_CONFIG_ENTRY, OPENSEARCH_CONFIG_RESERVED_CONCURRENCY_PROD, WRITER_ROLE } from "./opensearch-config";
export {
  ARCHIVE_BUFFERING_MB,
  ARCHIVE_BUFFERING_SECONDS,
  EVENTS_INDEX,
  EVENTS_INDEX_PATTERN,
  FIREHOSE_READ_PATHS,
  FIREHOSE_WRITE_PATHS,
  OPENSEARCH_BUFFERING_SECONDS,
  OPENSEARCH_RETRY_SECONDS,
  S3_DATA_EVENTS_FILTER,
} from "./stream";

/** The day the archive's partitions start (projection from here to NOW; earlier days are simply empty). */
export const ARCHIVE_PROJECTION_START = "2026-11-01";

export interface SecurityEventArchiveArgs {
  /** The platform context: config (retention, protection, tags), the `pipeline` key, the access-log bucket. */
  readonly platform: PlatformContext;
  /** The recovery copy (`Recovery.eventsReplica`). @default no replication (prod always has one) */
  readonly replicateTo?: ReplicationDestination;
}

/** The detection canary's probe, as {@link SecurityEventsWiring.canary} takes it. */
export interface SecurityEventsCanary {
  /** The probe role's ARN (a role, not a session): compared with events the way grants are (grant-model.ts). */
  readonly principalArn: pulumi.Input<string>;
  /** The PHI bucket the probe object is in: the PHI data bucket. */
  readonly bucket: "phi-data";
  /** The probe's key prefix, such as `canary/`: not empty (that would mark every access of the probe role to the bucket). */
  readonly prefix: string;
  /**
   * The canary's own topic (`Canary.topicArn`): the workflow publishes a canary incident's messages there and
   * never to the alert topic, whose e-mail subscription cannot filter them out (components/canary/).
   */
  readonly topicArn: pulumi.Input<string>;
}

/** Problems of a canary setting (empty when valid), checked before any resource is created. */
export function securityEventsCanaryProblems(
  canary: SecurityEventsCanary,
  phiBucketNames: Partial<Record<PhiBucketPurpose, unknown>>,
): string[] {
  const problems: string[] = [];
  if (canary.prefix === "") problems.push('canary.prefix must not be empty: give the canary its own prefix, such as "canary/"');
  const prefixProblem = grantFieldProblem("prefix", canary.prefix, { buckets: [] });
  if (prefixProblem !== undefined) problems.push(`canary.prefix ${prefixProblem}, got ${JSON.stringify(canary.prefix)}`);
  if (phiBucketNames[canary.bucket] === undefined)
    problems.push(`canary.bucket ${canary.bucket} is not among phiBucketNames: pass the PHI data bucket's name`);
  return problems;
}

/** What a {@link SecurityEvents}' builders receive: its {@link SecurityEventsArgs} with the platform context unpacked. */
export interface SecurityEventsWiring {
  /**
   * The key encrypting the account's Glue Data Catalog when the stack encrypts it (AccountGuardrails'
   * `catalogKeyArn`): the incident workflow's Athena query reads the table through Glue.
   * @default the catalog is not encrypted with a customer key
   */
  readonly catalogKeyArn?: pulumi.Input<string>;
  /**
   * The archive every document goes to ({@link SecurityEvents.createArchive}). Built before the
   * trail so that the trail records access to it, as to every PHI bucket.
   */
  readonly archive: SecureBucket;
  /**
   * The incident-report bucket ({@link IncidentWorkflow.createReportBucket}): built before the trail
   * for the same reason as the archive.
   * @default one built here, unreplicated and unknown to the trail (tests; index.ts always passes it)
   */
  readonly reportBucket?: SecureBucket;
  /** The stack's validated config: retention, protection, grants, environment, AZ count, tags. */
  readonly config: StackContext &
    Pick<
      PlatformConfig,
      | "dataRetentionInDays"
      | "eventIndexRetentionInDays"
      | "logRetentionInDays"
      | "reportRetentionInDays"
      | "availabilityZoneCount"
      | "accessGrants"
      | "existingServiceLinkedRoles"
    >;
  /** The pipeline key (stream, domain, archive, store, queue, function environments). */
  readonly pipelineKeyArn: pulumi.Input<string>;
  /** The audit key (every log group of the pipeline). */
  readonly auditKeyArn: pulumi.Input<string>;
  /** Name of the bucket that receives the archive's and the results bucket's server access logs. */
  readonly accessLogBucket: pulumi.Input<string>;
  /** The audit trail's CloudWatch log group (name and ARN): the source of the events. */
  readonly trailLogGroupName: pulumi.Input<string>;
  readonly trailLogGroupArn: pulumi.Input<string>;
  /** Where the pipeline's functions, stream and domain run. */
  readonly network: FunctionNetwork & { readonly privateSubnetIds: pulumi.Output<string[]> };
  /** The stack's PHI buckets by purpose: the buckets a grant may name. */
  readonly phiBucketNames: Partial<Record<PhiBucketPurpose, pulumi.Input<string>>>;
  /** The platform's own roles' access to PHI, granted by construction. @default none */
  readonly platformGrants?: readonly PlatformGrant[];
  /**
   * The detection canary (issue 18): its probe role and where it reads. The authorizer marks that role's
   * denied accesses under `prefix` of the `bucket` PHI bucket (and only those) as canary incidents, which
   * the workflow runs without Macie and announces as "canary" (SNS attribute `canary` = "true").
   * @default no canary: no incident is ever marked
   */
  readonly canary?: SecurityEventsCanary;
  /** The topic alarms of the pipeline publish to. */
  readonly alertTopicArn: pulumi.Input<string>;
}

/**
 * A {@link SecurityEvents}' arguments: the platform context (config; the `pipeline` key for the stream,
 * domain, store, queue and function environments, the `audit` key for the log groups; the access-log
 * bucket; the alert topic for the alarms) and the pipeline's own inputs.
 */
export interface SecurityEventsArgs extends Omit<
  SecurityEventsWiring,
  "config" | "pipelineKeyArn" | "auditKeyArn" | "accessLogBucket" | "alertTopicArn"
> {
  readonly platform: PlatformContext;
}

export class SecurityEvents extends pulumi.ComponentResource {
  /**
   * The archive: every document, gzip, hour-partitioned, kept the retention. PHI, because the events
   * name object keys, which may identify patients; replicated in prod like every PHI bucket.
   */
  static createArchive(name: string, args: SecurityEventArchiveArgs, opts?: pulumi.ComponentResourceOptions): SecureBucket {
    return new SecureBucket(
      name,
      {
        config: args.platform.config,
        purpose: ARCHIVE_PURPOSE,
        kmsKeyArn: args.platform.keyArns.pipeline,
        dataClassification: "PHI",
        accessLogBucket: args.platform.accessLogBucket,
        holdsLogs: true,
        expireCurrentObjectsAfterDays: args.platform.config.dataRetentionInDays,
        replicateTo: args.replicateTo,
      },
      opts,
    );
  }

  readonly streamName: pulumi.Output<string>;
  readonly streamArn: pulumi.Output<string>;
  readonly domainEndpoint: pulumi.Output<string>;
  readonly domainArn: pulumi.Output<string>;
  readonly archiveBucketName: pulumi.Output<string>;
  readonly archiveBucketArn: pulumi.Output<string>;
  readonly grantsTableName: pulumi.Output<string>;
  readonly glueDatabaseName: pulumi.Output<string>;
  readonly glueTableName: pulumi.Output<string>;
  readonly athenaWorkgroupName: pulumi.Output<string>;
  readonly authorizerFunctionName: pulumi.Output<string>;
  readonly authorizerRoleArn: pulumi.Output<string>;
  readonly incidentDeadLetterQueueArn: pulumi.Output<string>;
  /** The ARN the authorizer starts incidents with: the incident workflow's state machine. */
  readonly incidentStateMachineArn: pulumi.Output<string>;
  /** The incident workflow: its report bucket and report function. */
  readonly incidentReportBucketName: pulumi.Output<string>;
  readonly incidentReportFunctionName: pulumi.Output<string>;

  constructor(name: string, { platform, ...own }: SecurityEventsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("healthcare:security-events:SecurityEvents", name, {}, opts);
    const canaryProblems = own.canary === undefined ? [] : securityEventsCanaryProblems(own.canary, own.phiBucketNames);
    if (canaryProblems.length > 0) throw new Error(`SecurityEvents ${name}: ${canaryProblems.join("; ")}`);
    const args: SecurityEventsWiring = {
      ...own,
      ...platformWiring(platform),
      pipelineKeyArn: platform.keyArns.pipeline,
    };
    const { config } = args;
    const stack = config.stack;
    const parent = { parent: this };
    const tags = (purpose: string) => platformTags(config, { dataClassification: "PHI", purpose });
    const identity = aws.getCallerIdentityOutput({}, parent);
    const region = aws.getRegionOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent);
    const accountId = identity.accountId;
    const via = (services: readonly string[]) => kmsViaServiceCondition(services, region.region, partition.dnsSuffix);

    const archive = args.archive;
    const reportBucket = args.reportBucket ?? IncidentWorkflow.createReportBucket(`${name}-reports`, { platform }, parent);

    const ctx: PipelineContext = { name, component: this, args, stack, tags, accountId, region, partition, via };

    // --- Who may access PHI, and the incident throttle (access.ts) --------------------------------
    const { store, streamRoleName, incidentRoleName } = createAccessStore(ctx, reportBucket);
    // --- Incidents and the authorizer, the stream's transform (authorizer.ts) ---------------------
    const { authorizer, incidentDlq } = createAuthorizer(ctx, store);
    // --- The stream's role (stream.ts), the domain and its configuration (opensearch-config.ts) ---
    const streamRole = createStreamRole(ctx, { streamRoleName, archive, authorizer });
    const { domain, configRun } = createSearchDomain(ctx, streamRole);
    // --- The delivery stream and its source, the trail's S3 data events (stream.ts) ---------------
    const stream = createDeliveryStream(ctx, { ...streamRole, archive, authorizer, domain, configRun });

    // --- The archive's query layer ----------------------------------------------------------------
    const query = new ArchiveQuery(
      `${name}-query`,
      {
        config,
        archiveBucketName: archive.bucketName,
        archiveBucketArn: archive.arn,
        pipelineKeyArn: args.pipelineKeyArn,
        projectionStartDate: ARCHIVE_PROJECTION_START,
      },
      parent,
    );

    // --- The incident workflow (the state machine the authorizer starts) -------------------------
    const workflow = new IncidentWorkflow(
      `${name}-incident`,
      {
        config,
        reportBucket,
        pipelineKeyArn: args.pipelineKeyArn,
        auditKeyArn: args.auditKeyArn,
        alertTopicArn: args.alertTopicArn,
        canaryTopicArn: args.canary?.topicArn,
        network: args.network,
        classifiedBucketName: args.phiBucketNames["phi-data"] ?? archive.bucketName,
        archive: { bucketName: archive.bucketName, bucketArn: archive.arn },
        query: {
          workgroupName: query.workgroup.name,
          workgroupArn: query.workgroup.arn,
          databaseName: query.databaseName,
          tableName: query.tableName,
          accessHistorySql: query.accessHistorySql,
        },
        stateMachineRoleName: incidentRoleName,
        catalogKeyArn: args.catalogKeyArn,
      },
      parent,
    );

    // --- Alarms: a silently stalled pipeline is worse than a failed deploy ------------------------
    const alarm = (purpose: string, description: string, watch: Omit<FailureAlarm, "alarmName" | "description">) =>
      createFailureAlarm(
        `${name}-${purpose}-alarm`,
        { alarmName: physicalName(stack, "alarm", "security-events", purpose), description, ...watch },
        args.alertTopicArn,
        tags("security-events-alarm"),
        { parent: this },
      );
    alarm("authorizer-errors", "The authorizer failed invocations (Firehose retries; records wait)", {
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: authorizer.fn.name },
      statistic: "Sum",
      threshold: 0,
    });
    alarm("opensearch-freshness", "The oldest record waiting for OpenSearch is older than 15 minutes", {
      namespace: "AWS/Firehose",
      metricName: "DeliveryToAmazonOpenSearchService.DataFreshness",
      dimensions: { DeliveryStreamName: stream.name },
      statistic: "Maximum",
      threshold: 900,
    });
    alarm("archive-freshness", "The oldest record waiting for the S3 archive is older than 15 minutes", {
      namespace: "AWS/Firehose",
      // AWS's table "Delivery to OpenSearch Service": the S3 backup of an OpenSearch destination reports as
      // DeliveryToS3.* ("emits this metric only when you enable backup for all documents", which this stream
      // does); BackupToS3.* are the S3 and Redshift destinations' source-record backup:
      // https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html
      metricName: "DeliveryToS3.DataFreshness",
      dimensions: { DeliveryStreamName: stream.name },
      statistic: "Maximum",
      threshold: 900,
    });

    this.streamName = stream.name;
    this.streamArn = stream.arn;
    this.domainEndpoint = domain.endpoint;
    this.domainArn = domain.domainArn;
    this.archiveBucketName = archive.bucketName;
    this.archiveBucketArn = archive.arn;
    this.grantsTableName = store.grantsTableName;
    this.glueDatabaseName = query.databaseName;
    this.glueTableName = query.tableName;
    this.athenaWorkgroupName = query.workgroup.name;
    this.authorizerFunctionName = authorizer.fn.name;
    this.authorizerRoleArn = authorizer.role.role.arn;
    this.incidentDeadLetterQueueArn = incidentDlq.arn;
    // The same ARN the authorizer was configured with (derived from the same name), now from the resource.
    this.incidentStateMachineArn = workflow.stateMachineArn;
    this.incidentReportBucketName = workflow.reportBucketName;
    this.incidentReportFunctionName = workflow.reportFunctionName;
    this.registerOutputs({
      streamName: this.streamName,
      domainEndpoint: this.domainEndpoint,
      archiveBucketName: this.archiveBucketName,
      glueTableName: this.glueTableName,
      athenaWorkgroupName: this.athenaWorkgroupName,
      authorizerFunctionName: this.authorizerFunctionName,
      incidentStateMachineArn: this.incidentStateMachineArn,
      incidentReportBucketName: this.incidentReportBucketName,
    });
  }
}
