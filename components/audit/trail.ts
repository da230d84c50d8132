/**
 * The audit trail: a multi-region CloudTrail trail (management events, read and write data events
 * of the PHI buckets, reads and deletes of the log buckets) with log-file validation, KMS
 * encryption, its own SecureBucket (replicated to the recovery region) and a KMS-encrypted
 * CloudWatch log group, watched by the security-change rules and CIS alarms of ./alerts.ts.
 *
 * HIPAA Security Rule: 164.312(b) audit controls, 164.312(c)(2) mechanism to authenticate ePHI
 * (log-file validation), 164.316(b)(2)(i) six-year retention.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, StackContext } from "../config";
import { platformWiring, type PlatformContext } from "../platform-context";
import { auditTrailName, logGroupName, physicalName, trailArn } from "../lib/naming";
import { PolicyStatement, ReplicationDestination, SecureBucket } from "../lib/secure-bucket";
import { createServiceRole } from "../lib/service-role";
import { statefulOptions } from "../lib/stateful";
import { platformTags } from "../lib/tags";
import { SECURITY_EVENT_RULES, SECURITY_METRIC_FILTERS, securityMetricNamespace } from "./alerts";

/**
 * Object-level S3 events that read or delete an object: what the trail records on the log buckets.
 * Selected by `eventName`, so the log deliveries themselves (CloudTrail's and S3's `PutObject`s, S3
 * replication's `GetObjectVersionForReplication`/`ReplicateObject`) are not recorded: a log of every
 * log delivery would be most of the trail and would record itself. Lifecycle expirations are not API
 * calls and are never in CloudTrail. `CopyObject` and `UploadPartCopy` read their source object.
 * Because CloudTrail's own writes are not selected, the trail may include its own bucket without
 * the loop AWS warns of for data events on a trail's bucket.
 */
export const LOG_BUCKET_ACCESS_EVENT_NAMES: readonly string[] = [
  "GetObject",
  "GetObjectAttributes",
  "SelectObjectContent",
  "RestoreObject",
  "CopyObject",
  "UploadPartCopy",
  "DeleteObject",
  "DeleteObjects",
];

/**
 * The advanced event selector recording reads and deletes of objects in `logBucketArns` by any
 * principal. CloudTrail: "For CloudTrail data events, supported fields include readOnly,
 * eventCategory, eventName, resources.type, and resources.ARN" and "eventName - Can use any
 * operator. You can use it to filter in or filter out any data event logged to CloudTrail"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html);
 * `eventCategory` and `resources.type` take `Equals` only, `resources.ARN` `StartsWith` a bucket's
 * `arn:aws:s3:::<bucket>/` (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/filtering-data-events.html).
 */
export function logBucketAccessSelector(
  logBucketArns: readonly pulumi.Input<string>[],
): aws.types.input.cloudtrail.TrailAdvancedEventSelector {
  return {
    name: "Log bucket object reads and deletes",
    fieldSelectors: [
      { field: "eventCategory", equals: ["Data"] },
      { field: "resources.type", equals: ["AWS::S3::Object"] },
      { field: "eventName", equals: [...LOG_BUCKET_ACCESS_EVENT_NAMES] },
      { field: "resources.ARN", startsWiths: logBucketArns.map((arn) => pulumi.interpolate`${arn}/`) },
    ],
  };
}

export { auditTrailName, trailArn };

// ---------------------------------------------------------------------------------------------
// Audit

/** What an {@link Audit}'s builders receive: its {@link AuditArgs} with the platform context unpacked. */
interface AuditWiring {
  /** The stack's validated configuration (retention, protection, tags). */
  readonly config: StackContext & Pick<PlatformConfig, "dataRetentionInDays" | "logRetentionInDays">;
  /**
   * ARN of the audit CMK: encrypts the trail, its bucket and its log group. Its key policy must
   * allow cloudtrail.amazonaws.com and logs.<region>.amazonaws.com.
   */
  readonly auditKeyArn: pulumi.Input<string>;
  /** Name of the access-log bucket that receives the trail bucket's server access logs. */
  readonly accessLogBucket: pulumi.Input<string>;
  /** ARN of the security alert topic ({@link SecurityAlerts.topicArn}). */
  readonly alertTopicArn: pulumi.Input<string>;
  /** ARNs of the buckets holding PHI: every object read and write in them is a data event of the trail. */
  readonly phiBucketArns: pulumi.Input<string>[];
  /**
   * ARNs of the other buckets holding logs (access-log buckets of every region, the trail's
   * replica, Config's bucket): the trail records who reads or deletes their objects.
   * @default none; the trail's own bucket is always included
   */
  readonly logBucketArns?: pulumi.Input<string>[];
  /**
   * The recovery copy the trail bucket replicates to (`Recovery.trailReplica`).
   * @default no replication (prod always sets it: config requires a recovery region there)
   */
  readonly trailReplica?: ReplicationDestination;
}

