/**
 * Recovery: the stack's footprint in its recovery region, where PHI is replicated so that a
 * regional outage or the loss of the primary bucket loses no patient data.
 *
 * It creates its own AWS provider for `config.recoveryRegion` (so nothing of it can land in the
 * primary region by a wrong or missing provider option; credentials come from the same ambient
 * chain as the stack's own provider, and the platform tags are its defaultTags). It holds:
 * - its own customer-managed keys (an {@link Encryption} of that region: KMS keys are regional, and
 *   the replica must not depend on the primary region to be readable);
 * - an access-log bucket of that region (S3 delivers server access logs only within a region);
 * - the PHI replica bucket, a {@link SecureBucket} like every other, logging to that bucket;
 * - the trail replica bucket, a log bucket (kept the data retention) under that region's audit key;
 * - the backup vault the primary region's backup plan copies every recovery point into, under that
 *   region's backup key and, in prod, the same compliance-mode Vault Lock as the primary vault.
 *
 * The primary PHI bucket replicates into {@link Recovery.phiReplica} and the trail bucket into
 * {@link Recovery.trailReplica} (see `replicateTo` of SecureBucket); delete markers are not
 * replicated, so the replicas also survive a delete.
 *
 * HIPAA Security Rule: 164.308(a)(7)(ii)(A) data backup plan, 164.308(a)(7)(ii)(B) disaster
 * recovery plan, 164.312(c)(1) integrity.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, StackContext } from "./config";
import { Backup, BackupCopyDestination, BackupVault } from "./backup";
import { Encryption } from "./encryption";
import { keySet, RECOVERY_KEY_PURPOSES, RecoveryKeys } from "./key-set";
import { ReplicationDestination, SecureBucket } from "./lib/secure-bucket";
import { reportObjectLock } from "./security-events/incident-workflow";
import { platformTags } from "./lib/tags";

export interface RecoveryArgs {
  /** The stack's validated configuration; `config.recoveryRegion` must be set. */
  readonly config: StackContext &
    Pick<PlatformConfig, "dataRetentionInDays" | "reportRetentionInDays" | "recoveryRegion" | "kmsDeletionWindowInDays">;
  /**
   * What the recovery provider's region waits for: index.ts passes its placeholder check (resolving to the caller
   * account; the primary provider waits for the same), so with placeholder ARNs nothing of the recovery region (keys,
   * buckets, the locked vault) is created before the run fails. @default none: the provider registers at once
   */
  readonly providerGate?: pulumi.Input<string>;
}

/** The stack's recovery-region resources: keys, access logs, the PHI and trail replicas, the backup vault. */
export class Recovery extends pulumi.ComponentResource {
  /** The recovery region (`config.recoveryRegion`), the region of {@link provider}. */
  readonly region: string;
  /** The AWS provider of the recovery region; every resource of the component uses it. */
  readonly provider: aws.Provider;
  /** The keys of the recovery region. */
  readonly encryption: Encryption;
  /** The same keys, each present. */
  readonly keys: RecoveryKeys;
  /** Name of the recovery region's access-log bucket. */
  readonly accessLogBucketName: pulumi.Output<string>;
  /** Name and ARN of the PHI replica bucket. */
  readonly phiReplicaBucketName: pulumi.Output<string>;
  readonly phiReplicaBucketArn: pulumi.Output<string>;
  /** Where the primary PHI bucket replicates to. */
  readonly phiReplica: ReplicationDestination;
  /** Name and ARN of the trail replica bucket. */
  readonly trailReplicaBucketName: pulumi.Output<string>;
  readonly trailReplicaBucketArn: pulumi.Output<string>;
  /** Where the primary trail bucket replicates to. */
  readonly trailReplica: ReplicationDestination;
  /** Name and ARN of the security-event archive's replica (PHI: the events name object keys). */
  readonly eventsReplicaBucketName: pulumi.Output<string>;
  readonly eventsReplicaBucketArn: pulumi.Output<string>;
  /** Where the security-event archive replicates to. */
  readonly eventsReplica: ReplicationDestination;
  /** Name and ARN of the incident reports' replica (PHI, Object Lock like the source). */
  readonly reportsReplicaBucketName: pulumi.Output<string>;
  readonly reportsReplicaBucketArn: pulumi.Output<string>;
  /** Where the incident-report bucket replicates to. */
  readonly reportsReplica: ReplicationDestination;
  /** ARN of the access-log bucket (the trail records reads and deletes of its objects). */
  readonly accessLogBucketArn: pulumi.Output<string>;
  /** ARNs of the recovery region's PHI buckets (the trail records object-level access to each). */
  readonly phiBucketArns: pulumi.Output<string>[];
  /** ARNs of its log buckets: the access-log bucket and the trail replica (the trail records who reads or deletes logs). */
  readonly logBucketArns: pulumi.Output<string>[];
  /** Names of its PHI buckets by purpose: the buckets a grant may name. */
  readonly phiBucketNames: {
    readonly "phi-replica": pulumi.Output<string>;
    readonly "security-events-replica": pulumi.Output<string>;
    readonly "incident-reports-replica": pulumi.Output<string>;
  };
  /** The backup vault every recovery point of the primary region is copied into. */
  readonly backupVault: BackupCopyDestination;
  readonly backupVaultName: pulumi.Output<string>;

