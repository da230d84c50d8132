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
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PhiBucketPurpose, PlatformConfig, StackContext } from "../config";
import { incidentStateMachineName, logGroupName, physicalName, stateMachineArn } from "../lib/naming";
import { ReplicationDestination, SecureBucket } from "../lib/secure-bucket";
import { createServiceRole, kmsViaServiceCondition } from "../lib/service-role";
import { statefulOptions } from "../lib/stateful";
import { platformTags } from "../lib/tags";
import { createFailureAlarm, FailureAlarm } from "../lib/alarms";
import { createDeadLetterQueue } from "../lib/dead-letter-queue";
import { createVpcFunction, FunctionNetwork, vpcFunctionNames } from "../lib/vpc-function";
import { ArchiveQuery, ARCHIVE_ERROR_PREFIX, ARCHIVE_EVENTS_PREFIX } from "./archive-query";
import { AnalyticsDomain } from "./domain";
import { INCIDENT_REPORT_FUNCTION_PURPOSE, IncidentWorkflow, REPORT_PURPOSE } from "./incident-workflow";
import { AuthorizationStore, PlatformGrant } from "./store";
import {
  AUTHORIZER_ACTIONS,
  AUTHORIZER_ENV,
  AUTHORIZER_HANDLER,
  AUTHORIZER_MEMORY_MB,
  AUTHORIZER_TIMEOUT_SECONDS,
  firehoseProcessors,
} from "../../lambda/authorizer/contract";
import {
  OPENSEARCH_CONFIG_ACTIONS,
  OPENSEARCH_CONFIG_READ_ACTIONS,
  OPENSEARCH_CONFIG_HANDLER,
  OPENSEARCH_CONFIG_MEMORY_MB,
  OPENSEARCH_CONFIG_TIMEOUT_SECONDS,
  OpenSearchConfigInput,
  opensearchConfigReadResources,
  opensearchConfigResources,
} from "../../lambda/opensearch-config/contract";

export const AUTHORIZER_ENTRY = path.join(__dirname, "..", "..", "lambda", "authorizer", "index.ts");
export const OPENSEARCH_CONFIG_ENTRY = path.join(__dirname, "..", "..", "lambda", "opensearch-config", "index.ts");

/** The index Firehose writes, rotated daily (`security-events-YYYY-MM-DD`), and the pattern its role may write. */
export const EVENTS_INDEX = "security-events";
export const EVENTS_INDEX_PATTERN = `${EVENTS_INDEX}-*`;
/**
 * What Firehose calls on an OpenSearch destination (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-es-vpc):
 * reads of cluster state on these paths (the domain root `GET /` is `""`), and writes with the bulk API
 * (`POST _bulk`; the index name rotates daily under the pattern).
 */
export const FIREHOSE_READ_PATHS = [
  "_all/_settings",
  "_cluster/stats",
  `${EVENTS_INDEX}*/_mapping/*`,
  "_nodes",
  "_nodes/stats",
  "_nodes/*/stats",
  "_stats",
  `${EVENTS_INDEX}*/_stats`,
  "",
] as const;
export const FIREHOSE_WRITE_PATHS = ["_bulk", EVENTS_INDEX_PATTERN, `${EVENTS_INDEX_PATTERN}/*`] as const;

/** The OpenSearch role the delivery stream's IAM role is mapped to (write-only on the pattern). */
export const WRITER_ROLE = "security-events-writer";

/**
 * The subscription filter: S3 object-level data events only. CloudTrail marks data events with
 * `eventCategory: "Data"`; management events of S3 (bucket policy changes, ...) are not PHI access.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
export const S3_DATA_EVENTS_FILTER = '{ ($.eventSource = "s3.amazonaws.com") && ($.eventCategory = "Data") }';

/**
 * Seconds Firehose holds records before delivering to OpenSearch: 0, so an access is searchable
 * within seconds ("zero buffering": https://docs.aws.amazon.com/firehose/latest/dev/buffering-hints.html).
 * The S3 backup keeps its own buffer (fewer, larger archive objects).
 */
