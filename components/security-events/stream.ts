/**
 * The delivery stream: its role (with the log group, log streams and security group it needs), the
 * Firehose stream to OpenSearch with every document also archived in S3, and its source, the trail's
 * log group filtered to S3 data events.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logGroupName, physicalName } from "../lib/naming";
import type { SecureBucket } from "../lib/secure-bucket";
import { createServiceRole, ServiceRole } from "../lib/service-role";
import { statefulOptions } from "../lib/stateful";
import type { VpcFunction } from "../lib/vpc-function";
import { firehoseProcessors } from "../../lambda/authorizer/contract";
import { ARCHIVE_ERROR_PREFIX, ARCHIVE_EVENTS_PREFIX } from "./archive-query";
import type { PipelineContext } from "./context";
import type { AnalyticsDomain } from "./domain";

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

/** The stream's role and what it writes through. */
export interface StreamRole {
  readonly streamName: string;
  /** The domain's ARN, from its name (the role is built before the domain). */
  readonly domainArn: pulumi.Output<string>;
  readonly streamLogGroup: aws.cloudwatch.LogGroup;
  /** The log streams of OpenSearch delivery and of the S3 backup, in this order. */
  readonly deliveryStreams: aws.cloudwatch.LogStream[];
  readonly streamSg: aws.ec2.SecurityGroup;
  readonly streamRole: ServiceRole;
}

export function createStreamRole(
  ctx: PipelineContext,
  parts: { readonly streamRoleName: string; readonly archive: SecureBucket; readonly authorizer: VpcFunction },
): StreamRole {
  const { name, component, args, stack, tags, accountId, region, partition, via } = ctx;
  const { config } = args;
  const { streamRoleName, archive, authorizer } = parts;
  const parent = { parent: component };
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
    statefulOptions(component, config.protectData),
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
  return { streamName, domainArn, streamLogGroup, deliveryStreams, streamSg, streamRole };
}

export function createDeliveryStream(
  ctx: PipelineContext,
  parts: StreamRole & {
    readonly archive: SecureBucket;
    readonly authorizer: VpcFunction;
    readonly domain: AnalyticsDomain;
    /** The writer-role mapping the stream waits for. */
    readonly configRun: aws.lambda.Invocation;
  },
): aws.kinesis.FirehoseDeliveryStream {
  const { name, component, args, stack, tags, accountId, region, partition } = ctx;
  const { streamName, streamLogGroup, deliveryStreams, streamSg, streamRole, archive, authorizer, domain, configRun } = parts;
  const parent = { parent: component };
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
    { parent: component, dependsOn: [...streamRole.ready, configRun] },
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
    { parent: component, dependsOn: [...subscriptionRole.ready, configRun] },
  );
  return stream;
}