  constructor(name: string, args: RecoveryArgs, opts?: pulumi.ComponentResourceOptions) {
    const { config } = args;
    if (config.recoveryRegion === undefined) {
      throw new Error(
        `Recovery ${name}: config.recoveryRegion is not set; set healthcare-platform:recoveryRegion (e.g. us-west-2) or do not build the recovery footprint`,
      );
    }
    super("healthcare:recovery:Recovery", name, {}, opts);
    this.region = config.recoveryRegion;
    this.provider = new aws.Provider(
      `${name}-${this.region}`,
      {
        region: pulumi.output(args.providerGate ?? "").apply(() => config.recoveryRegion as aws.Region),
        defaultTags: { tags: { ...platformTags(config) } },
      },
      { parent: this },
    );
    // Child components take the provider from here; their children and invokes inherit it.
    const parent: pulumi.ComponentResourceOptions = { parent: this, providers: { aws: this.provider } };

    this.encryption = new Encryption(`${name}-encryption`, { config, purposes: [...RECOVERY_KEY_PURPOSES] }, parent);
    this.keys = keySet(this.encryption, RECOVERY_KEY_PURPOSES);

    const accessLogs = SecureBucket.forAccessLogs(`${name}-access-logs`, { config }, parent);
    this.accessLogBucketName = accessLogs.bucketName;
    this.accessLogBucketArn = accessLogs.arn;

    const replica = new SecureBucket(
      `${name}-phi-replica`,
      {
        config,
        purpose: "phi-replica",
        kmsKeyArn: this.encryption.phi.arn,
        dataClassification: "PHI",
        accessLogBucket: accessLogs.bucketName,
      },
      parent,
    );
    this.phiReplicaBucketName = replica.bucketName;
    this.phiReplicaBucketArn = replica.arn;
    this.phiReplica = replica.asReplicationDestination();

    // The trail's second copy: CloudTrail writes only in the primary region; S3 replication brings
    // every log and digest file here, re-encrypted under this region's audit key.
    const trailReplica = new SecureBucket(
      `${name}-trail-replica`,
      {
        config,
        purpose: "audit-trail-replica",
        kmsKeyArn: this.encryption.audit.arn,
        dataClassification: "Confidential",
        accessLogBucket: accessLogs.bucketName,
        holdsLogs: true,
        expireCurrentObjectsAfterDays: config.dataRetentionInDays,
      },
      parent,
    );
    this.trailReplicaBucketName = trailReplica.bucketName;
    this.trailReplicaBucketArn = trailReplica.arn;
    this.trailReplica = trailReplica.asReplicationDestination();

    // The security-event archive's second copy: the audit record of every PHI access, kept as long.
    const eventsReplica = new SecureBucket(
      `${name}-events-replica`,
      {
        config,
        purpose: "security-events-replica",
        kmsKeyArn: this.encryption.phi.arn,
        dataClassification: "PHI",
        accessLogBucket: accessLogs.bucketName,
        holdsLogs: true,
        expireCurrentObjectsAfterDays: config.dataRetentionInDays,
      },
      parent,
    );
    this.eventsReplicaBucketName = eventsReplica.bucketName;
    this.eventsReplicaBucketArn = eventsReplica.arn;
    this.eventsReplica = eventsReplica.asReplicationDestination();

    // The incident reports' second copy. S3 replicates an object's retention with it, and the
    // destination of locked objects must have Object Lock enabled itself
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html#object-lock-managing-replication).
    const reportsReplica = new SecureBucket(
      `${name}-reports-replica`,
      {
        config,
        purpose: "incident-reports-replica",
        kmsKeyArn: this.encryption.phi.arn,
        dataClassification: "PHI",
        accessLogBucket: accessLogs.bucketName,
        objectLock: reportObjectLock(config),
        holdsLogs: true,
        expireCurrentObjectsAfterDays: Math.max(config.dataRetentionInDays, config.reportRetentionInDays),
        noncurrentVersionExpirationInDays: Math.max(config.dataRetentionInDays, config.reportRetentionInDays),
      },
      parent,
    );
    this.reportsReplicaBucketName = reportsReplica.bucketName;
    this.reportsReplicaBucketArn = reportsReplica.arn;
    this.reportsReplica = reportsReplica.asReplicationDestination();

    const vault = new BackupVault(
      `${name}-backup-vault`,
      // The region's backup key: RDS creates a grant on it through rds.<this region> to copy a snapshot in.
      { config, purpose: "records-copy", kmsKeyArn: this.keys.backup.arn, lock: Backup.lockFor(config) },
      parent,
    );
    this.backupVaultName = vault.vaultName;

    this.phiBucketArns = [this.phiReplicaBucketArn, this.eventsReplicaBucketArn, this.reportsReplicaBucketArn];
    this.logBucketArns = [this.accessLogBucketArn, this.trailReplicaBucketArn];
    this.phiBucketNames = {
      "phi-replica": this.phiReplicaBucketName,
      "security-events-replica": this.eventsReplicaBucketName,
      "incident-reports-replica": this.reportsReplicaBucketName,
    };
    this.backupVault = { vaultArn: vault.vaultArn, kmsKeyArn: vault.kmsKeyArn, region: this.region };

    this.registerOutputs({
      region: this.region,
      accessLogBucketName: this.accessLogBucketName,
      phiReplicaBucketName: this.phiReplicaBucketName,
      phiReplicaBucketArn: this.phiReplicaBucketArn,
      trailReplicaBucketName: this.trailReplicaBucketName,
      eventsReplicaBucketName: this.eventsReplicaBucketName,
      reportsReplicaBucketName: this.reportsReplicaBucketName,
      backupVaultName: this.backupVaultName,
    });
  }
}
