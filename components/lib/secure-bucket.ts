/**
 * SecureBucket: the only way this program creates an S3 bucket.
 *
 * Two kinds, one builder:
 * - a data bucket is encrypted by default with the caller's customer-managed KMS key (SSE-KMS,
 *   S3 Bucket Keys on), and its policy refuses uploads that ask for another algorithm or another key;
 * - a log-target bucket (`isAccessLogTarget`) receives S3 server access logs and is encrypted with
 *   SSE-S3, because S3 log delivery supports nothing else: "You can use default bucket encryption
 *   on the destination bucket only if you use server-side encryption with Amazon S3 managed keys
 *   (SSE-S3)... SSE-KMS is not supported"
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html);
 * - a load-balancer log bucket (`loadBalancerLogs`) receives Elastic Load Balancing access logs and
 *   is SSE-S3 for the same reason: "The only server-side encryption option that's supported is
 *   Amazon S3-managed keys (SSE-S3)"
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html);
 *   its policy lets the region's ELB log delivery write under its prefix, and it logs its own
 *   access to the access-log bucket like any other bucket.
 *
 * Every bucket it makes is:
 * - versioned, fully blocked from public access, and owner-enforced (ACLs disabled);
 * - reachable only over TLS (policy);
 * - access-logged to the platform's access-log bucket (except that bucket itself);
 * - tiered and cleaned up by lifecycle rules that never expire current objects before the
 *   configured data retention;
 * - optionally under Object Lock with a default retention;
 * - in prod (`config.protectData`), protected and retained on delete, and never force-destroyed.
 *
 * HIPAA Security Rule: 164.312(a)(2)(iv) encryption at rest, 164.312(e)(1) transmission
 * security, 164.312(b) audit controls (access logs), 164.312(c)(1) integrity (versioning,
 * Object Lock), 164.316(b)(2)(i) six-year retention.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DataClassification, PlatformConfig, StackContext } from "../config";
import { bucketName as physicalBucketName, bucketNamePattern, physicalName } from "./naming";
import { createServiceRole, kmsViaServiceCondition, PolicyCondition, PolicyStatement } from "./service-role";
import { statefulOptions } from "./stateful";
import { platformTags } from "./tags";
import {
  ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS,
  currentObjectTransitions,
  elbLogDeliveryPrincipal,
  holdsLogs,
  LoadBalancerLogTarget,
  noncurrentVersionDays,
  secureBucketArgProblems,
} from "./bucket-rules";

// ---------------------------------------------------------------------------------------------
// Pure planning and validation (exported and tested with tables).

export type { PolicyStatement };

/** What a caller's extra bucket-policy statements may refer to (the bucket does not exist yet). */
export interface BucketReference {
  /** `arn:aws:s3:::<bucket>`. */
  readonly arn: pulumi.Output<string>;
  /** The bucket's name. */
  readonly bucketName: pulumi.Output<string>;
  /** The account the bucket lives in. */
  readonly accountId: pulumi.Output<string>;
}

/** Extra statements: a fixed list, or a function of the bucket being built. */
export type AdditionalPolicyStatements =
  readonly pulumi.Input<PolicyStatement>[] | ((bucket: BucketReference) => pulumi.Input<PolicyStatement>[]);

/**
 * Where a bucket replicates its objects: a versioned, KMS-encrypted SecureBucket, normally in the
 * stack's recovery region (see {@link SecureBucket.asReplicationDestination}).
 */
export interface ReplicationDestination {
  /** `arn:aws:s3:::<bucket>` of the destination. */
  readonly bucketArn: pulumi.Input<string>;
  /** The CMK replicas are encrypted with (in the destination's region). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The destination's region (the KMS key is used through S3 there). */
  readonly region: pulumi.Input<string>;
  /** What must exist before replication is configured: the destination's versioning. */
  readonly ready: readonly pulumi.Resource[];
}

export type ObjectLockMode = "GOVERNANCE" | "COMPLIANCE";

/** Default Object Lock retention applied to every new object version. */
export interface ObjectLockSettings {
  /** GOVERNANCE: privileged users may shorten or remove it; COMPLIANCE: nobody can, not even root. */
  readonly mode: ObjectLockMode;
  /** Days each new object version is locked, at least 1. */
  readonly retentionInDays: number;
}

export * from "./bucket-rules";

