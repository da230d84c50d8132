import * as assert from "assert";
import { installMocks, testConfig, ACCOUNT_ID, REGION, policyOf, RecordedResource } from "../mocks";

const cloud = installMocks();
// Program modules only after the mocks are installed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sb: typeof import("../../components/lib/secure-bucket") = require("../../components/lib/secure-bucket");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const naming: typeof import("../../components/lib/naming") = require("../../components/lib/naming");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aws: typeof import("@pulumi/aws") = require("@pulumi/aws");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pulumi: typeof import("@pulumi/pulumi") = require("@pulumi/pulumi");

const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/11111111-2222-4333-a444-555555555555`;
const ACCESS_LOG_BUCKET = `hcp-prod-access-logs-${ACCOUNT_ID}-${REGION}`;

const T = {
  bucket: "aws:s3/bucket:Bucket",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  logging: "aws:s3/bucketLogging:BucketLogging",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  objectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  role: "aws:iam/role:Role",
  iamPolicy: "aws:iam/policy:Policy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  inlinePolicy: "aws:iam/rolePolicy:RolePolicy",
};

type Args = import("../../components/lib/secure-bucket").SecureBucketArgs;

async function build(args: Partial<Args> & { env?: "dev" | "prod" } = {}, name = "data") {
  const { env = "prod", ...rest } = args;
  const component = new sb.SecureBucket(name, {
    config: testConfig(env),
    purpose: "phi-data",
    kmsKeyArn: KEY_ARN,
    accessLogBucket: ACCESS_LOG_BUCKET,
    ...rest,
  });
  await cloud.settle();
  const urn = await new Promise<string>((resolve) => component.urn.apply(resolve));
  return { component, urn, bucket: cloud.one(T.bucket) };
}

function statement(policy: RecordedResource, sid: string): Record<string, unknown> {
  const found = policyOf(policy.inputs.policy).Statement.filter((s) => s.Sid === sid);
  assert.strictEqual(found.length, 1, `expected one statement ${sid}`);
  return found[0];
}

type LifecycleRule = {
  id: string;
  status: string;
  transitions?: { days: number; storageClass: string }[];
  expiration?: { days: number };
  noncurrentVersionExpiration?: { noncurrentDays: number };
  abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
};
const lifecycleRules = (): LifecycleRule[] => cloud.one(T.lifecycle).inputs.rules as LifecycleRule[];

describe("SecureBucket", () => {
  beforeEach(() => cloud.reset());

  describe("resources", () => {
    it("creates the bucket and each companion exactly once, all children of the component, each referencing the bucket", async () => {
      const { urn, bucket } = await build();
      assert.strictEqual(bucket.parent, urn);
      const companions = [T.ownership, T.publicAccessBlock, T.encryption, T.versioning, T.policy, T.logging, T.lifecycle];
      for (const type of companions) {
        const rec = cloud.one(type);
        assert.strictEqual(rec.parent, urn, `${type} parent`);
        assert.strictEqual(rec.inputs.bucket, bucket.id, `${type} bucket`);
        assert.deepStrictEqual(rec.propertyDependencies.bucket, [bucket.urn], `${type} propertyDependencies.bucket`);
      }
      assert.strictEqual(cloud.ofType(T.objectLock).length, 0);
      assert.strictEqual(cloud.resources.filter((r) => r.custom).length, 8);
      assert.deepStrictEqual(
        cloud.resources.filter((r) => !r.custom).map((r) => r.type),
        ["healthcare:storage:SecureBucket"],
      );
    });

    it("names the bucket hcp-<stack>-<purpose>-<account>-<region> and exposes name, ARN and key", async () => {
      const { component, bucket } = await build();
      assert.strictEqual(bucket.inputs.bucket, `hcp-prod-phi-data-${ACCOUNT_ID}-${REGION}`);
      assert.strictEqual(await new Promise((r) => component.bucketName.apply(r)), bucket.inputs.bucket);
      assert.strictEqual(await new Promise((r) => component.arn.apply(r)), `arn:aws:s3:::${String(bucket.inputs.bucket)}`);
      assert.strictEqual(await new Promise((r) => component.kmsKeyArn!.apply(r)), KEY_ARN);
    });

    it("keeps long names within S3's 63 characters", async () => {
      const purpose = "incident-reports-for-the-security-event-pipeline-archive";
      const { bucket } = await build({ purpose });
      const name = String(bucket.inputs.bucket);
      assert.ok(name.length <= 63, `${name} is ${name.length} characters`);
      assert.match(name, /^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
      assert.strictEqual(name, naming.bucketName("prod", purpose, ACCOUNT_ID, REGION));
    });

    it("tags the bucket with the platform tags, its purpose and classification", async () => {
      const { bucket } = await build({ dataClassification: "Confidential" });
      assert.deepStrictEqual(bucket.inputs.tags, {
        Project: "healthcare-platform",
        Environment: "prod",
        Stack: "prod",
        DataClassification: "Confidential",
        Compliance: "HIPAA",
        Purpose: "phi-data",
      });
    });
  });

  describe("security configuration", () => {
    it("encrypts by default with the given CMK (aws:kms) and S3 Bucket Keys", async () => {
      await build();
      assert.deepStrictEqual(cloud.one(T.encryption).inputs.rules, [
        { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true },
      ]);
    });

    it("enables versioning, blocks all public access and enforces bucket-owner ownership", async () => {
      await build();
      assert.deepStrictEqual(cloud.one(T.versioning).inputs.versioningConfiguration, { status: "Enabled" });
      const pab = cloud.one(T.publicAccessBlock).inputs;
      assert.strictEqual(pab.blockPublicAcls, true);
      assert.strictEqual(pab.blockPublicPolicy, true);
      assert.strictEqual(pab.ignorePublicAcls, true);
      assert.strictEqual(pab.restrictPublicBuckets, true);
      assert.deepStrictEqual(cloud.one(T.ownership).inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
    });

    it("denies every request without TLS on the bucket and its objects", async () => {
      const { bucket } = await build();
      const arn = `arn:aws:s3:::${String(bucket.inputs.bucket)}`;
      assert.deepStrictEqual(statement(cloud.one(T.policy), "DenyInsecureTransport"), {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Action: "s3:*",
        Resource: [arn, `${arn}/*`],
        Principal: "*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
    });

    it("denies uploads whose header asks for another algorithm or another key, and only those (no header: default encryption)", async () => {
      const { bucket } = await build();
      const objects = `arn:aws:s3:::${String(bucket.inputs.bucket)}/*`;
      const policy = cloud.one(T.policy);
      // Null=false: the deny applies only when the header is present. `StringNotEqualsIfExists`
      // would also deny every upload without the header (the handler's CopyObject sends none).
      const deny = (sid: string, header: string, allowed: string) => ({
        Sid: sid,
        Effect: "Deny",
        Action: "s3:PutObject",
        Resource: objects,
        Principal: "*",
        Condition: { Null: { [header]: "false" }, StringNotEquals: { [header]: allowed }, Bool: { "aws:PrincipalIsAWSService": "false" } },
      });
      assert.deepStrictEqual(
        statement(policy, "DenyNonKmsEncryptionHeader"),
        deny("DenyNonKmsEncryptionHeader", "s3:x-amz-server-side-encryption", "aws:kms"),
      );
      assert.deepStrictEqual(
        statement(policy, "DenyForeignKmsKeyHeader"),
        deny("DenyForeignKmsKeyHeader", "s3:x-amz-server-side-encryption-aws-kms-key-id", KEY_ARN),
      );
      // `aws:kms` without a key id: S3 would use the AWS managed aws/s3 key, not the bucket's
      // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html).
      assert.deepStrictEqual(statement(policy, "DenyKmsHeaderWithoutKeyId"), {
        Sid: "DenyKmsHeaderWithoutKeyId",
        Effect: "Deny",
        Action: "s3:PutObject",
        Resource: objects,
        Principal: "*",
        Condition: {
          StringEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
          Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "true" },
          Bool: { "aws:PrincipalIsAWSService": "false" },
        },
      });
      const conditions = JSON.stringify(policyOf(policy.inputs.policy).Statement.map((s) => s.Condition));
      assert.ok(!conditions.includes("IfExists"), "no ...IfExists on an encryption header");
      // Nothing but the four denies: no Allow for anyone unless a caller adds it.
      assert.deepStrictEqual(
        policyOf(policy.inputs.policy).Statement.map((s) => s.Effect),
        ["Deny", "Deny", "Deny", "Deny"],
      );
    });

    it("creates the bucket policy only after the public access block (never a policy on an unblocked bucket)", async () => {
      await build();
      const policy = cloud.one(T.policy);
      const block = cloud.one(T.publicAccessBlock);
      assert.ok(policy.dependencies.includes(block.urn), "the policy depends on the public access block");
    });

    it("merges caller statements into the same document, given the bucket being built", async () => {
      await build({
        additionalPolicyStatements: (b) => [
          {
            sid: "AllowReader",
            effect: "Allow",
            principals: [{ type: "AWS", identifiers: [`arn:aws:iam::${ACCOUNT_ID}:role/reader`] }],
            actions: ["s3:GetObject"],
            resources: [b.arn.apply((arn) => `${arn}/reports/*`)],
            conditions: [{ test: "StringEquals", variable: "aws:PrincipalAccount", values: [b.accountId] }],
          },
        ],
      });
      const bucket = cloud.one(T.bucket);
      const policies = cloud.ofType(T.policy);
      assert.strictEqual(policies.length, 1);
      const doc = policyOf(policies[0].inputs.policy);
      assert.deepStrictEqual(
        doc.Statement.map((s) => s.Sid),
        ["DenyInsecureTransport", "DenyNonKmsEncryptionHeader", "DenyForeignKmsKeyHeader", "DenyKmsHeaderWithoutKeyId", "AllowReader"],
      );
      assert.strictEqual(statement(policies[0], "AllowReader").Resource, `arn:aws:s3:::${String(bucket.inputs.bucket)}/reports/*`);
      assert.deepStrictEqual(statement(policies[0], "AllowReader").Condition, { StringEquals: { "aws:PrincipalAccount": ACCOUNT_ID } });
    });

    it("accepts a fixed list of extra statements too", async () => {
      await build({
        additionalPolicyStatements: [
          { sid: "Fixed", effect: "Deny", actions: ["s3:DeleteBucket"], resources: ["*"], principals: [{ type: "*", identifiers: ["*"] }] },
        ],
      });
      assert.strictEqual(statement(cloud.one(T.policy), "Fixed").Action, "s3:DeleteBucket");
    });
  });

  describe("access logging", () => {
    it("logs to the access-log bucket under <purpose>/", async () => {
      await build();
      const logging = cloud.one(T.logging);
      assert.strictEqual(logging.inputs.targetBucket, ACCESS_LOG_BUCKET);
      assert.strictEqual(logging.inputs.targetPrefix, "phi-data/");
    });

    it("the access-log bucket is SSE-S3 (S3 log delivery supports nothing else) and carries no KMS-header deny", async () => {
      await build({ purpose: "access-logs", kmsKeyArn: undefined, accessLogBucket: undefined, isAccessLogTarget: true });
      assert.deepStrictEqual(cloud.one(T.encryption).inputs.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
      const sids = policyOf(cloud.one(T.policy).inputs.policy).Statement.map((s) => s.Sid);
      assert.deepStrictEqual(sids, ["DenyInsecureTransport", "AllowS3ServerAccessLogDelivery"]);
    });

    it("the access-log bucket itself logs nowhere and admits only S3 log delivery for this account's stack buckets", async () => {
      const { bucket } = await build({ purpose: "access-logs", kmsKeyArn: undefined, accessLogBucket: undefined, isAccessLogTarget: true });
      assert.strictEqual(cloud.ofType(T.logging).length, 0);
      assert.strictEqual(cloud.resources.filter((r) => r.custom).length, 7);
      assert.deepStrictEqual(statement(cloud.one(T.policy), "AllowS3ServerAccessLogDelivery"), {
        Sid: "AllowS3ServerAccessLogDelivery",
        Effect: "Allow",
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${String(bucket.inputs.bucket)}/*`,
        Principal: { Service: "logging.s3.amazonaws.com" },
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
          ArnLike: { "aws:SourceArn": "arn:aws:s3:::hcp-prod-*" },
        },
      });
    });

    it("SecureBucket.forAccessLogs builds that bucket: SSE-S3, Confidential, logs kept the data retention", async () => {
      const logs = sb.SecureBucket.forAccessLogs("logs", { config: testConfig("prod") });
      await cloud.settle();
      const bucket = cloud.one(T.bucket);
      assert.match(String(bucket.inputs.bucket), new RegExp(`^hcp-prod-access-logs-${ACCOUNT_ID}-`));
      assert.strictEqual((bucket.inputs.tags as Record<string, string>).DataClassification, "Confidential");
      assert.strictEqual(cloud.ofType(T.logging).length, 0);
      assert.ok(statement(cloud.one(T.policy), "AllowS3ServerAccessLogDelivery"));
      assert.strictEqual(logs.kmsKeyArn, undefined);
      assert.strictEqual(
        (cloud.one(T.encryption).inputs.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[])[0]
          .applyServerSideEncryptionByDefault.sseAlgorithm,
        "AES256",
      );
      const rules = cloud.one(T.lifecycle).inputs.rules as {
        expiration?: { days: number };
        noncurrentVersionExpiration?: { noncurrentDays: number };
      }[];
      assert.deepStrictEqual(
        rules.filter((r) => r.expiration).map((r) => r.expiration!.days),
        [2192],
      );
      assert.deepStrictEqual(
        rules.filter((r) => r.noncurrentVersionExpiration).map((r) => r.noncurrentVersionExpiration!.noncurrentDays),
        [2192],
      );
    });

    it("no other bucket grants S3 log delivery", async () => {
      await build();
      const sids = policyOf(cloud.one(T.policy).inputs.policy).Statement.map((s) => s.Sid);
      assert.ok(!sids.includes("AllowS3ServerAccessLogDelivery"));
    });
  });

  describe("lifecycle", () => {
    it("aborts uploads after 7 days, tiers to STANDARD_IA at 30 and GLACIER_IR at 90, expires noncurrent versions after 90 days, never current objects", async () => {
      await build();
      assert.deepStrictEqual(lifecycleRules(), [
        {
          id: "abort-incomplete-multipart-uploads",
          status: "Enabled",
          filter: {},
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
        { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 90 } },
        {
          id: "tier-current-objects",
          status: "Enabled",
          filter: {},
          transitions: [
            { days: 30, storageClass: "STANDARD_IA" },
            { days: 90, storageClass: "GLACIER_IR" },
          ],
        },
      ]);
      assert.ok(lifecycleRules().every((r) => r.expiration === undefined));
    });

    it("expires current objects only when asked, and never before the data retention (prod: 2192 days)", async () => {
      await build({ expireCurrentObjectsAfterDays: 2192, noncurrentVersionExpirationInDays: 365 });
      const rules = lifecycleRules();
      const expiring = rules.filter((r) => r.expiration !== undefined);
      assert.deepStrictEqual(
        expiring.map((r) => r.expiration),
        [{ days: 2192 }],
      );
      assert.ok(expiring.every((r) => r.expiration!.days >= testConfig("prod").dataRetentionInDays));
      assert.deepStrictEqual(rules.find((r) => r.id === "expire-noncurrent-versions")!.noncurrentVersionExpiration, {
        noncurrentDays: 365,
      });
    });

    const noncurrentDays = (): number =>
      lifecycleRules().find((r) => r.id === "expire-noncurrent-versions")!.noncurrentVersionExpiration!.noncurrentDays;

    it("the access-log bucket keeps noncurrent versions for the data retention (prod: 2192 days), not 90", async () => {
      await build({ purpose: "access-logs", accessLogBucket: undefined, isAccessLogTarget: true, kmsKeyArn: undefined });
      assert.strictEqual(noncurrentDays(), 2192);
    });

    it("a bucket that holdsLogs keeps noncurrent versions for the data retention (prod: 2192 days)", async () => {
      await build({ purpose: "audit-trail", holdsLogs: true });
      assert.strictEqual(noncurrentDays(), 2192);
    });

    it("a log bucket keeps noncurrent versions at least 90 days when the retention is shorter (dev: 30-day retention)", async () => {
      await build({ env: "dev", purpose: "access-logs", accessLogBucket: undefined, isAccessLogTarget: true, kmsKeyArn: undefined });
      assert.strictEqual(noncurrentDays(), 90);
    });

    it("a log bucket keeps noncurrent versions longer than the retention when asked", async () => {
      await build({ purpose: "audit-trail", holdsLogs: true, noncurrentVersionExpirationInDays: 2557 });
      assert.strictEqual(noncurrentDays(), 2557);
    });

    it("refuses a log bucket that would purge noncurrent versions before the retention, naming the arg, before creating anything", async () => {
      assert.throws(
        () =>
          new sb.SecureBucket("short-logs", {
            config: testConfig("prod"),
            purpose: "access-logs",
            isAccessLogTarget: true,
            noncurrentVersionExpirationInDays: 365,
          }),
        {
          message:
            "SecureBucket short-logs: noncurrentVersionExpirationInDays of a log bucket must be at least dataRetentionInDays (2192), got 365: " +
            "a deleted log survives only as a noncurrent version (omit the arg to keep them for the retention)",
        },
      );
      await cloud.settle();
      assert.strictEqual(cloud.resources.filter((r) => r.custom).length, 0);
    });

    it("drops tiers objects would leave before their minimum storage duration (dev: expire at 30 days)", async () => {
      await build({ env: "dev", expireCurrentObjectsAfterDays: 30 });
      const rules = lifecycleRules();
      assert.strictEqual(
        rules.find((r) => r.id === "tier-current-objects"),
        undefined,
      );
      assert.deepStrictEqual(rules.find((r) => r.id === "expire-current-objects-after-retention")!.expiration, { days: 30 });
    });
  });

  describe("object lock", () => {
    it("enables Object Lock on the bucket with the default retention asked for", async () => {
      const { bucket } = await build({ objectLock: { mode: "COMPLIANCE", retentionInDays: 2192 } });
      assert.strictEqual(bucket.inputs.objectLockEnabled, true);
      const lock = cloud.one(T.objectLock);
      assert.strictEqual(lock.inputs.objectLockEnabled, "Enabled");
      assert.deepStrictEqual(lock.inputs.rule, { defaultRetention: { mode: "COMPLIANCE", days: 2192 } });
      assert.deepStrictEqual(lock.propertyDependencies.bucket, [bucket.urn]);
      assert.strictEqual(cloud.resources.filter((r) => r.custom).length, 9);
    });

    it("leaves Object Lock off unless asked", async () => {
      const { bucket } = await build();
      assert.strictEqual(bucket.inputs.objectLockEnabled, undefined);
    });
  });

  describe("environments", () => {
    it("dev is destroyable: forceDestroy and nothing protected", async () => {
      await build({ env: "dev", objectLock: { mode: "GOVERNANCE", retentionInDays: 1 } });
      assert.strictEqual(cloud.one(T.bucket).inputs.forceDestroy, true);
      for (const r of cloud.resources) {
        assert.strictEqual(r.protect, false, `${r.type} protect`);
        assert.strictEqual(r.retainOnDelete, false, `${r.type} retainOnDelete`);
      }
    });

    it("prod protects and retains the bucket, its versioning and object lock, and never force-destroys", async () => {
      await build({ env: "prod", objectLock: { mode: "COMPLIANCE", retentionInDays: 2192 } });
      assert.strictEqual(cloud.one(T.bucket).inputs.forceDestroy, false);
      for (const type of [T.bucket, T.versioning, T.objectLock]) {
        const r = cloud.one(type);
        assert.strictEqual(r.protect, true, `${type} protect`);
        assert.strictEqual(r.retainOnDelete, true, `${type} retainOnDelete`);
      }
    });
  });

  describe("argument validation", () => {
    it("refuses current-object expiry before the retention, naming the arg, the floor and the value", () => {
      assert.throws(
        () =>
          new sb.SecureBucket("bad", {
            config: testConfig("prod"),
            purpose: "phi-data",
            kmsKeyArn: KEY_ARN,
            accessLogBucket: ACCESS_LOG_BUCKET,
            expireCurrentObjectsAfterDays: 30,
          }),
        { message: "SecureBucket bad: expireCurrentObjectsAfterDays must be at least dataRetentionInDays (2192), got 30" },
      );
    });

    it("refuses a bucket without access logging, before creating anything", async () => {
      assert.throws(
        () => new sb.SecureBucket("nolog", { config: testConfig("dev"), purpose: "phi-data", kmsKeyArn: KEY_ARN }),
        /accessLogBucket is required/,
      );
      await cloud.settle();
      assert.deepStrictEqual(cloud.resources, [], "not even the component registers");
    });

    const dev = testConfig("dev");
    const prod = testConfig("prod");
    const base: Args = { config: prod, purpose: "phi-data", kmsKeyArn: KEY_ARN, accessLogBucket: ACCESS_LOG_BUCKET };
    const cases: [string, Partial<Args>, string[]][] = [
      ["a valid prod bucket", {}, []],
      ["the access-log bucket", { accessLogBucket: undefined, isAccessLogTarget: true, kmsKeyArn: undefined }, []],
      [
        "a data bucket without a key",
        { kmsKeyArn: undefined },
        [
          "kmsKeyArn is required: pass the customer-managed key that encrypts the bucket's objects (only the access-log bucket goes without)",
        ],
      ],
      [
        "an SSE-KMS access-log bucket (S3 log delivery cannot write into it)",
        { accessLogBucket: undefined, isAccessLogTarget: true },
        [
          "kmsKeyArn must not be set when isAccessLogTarget is true: S3 server access logs can only be delivered into an SSE-S3 bucket " +
            "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html); remove kmsKeyArn",
        ],
      ],
      [
        "no access-log bucket",
        { accessLogBucket: undefined },
        ["accessLogBucket is required: pass the access-log bucket's name (or set isAccessLogTarget: true for that bucket itself)"],
      ],
      [
        "a log target that logs to itself",
        { isAccessLogTarget: true, kmsKeyArn: undefined },
        ["accessLogBucket must not be set when isAccessLogTarget is true (the access-log bucket would log to itself)"],
      ],
      [
        "an upper-case purpose",
        { purpose: "PHI_data" },
        ['purpose must be lowercase letters, digits and inner hyphens (e.g. "phi-data"), got "PHI_data"'],
      ],
      ["an empty purpose", { purpose: "" }, ['purpose must be lowercase letters, digits and inner hyphens (e.g. "phi-data"), got ""']],
      [
        "noncurrent versions kept 29 days",
        { noncurrentVersionExpirationInDays: 29 },
        ["noncurrentVersionExpirationInDays must be a whole number of at least 30, got 29"],
      ],
      ["noncurrent versions kept 30 days", { noncurrentVersionExpirationInDays: 30 }, []],
      [
        "noncurrent versions kept 45.5 days",
        { noncurrentVersionExpirationInDays: 45.5 },
        ["noncurrentVersionExpirationInDays must be a whole number of at least 30, got 45.5"],
      ],
      [
        "prod expiry at 30 days",
        { expireCurrentObjectsAfterDays: 30 },
        ["expireCurrentObjectsAfterDays must be at least dataRetentionInDays (2192), got 30"],
      ],
      [
        "prod expiry at 2191 days",
        { expireCurrentObjectsAfterDays: 2191 },
        ["expireCurrentObjectsAfterDays must be at least dataRetentionInDays (2192), got 2191"],
      ],
      ["prod expiry at 2192 days", { expireCurrentObjectsAfterDays: 2192 }, []],
      ["dev expiry at its 30-day retention", { config: dev, expireCurrentObjectsAfterDays: 30 }, []],
      [
        "dev expiry at 29 days",
        { config: dev, expireCurrentObjectsAfterDays: 29 },
        ["expireCurrentObjectsAfterDays must be at least dataRetentionInDays (30), got 29"],
      ],
      [
        "the access-log bucket keeping noncurrent versions 2191 days",
        { accessLogBucket: undefined, isAccessLogTarget: true, kmsKeyArn: undefined, noncurrentVersionExpirationInDays: 2191 },
        [
          "noncurrentVersionExpirationInDays of a log bucket must be at least dataRetentionInDays (2192), got 2191: " +
            "a deleted log survives only as a noncurrent version (omit the arg to keep them for the retention)",
        ],
      ],
      [
        "the access-log bucket keeping noncurrent versions 2192 days",
        { accessLogBucket: undefined, isAccessLogTarget: true, kmsKeyArn: undefined, noncurrentVersionExpirationInDays: 2192 },
        [],
      ],
      [
        "a log bucket keeping noncurrent versions 90 days",
        { holdsLogs: true, noncurrentVersionExpirationInDays: 90 },
        [
          "noncurrentVersionExpirationInDays of a log bucket must be at least dataRetentionInDays (2192), got 90: " +
            "a deleted log survives only as a noncurrent version (omit the arg to keep them for the retention)",
        ],
      ],
      ["a log bucket with the default noncurrent expiration", { holdsLogs: true }, []],
      [
        "the access-log bucket opting out of holding logs",
        {
          accessLogBucket: undefined,
          isAccessLogTarget: true,
          kmsKeyArn: undefined,
          holdsLogs: false,
          noncurrentVersionExpirationInDays: 30,
        },
        [
          "holdsLogs cannot be false for the access-log bucket (isAccessLogTarget): its logs must outlive the retention; remove the arg",
          "noncurrentVersionExpirationInDays of a log bucket must be at least dataRetentionInDays (2192), got 30: " +
            "a deleted log survives only as a noncurrent version (omit the arg to keep them for the retention)",
        ],
      ],
      [
        "a dev log bucket keeping noncurrent versions its 30-day retention",
        { config: dev, holdsLogs: true, noncurrentVersionExpirationInDays: 30 },
        [],
      ],
      ["an ordinary bucket keeping noncurrent versions 90 days (below the retention)", { noncurrentVersionExpirationInDays: 90 }, []],
      [
        "object lock for 0 days",
        { objectLock: { mode: "GOVERNANCE", retentionInDays: 0 } },
        ["objectLock.retentionInDays must be a whole number of at least 1, got 0"],
      ],
      ["object lock for 1 day", { objectLock: { mode: "GOVERNANCE", retentionInDays: 1 } }, []],
      [
        "object lock in an unknown mode",
        { objectLock: { mode: "LEGAL_HOLD" as "GOVERNANCE", retentionInDays: 10 } },
        ["objectLock.mode must be GOVERNANCE or COMPLIANCE, got LEGAL_HOLD"],
      ],
      [
        "several problems at once",
        { purpose: "X", accessLogBucket: undefined, noncurrentVersionExpirationInDays: 1 },
        [
          'purpose must be lowercase letters, digits and inner hyphens (e.g. "phi-data"), got "X"',
          "accessLogBucket is required: pass the access-log bucket's name (or set isAccessLogTarget: true for that bucket itself)",
          "noncurrentVersionExpirationInDays must be a whole number of at least 30, got 1",
        ],
      ],
    ];
    for (const [title, override, expected] of cases) {
      it(`secureBucketArgProblems: ${title}`, () => {
        assert.deepStrictEqual(sb.secureBucketArgProblems({ ...base, ...override }), expected);
      });
    }
  });

  describe("noncurrentVersionDays", () => {
    const cases: [number | undefined, boolean, number, number][] = [
      // requested, holdsLogs, dataRetentionInDays -> days
      [undefined, false, 2192, 90],
      [undefined, false, 30, 90],
      [undefined, true, 2192, 2192],
      [undefined, true, 30, 90],
      [undefined, true, 90, 90],
      [undefined, true, 91, 91],
      [365, false, 2192, 365],
      [365, true, 2192, 365],
      [3000, true, 2192, 3000],
    ];
    for (const [requested, logs, retention, expected] of cases) {
      it(`requested ${String(requested)}, ${logs ? "log" : "ordinary"} bucket, retention ${retention} -> ${expected}`, () => {
        assert.strictEqual(sb.noncurrentVersionDays(requested, logs, retention), expected);
      });
    }
  });

  describe("validateNoncurrentVersionExpiration", () => {
    const logFloor = (retention: number, days: number) =>
      `noncurrentVersionExpirationInDays of a log bucket must be at least dataRetentionInDays (${retention}), got ${days}: ` +
      "a deleted log survives only as a noncurrent version (omit the arg to keep them for the retention)";
    const cases: [number, boolean, number, string | undefined][] = [
      [90, false, 2192, undefined],
      [30, false, 2192, undefined],
      [29, false, 0, "noncurrentVersionExpirationInDays must be a whole number of at least 30, got 29"],
      [29, true, 2192, "noncurrentVersionExpirationInDays must be a whole number of at least 30, got 29"],
      [90.5, true, 30, "noncurrentVersionExpirationInDays must be a whole number of at least 30, got 90.5"],
      [2191, true, 2192, logFloor(2192, 2191)],
      [90, true, 2192, logFloor(2192, 90)],
      [2192, true, 2192, undefined],
      [30, true, 30, undefined],
    ];
    for (const [days, logs, retention, expected] of cases) {
      it(`${days} days, ${logs ? "log" : "ordinary"} bucket, retention ${retention} -> ${expected ?? "accepted"}`, () => {
        assert.strictEqual(sb.validateNoncurrentVersionExpiration(days, logs, retention), expected);
      });
    }

    it("defaults to an ordinary bucket", () => {
      assert.strictEqual(sb.validateNoncurrentVersionExpiration(90), undefined);
    });
  });

  describe("replication", () => {
    const RECOVERY_REGION = "us-west-2";
    const REPLICA_KEY_ARN = `arn:aws:kms:${RECOVERY_REGION}:${ACCOUNT_ID}:key/99999999-8888-4777-a666-555555555555`;
    const SOURCE_ARN = `arn:aws:s3:::hcp-prod-phi-data-${ACCOUNT_ID}-${REGION}`;
    const REPLICA_ARN = `arn:aws:s3:::hcp-prod-phi-replica-${ACCOUNT_ID}-${RECOVERY_REGION}`;
    const ROLE_NAME = "hcp-prod-phi-data-replication";
    const resolve = <V>(v: import("@pulumi/pulumi").Input<V>) => new Promise<V>((r) => pulumi.output(v).apply((x) => r(x as V)));

    /** A PHI bucket replicating into a replica SecureBucket built under a us-west-2 provider. */
    async function buildReplicated() {
      const provider = new aws.Provider("aws-recovery-region", { region: RECOVERY_REGION });
      const replica = new sb.SecureBucket(
        "replica",
        {
          config: testConfig("prod"),
          purpose: "phi-replica",
          kmsKeyArn: REPLICA_KEY_ARN,
          dataClassification: "PHI",
          accessLogBucket: `hcp-prod-access-logs-${ACCOUNT_ID}-${RECOVERY_REGION}`,
        },
        { providers: [provider] },
      );
      const source = new sb.SecureBucket("data", {
        config: testConfig("prod"),
        purpose: "phi-data",
        kmsKeyArn: KEY_ARN,
        dataClassification: "PHI",
        accessLogBucket: ACCESS_LOG_BUCKET,
        replicateTo: replica.asReplicationDestination(),
      });
      await cloud.settle();
      const sourceUrn = await new Promise<string>((r) => source.urn.apply(r));
      return { replica, source, sourceUrn };
    }

    it("asReplicationDestination() gives the bucket's ARN, key, region, and its versioning to wait for", async () => {
      const { replica } = await buildReplicated();
      const destination = replica.asReplicationDestination();
      assert.strictEqual(await resolve(destination.bucketArn), REPLICA_ARN);
      assert.strictEqual(await resolve(destination.bucketArn), cloud.one(T.bucket, "replica-bucket").outputs.arn);
      assert.strictEqual(await resolve(destination.kmsKeyArn), REPLICA_KEY_ARN);
      assert.strictEqual(await resolve(destination.region), RECOVERY_REGION);
      assert.deepStrictEqual(destination.ready, [replica.versioning]);
    });

    it("creates the role, its managed policy and attachment, and the replication configuration, all children of the bucket", async () => {
      const { source, sourceUrn } = await buildReplicated();
      for (const [type, name] of [
        [T.role, "data-replication-role"],
        [T.iamPolicy, "data-replication-role-policy"],
        [T.attachment, "data-replication-role-permissions"],
        [T.replication, "data-replication"],
      ]) {
        assert.strictEqual(cloud.one(type).name, name, `${type} name`);
        assert.strictEqual(cloud.one(type).parent, sourceUrn, `${type} parent`);
      }
      assert.strictEqual(cloud.ofType(T.inlinePolicy).length, 0);
      assert.ok(source.replication !== undefined);
      assert.strictEqual(await new Promise((r) => source.replication!.urn.apply(r)), cloud.one(T.replication).urn);
    });

    it("the role may be assumed only by S3, for this account and this bucket", async () => {
      await buildReplicated();
      const role = cloud.one(T.role);
      assert.strictEqual(role.inputs.name, ROLE_NAME);
      assert.deepStrictEqual(policyOf(role.inputs.assumeRolePolicy).Statement, [
        {
          Sid: "AssumeRoleFromThisAccountOnly",
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Principal: { Service: "s3.amazonaws.com" },
          Condition: {
            StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
            ArnLikeIfExists: { "aws:SourceArn": SOURCE_ARN },
          },
        },
      ]);
      assert.deepStrictEqual(role.inputs.tags, {
        Project: "healthcare-platform",
        Environment: "prod",
        Stack: "prod",
        DataClassification: "PHI",
        Compliance: "HIPAA",
        Purpose: "phi-data-replication",
      });
    });

    it("the role's policy reads this bucket's versions, writes replicas (never deletes), and uses each key only through S3 for its bucket", async () => {
      await buildReplicated();
      const policy = cloud.one(T.iamPolicy);
      assert.strictEqual(policy.inputs.name, ROLE_NAME);
      const sourceContext = { "kms:EncryptionContext:aws:s3:arn": [SOURCE_ARN, `${SOURCE_ARN}/*`] };
      const replicaContext = { "kms:EncryptionContext:aws:s3:arn": [REPLICA_ARN, `${REPLICA_ARN}/*`] };
      assert.deepStrictEqual(policyOf(policy.inputs.policy).Statement, [
        {
          Sid: "ReadReplicationConfiguration",
          Effect: "Allow",
          Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
          Resource: SOURCE_ARN,
        },
        {
          Sid: "ReadSourceVersions",
          Effect: "Allow",
          Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
          Resource: `${SOURCE_ARN}/*`,
        },
        { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateTags"], Resource: `${REPLICA_ARN}/*` },
        {
          Sid: "DecryptSourceThroughS3",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: KEY_ARN,
          Condition: { StringEquals: { "kms:ViaService": `s3.${REGION}.amazonaws.com` }, StringLike: sourceContext },
        },
        {
          Sid: "EncryptReplicasThroughS3",
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:GenerateDataKey"],
          Resource: REPLICA_KEY_ARN,
          Condition: { StringEquals: { "kms:ViaService": `s3.${RECOVERY_REGION}.amazonaws.com` }, StringLike: replicaContext },
        },
      ]);
      const actions = policyOf(policy.inputs.policy).Statement.flatMap((s) => [s.Action].flat() as string[]);
      assert.ok(!actions.includes("s3:ReplicateDelete"), "a delete must never reach the replica");
      assert.ok(
        actions.every((a) => !a.includes("*")),
        `no wildcard actions: ${actions.join(", ")}`,
      );
    });

    it("attaches the policy to the role", async () => {
      await buildReplicated();
      const attachment = cloud.one(T.attachment);
      assert.strictEqual(attachment.inputs.role, ROLE_NAME);
      assert.strictEqual(attachment.inputs.policyArn, `arn:aws:iam::${ACCOUNT_ID}:policy/${ROLE_NAME}`);
    });

    it("replicates every KMS-encrypted version to the replica under the replica's key, without delete markers", async () => {
      await buildReplicated();
      const config = cloud.one(T.replication);
      const source = cloud.one(T.bucket, "data-bucket");
      assert.strictEqual(config.inputs.bucket, source.id);
      assert.deepStrictEqual(config.propertyDependencies.bucket, [source.urn]);
      assert.strictEqual(config.inputs.role, `arn:aws:iam::${ACCOUNT_ID}:role/${ROLE_NAME}`);
      assert.deepStrictEqual(config.propertyDependencies.role, [cloud.one(T.role).urn]);
      assert.deepStrictEqual(config.inputs.rules, [
        {
          id: "replicate-to-recovery-region",
          status: "Enabled",
          priority: 1,
          filter: {},
          deleteMarkerReplication: { status: "Disabled" },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          destination: { bucket: REPLICA_ARN, storageClass: "STANDARD", encryptionConfiguration: { replicaKmsKeyId: REPLICA_KEY_ARN } },
        },
      ]);
    });

    it("is configured only after versioning at both ends and the role's permissions exist", async () => {
      await buildReplicated();
      const dependencies = cloud.one(T.replication).dependencies;
      for (const [type, name] of [
        [T.versioning, "data-versioning"],
        [T.versioning, "replica-versioning"],
        [T.attachment, "data-replication-role-permissions"],
      ]) {
        assert.ok(dependencies.includes(cloud.one(type, name).urn), `depends on ${name}`);
      }
    });

    it("a bucket without replicateTo has no replication role, policy or configuration", async () => {
      const { component } = await build();
      assert.strictEqual(component.replication, undefined);
      for (const type of [T.replication, T.role, T.iamPolicy, T.attachment, T.inlinePolicy]) {
        assert.strictEqual(cloud.ofType(type).length, 0, type);
      }
    });
  });

  describe("currentObjectTransitions", () => {
    const cases: [number | undefined, string[]][] = [
      [undefined, ["STANDARD_IA@30", "GLACIER_IR@90"]],
      [30, []],
      [59, []],
      [60, ["STANDARD_IA@30"]],
      [179, ["STANDARD_IA@30"]],
      [180, ["STANDARD_IA@30", "GLACIER_IR@90"]],
      [2192, ["STANDARD_IA@30", "GLACIER_IR@90"]],
    ];
    for (const [expire, expected] of cases) {
      it(`expiry ${String(expire)} -> ${expected.join(", ") || "no tiering"}`, () => {
        const got = sb.currentObjectTransitions(expire);
        assert.deepStrictEqual(
          got.map((t) => `${t.storageClass}@${t.days}`),
          expected,
        );
        // S3: every transition must come before the expiration, STANDARD_IA no earlier than day 30.
        for (const t of got) {
          if (expire !== undefined) assert.ok(t.days < expire);
          assert.ok(t.days >= 30);
        }
      });
    }
  });

  describe("narrow args", () => {
    it("needs only the stack's context and its data retention, not the whole config", async () => {
      cloud.reset();
      const context = {
        project: "p",
        stack: "narrow",
        environment: "dev" as const,
        protectData: false,
        dataClassification: "PHI" as const,
        extraTags: {},
        dataRetentionInDays: 30,
      };
      sb.SecureBucket.forAccessLogs("logs", { config: context });
      await cloud.settle();
      assert.match(String(cloud.one(T.bucket).inputs.bucket), /^hcp-narrow-access-logs-/);
    });
  });

  describe("the bucket-name pattern of a stack (naming.bucketNamePattern) matches what bucketName makes", () => {
    const cases: [string, string][] = [
      ["prod", "hcp-prod-*"],
      ["Dev_EU", "hcp-dev-eu-*"],
      ["team.a", "hcp-team-a-*"],
      ["a--b", "hcp-a-b-*"],
      ["x_", "hcp-x-*"],
    ];
    for (const [stack, expected] of cases) {
      it(`${stack} -> ${expected}, and the access-log bucket's policy admits exactly that pattern`, async () => {
        assert.strictEqual(naming.bucketNamePattern(stack), expected);
        for (const purpose of ["phi-data", "audit-trail", "access-logs"]) {
          const name = naming.bucketName(stack, purpose, ACCOUNT_ID, REGION);
          assert.ok(name.startsWith(expected.slice(0, -1)), `${name} does not match ${expected}`);
        }
        cloud.reset();
        sb.SecureBucket.forAccessLogs("logs", { config: { ...testConfig("dev"), stack } });
        await cloud.settle();
        const delivery = statement(cloud.one(T.policy), "AllowS3ServerAccessLogDelivery").Condition as Record<
          string,
          Record<string, string>
        >;
        assert.strictEqual(delivery.ArnLike["aws:SourceArn"], `arn:aws:s3:::${expected}`);
      });
    }
  });
});
