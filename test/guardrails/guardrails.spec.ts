/**
 * AccountGuardrails: AWS Config with the HIPAA conformance pack and GuardDuty, one per account and
 * region, delivering to a bucket of their own (moved out of the audit component).
 */
import * as assert from "assert";
import { installMocks, testConfig, ACCOUNT_ID, REGION, policyOf, RecordedResource } from "../mocks";
import { testPlatform } from "../support/platform";

const cloud = installMocks();
// Program modules only after the mocks are installed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const guardrails: typeof import("../../components/guardrails") = require("../../components/guardrails");

const AUDIT_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/aaaaaaaa-2222-4333-a444-555555555555`;
const ACCESS_LOG_BUCKET = `hcp-prod-access-logs-${ACCOUNT_ID}-${REGION}`;
const CONFIG_BUCKET = `hcp-prod-aws-config-${ACCOUNT_ID}-${REGION}`;
const CONFIG_BUCKET_ARN = `arn:aws:s3:::${CONFIG_BUCKET}`;

const T = {
  bucket: "aws:s3/bucket:Bucket",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  role: "aws:iam/role:Role",
  policy: "aws:iam/policy:Policy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  recorder: "aws:cfg/recorder:Recorder",
  channel: "aws:cfg/deliveryChannel:DeliveryChannel",
  recorderStatus: "aws:cfg/recorderStatus:RecorderStatus",
  conformancePack: "aws:cfg/conformancePack:ConformancePack",
  detector: "aws:guardduty/detector:Detector",
  detectorFeature: "aws:guardduty/detectorFeature:DetectorFeature",
};

async function build(env: "dev" | "prod" = "prod", extra: Partial<import("../../components/guardrails").AccountGuardrailsArgs> = {}) {
  const component = new guardrails.AccountGuardrails("guardrails", {
    platform: testPlatform(testConfig(env), { keyArns: { audit: AUDIT_KEY_ARN }, accessLogBucket: ACCESS_LOG_BUCKET }),
    ...extra,
  });
  await cloud.settle();
  return component;
}
const statementsOf = (r: RecordedResource) => policyOf(r.inputs.policy).Statement;
const bySid = (r: RecordedResource, sid: string) => {
  const found = statementsOf(r).filter((s) => s.Sid === sid);
  assert.strictEqual(found.length, 1, `expected one statement ${sid} in ${r.name}`);
  return found[0];
};

describe("AccountGuardrails", () => {
  beforeEach(() => cloud.reset());

  it("is a healthcare:security:AccountGuardrails holding the Config bucket, role, recorder, channel, status, pack and GuardDuty", async () => {
    const component = await build();
    const urn = await new Promise<string>((resolve) => component.urn.apply(resolve));
    assert.strictEqual(cloud.resources.find((r) => r.urn === urn)!.type, "healthcare:security:AccountGuardrails");
    for (const type of [T.recorder, T.channel, T.recorderStatus, T.conformancePack, T.detector, T.detectorFeature]) {
      assert.strictEqual(cloud.ofType(type).length, 1, type);
      assert.strictEqual(cloud.one(type).parent, urn, type);
    }
    // 8 SecureBucket + role, its policy, 2 attachments + recorder, channel, status, pack + detector, feature + Macie account
    assert.strictEqual(cloud.resources.filter((r) => r.custom).length, 8 + 4 + 4 + 2 + 1);
  });

  it("records all resources incl. global ones and runs the HIPAA pack only once recording runs", async () => {
    await build();
    const recorder = cloud.one(T.recorder);
    assert.deepStrictEqual(recorder.inputs.recordingGroup, { allSupported: true, includeGlobalResourceTypes: true });
    assert.strictEqual(recorder.inputs.roleArn, cloud.one(T.role, "config-role").outputs.arn);
    const channel = cloud.one(T.channel);
    const status = cloud.one(T.recorderStatus);
    assert.strictEqual(status.inputs.isEnabled, true);
    assert.ok(status.dependencies.includes(channel.urn));
    const pack = cloud.one(T.conformancePack);
    assert.ok(pack.dependencies.includes(status.urn));
    const template = JSON.parse(String(pack.inputs.templateBody)) as {
      Resources: Record<string, { Type: string; Properties: { Source: { Owner: string; SourceIdentifier: string } } }>;
    };
    assert.deepStrictEqual(
      Object.values(template.Resources).map((r) => r.Properties.Source.SourceIdentifier),
      guardrails.HIPAA_CONFORMANCE_RULES.map((r) => r.identifier),
    );
    assert.ok(Object.values(template.Resources).every((r) => r.Type === "AWS::Config::ConfigRule" && r.Properties.Source.Owner === "AWS"));
  });

  it("delivers to its own KMS bucket under config/, only after the bucket policy and the role's permissions exist", async () => {
    const component = await build();
    const channel = cloud.one(T.channel);
    assert.strictEqual(channel.inputs.s3BucketName, CONFIG_BUCKET);
    assert.strictEqual(channel.inputs.s3KeyPrefix, "config");
    assert.strictEqual(channel.inputs.s3KmsKeyArn, AUDIT_KEY_ARN);
    assert.deepStrictEqual(
      (channel.inputs.snapshotDeliveryProperties as { deliveryFrequency: string }).deliveryFrequency,
      "TwentyFour_Hours",
    );
    assert.ok(channel.dependencies.includes(cloud.one(T.bucketPolicy).urn));
    assert.ok(channel.dependencies.includes(cloud.one(T.attachment, "config-role-permissions").urn));
    assert.deepStrictEqual(cloud.one(T.sse).inputs.rules, [
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: AUDIT_KEY_ARN }, bucketKeyEnabled: true },
    ]);
    assert.strictEqual(await new Promise<string>((r) => component.configBucketName.apply(r)), CONFIG_BUCKET);
  });

  it("the Config bucket is a log bucket: kept the data retention, access-logged, protected in prod", async () => {
    await build("prod");
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
    assert.strictEqual(cloud.one("aws:s3/bucketLogging:BucketLogging").inputs.targetBucket, ACCESS_LOG_BUCKET);
    assert.strictEqual(cloud.one(T.bucket).protect, true);
    assert.strictEqual(cloud.one(T.bucket).retainOnDelete, true);
  });

  it("the role trusts AWS Config of this account only and may write only Config's prefix, encrypting with the audit key", async () => {
    await build();
    const trust = policyOf(cloud.one(T.role, "config-role").inputs.assumeRolePolicy).Statement[0];
    assert.deepStrictEqual(trust.Principal, { Service: "config.amazonaws.com" });
    assert.deepStrictEqual(trust.Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } });
    assert.strictEqual(
      cloud.one(T.attachment, "config-role-service-role-AWS_ConfigRole").inputs.policyArn,
      "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole",
    );
    assert.deepStrictEqual(statementsOf(cloud.one(T.policy, "config-role-policy")), [
      // s3:ListBucket (bucket ARN only): Config's HeadBucket before each delivery, else an AccessDenied in CloudTrail per delivery
      // (https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html, "when using IAM roles").
      { Sid: "CheckBucket", Effect: "Allow", Action: ["s3:GetBucketAcl", "s3:ListBucket"], Resource: CONFIG_BUCKET_ARN },
      {
        Sid: "DeliverSnapshots",
        Effect: "Allow",
        Action: "s3:PutObject",
        Resource: `${CONFIG_BUCKET_ARN}/config/AWSLogs/${ACCOUNT_ID}/Config/*`,
        Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
      },
      {
        Sid: "EncryptDeliveries",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: AUDIT_KEY_ARN,
        // Only through S3: the audit key also serves SNS and AWS Backup.
        Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
      },
    ]);
  });

  it("the bucket policy admits AWS Config (this account only) under config/, beside the SecureBucket denies", async () => {
    await build();
    const policy = cloud.one(T.bucketPolicy);
    assert.deepStrictEqual(bySid(policy, "AllowConfigWrite"), {
      Sid: "AllowConfigWrite",
      Effect: "Allow",
      Action: "s3:PutObject",
      Resource: `${CONFIG_BUCKET_ARN}/config/AWSLogs/${ACCOUNT_ID}/Config/*`,
      Principal: { Service: "config.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID, "s3:x-amz-acl": "bucket-owner-full-control" } },
    });
    assert.deepStrictEqual(bySid(policy, "AllowConfigAclCheck").Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } });
    assert.ok(bySid(policy, "DenyInsecureTransport"));
    assert.ok(bySid(policy, "DenyForeignKmsKeyHeader"));
  });

  it("enables GuardDuty with S3 protection, tagged", async () => {
    await build();
    const detector = cloud.one(T.detector);
    assert.strictEqual(detector.inputs.enable, true);
    assert.strictEqual((detector.inputs.tags as Record<string, string>).Compliance, "HIPAA");
    const feature = cloud.one(T.detectorFeature);
    assert.deepStrictEqual([feature.inputs.name, feature.inputs.status], ["S3_DATA_EVENTS", "ENABLED"]);
    assert.deepStrictEqual(feature.propertyDependencies.detectorId, [detector.urn]);
  });

  it("refuses an unknown snapshot frequency before registering anything", async () => {
    await assert.rejects(
      build("prod", { snapshotDeliveryFrequency: "Daily" as "One_Hour" }),
      /snapshotDeliveryFrequency must be one of One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours, got "Daily"/,
    );
    await cloud.settle();
    assert.deepStrictEqual(cloud.resources, []);
  });

  describe("conformance pack template", () => {
    it("rules are unique AWS managed-rule identifiers with a HIPAA citation", () => {
      const ids = guardrails.HIPAA_CONFORMANCE_RULES.map((r) => r.identifier);
      assert.strictEqual(new Set(ids).size, ids.length);
      for (const r of guardrails.HIPAA_CONFORMANCE_RULES) {
        assert.match(r.identifier, /^[A-Z0-9_]+$/);
        assert.match(r.hipaa, /^164\.3\d\d\([a-z]\)/);
      }
    });

    it("one alphanumeric CloudFormation resource per rule, named and described from the rule", () => {
      const template = JSON.parse(
        guardrails.hipaaConformancePackTemplate([{ identifier: "S3_BUCKET_SSL_REQUESTS_ONLY", hipaa: "164.312(e)(1)" }]),
      );
      assert.deepStrictEqual(template, {
        Resources: {
          S3BucketSslRequestsOnly: {
            Type: "AWS::Config::ConfigRule",
            Properties: {
              ConfigRuleName: "s3-bucket-ssl-requests-only",
              Description: "HIPAA Security Rule 164.312(e)(1)",
              Source: { Owner: "AWS", SourceIdentifier: "S3_BUCKET_SSL_REQUESTS_ONLY" },
            },
          },
        },
      });
      const all = JSON.parse(guardrails.hipaaConformancePackTemplate()) as { Resources: Record<string, unknown> };
      assert.strictEqual(Object.keys(all.Resources).length, guardrails.HIPAA_CONFORMANCE_RULES.length);
      assert.ok(Object.keys(all.Resources).every((k) => /^[A-Za-z0-9]+$/.test(k)));
    });

    it("conformanceRuleLogicalId camel-cases the identifier", () => {
      assert.strictEqual(guardrails.conformanceRuleLogicalId("CLOUD_TRAIL_ENABLED"), "CloudTrailEnabled");
      assert.strictEqual(guardrails.conformanceRuleLogicalId("IAM_ROOT_ACCESS_KEY_CHECK"), "IamRootAccessKeyCheck");
    });
  });
});