/**
 * An {@link Audit}'s arguments: the platform context (config; the `audit` key for the trail, its
 * bucket and log group; the access-log bucket; the alert topic for the rules and alarms) and the
 * buckets the trail records.
 */
export interface AuditArgs extends Omit<AuditWiring, "config" | "auditKeyArn" | "accessLogBucket" | "alertTopicArn"> {
  readonly platform: PlatformContext;
}

/** CloudTrail, its bucket (replicated) and log group, security-change rules and alarms. */
export class Audit extends pulumi.ComponentResource {
  readonly trailArn: pulumi.Output<string>;
  readonly trailName: pulumi.Output<string>;
  readonly trailBucketName: pulumi.Output<string>;
  readonly trailBucketArn: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  /** The trail's log group ARN (the security-event pipeline subscribes to it). */
  readonly logGroupArn: pulumi.Output<string>;

  constructor(name: string, { platform, ...own }: AuditArgs, opts?: pulumi.ComponentResourceOptions) {
    super("healthcare:audit:Audit", name, {}, opts);
    const args: AuditWiring = {
      ...own,
      ...platformWiring(platform),
    };
    const { config } = args;
    const parent = { parent: this };
    const stateful = statefulOptions(this, config.protectData);
    const tags = (purpose: string) => platformTags(config, { dataClassification: "Confidential", purpose });

    const identity = aws.getCallerIdentityOutput({}, parent);
    const region = aws.getRegionOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent);
    const accountId = identity.accountId;

    const trailName = auditTrailName(config.stack);
    const knownTrailArn = pulumi.all([partition.partition, region.region, accountId]).apply(([p, r, a]) => trailArn(p, r, a, trailName));