export const OPENSEARCH_BUFFERING_SECONDS = 0;
export const ARCHIVE_BUFFERING_SECONDS = 300;
export const ARCHIVE_BUFFERING_MB = 64;
/** How long Firehose retries OpenSearch before it writes the record to the error prefix (seconds). */
export const OPENSEARCH_RETRY_SECONDS = 300;

/**
 * Reserved concurrency in prod (dev leaves the account's pool alone, see `dataProcessorReservedConcurrency`):
 * Firehose runs one transform invocation per buffer at a time per shard of work, and waits rather
 * than drops when throttled, so a cap protects the account without losing events; the
 * configuration function runs once per deploy.
 */
export const AUTHORIZER_RESERVED_CONCURRENCY_PROD = 10;
export const OPENSEARCH_CONFIG_RESERVED_CONCURRENCY_PROD = 1;

/** The day the archive's partitions start (projection from here to NOW; earlier days are simply empty). */
export const ARCHIVE_PROJECTION_START = "2026-11-01";

/** The archive's purpose (bucket name part, tags, and the purpose grants name it by). */
export const ARCHIVE_PURPOSE = "security-events";

export interface SecurityEventArchiveArgs {
  readonly config: StackContext & Pick<PlatformConfig, "dataRetentionInDays">;
  readonly pipelineKeyArn: pulumi.Input<string>;
  readonly accessLogBucket: pulumi.Input<string>;
  /** The recovery copy (`Recovery.eventsReplica`). @default no replication (prod always has one) */
  readonly replicateTo?: ReplicationDestination;
}

export interface SecurityEventsArgs {
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
  /** The topic alarms of the pipeline publish to. */
  readonly alertTopicArn: pulumi.Input<string>;
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
        config: args.config,
        purpose: ARCHIVE_PURPOSE,
        kmsKeyArn: args.pipelineKeyArn,
        dataClassification: "PHI",
        accessLogBucket: args.accessLogBucket,
        holdsLogs: true,
        expireCurrentObjectsAfterDays: args.config.dataRetentionInDays,
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

