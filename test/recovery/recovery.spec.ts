/**
 * Recovery: the stack's footprint in its recovery region (its own keys, access-log bucket and the
 * PHI replica), built the way index.ts builds it. It owns the AWS provider of that region, so
 * nothing of it can land in the primary region.
 */
import * as assert from "assert";
import { installMocks, testConfig, ACCOUNT_ID, REGION, policyOf } from "../mocks";

const cloud = installMocks();
// Program modules only after the mocks are installed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aws: typeof import("@pulumi/aws") = require("@pulumi/aws");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pulumi: typeof import("@pulumi/pulumi") = require("@pulumi/pulumi");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Recovery }: typeof import("../../components/recovery") = require("../../components/recovery");

const RECOVERY_REGION = "us-west-2";
const ACCESS_LOGS = `hcp-prod-access-logs-${ACCOUNT_ID}-${RECOVERY_REGION}`;
const PHI_REPLICA = `hcp-prod-phi-replica-${ACCOUNT_ID}-${RECOVERY_REGION}`;
const TRAIL_REPLICA = `hcp-prod-audit-trail-replica-${ACCOUNT_ID}-${RECOVERY_REGION}`;

const T = {
  recovery: "healthcare:recovery:Recovery",
  encryption: "healthcare:security:Encryption",
  secureBucket: "healthcare:storage:SecureBucket",
  provider: "pulumi:providers:aws",
  key: "aws:kms/key:Key",
  alias: "aws:kms/alias:Alias",
  bucket: "aws:s3/bucket:Bucket",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  encryptionConfig: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  logging: "aws:s3/bucketLogging:BucketLogging",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  backupVault: "healthcare:backup:BackupVault",
  vault: "aws:backup/vault:Vault",
  vaultLock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
};

const resolve = <V>(v: import("@pulumi/pulumi").Input<V>) => new Promise<V>((r) => pulumi.output(v).apply((x) => r(x as V)));
const urnOf = (r: import("@pulumi/pulumi").Resource) => resolve(r.urn);

async function build(
  env: "dev" | "prod" = "prod",
  overrides: Record<string, string> = {},
  opts?: import("@pulumi/pulumi").ComponentResourceOptions,
) {
  const recovery = new Recovery("recovery", { config: testConfig(env, overrides) }, opts);
  await cloud.settle();
  const providerRecord = cloud.one(T.provider, `recovery-${RECOVERY_REGION}`);
  return { recovery, urn: await urnOf(recovery), providerRecord, providerRef: `${providerRecord.urn}::${String(providerRecord.id)}` };
}

const kmsKeys = () => cloud.ofType(T.key);

