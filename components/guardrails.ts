/**
 * Account guardrails: AWS Config (recorder, delivery channel, the HIPAA conformance pack),
 * GuardDuty with S3 protection, and Amazon Macie (the incident workflow's classification jobs need it).
 *
 * These are account-wide, not per stack: "You can have only one customer managed configuration
 * recorder for each AWS account for each AWS Region" and "only one delivery channel ... for each AWS
 * Region" (https://docs.aws.amazon.com/config/latest/developerguide/gs-cli-subscribe.html), and
 * "You can have only one detector per account per Region"
 * (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateDetector.html). In an AWS
 * Organization they are usually run by the organization (Config through a delegated administrator
 * or Control Tower, GuardDuty through its delegated administrator), and a second stack in the same
 * account, or any stack in a governed account, would fail to create them. So index.ts builds this component only when
 * `enableAccountGuardrails` is on, which only a standalone account should set.
 *
 * AWS Config delivers to a bucket of its own (a {@link SecureBucket} under the audit key, a log
 * bucket kept the data retention), so the trail's bucket admits CloudTrail alone and the two can
 * be turned on and off independently.
 *
 * HIPAA Security Rule: 164.308(a)(1)(ii)(D) information system activity review, 164.308(a)(8)
 * evaluation, 164.312(b) audit controls.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, StackContext } from "./config";
import type { PlatformContext } from "./platform-context";
import { physicalName } from "./lib/naming";
import { PolicyStatement, SecureBucket } from "./lib/secure-bucket";
import { createServiceRole, kmsViaServiceCondition } from "./lib/service-role";
import { platformTags } from "./lib/tags";

// ---------------------------------------------------------------------------------------------
// Pure data: the conformance pack (exported and tested).

/** One AWS managed Config rule of the conformance pack, with the HIPAA provision it evidences. */
export interface ConformanceRule {
  readonly identifier: string;
  readonly hipaa: string;
}

/**
 * The AWS managed Config rules of the conformance pack: the core of AWS's
 * "Operational Best Practices for HIPAA Security" sample, restricted to the services this platform
 * uses. A pinned, reviewable template body rather than `templateS3Uri` to AWS's sample: the sample
 * changes without notice (an unreviewed change to a compliance control), is ~150 rules (each billed
 * per evaluation) and mostly covers services we do not run.
 */
export const HIPAA_CONFORMANCE_RULES: readonly ConformanceRule[] = [
  { identifier: "CLOUD_TRAIL_ENABLED", hipaa: "164.312(b)" },
  { identifier: "CLOUD_TRAIL_ENCRYPTION_ENABLED", hipaa: "164.312(a)(2)(iv)" },
  { identifier: "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", hipaa: "164.312(c)(2)" },
  { identifier: "CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED", hipaa: "164.308(a)(1)(ii)(D)" },
  { identifier: "CLOUDTRAIL_S3_DATAEVENTS_ENABLED", hipaa: "164.312(b)" },
  { identifier: "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED", hipaa: "164.312(a)(2)(iv)" },
  { identifier: "S3_DEFAULT_ENCRYPTION_KMS", hipaa: "164.312(a)(2)(iv)" },
  { identifier: "S3_BUCKET_SSL_REQUESTS_ONLY", hipaa: "164.312(e)(1)" },
  { identifier: "S3_BUCKET_PUBLIC_READ_PROHIBITED", hipaa: "164.312(a)(1)" },
  { identifier: "S3_BUCKET_PUBLIC_WRITE_PROHIBITED", hipaa: "164.312(a)(1)" },
  { identifier: "S3_BUCKET_LOGGING_ENABLED", hipaa: "164.312(b)" },
  { identifier: "S3_BUCKET_VERSIONING_ENABLED", hipaa: "164.312(c)(1)" },
  { identifier: "CLOUDWATCH_LOG_GROUP_ENCRYPTED", hipaa: "164.312(a)(2)(iv)" },
  { identifier: "CMK_BACKING_KEY_ROTATION_ENABLED", hipaa: "164.312(a)(2)(iv)" },
  { identifier: "KMS_CMK_NOT_SCHEDULED_FOR_DELETION", hipaa: "164.312(a)(2)(iv)" },
  { identifier: "RDS_STORAGE_ENCRYPTED", hipaa: "164.312(a)(2)(iv)" },
  { identifier: "RDS_INSTANCE_PUBLIC_ACCESS_CHECK", hipaa: "164.312(a)(1)" },
  { identifier: "RDS_MULTI_AZ_SUPPORT", hipaa: "164.308(a)(7)(i)" },
  { identifier: "DB_INSTANCE_BACKUP_ENABLED", hipaa: "164.308(a)(7)(ii)(A)" },
  { identifier: "DYNAMODB_TABLE_ENCRYPTED_KMS", hipaa: "164.312(a)(2)(iv)" },
  { identifier: "SNS_ENCRYPTED_KMS", hipaa: "164.312(a)(2)(iv)" },
  { identifier: "VPC_FLOW_LOGS_ENABLED", hipaa: "164.312(b)" },
  { identifier: "VPC_DEFAULT_SECURITY_GROUP_CLOSED", hipaa: "164.312(e)(1)" },
  { identifier: "INCOMING_SSH_DISABLED", hipaa: "164.312(e)(1)" },
  { identifier: "IAM_ROOT_ACCESS_KEY_CHECK", hipaa: "164.312(a)(1)" },
  { identifier: "ROOT_ACCOUNT_MFA_ENABLED", hipaa: "164.312(d)" },
  { identifier: "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS", hipaa: "164.312(d)" },
  { identifier: "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS", hipaa: "164.308(a)(3)(i)" },
  { identifier: "GUARDDUTY_ENABLED_CENTRALIZED", hipaa: "164.308(a)(1)(ii)(D)" },
];