  constructor(name: string, args: SecurityEventsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("healthcare:security-events:SecurityEvents", name, {}, opts);
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
    const reportBucket =
      args.reportBucket ??
      IncidentWorkflow.createReportBucket(
        `${name}-reports`,
        { config, pipelineKeyArn: args.pipelineKeyArn, accessLogBucket: args.accessLogBucket },
        parent,
      );

    // --- Who may access PHI, and the incident throttle -----------------------------------------
    // The stream's own archive writes are PHI access too: its role is granted by construction (its
    // ARN is known before the role exists: the role's name is).
    const streamRoleName = physicalName(stack, "iamRole", "firehose-security-events");
    const streamRoleArn = pulumi.interpolate`arn:${partition.partition}:iam::${accountId}:role/${streamRoleName}`;
    // The incident workflow's roles touch PHI too: Athena reads the archive and writes its results with
    // the state machine's credentials, the report function writes the reports, and Macie reads the PHI
    // bucket as its service-linked role. Ungranted, each would open an incident of its own (a loop).
    const roleArn = (roleName: string) => pulumi.interpolate`arn:${partition.partition}:iam::${accountId}:role/${roleName}`;
    const incidentRoleName = physicalName(stack, "iamRole", "incident-workflow");
    const reportRoleName = vpcFunctionNames(stack, INCIDENT_REPORT_FUNCTION_PURPOSE).roleName;
    // https://docs.aws.amazon.com/macie/latest/user/service-linked-roles.html
    const macieRoleArn = roleArn("aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie");
    const store = new AuthorizationStore(
      `${name}-store`,
      {
        config,
        kmsKeyArn: args.pipelineKeyArn,
        bucketNames: { ...args.phiBucketNames, [REPORT_PURPOSE]: reportBucket.bucketName },
        platformGrants: [
          ...(args.platformGrants ?? []),
          {
            holder: "firehose",
            principal: streamRoleArn,
            bucket: ARCHIVE_PURPOSE,
            prefix: "",
            access: ["read", "write"],
            reason: "Firehose writes the archive (and reads its multipart uploads)",
          },
          {
            holder: "incident-workflow",
            principal: roleArn(incidentRoleName),
            bucket: ARCHIVE_PURPOSE,
            prefix: "events/",
            access: ["read"],
            reason: "Athena reads the archive for an incident",
          },
          {
            holder: "incident-workflow",
            principal: roleArn(incidentRoleName),
            bucket: ARCHIVE_PURPOSE,
            prefix: "results/",
            access: ["read", "write"],
            reason: "Athena writes query results",
          },
          {
            holder: "incident-report",
            principal: roleArn(reportRoleName),
            bucket: REPORT_PURPOSE,
            prefix: "reports/",
            access: ["read", "write"],
            reason: "writes (and finds) incident reports",
          },
          ...(args.phiBucketNames["phi-data"] === undefined
            ? []
            : [
                {
                  holder: "macie",
                  principal: macieRoleArn,
                  bucket: "phi-data" as const,
                  prefix: "",
                  access: ["read" as const],
                  reason: "Macie classifies the PHI bucket for an incident",
                },
              ]),
        ],
      },
      parent,
    );

    // --- Incidents: the state machine's ARN (built by the incident workflow) and the DLQ ---------
    // Known before the workflow exists (the authorizer starts it; no cycle), from the same name.
    const incidentStateMachineArn = pulumi
      .all([partition.partition, region.region, accountId])
      .apply(([p, r, a]) => stateMachineArn(p, r, a, incidentStateMachineName(stack)));
    const { queue: incidentDlq } = createDeadLetterQueue(
      `${name}-incident-dlq`,
      {
        stack,
        nameParts: ["incident-dlq"],
        kmsKeyArn: args.pipelineKeyArn,
        alertTopicArn: args.alertTopicArn,
        alarmDescription: "Incident starts failed and wait in the dead-letter queue: start them by hand",
        tags: tags("incident-dlq"),
      },
      parent,
    );

    // --- The authorizer (the stream's transform) ------------------------------------------------
    const authorizer = createVpcFunction(
      `${name}-authorizer`,
      {
        config,
        description: "Firehose transform: decides each PHI access against the grants, starts an incident for a denied one",
        entry: AUTHORIZER_ENTRY,
        handler: AUTHORIZER_HANDLER,
        memorySizeInMb: AUTHORIZER_MEMORY_MB,
        timeoutInSeconds: AUTHORIZER_TIMEOUT_SECONDS,
        reservedConcurrency: config.environment === "prod" ? AUTHORIZER_RESERVED_CONCURRENCY_PROD : undefined,
        environment: {
          [AUTHORIZER_ENV.grantsTableName]: store.grantsTableName,
          [AUTHORIZER_ENV.throttleTableName]: store.throttleTableName,
          [AUTHORIZER_ENV.incidentStateMachineArn]: incidentStateMachineArn,
          [AUTHORIZER_ENV.incidentDlqUrl]: incidentDlq.url,
        },
        environmentKeyArn: args.pipelineKeyArn,
        logKeyArn: args.auditKeyArn,
        network: args.network,
        statements: [
          { sid: "ReadGrants", effect: "Allow", actions: [...AUTHORIZER_ACTIONS.grantsTable], resources: [store.grantsTableArn] },
          {
            sid: "ThrottleIncidents",
            effect: "Allow",
            actions: [...AUTHORIZER_ACTIONS.throttleTable],
            resources: [store.throttleTableArn],
          },
          { sid: "StartIncidents", effect: "Allow", actions: [...AUTHORIZER_ACTIONS.stateMachine], resources: [incidentStateMachineArn] },
          {
            sid: "DeadLetterFailedStarts",
            effect: "Allow",
            actions: [...AUTHORIZER_ACTIONS.deadLetterQueue],
            resources: [incidentDlq.arn],
          },
          // The pipeline key bound to the resources it protects (issue 16, defect 11): the two tables by
          // DynamoDB's encryption context, the queue by SQS's; the environment has its own statement
          // (createVpcFunction). StartExecution on the encrypted state machine needs no KMS permission
          // of the caller (https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html,
          // Required permissions for API callers).
          {
            sid: "TablesKeyThroughDynamoDb",
            effect: "Allow",
            actions: [...AUTHORIZER_ACTIONS.deadLetterQueueKey],
            resources: [args.pipelineKeyArn],
            conditions: [
              via(["dynamodb"]),
              {
                test: "StringEquals",
                variable: "kms:EncryptionContext:aws:dynamodb:tableName",
                values: [store.grantsTableName, store.throttleTableName],
              },
            ],
          },
          {
            sid: "DeadLetterQueueKeyThroughSqs",
            effect: "Allow",
            actions: [...AUTHORIZER_ACTIONS.deadLetterQueueKey],
            resources: [args.pipelineKeyArn],
            conditions: [via(["sqs"]), { test: "ArnEquals", variable: "kms:EncryptionContext:aws:sqs:arn", values: [incidentDlq.arn] }],
          },
        ],
        tags,
        purpose: "authorizer",
      },
      { parent: this },
    );

    // --- Roles of the stream and of the domain's configuration function -------------------------
    const streamName = physicalName(stack, "firehoseStream", "security-events");
    const domainName = physicalName(stack, "openSearchDomain", "events");
    const domainArn = pulumi.interpolate`arn:${partition.partition}:es:${region.region}:${accountId}:domain/${domainName}`;
    const streamLogGroup = new aws.cloudwatch.LogGroup(
      `${name}-stream-logs`,
      {
        name: logGroupName(stack, "firehose", "security-events"),
        kmsKeyId: args.auditKeyArn,
        retentionInDays: config.logRetentionInDays,
        deletionProtectionEnabled: config.protectData,
        tags: tags("firehose-logs"),
      },
      statefulOptions(this, config.protectData),
    );
    const deliveryStreams = ["DestinationDelivery", "BackupDelivery"].map(
      (stream) => new aws.cloudwatch.LogStream(`${name}-${stream}`, { name: stream, logGroupName: streamLogGroup.name }, parent),
    );

    const ec2Arn = pulumi.interpolate`arn:${partition.partition}:ec2:${region.region}:${accountId}:`;
    const streamSg = new aws.ec2.SecurityGroup(
      `${name}-stream-sg`,
      {
        vpcId: args.network.vpcId,
        name: physicalName(stack, "securityGroup", "firehose"),
        description: "Firehose delivery to OpenSearch: HTTPS to the domain only, no ingress",
        // No inline rules (its one egress rule is standalone, below): see domain.ts.
        tags: tags("firehose"),
      },
      parent,
    );
    // Firehose's delivery role: documented trust with sts:ExternalId = the account
    // (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html), and the documented
    // permissions for an OpenSearch destination in a VPC with an S3 backup and a Lambda transform.
    const streamRole = createServiceRole(
      `${name}-stream-role`,
      {
        roleName: streamRoleName,
        description: "Firehose delivery of security events to OpenSearch and the S3 archive",
        servicePrincipal: "firehose.amazonaws.com",
        trustConditions: [{ test: "StringEquals", variable: "sts:ExternalId", values: [accountId] }],
        statements: [
          {
            sid: "ArchiveBucket",
            effect: "Allow",
            actions: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
            resources: [archive.arn],
          },
          {
            sid: "ArchiveObjects",
            effect: "Allow",
            actions: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
            // Its own prefixes only: query results live in the same bucket under results/.
            resources: [pulumi.interpolate`${archive.arn}/events/*`, pulumi.interpolate`${archive.arn}/errors/*`],
          },
          {
            sid: "ArchiveKeyThroughS3",
            effect: "Allow",
            actions: ["kms:GenerateDataKey", "kms:Decrypt"],
            resources: [args.pipelineKeyArn],
            conditions: [
              via(["s3"]),
              {
                test: "StringLike",
                variable: "kms:EncryptionContext:aws:s3:arn",
                values: [archive.arn, pulumi.interpolate`${archive.arn}/*`],
              },
            ],
          },
          {
            sid: "InvokeAuthorizer",
            effect: "Allow",
            actions: ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"],
            resources: [authorizer.fn.arn, pulumi.interpolate`${authorizer.fn.arn}:*`],
          },
          {
            sid: "DescribeDomain",
            effect: "Allow",
            actions: ["es:DescribeDomain", "es:DescribeDomains", "es:DescribeDomainConfig"],
            resources: [domainArn],
          },
          {
            // The same paths the domain's access policy gives the stream (FIREHOSE_WRITE_PATHS): in one
            // account the identity policy OR the resource policy allows, so a wider grant here would make
            // the domain policy's per-path scoping moot
            // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html).
            sid: "WriteDocuments",
            effect: "Allow",
            actions: ["es:ESHttpPost", "es:ESHttpPut"],
            resources: FIREHOSE_WRITE_PATHS.map((p) => pulumi.interpolate`${domainArn}/${p}`),
          },
          {
            sid: "ReadClusterState",
            effect: "Allow",
            actions: ["es:ESHttpGet"],
            resources: FIREHOSE_READ_PATHS.map((p) => pulumi.interpolate`${domainArn}/${p}`),
          },
          {
            sid: "DescribeVpc",
            effect: "Allow",
            // These Describe* actions accept no resource ARN (Service Authorization Reference, EC2).
            actions: ["ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeNetworkInterfaces"],
            resources: ["*"],
          },
          {
            sid: "DescribeOwnVpcAttributes",
            effect: "Allow",
            actions: ["ec2:DescribeVpcAttribute"],
            resources: [pulumi.interpolate`${ec2Arn}vpc/${args.network.vpcId}`],
          },
          {
            sid: "ManageStreamNetworkInterfaces",
            effect: "Allow",
            actions: ["ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface"],
            resources: pulumi
              .all([ec2Arn, args.network.privateSubnetIds, streamSg.id])
              .apply(([arn, subnets, sg]) => [
                `${arn}network-interface/*`,
                ...subnets.map((id) => `${arn}subnet/${id}`),
                `${arn}security-group/${sg}`,
              ]),
          },
          {
            sid: "WriteDeliveryErrors",
            effect: "Allow",
            actions: ["logs:PutLogEvents"],
            resources: deliveryStreams.map((s) => pulumi.interpolate`${streamLogGroup.arn}:log-stream:${s.name}`),
          },
        ],
        tags: tags("firehose-role"),
      },
      parent,
    );

    // --- The domain's configuration function (its role is the FGAC master user) -----------------
    const domainSgIngressSources: pulumi.Output<string>[] = [streamSg.id];
    const configFunction = createVpcFunction(
      `${name}-domain-config`,
      {
        config,
        description: "Deploy-time: maps the delivery stream's role to a write-only OpenSearch role and turns on audit logging",
        entry: OPENSEARCH_CONFIG_ENTRY,
        handler: OPENSEARCH_CONFIG_HANDLER,
        memorySizeInMb: OPENSEARCH_CONFIG_MEMORY_MB,
        timeoutInSeconds: OPENSEARCH_CONFIG_TIMEOUT_SECONDS,
        reservedConcurrency: config.environment === "prod" ? OPENSEARCH_CONFIG_RESERVED_CONCURRENCY_PROD : undefined,
        environment: {},
        environmentKeyArn: args.pipelineKeyArn,
        logKeyArn: args.auditKeyArn,
        network: args.network,
        statements: [
          {
            sid: "ConfigureDomainSecurity",
            effect: "Allow",
            actions: [...OPENSEARCH_CONFIG_ACTIONS],
            resources: domainArn.apply((arn) => opensearchConfigResources(arn, [WRITER_ROLE], EVENTS_INDEX_PATTERN)),
          },
          {
            // The ISM policy's version before updating it (if_seq_no/if_primary_term): that one path only.
            sid: "ReadEventIndexPolicy",
            effect: "Allow",
            actions: [...OPENSEARCH_CONFIG_READ_ACTIONS],
            resources: domainArn.apply((arn) => opensearchConfigReadResources(arn, EVENTS_INDEX_PATTERN)),
          },
        ],
        tags,
        purpose: "opensearch-config",
      },
      { parent: this },
    );
    domainSgIngressSources.push(configFunction.securityGroup.id);

    // --- The analytics domain --------------------------------------------------------------------
    const domain = new AnalyticsDomain(
      `${name}-analytics`,
      {
        config,
        kmsKeyArn: args.pipelineKeyArn,
        logKeyArn: args.auditKeyArn,
        vpcId: args.network.vpcId,
        privateSubnetIds: args.network.privateSubnetIds,
        masterUserArn: configFunction.role.role.arn,
        // Per principal (defect 11): the stream only Firehose's documented calls on its index paths, the
        // configuration function only the security-API paths it writes; neither reaches the other's.
        httpAccess: [
          {
            sid: "FirehoseWritesEvents",
            principalArn: streamRole.role.arn,
            actions: ["es:ESHttpPost", "es:ESHttpPut"],
            paths: FIREHOSE_WRITE_PATHS,
          },
          { sid: "FirehoseReadsClusterState", principalArn: streamRole.role.arn, actions: ["es:ESHttpGet"], paths: FIREHOSE_READ_PATHS },
          {
            sid: "ConfigurationWritesSecurityApi",
            principalArn: configFunction.role.role.arn,
            actions: [...OPENSEARCH_CONFIG_ACTIONS],
            paths: opensearchConfigResources("", [WRITER_ROLE], EVENTS_INDEX_PATTERN).map((p) => p.replace(/^\//, "")),
          },
          {
            sid: "ConfigurationReadsIsmPolicy",
            principalArn: configFunction.role.role.arn,
            actions: [...OPENSEARCH_CONFIG_READ_ACTIONS],
            paths: opensearchConfigReadResources("", EVENTS_INDEX_PATTERN).map((p) => p.replace(/^\//, "")),
          },
        ],
      },
      parent,
    );
    // HTTPS between the stream and the configuration function and the domain, as standalone rules.
    const domainIngress = domainSgIngressSources.map((source, i) => {
      const who = i === 0 ? "stream" : "config";
      return new aws.vpc.SecurityGroupIngressRule(
        `${name}-domain-from-${who}`,
        {
          securityGroupId: domain.securityGroupId,
          referencedSecurityGroupId: source,
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          description: `HTTPS from the ${who === "stream" ? "Firehose stream" : "configuration function"}`,
          tags: tags("opensearch"),
        },
        parent,
      );
    });
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-stream-to-domain`,
      {
        securityGroupId: streamSg.id,
        referencedSecurityGroupId: domain.securityGroupId,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "HTTPS to the OpenSearch domain",
        tags: tags("firehose"),
      },
      parent,
    );
    const configToDomain = new aws.vpc.SecurityGroupEgressRule(
      `${name}-config-to-domain`,
      {
        securityGroupId: configFunction.securityGroup.id,
        referencedSecurityGroupId: domain.securityGroupId,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "HTTPS to the OpenSearch domain",
        tags: tags("opensearch-config"),
      },
      parent,
    );

    // Map the stream's role to the write-only role, and turn on FGAC audit logs: at deploy time,
    // again whenever the input or the handler's code changes (the writer's permissions and the audit
    // settings live in the handler), and only once the function can reach the domain on 443.
    const configInput: pulumi.Output<OpenSearchConfigInput> = pulumi
      .all([domain.endpoint, region.region, streamRole.role.arn])
      .apply(([endpoint, regionName, writerArn]) => ({
        endpoint,
        region: regionName,
        indexPattern: EVENTS_INDEX_PATTERN,
        retentionDays: config.eventIndexRetentionInDays,
        writer: { roleName: WRITER_ROLE, backendRoles: [writerArn] },
      }));
    const configRun = new aws.lambda.Invocation(
      `${name}-domain-config-run`,
      {
        functionName: configFunction.fn.name,
        input: configInput.apply((i) => JSON.stringify(i)),
        triggers: { input: configInput.apply((i) => JSON.stringify(i)), codeSha256: configFunction.codeSha256 },
      },
      { parent: this, dependsOn: [domain, domainIngress[1], configToDomain] },
    );

    // --- The delivery stream ---------------------------------------------------------------------
    const s3Destination = {
      roleArn: streamRole.role.arn,
      bucketArn: archive.arn,
      prefix: ARCHIVE_EVENTS_PREFIX,
      errorOutputPrefix: ARCHIVE_ERROR_PREFIX,
      compressionFormat: "GZIP",
      // No kmsKeyArn: Firehose then sends no encryption header and the archive's default encryption
      // (the pipeline key) applies. A header naming the key in another form than the bucket's exact key
      // ARN would be refused by the archive's DenyForeignKmsKeyHeader, and the events lost.
      bufferingInterval: ARCHIVE_BUFFERING_SECONDS,
      bufferingSize: ARCHIVE_BUFFERING_MB,
      cloudwatchLoggingOptions: { enabled: true, logGroupName: streamLogGroup.name, logStreamName: deliveryStreams[1].name },
    };
    const stream = new aws.kinesis.FirehoseDeliveryStream(
      `${name}-stream`,
      {
        name: streamName,
        destination: "opensearch",
        serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: args.pipelineKeyArn },
        opensearchConfiguration: {
          domainArn: domain.domainArn,
          indexName: EVENTS_INDEX,
          indexRotationPeriod: "OneDay",
          roleArn: streamRole.role.arn,
          bufferingInterval: OPENSEARCH_BUFFERING_SECONDS,
          retryDuration: OPENSEARCH_RETRY_SECONDS,
          // Every document to S3 too (not only failures): one stream feeds both the index and the
          // archive. Backup mode and VPC settings cannot change in place (the stream is replaced).
          s3BackupMode: "AllDocuments",
          s3Configuration: s3Destination,
          processingConfiguration: {
            enabled: true,
            processors: authorizer.fn.arn.apply((arn) => firehoseProcessors(arn)),
          },
          // A domain in a VPC is reachable only through the stream's own ENIs there.
          vpcConfig: { subnetIds: args.network.privateSubnetIds, securityGroupIds: [streamSg.id], roleArn: streamRole.role.arn },
          cloudwatchLoggingOptions: { enabled: true, logGroupName: streamLogGroup.name, logStreamName: deliveryStreams[0].name },
        },
        tags: tags("firehose"),
      },
      // After the writer-role mapping: records delivered before it are refused by FGAC and land in errors/.
      { parent: this, dependsOn: [...streamRole.ready, configRun] },
    );

    // --- The source: the trail's log group, S3 data events only ---------------------------------
    // CloudWatch Logs assumes the role to put records into the stream; AWS documents the trust with
    // aws:SourceArn on the account's log resources
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html#FirehoseExample).
    const subscriptionRole = createServiceRole(
      `${name}-subscription-role`,
      {
        roleName: physicalName(stack, "iamRole", "logs-to-firehose"),
        description: "CloudWatch Logs delivery of the trail's S3 data events to the security-event stream",
        servicePrincipal: "logs.amazonaws.com",
        trustConditions: [
          {
            test: "StringLike",
            variable: "aws:SourceArn",
            values: [pulumi.interpolate`arn:${partition.partition}:logs:${region.region}:${accountId}:*`],
          },
        ],
        statements: [
          { sid: "PutIntoStream", effect: "Allow", actions: ["firehose:PutRecord", "firehose:PutRecordBatch"], resources: [stream.arn] },
        ],
        tags: tags("logs-to-firehose"),
      },
      parent,
    );
    new aws.cloudwatch.LogSubscriptionFilter(
      `${name}-subscription`,
      {
        name: physicalName(stack, "alarm", "s3-data-events-to-firehose"),
        logGroup: args.trailLogGroupName,
        filterPattern: S3_DATA_EVENTS_FILTER,
        destinationArn: stream.arn,
        roleArn: subscriptionRole.role.arn,
      },
      { parent: this, dependsOn: [...subscriptionRole.ready, configRun] },
    );

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
      // The S3 backup of an OpenSearch destination reports as BackupToS3.* (DeliveryToS3.* is an S3
      // destination's, never emitted here): https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html
      metricName: "BackupToS3.DataFreshness",
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