    // --- The trail's bucket: CloudTrail alone may write into it.
    const trailBucket = new SecureBucket(
      `${name}-trail-bucket`,
      {
        config,
        purpose: "audit-trail",
        kmsKeyArn: args.auditKeyArn,
        dataClassification: "Confidential",
        accessLogBucket: args.accessLogBucket,
        holdsLogs: true,
        // Kept exactly the configured retention (>= six years in prod), then removed.
        expireCurrentObjectsAfterDays: config.dataRetentionInDays,
        replicateTo: args.trailReplica,
        additionalPolicyStatements: (bucket) => {
          const statements: pulumi.Input<PolicyStatement>[] = [
            {
              sid: "AllowCloudTrailAclCheck",
              effect: "Allow",
              principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }],
              actions: ["s3:GetBucketAcl"],
              resources: [bucket.arn],
              conditions: [{ test: "StringEquals", variable: "aws:SourceArn", values: [knownTrailArn] }],
            },
            {
              sid: "AllowCloudTrailWrite",
              effect: "Allow",
              principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }],
              actions: ["s3:PutObject"],
              resources: [pulumi.interpolate`${bucket.arn}/AWSLogs/${bucket.accountId}/*`],
              conditions: [
                { test: "StringEquals", variable: "s3:x-amz-acl", values: ["bucket-owner-full-control"] },
                { test: "StringEquals", variable: "aws:SourceArn", values: [knownTrailArn] },
              ],
            },
          ];
          return statements;
        },
      },
      parent,
    );
    this.trailBucketName = trailBucket.bucketName;
    this.trailBucketArn = trailBucket.arn;

    // --- CloudWatch Logs delivery.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-cloudtrail-logs`,
      {
        name: logGroupName(config.stack, "cloudtrail"),
        kmsKeyId: args.auditKeyArn,
        retentionInDays: config.logRetentionInDays,
        deletionProtectionEnabled: config.protectData,
        tags: tags("cloudtrail-logs"),
      },
      stateful,
    );
    this.logGroupName = logGroup.name;
    this.logGroupArn = logGroup.arn;

    const trailRole = createServiceRole(
      `${name}-cloudtrail-role`,
      {
        roleName: physicalName(config.stack, "iamRole", "cloudtrail-logs"),
        description: "CloudTrail delivery of the audit trail to its CloudWatch log group",
        servicePrincipal: "cloudtrail.amazonaws.com",
        // AWS: the CloudWatch Logs role of a trail supports no aws:SourceArn/aws:SourceAccount
        // condition; with one, CreateTrail fails (InvalidCloudWatchLogsRoleArnException).
        trustConditions: [],
        unconditionedTrust: "cloudTrailToCloudWatchLogs",
        statements: [
          {
            sid: "WriteTrailLogStreams",
            effect: "Allow",
            actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
            resources: [pulumi.interpolate`${logGroup.arn}:log-stream:*`],
          },
        ],
        tags: tags("cloudtrail-logs"),
      },
      parent,
    );

    // --- The trail.
    const advancedEventSelectors: aws.types.input.cloudtrail.TrailAdvancedEventSelector[] = [
      { name: "All management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
    ];
    if (args.phiBucketArns.length > 0) {
      advancedEventSelectors.push({
        name: "PHI bucket object reads and writes",
        fieldSelectors: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: ["AWS::S3::Object"] },
          { field: "resources.ARN", startsWiths: args.phiBucketArns.map((arn) => pulumi.interpolate`${arn}/`) },
        ],
      });
    }
    advancedEventSelectors.push(logBucketAccessSelector([trailBucket.arn, ...(args.logBucketArns ?? [])]));
    const trail = new aws.cloudtrail.Trail(
      `${name}-trail`,
      {
        name: trailName,
        s3BucketName: trailBucket.bucketName,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        enableLogging: true,
        kmsKeyId: args.auditKeyArn,
        cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
        cloudWatchLogsRoleArn: trailRole.role.arn,
        advancedEventSelectors,
        tags: tags("audit-trail"),
      },
      { ...stateful, dependsOn: [trailBucket.bucketPolicy, ...trailRole.ready] },
    );
    this.trailArn = trail.arn;
    this.trailName = trail.name;

    // --- EventBridge rules for security-relevant changes.
    for (const rule of SECURITY_EVENT_RULES) {
      const eventRule = new aws.cloudwatch.EventRule(
        `${name}-${rule.purpose}`,
        {
          name: physicalName(config.stack, "eventRule", rule.purpose),
          description: rule.description,
          eventPattern: JSON.stringify(rule.pattern),
          tags: tags(rule.purpose),
        },
        parent,
      );
      new aws.cloudwatch.EventTarget(
        `${name}-${rule.purpose}-alert`,
        { rule: eventRule.name, arn: args.alertTopicArn, targetId: "security-alerts" },
        parent,
      );
    }

    // --- CIS metric filters and alarms on the trail's log group.
    const namespace = securityMetricNamespace(config.stack);
    for (const filter of SECURITY_METRIC_FILTERS) {
      const metricFilter = new aws.cloudwatch.LogMetricFilter(
        `${name}-${filter.purpose}`,
        {
          name: physicalName(config.stack, "alarm", filter.purpose),
          logGroupName: logGroup.name,
          pattern: filter.pattern,
          metricTransformation: { name: filter.metricName, namespace, value: "1", defaultValue: "0" },
        },
        parent,
      );
      new aws.cloudwatch.MetricAlarm(
        `${name}-${filter.purpose}-alarm`,
        {
          name: physicalName(config.stack, "alarm", filter.purpose),
          alarmDescription: filter.description,
          namespace,
          metricName: metricFilter.metricTransformation.name,
          statistic: "Sum",
          period: 300,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          treatMissingData: "notBreaching",
          alarmActions: [args.alertTopicArn],
          tags: tags(filter.purpose),
        },
        parent,
      );
    }

    this.registerOutputs({
      trailArn: this.trailArn,
      trailName: this.trailName,
      trailBucketName: this.trailBucketName,
      logGroupName: this.logGroupName,
    });
  }
}