/** CloudFormation logical id of a rule: `S3BucketSslRequestsOnly` for `S3_BUCKET_SSL_REQUESTS_ONLY`. */
export function conformanceRuleLogicalId(identifier: string): string {
  return identifier
    .toLowerCase()
    .split("_")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

/** The conformance pack's template body (CloudFormation accepts JSON) with one rule per entry. */
export function hipaaConformancePackTemplate(rules: readonly ConformanceRule[] = HIPAA_CONFORMANCE_RULES): string {
  const resources: Record<string, unknown> = {};
  for (const rule of rules) {
    resources[conformanceRuleLogicalId(rule.identifier)] = {
      Type: "AWS::Config::ConfigRule",
      Properties: {
        ConfigRuleName: rule.identifier.toLowerCase().replace(/_/g, "-"),
        Description: `HIPAA Security Rule ${rule.hipaa}`,
        Source: { Owner: "AWS", SourceIdentifier: rule.identifier },
      },
    };
  }
  return JSON.stringify({ Resources: resources }, null, 2);
}

/** Key prefix of AWS Config's deliveries in its bucket (Config appends `/AWSLogs/<account>/Config/`). */
export const CONFIG_KEY_PREFIX = "config";

// ---------------------------------------------------------------------------------------------
// The component.

/** What an {@link AccountGuardrails}' builders receive: its {@link AccountGuardrailsArgs} with the platform context unpacked. */
interface AccountGuardrailsWiring {
  /** The stack's validated configuration (stack name, retention, protection, tags). */
  readonly config: StackContext & Pick<PlatformConfig, "dataRetentionInDays">;
  /**
   * ARN of the audit CMK: encrypts Config's bucket and its deliveries. The Config role uses it
   * through S3 (`kms:ViaService` s3), which the audit key's policy allows to IAM principals of the account.
   */
  readonly auditKeyArn: pulumi.Input<string>;
  /** Name of the access-log bucket that receives the Config bucket's server access logs. */
  readonly accessLogBucket: pulumi.Input<string>;
  /**
   * The key that encrypts the Glue Data Catalog of the account and region (metadata and connection
   * passwords): an account-wide setting, so it lives with the other guardrails.
   * @default the Data Catalog encryption is left to whoever owns it (the organization)
   */
  readonly catalogKeyArn?: pulumi.Input<string>;
  /**
   * How often Config delivers a configuration snapshot.
   * @default "TwentyFour_Hours"
   */
  readonly snapshotDeliveryFrequency?: "One_Hour" | "Three_Hours" | "Six_Hours" | "Twelve_Hours" | "TwentyFour_Hours";
}

/**
 * An {@link AccountGuardrails}' arguments: the platform context (config; the `audit` key for Config's
 * bucket and deliveries; the access-log bucket), the Data Catalog key and the snapshot frequency.
 */
export interface AccountGuardrailsArgs extends Omit<AccountGuardrailsWiring, "config" | "auditKeyArn" | "accessLogBucket"> {
  readonly platform: PlatformContext;
}

/** AWS Config with the HIPAA conformance pack, and GuardDuty with S3 protection: one per account and region. */
export class AccountGuardrails extends pulumi.ComponentResource {
  /** Name and ARN of the bucket AWS Config delivers to. */
  readonly configBucketName: pulumi.Output<string>;
  readonly configBucketArn: pulumi.Output<string>;
  readonly recorderName: pulumi.Output<string>;
  readonly detectorId: pulumi.Output<string>;
  /** The Macie account (its id is the account's Macie resource id). */
  readonly macieAccountId: pulumi.Output<string>;

  constructor(name: string, { platform, ...own }: AccountGuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
    const args: AccountGuardrailsWiring = {
      ...own,
      config: platform.config,
      auditKeyArn: platform.keyArns.audit,
      accessLogBucket: platform.accessLogBucket,
    };
    const frequencies = ["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"];
    if (args.snapshotDeliveryFrequency !== undefined && !frequencies.includes(args.snapshotDeliveryFrequency)) {
      throw new Error(
        `AccountGuardrails ${name}: snapshotDeliveryFrequency must be one of ${frequencies.join(", ")}, got ${JSON.stringify(args.snapshotDeliveryFrequency)}`,
      );
    }
    super("healthcare:security:AccountGuardrails", name, {}, opts);
    const { config } = args;
    const parent = { parent: this };
    const tags = (purpose: string) => platformTags(config, { dataClassification: "Confidential", purpose });
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;

    // --- Config's bucket. AWS documents both paths: with a customer role in the same account,
    // Config writes with that role; the bucket policy admits config.amazonaws.com (this account
    // only) for the service-linked role
    // (https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html).
    const bucket = new SecureBucket(
      `${name}-config-bucket`,
      {
        config,
        purpose: "aws-config",
        kmsKeyArn: args.auditKeyArn,
        dataClassification: "Confidential",
        accessLogBucket: args.accessLogBucket,
        holdsLogs: true,
        expireCurrentObjectsAfterDays: config.dataRetentionInDays,
        additionalPolicyStatements: (b): PolicyStatement[] => {
          const sourceAccount = { test: "StringEquals", variable: "aws:SourceAccount", values: [b.accountId] };
          return [
            {
              sid: "AllowConfigAclCheck",
              effect: "Allow",
              principals: [{ type: "Service", identifiers: ["config.amazonaws.com"] }],
              actions: ["s3:GetBucketAcl", "s3:ListBucket"],
              resources: [b.arn],
              conditions: [sourceAccount],
            },
            {
              sid: "AllowConfigWrite",
              effect: "Allow",
              principals: [{ type: "Service", identifiers: ["config.amazonaws.com"] }],
              actions: ["s3:PutObject"],
              resources: [pulumi.interpolate`${b.arn}/${CONFIG_KEY_PREFIX}/AWSLogs/${b.accountId}/Config/*`],
              conditions: [sourceAccount, { test: "StringEquals", variable: "s3:x-amz-acl", values: ["bucket-owner-full-control"] }],
            },
          ];
        },
      },
      parent,
    );
    this.configBucketName = bucket.bucketName;
    this.configBucketArn = bucket.arn;

    // https://docs.aws.amazon.com/config/latest/developerguide/iamrole-permissions.html
    const role = createServiceRole(
      `${name}-config-role`,
      {
        roleName: physicalName(config.stack, "iamRole", "aws-config"),
        description: "AWS Config recorder: reads resource configurations, delivers to its bucket",
        servicePrincipal: "config.amazonaws.com",
        trustConditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] }],
        statements: [
          // s3:ListBucket: Config checks the bucket exists (HeadBucket) before each delivery; without it CloudTrail records an
          // AccessDenied every time, which the AccessDenied metric filter (components/audit/alerts.ts) counts as an alarm.
          // "Required permissions for the Amazon S3 bucket when using IAM roles": GetBucketAcl, ListBucket on the bucket ARN
          // (https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html).
          { sid: "CheckBucket", effect: "Allow", actions: ["s3:GetBucketAcl", "s3:ListBucket"], resources: [bucket.arn] },
          {
            sid: "DeliverSnapshots",
            effect: "Allow",
            actions: ["s3:PutObject"],
            resources: [pulumi.interpolate`${bucket.arn}/${CONFIG_KEY_PREFIX}/AWSLogs/${accountId}/Config/*`],
            conditions: [{ test: "StringEquals", variable: "s3:x-amz-acl", values: ["bucket-owner-full-control"] }],
          },
          // Only through S3 (its deliveries to the bucket): the audit key also serves SNS.
          {
            sid: "EncryptDeliveries",
            effect: "Allow",
            actions: ["kms:GenerateDataKey", "kms:Decrypt"],
            resources: [args.auditKeyArn],
            conditions: [
              kmsViaServiceCondition(["s3"], aws.getRegionOutput({}, parent).region, aws.getPartitionOutput({}, parent).dnsSuffix),
            ],
          },
        ],
        awsManagedPolicies: ["service-role/AWS_ConfigRole"],
        tags: tags("aws-config"),
      },
      parent,
    );

    const recorder = new aws.cfg.Recorder(
      `${name}-config-recorder`,
      {
        name: physicalName(config.stack, "trail", "config-recorder"),
        roleArn: role.role.arn,
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
      },
      parent,
    );
    this.recorderName = recorder.name;
    const channel = new aws.cfg.DeliveryChannel(
      `${name}-config-delivery`,
      {
        name: physicalName(config.stack, "trail", "config-delivery"),
        s3BucketName: bucket.bucketName,
        s3KeyPrefix: CONFIG_KEY_PREFIX,
        s3KmsKeyArn: args.auditKeyArn,
        snapshotDeliveryProperties: { deliveryFrequency: args.snapshotDeliveryFrequency ?? "TwentyFour_Hours" },
      },
      // Config checks on PutDeliveryChannel that it can write to the bucket.
      { parent: this, dependsOn: [recorder, bucket.bucketPolicy, ...role.ready] },
    );
    const recorderStatus = new aws.cfg.RecorderStatus(
      `${name}-config-recorder-status`,
      { name: recorder.name, isEnabled: true },
      { parent: this, dependsOn: [channel] },
    );
    new aws.cfg.ConformancePack(
      `${name}-hipaa-conformance-pack`,
      {
        name: physicalName(config.stack, "trail", "Operational-Best-Practices-for-HIPAA-Security"),
        templateBody: hipaaConformancePackTemplate(),
      },
      // Conformance packs need a running recorder.
      { parent: this, dependsOn: [recorderStatus] },
    );

    const detector = new aws.guardduty.Detector(
      `${name}-guardduty`,
      { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES", tags: tags("guardduty") },
      parent,
    );
    this.detectorId = detector.id;
    new aws.guardduty.DetectorFeature(
      `${name}-guardduty-s3`,
      { detectorId: detector.id, name: "S3_DATA_EVENTS", status: "ENABLED" },
      parent,
    );

    // Macie: one per account and region, like the detector ("Macie is enabled in the current account and Region",
    // https://docs.aws.amazon.com/macie/latest/APIReference/macie.html#EnableMacie). Without it the incident
    // workflow's classification job fails (caught and recorded in the report).
    const macie = new aws.macie2.Account(`${name}-macie`, { status: "ENABLED", findingPublishingFrequency: "FIFTEEN_MINUTES" }, parent);
    this.macieAccountId = macie.id;

    // One per account and region (https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html).
    if (args.catalogKeyArn !== undefined) {
      new aws.glue.DataCatalogEncryptionSettings(
        `${name}-glue-catalog-encryption`,
        {
          dataCatalogEncryptionSettings: {
            encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: args.catalogKeyArn },
            connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, awsKmsKeyId: args.catalogKeyArn },
          },
        },
        parent,
      );
    }

    this.registerOutputs({
      configBucketName: this.configBucketName,
      configBucketArn: this.configBucketArn,
      recorderName: this.recorderName,
      detectorId: this.detectorId,
    });
  }
}