/**
 * The upload denies of a data bucket. Uploads need send no encryption header: default encryption
 * then applies the bucket's key (the handlers' own CopyObject calls rely on this). What is denied is
 * exactly a header that asks for something else: an algorithm other than `aws:kms` (SSE-S3 or DSSE-KMS),
 * or a KMS key other than the bucket's, or `aws:kms` with no key at all (S3 would use aws/s3). Each is a `Null` test (the header is
 * present) ANDed with the comparison: `StringNotEqualsIfExists` would also deny requests without the
 * header, since an absent key makes an ...IfExists condition true. Two statements, because one
 * statement's conditions are ANDed and would let `aws:kms` under a foreign key through.
 *
 * AWS service principals (CloudTrail, AWS Config) are not subject to them: they write on their own
 * terms, each admitted by its own statement, and some with headers of their choosing.
 */
export function encryptionHeaderDenies(objects: pulumi.Input<string>, kmsKeyArn: pulumi.Input<string>): PolicyStatement[] {
  const notAService: PolicyCondition = { test: "Bool", variable: "aws:PrincipalIsAWSService", values: ["false"] };
  const deny = (sid: string, header: string, allowed: pulumi.Input<string>): PolicyStatement => ({
    sid,
    effect: "Deny",
    principals: [{ type: "*", identifiers: ["*"] }],
    actions: ["s3:PutObject"],
    resources: [objects],
    conditions: [
      { test: "Null", variable: header, values: ["false"] },
      { test: "StringNotEquals", variable: header, values: [allowed] },
      notAService,
    ],
  });
  return [
    deny("DenyNonKmsEncryptionHeader", "s3:x-amz-server-side-encryption", "aws:kms"),
    deny("DenyForeignKmsKeyHeader", "s3:x-amz-server-side-encryption-aws-kms-key-id", kmsKeyArn),
    // `aws:kms` without a key id: "If you specify x-amz-server-side-encryption:aws:kms, but don't provide
    // x-amz-server-side-encryption-aws-kms-key-id, Amazon S3 uses the AWS managed key (aws/s3)"
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html), not the bucket's.
    {
      sid: "DenyKmsHeaderWithoutKeyId",
      effect: "Deny",
      principals: [{ type: "*", identifiers: ["*"] }],
      actions: ["s3:PutObject"],
      resources: [objects],
      conditions: [
        { test: "StringEquals", variable: "s3:x-amz-server-side-encryption", values: ["aws:kms"] },
        { test: "Null", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id", values: ["true"] },
        notAService,
      ],
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// The component.

/** What a bucket reads of the stack: its context and the data retention (lifecycle floors). */
export type SecureBucketConfig = StackContext & Pick<PlatformConfig, "dataRetentionInDays">;

export interface SecureBucketArgs {
  /** The stack's validated configuration (protection, retention, tags). */
  readonly config: SecureBucketConfig;
  /** What the bucket holds, e.g. `phi-data`, `access-logs`; part of its name, tags and log prefix. */
  readonly purpose: string;
  /**
   * ARN of the customer-managed KMS key that encrypts every object (default encryption). Required
   * for a data bucket; not allowed for the access-log bucket, which is SSE-S3.
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /**
   * DataClassification tag of the bucket.
   * @default the stack's `config.dataClassification`
   */
  readonly dataClassification?: DataClassification;
  /**
   * Name of the bucket that receives this bucket's server access logs, under `<purpose>/`.
   * Required unless {@link isAccessLogTarget}.
   */
  readonly accessLogBucket?: pulumi.Input<string>;
  /**
   * This is the access-log bucket: it logs nowhere, is encrypted with SSE-S3 (the only default
   * encryption S3 log delivery supports), and lets S3 log delivery (`logging.s3.amazonaws.com`)
   * write into it for the stack's buckets of this account.
   * @default false
   */
  readonly isAccessLogTarget?: boolean;
  /**
   * This bucket receives an Application Load Balancer's access logs under `prefix`: it is encrypted
   * with SSE-S3 (the only default encryption ELB log delivery supports; no kmsKeyArn), keeps its
   * logs like the access-log bucket, and its policy lets the region's ELB log delivery
   * ({@link elbLogDeliveryPrincipal}) put objects under `<prefix>/AWSLogs/<this account>/` only.
   * @default not a load-balancer log bucket
   */
  readonly loadBalancerLogs?: LoadBalancerLogTarget;
  /**
   * Extra statements merged into the bucket policy (service grants such as CloudTrail's), as a list
   * or as a function of the bucket being built.
   * @default none
   */
  readonly additionalPolicyStatements?: AdditionalPolicyStatements;
  /**
   * Enables Object Lock (at creation; it cannot be added later) with a default retention.
   * @default no Object Lock
   */
  readonly objectLock?: ObjectLockSettings;
  /**
   * The bucket keeps logs or audit records (access logs, CloudTrail): noncurrent versions are then
   * kept at least `config.dataRetentionInDays`, so no log is purged before the retention floor.
   * @default false; always true for the access-log bucket (false is refused there)
   */
  readonly holdsLogs?: boolean;
  /**
   * Days a version stays after it became noncurrent (overwritten or deleted), at least 30, and at
   * least `config.dataRetentionInDays` when {@link holdsLogs}.
   * @default 90; `max(90, config.dataRetentionInDays)` when {@link holdsLogs}
   */
  readonly noncurrentVersionExpirationInDays?: number;
  /**
   * Days after which current objects expire (become noncurrent), at least `config.dataRetentionInDays`.
   * @default current objects never expire
   */
  readonly expireCurrentObjectsAfterDays?: number;
  /**
   * Replicates every new object version (SSE-KMS included, re-encrypted under the destination's
   * key) to this bucket, through a role that may do only that. Delete markers are not replicated,
   * so a delete in this bucket never removes the recovery copy.
   * @default no replication
   */
  readonly replicateTo?: ReplicationDestination;
}

/** An S3 bucket with encryption, versioning, TLS-only policy, access logging and lifecycle. */
export class SecureBucket extends pulumi.ComponentResource {
  /** The bucket resource itself. */
  readonly bucket: aws.s3.Bucket;
  /** The bucket's name (`hcp-<stack>-<purpose>-<account>-<region>`, at most 63 characters). */
  readonly bucketName: pulumi.Output<string>;
  /** `arn:aws:s3:::<bucketName>`. */
  readonly arn: pulumi.Output<string>;
  /** The CMK that encrypts the bucket's objects; undefined for the SSE-S3 log-target buckets. */
  readonly kmsKeyArn: pulumi.Output<string> | undefined;
  /** The bucket policy (depend on it when a service must be able to write before it starts). */
  readonly bucketPolicy: aws.s3.BucketPolicy;
  /** Versioning (replication and Object Lock need it first). */
  readonly versioning: aws.s3.BucketVersioning;
  /** The bucket's region. */
  readonly region: pulumi.Output<string>;
  /** The replication configuration, when {@link SecureBucketArgs.replicateTo} is set. */
  readonly replication?: aws.s3.BucketReplicationConfig;

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before registering: a refused bucket leaves nothing behind, not even its component.
    const problems = secureBucketArgProblems(args);
    if (problems.length > 0) {
      throw new Error(`SecureBucket ${name}: ${problems.join("; ")}`);
    }
    super("healthcare:storage:SecureBucket", name, {}, opts);

    const { config, purpose } = args;
    const parent = { parent: this };
    // One switch for stateful resources (ARCHITECTURE.md section 5).
    const stateful = statefulOptions(this, config.protectData);

    const identity = aws.getCallerIdentityOutput({}, parent);
    const region = aws.getRegionOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent);
    const name63 = pulumi
      .all([identity.accountId, region.region])
      .apply(([accountId, regionName]) => physicalBucketName(config.stack, purpose, accountId, regionName));

    this.bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      {
        bucket: name63,
        forceDestroy: !config.protectData,
        objectLockEnabled: args.objectLock !== undefined ? true : undefined,
        tags: platformTags(config, { dataClassification: args.dataClassification, purpose }),
      },
      stateful,
    );
    const bucketId = this.bucket.id;
    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;
    this.kmsKeyArn = args.kmsKeyArn === undefined ? undefined : pulumi.output(args.kmsKeyArn);

    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucketId, rule: { objectOwnership: "BucketOwnerEnforced" } }, parent);

    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access-block`,
      { bucket: bucketId, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      parent,
    );

    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucketId,
        rules: [
          args.kmsKeyArn === undefined
            ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
            : { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true },
        ],
      },
      parent,
    );

    this.region = region.region;
    this.versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucketId, versioningConfiguration: { status: "Enabled" } },
      stateful,
    );

    if (args.objectLock !== undefined) {
      new aws.s3.BucketObjectLockConfiguration(
        `${name}-object-lock`,
        {
          bucket: bucketId,
          objectLockEnabled: "Enabled",
          rule: { defaultRetention: { mode: args.objectLock.mode, days: args.objectLock.retentionInDays } },
        },
        stateful,
      );
    }

    // Bucket policy: one document.
    const objects = pulumi.interpolate`${this.arn}/*`;
    const statements: pulumi.Input<PolicyStatement>[] = [
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        principals: [{ type: "*", identifiers: ["*"] }],
        actions: ["s3:*"],
        resources: [this.arn, objects],
        conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
    ];
    if (this.kmsKeyArn !== undefined) statements.push(...encryptionHeaderDenies(objects, this.kmsKeyArn));
    if (args.isAccessLogTarget) {
      statements.push({
        sid: "AllowS3ServerAccessLogDelivery",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }],
        actions: ["s3:PutObject"],
        resources: [objects],
        conditions: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [identity.accountId] },
          {
            test: "ArnLike",
            variable: "aws:SourceArn",
            values: [pulumi.interpolate`arn:${partition.partition}:s3:::${bucketNamePattern(config.stack)}`],
          },
        ],
      });
    }
    if (args.loadBalancerLogs !== undefined) {
      const prefix = args.loadBalancerLogs.prefix;
      statements.push(
        pulumi.all([region.region, partition.partition]).apply(([regionName, partitionName]): PolicyStatement => ({
          sid: "AllowElbAccessLogDelivery",
          effect: "Allow",
          principals: [elbLogDeliveryPrincipal(regionName, partitionName)],
          actions: ["s3:PutObject"],
          resources: [pulumi.interpolate`${this.arn}/${prefix}/AWSLogs/${identity.accountId}/*`],
        })),
      );
    }
    const extra = args.additionalPolicyStatements;
    if (extra !== undefined) {
      const reference: BucketReference = { arn: this.arn, bucketName: this.bucketName, accountId: identity.accountId };
      statements.push(...(typeof extra === "function" ? extra(reference) : extra));
    }
    const policyDocument = aws.iam.getPolicyDocumentOutput({ statements }, parent);
    // After the public access block: S3 rejects concurrent changes to one bucket's controls
    // (OperationAborted), and the policy must never exist on a bucket without the block.
    this.bucketPolicy = new aws.s3.BucketPolicy(
      `${name}-policy`,
      { bucket: bucketId, policy: policyDocument.json },
      { parent: this, dependsOn: [publicAccessBlock] },
    );

    if (!args.isAccessLogTarget) {
      new aws.s3.BucketLogging(
        `${name}-logging`,
        { bucket: bucketId, targetBucket: args.accessLogBucket!, targetPrefix: `${purpose}/` },
        parent,
      );
    }

    const noncurrentDays = noncurrentVersionDays(args.noncurrentVersionExpirationInDays, holdsLogs(args), config.dataRetentionInDays);
    const transitions = currentObjectTransitions(args.expireCurrentObjectsAfterDays);
    const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
      {
        id: "abort-incomplete-multipart-uploads",
        status: "Enabled",
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS },
      },
      { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays } },
    ];
    if (transitions.length > 0) {
      rules.push({ id: "tier-current-objects", status: "Enabled", filter: {}, transitions });
    }
    if (args.expireCurrentObjectsAfterDays !== undefined) {
      rules.push({
        id: "expire-current-objects-after-retention",
        status: "Enabled",
        filter: {},
        expiration: { days: args.expireCurrentObjectsAfterDays },
      });
    }
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucketId, rules }, parent);

    if (args.replicateTo !== undefined && this.kmsKeyArn !== undefined) {
      this.replication = this.replicate(name, args, this.kmsKeyArn, args.replicateTo, identity.accountId, partition.dnsSuffix);
    }

    this.registerOutputs({ bucketName: this.bucketName, arn: this.arn, kmsKeyArn: this.kmsKeyArn });
  }

  /**
   * The access-log bucket of a region: receives the server access logs of the stack's buckets
   * there (S3 delivers them only within a region), SSE-S3 encrypted (the only default encryption
   * S3 log delivery supports), its logs kept the data retention, current and noncurrent alike.
   */
  static forAccessLogs(name: string, args: { config: SecureBucketConfig }, opts?: pulumi.ComponentResourceOptions): SecureBucket {
    return new SecureBucket(
      name,
      {
        config: args.config,
        purpose: "access-logs",
        dataClassification: "Confidential",
        isAccessLogTarget: true,
        expireCurrentObjectsAfterDays: args.config.dataRetentionInDays,
      },
      opts,
    );
  }

  /**
   * A bucket for an Application Load Balancer's access logs under `prefix` (SSE-S3, writable by the
   * region's ELB log delivery only there), its own access logged to `accessLogBucket`, its logs kept
   * the data retention, current and noncurrent alike.
   */
  static forLoadBalancerLogs(
    name: string,
    args: { config: SecureBucketConfig; accessLogBucket: pulumi.Input<string>; prefix: string; purpose?: string },
    opts?: pulumi.ComponentResourceOptions,
  ): SecureBucket {
    return new SecureBucket(
      name,
      {
        config: args.config,
        purpose: args.purpose ?? "alb-logs",
        dataClassification: "Confidential",
        accessLogBucket: args.accessLogBucket,
        loadBalancerLogs: { prefix: args.prefix },
        expireCurrentObjectsAfterDays: args.config.dataRetentionInDays,
      },
      opts,
    );
  }

  /** This bucket as the destination of another bucket's replication. */
  asReplicationDestination(): ReplicationDestination {
    if (this.kmsKeyArn === undefined) {
      throw new Error("asReplicationDestination: the access-log bucket (SSE-S3) cannot be a replication destination; use a data bucket");
    }
    return { bucketArn: this.arn, kmsKeyArn: this.kmsKeyArn, region: this.region, ready: [this.versioning] };
  }

  /**
   * The replication role and configuration. The role reads this bucket's versions and decrypts
   * them only through S3 here, and writes replicas and encrypts them only through S3 in the
   * destination's region, each key use bound to its bucket by the S3 encryption context (the
   * bucket ARN with S3 Bucket Keys, the object ARN without).
   */
  private replicate(
    name: string,
    { config, purpose, dataClassification, objectLock }: SecureBucketArgs,
    sourceKeyArn: pulumi.Output<string>,
    to: ReplicationDestination,
    accountId: pulumi.Output<string>,
    dnsSuffix: pulumi.Output<string>,
  ): aws.s3.BucketReplicationConfig {
    const parent = { parent: this };
    const viaS3 = (region: pulumi.Input<string>) => kmsViaServiceCondition(["s3"], region, dnsSuffix);
    const s3Context = (bucketArn: pulumi.Input<string>): pulumi.Input<PolicyCondition> => ({
      test: "StringLike",
      variable: "kms:EncryptionContext:aws:s3:arn",
      values: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
    });
    const role = createServiceRole(
      `${name}-replication-role`,
      {
        roleName: physicalName(config.stack, "iamRole", purpose, "replication"),
        description: `S3 replication of the ${purpose} bucket to its recovery copy`,
        servicePrincipal: "s3.amazonaws.com",
        trustConditions: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
          // S3 documents aws:SourceAccount for the replication role's trust; the bucket ARN is
          // enforced whenever S3 sends aws:SourceArn, without refusing the role when it does not.
          { test: "ArnLikeIfExists", variable: "aws:SourceArn", values: [this.arn] },
        ],
        statements: [
          {
            sid: "ReadReplicationConfiguration",
            effect: "Allow",
            actions: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
            resources: [this.arn],
          },
          {
            sid: "ReadSourceVersions",
            effect: "Allow",
            actions: [
              "s3:GetObjectVersionForReplication",
              "s3:GetObjectVersionAcl",
              "s3:GetObjectVersionTagging",
              // Locked objects replicate with their retention: the role must read it
              // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html#object-lock-managing-replication).
              ...(objectLock === undefined ? [] : ["s3:GetObjectRetention", "s3:GetObjectLegalHold"]),
            ],
            resources: [pulumi.interpolate`${this.arn}/*`],
          },
          {
            sid: "WriteReplicas",
            effect: "Allow",
            actions: ["s3:ReplicateObject", "s3:ReplicateTags"],
            resources: [pulumi.interpolate`${to.bucketArn}/*`],
          },
          {
            sid: "DecryptSourceThroughS3",
            effect: "Allow",
            actions: ["kms:Decrypt"],
            resources: [sourceKeyArn],
            conditions: [viaS3(this.region), s3Context(this.arn)],
          },
          {
            sid: "EncryptReplicasThroughS3",
            effect: "Allow",
            actions: ["kms:Encrypt", "kms:GenerateDataKey"],
            resources: [to.kmsKeyArn],
            conditions: [viaS3(to.region), s3Context(to.bucketArn)],
          },
        ],
        tags: platformTags(config, { dataClassification, purpose: `${purpose}-replication` }),
      },
      parent,
    );
    return new aws.s3.BucketReplicationConfig(
      `${name}-replication`,
      {
        bucket: this.bucket.id,
        role: role.role.arn,
        rules: [
          {
            id: "replicate-to-recovery-region",
            status: "Enabled",
            priority: 1,
            filter: {},
            deleteMarkerReplication: { status: "Disabled" },
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
            destination: { bucket: to.bucketArn, storageClass: "STANDARD", encryptionConfiguration: { replicaKmsKeyId: to.kmsKeyArn } },
          },
        ],
      },
      // S3 refuses a replication configuration before versioning is on at both ends.
      { parent: this, dependsOn: [this.versioning, ...to.ready, ...role.ready] },
    );
  }
}