describe("Recovery", () => {
  beforeEach(() => cloud.reset());

  it("registers nothing in the recovery region until its provider gate (index.ts: the placeholder-ARN check) resolves", async () => {
    // Against a real account a committed placeholder ARN fails the run in that check; the recovery region's keys, buckets
    // and compliance-locked vault must not be created before it, as the primary region's are not.
    let pass!: (account: string) => void;
    const gate = pulumi.output(new Promise<string>((r) => (pass = r)));
    new Recovery("recovery", { config: testConfig("prod"), providerGate: gate });
    await new Promise((r) => setTimeout(r, 200));
    assert.deepStrictEqual(
      cloud.resources.filter((r) => r.type === T.provider || r.type.startsWith("aws:")).map((r) => r.type),
      [],
      "registered before the gate",
    );
    pass(ACCOUNT_ID);
    await cloud.settle();
    assert.ok(kmsKeys().length > 0 && cloud.ofType(T.vault).length === 1);
  });

  describe("composition", () => {
    it("holds an Encryption, five SecureBuckets (access logs; PHI, trail, event and report replicas) and a backup vault, all its children", async () => {
      const { urn } = await build();
      assert.deepStrictEqual(
        cloud
          .childrenOf(urn)
          .map((r) => `${r.type} ${r.name}`)
          .sort(),
        [
          `${T.encryption} recovery-encryption`,
          `${T.provider} recovery-${RECOVERY_REGION}`,
          `${T.secureBucket} recovery-access-logs`,
          `${T.secureBucket} recovery-phi-replica`,
          `${T.secureBucket} recovery-trail-replica`,
          `${T.secureBucket} recovery-events-replica`,
          `${T.secureBucket} recovery-reports-replica`,
          `${T.backupVault} recovery-backup-vault`,
        ].sort(),
      );
      assert.strictEqual(cloud.ofType(T.bucket).length, 5);
    });

    it("exposes its region, the bucket names and ARN, and the replica as a replication destination", async () => {
      const { recovery } = await build();
      assert.strictEqual(recovery.region, RECOVERY_REGION);
      assert.strictEqual(await resolve(recovery.accessLogBucketName), ACCESS_LOGS);
      assert.strictEqual(await resolve(recovery.phiReplicaBucketName), PHI_REPLICA);
      assert.strictEqual(await resolve(recovery.phiReplicaBucketArn), `arn:aws:s3:::${PHI_REPLICA}`);
      const destination = recovery.phiReplica;
      assert.strictEqual(await resolve(destination.bucketArn), `arn:aws:s3:::${PHI_REPLICA}`);
      assert.strictEqual(await resolve(destination.kmsKeyArn), await resolve(recovery.encryption.phi.arn));
      assert.strictEqual(await resolve(destination.region), RECOVERY_REGION);
      assert.deepStrictEqual(await Promise.all(destination.ready.map(urnOf)), [cloud.one(T.versioning, "recovery-phi-replica").urn]);
    });
  });

  describe("in the recovery region", () => {
    it("owns a provider of the recovery region, with the platform tags as defaultTags, and builds every resource with it", async () => {
      const { providerRef, providerRecord, urn } = await build();
      assert.strictEqual(providerRecord.parent, urn);
      assert.strictEqual(providerRecord.inputs.region, RECOVERY_REGION);
      const defaultTags = JSON.parse(String(providerRecord.inputs.defaultTags)) as { tags: Record<string, string> };
      assert.deepStrictEqual(
        [defaultTags.tags.Project, defaultTags.tags.Environment, defaultTags.tags.Compliance],
        ["healthcare-platform", "prod", "HIPAA"],
      );
      const custom = cloud.resources.filter((r) => r.custom && r.type !== T.provider);
      assert.ok(custom.length > 0);
      for (const r of custom) assert.strictEqual(r.provider, providerRef, `${r.name} provider`);
    });

    it("stays in the recovery region even when its caller passes a provider of the primary region", async () => {
      const primary = new aws.Provider("aws", { region: REGION });
      const { providerRef } = await build("prod", {}, { providers: [primary] });
      for (const r of cloud.resources.filter((x) => x.custom && x.type !== T.provider)) assert.strictEqual(r.provider, providerRef, r.name);
      const replicaOf = (purpose: string) => `hcp-prod-${purpose}-replica-${ACCOUNT_ID}-${RECOVERY_REGION}`;
      assert.deepStrictEqual(
        cloud
          .ofType(T.bucket)
          .map((b) => String(b.inputs.bucket))
          .sort(),
        [ACCESS_LOGS, TRAIL_REPLICA, PHI_REPLICA, replicaOf("security-events"), replicaOf("incident-reports")].sort(),
      );
    });

    it("has its own three KMS keys there (PHI, audit, backup), with yearly rotation", async () => {
      const { recovery } = await build();
      const keys = kmsKeys();
      assert.deepStrictEqual(keys.map((k) => k.name).sort(), [
        "recovery-encryption-audit-key",
        "recovery-encryption-backup-key",
        "recovery-encryption-phi-key",
      ]);
      for (const key of keys) {
        assert.strictEqual(key.inputs.enableKeyRotation, true, `${key.name} rotation`);
        assert.strictEqual(key.inputs.rotationPeriodInDays, 365, `${key.name} rotation period`);
        assert.strictEqual(key.inputs.multiRegion, false, `${key.name} multiRegion`);
        assert.match(String(key.outputs.arn), new RegExp(`^arn:aws:kms:${RECOVERY_REGION}:${ACCOUNT_ID}:key/[0-9a-f-]{36}$`));
        assert.strictEqual(key.parent, cloud.one(T.encryption, "recovery-encryption").urn);
      }
      assert.strictEqual(await resolve(recovery.encryption.phi.arn), cloud.one(T.key, "phi-key").outputs.arn);
      assert.strictEqual(await resolve(recovery.encryption.audit.arn), cloud.one(T.key, "audit-key").outputs.arn);
    });

    it("scopes the keys' S3 use to S3 in the recovery region (the backup key has none)", async () => {
      await build();
      for (const key of kmsKeys()) {
        if (key.name === "recovery-encryption-backup-key") {
          assert.ok(!String(key.inputs.policy).includes("s3."), "the backup key is not usable through S3");
          continue;
        }
        const use = policyOf(key.inputs.policy).Statement.find((s) => s.Sid === "KeyUseThroughAwsServices")!;
        const via = (use.Condition as Record<string, Record<string, string[]>>).StringEquals["kms:ViaService"];
        assert.ok(via.includes(`s3.${RECOVERY_REGION}.amazonaws.com`), `${key.name}: ${via.join(", ")}`);
        assert.ok(
          via.every((v) => !v.includes(REGION)),
          `${key.name} names the primary region: ${via.join(", ")}`,
        );
      }
    });

    it("names both buckets for the recovery region and creates them there", async () => {
      await build();
      for (const [name, bucketName] of [
        ["recovery-access-logs-bucket", ACCESS_LOGS],
        ["recovery-phi-replica-bucket", PHI_REPLICA],
      ]) {
        const bucket = cloud.one(T.bucket, name);
        assert.strictEqual(bucket.inputs.bucket, bucketName);
        assert.strictEqual(bucket.outputs.region, RECOVERY_REGION);
        assert.strictEqual(bucket.outputs.bucketRegionalDomainName, `${bucketName}.s3.${RECOVERY_REGION}.amazonaws.com`);
      }
    });
  });

  describe("access-log bucket", () => {
    it("is SSE-S3 (S3 log delivery supports nothing else there either), logs nowhere and admits S3 log delivery", async () => {
      await build();
      assert.deepStrictEqual(cloud.one(T.encryptionConfig, "recovery-access-logs").inputs.rules, [
        { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ]);
      assert.strictEqual(cloud.ofType(T.logging).filter((r) => r.name.startsWith("recovery-access-logs")).length, 0);
      const sids = policyOf(cloud.one(T.policy, "recovery-access-logs").inputs.policy).Statement.map((s) => s.Sid);
      assert.ok(sids.includes("AllowS3ServerAccessLogDelivery"), sids.join(", "));
    });

    it("keeps logs, current and noncurrent, for the data retention (prod: 2192 days)", async () => {
      await build();
      const rules = cloud.one(T.lifecycle, "recovery-access-logs").inputs.rules as { id: string; [k: string]: unknown }[];
      assert.deepStrictEqual(rules.find((r) => r.id === "expire-noncurrent-versions")!.noncurrentVersionExpiration, {
        noncurrentDays: 2192,
      });
      assert.deepStrictEqual(rules.find((r) => r.id === "expire-current-objects-after-retention")!.expiration, { days: 2192 });
    });
  });

  describe("PHI replica bucket", () => {
    it("is a PHI SecureBucket of purpose phi-replica, encrypted with the recovery region's PHI key", async () => {
      await build();
      assert.deepStrictEqual(cloud.one(T.bucket, "recovery-phi-replica").inputs.tags, {
        Project: "healthcare-platform",
        Environment: "prod",
        Stack: "prod",
        DataClassification: "PHI",
        Compliance: "HIPAA",
        Purpose: "phi-replica",
      });
      assert.deepStrictEqual(cloud.one(T.encryptionConfig, "recovery-phi-replica").inputs.rules, [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: cloud.one(T.key, "phi-key").outputs.arn },
          bucketKeyEnabled: true,
        },
      ]);
      assert.deepStrictEqual(cloud.one(T.versioning, "recovery-phi-replica").inputs.versioningConfiguration, { status: "Enabled" });
    });

    it("is classified PHI whatever the stack's default classification", async () => {
      await build("prod", { dataClassification: "Internal" });
      assert.strictEqual((cloud.one(T.bucket, "recovery-phi-replica").inputs.tags as Record<string, string>).DataClassification, "PHI");
    });

    it("logs its access to the recovery region's access-log bucket under phi-replica/", async () => {
      await build();
      const logging = cloud.one(T.logging, "recovery-phi-replica");
      assert.strictEqual(logging.inputs.targetBucket, ACCESS_LOGS);
      assert.strictEqual(logging.inputs.targetPrefix, "phi-replica/");
      assert.deepStrictEqual(logging.propertyDependencies.targetBucket, [cloud.one(T.bucket, "recovery-access-logs").urn]);
    });

    it("does not replicate further", async () => {
      await build();
      assert.strictEqual(cloud.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig").length, 0);
    });
  });

  describe("trail replica bucket", () => {
    it("is a Confidential log bucket under the recovery region's audit key, kept the data retention, logging to that region's access logs", async () => {
      const { recovery } = await build();
      assert.strictEqual(cloud.one(T.bucket, "recovery-trail-replica").inputs.bucket, TRAIL_REPLICA);
      assert.strictEqual(
        (cloud.one(T.bucket, "recovery-trail-replica").inputs.tags as Record<string, string>).DataClassification,
        "Confidential",
      );
      assert.deepStrictEqual(cloud.one(T.encryptionConfig, "recovery-trail-replica").inputs.rules, [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: cloud.one(T.key, "audit-key").outputs.arn },
          bucketKeyEnabled: true,
        },
      ]);
      const rules = cloud.one(T.lifecycle, "recovery-trail-replica").inputs.rules as { id: string; [k: string]: unknown }[];
      assert.deepStrictEqual(rules.find((r) => r.id === "expire-noncurrent-versions")!.noncurrentVersionExpiration, {
        noncurrentDays: 2192,
      });
      assert.deepStrictEqual(rules.find((r) => r.id === "expire-current-objects-after-retention")!.expiration, { days: 2192 });
      assert.strictEqual(cloud.one(T.logging, "recovery-trail-replica").inputs.targetBucket, ACCESS_LOGS);
      assert.strictEqual(await resolve(recovery.trailReplica.bucketArn), `arn:aws:s3:::${TRAIL_REPLICA}`);
      assert.strictEqual(await resolve(recovery.trailReplica.kmsKeyArn), cloud.one(T.key, "audit-key").outputs.arn);
      assert.strictEqual(await resolve(recovery.trailReplicaBucketArn), `arn:aws:s3:::${TRAIL_REPLICA}`);
      assert.strictEqual(await resolve(recovery.accessLogBucketArn), `arn:aws:s3:::${ACCESS_LOGS}`);
    });
  });

  describe("backup vault", () => {
    it("is encrypted with the recovery region's backup key and, in prod, locked in compliance mode for the data retention", async () => {
      const { recovery } = await build("prod");
      const vault = cloud.one(T.vault);
      assert.strictEqual(vault.inputs.name, "hcp-prod-records-copy");
      // Its own key, not the audit key: RDS must create a grant on it through rds.<recovery region> to copy a snapshot in.
      assert.strictEqual(vault.inputs.kmsKeyArn, cloud.one(T.key, "backup-key").outputs.arn);
      const lock = cloud.one(T.vaultLock);
      assert.deepStrictEqual([lock.inputs.minRetentionDays, lock.inputs.changeableForDays], [2192, 3]);
      assert.strictEqual(await resolve(recovery.backupVault.vaultArn), vault.outputs.arn);
      assert.strictEqual(await resolve(recovery.backupVault.kmsKeyArn), vault.inputs.kmsKeyArn);
      assert.strictEqual(await resolve(recovery.backupVault.region), RECOVERY_REGION);
      assert.strictEqual(await resolve(recovery.backupVaultName), "hcp-prod-records-copy");
    });

    it("is not locked in dev", async () => {
      await build("dev", { recoveryRegion: RECOVERY_REGION });
      assert.strictEqual(cloud.ofType(T.vaultLock).length, 0);
      assert.strictEqual(cloud.one(T.vault).inputs.forceDestroy, true);
    });
  });

  describe("protection", () => {
    it("prod protects and retains both keys, the buckets and their versioning, the vault and its lock, and never force-destroys", async () => {
      await build("prod");
      const stateful = [...kmsKeys(), ...cloud.ofType(T.bucket), ...cloud.ofType(T.versioning), cloud.one(T.vault), cloud.one(T.vaultLock)];
      assert.strictEqual(stateful.length, 3 + 5 + 5 + 2, "three keys, five buckets with their versioning, the vault and its lock");
      for (const r of stateful) {
        assert.strictEqual(r.protect, true, `${r.name} protect`);
        assert.strictEqual(r.retainOnDelete, true, `${r.name} retainOnDelete`);
      }
      for (const b of cloud.ofType(T.bucket)) assert.strictEqual(b.inputs.forceDestroy, false, `${b.name} forceDestroy`);
    });

    it("a dev stack with a recovery region protects nothing and may be destroyed", async () => {
      await build("dev", { recoveryRegion: RECOVERY_REGION });
      for (const r of cloud.resources) assert.strictEqual(r.protect, false, `${r.name} protect`);
      for (const b of cloud.ofType(T.bucket)) assert.strictEqual(b.inputs.forceDestroy, true, `${b.name} forceDestroy`);
    });
  });

  describe("argument validation", () => {
    it("refuses a config without recoveryRegion, naming the setting to set, before registering anything", async () => {
      assert.throws(() => new Recovery("recovery", { config: testConfig("dev") }), {
        message:
          "Recovery recovery: config.recoveryRegion is not set; set healthcare-platform:recoveryRegion (e.g. us-west-2) " +
          "or do not build the recovery footprint",
      });
      await cloud.settle();
      assert.deepStrictEqual(cloud.resources, []);
    });
  });
});
