import * as assert from "assert";
import { installMocks, testConfig, ACCOUNT_ID, REGION, policyOf, RecordedResource } from "../mocks";
import { testPlatform } from "../support/platform";

const cloud = installMocks();
// Program modules only after the mocks are installed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const audit: typeof import("../../components/audit") = require("../../components/audit");

const AUDIT_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/aaaaaaaa-2222-4333-a444-555555555555`;
const ACCESS_LOG_BUCKET = `hcp-prod-access-logs-${ACCOUNT_ID}-${REGION}`;
const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT_ID}:hcp-prod-security-alerts`;
const PHI_BUCKET_ARNS = [`arn:aws:s3:::hcp-prod-phi-data-${ACCOUNT_ID}-${REGION}`, `arn:aws:s3:::hcp-prod-archive-${ACCOUNT_ID}-${REGION}`];

const T = {
  trail: "aws:cloudtrail/trail:Trail",
  bucket: "aws:s3/bucket:Bucket",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  policy: "aws:iam/policy:Policy",
  rule: "aws:cloudwatch/eventRule:EventRule",
  target: "aws:cloudwatch/eventTarget:EventTarget",
  metricFilter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  topic: "aws:sns/topic:Topic",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
};
const GUARDRAIL_TYPES = ["aws:cfg/recorder:Recorder", "aws:cfg/deliveryChannel:DeliveryChannel", "aws:guardduty/detector:Detector"];
const LOG_BUCKET_ARNS = [`arn:aws:s3:::${ACCESS_LOG_BUCKET}`, `arn:aws:s3:::hcp-prod-access-logs-${ACCOUNT_ID}-us-west-2`];

const TRAIL_NAME = "hcp-prod-audit";
const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT_ID}:trail/${TRAIL_NAME}`;

async function buildAudit(
  env: "dev" | "prod" = "prod",
  overrides: Record<string, string> = {},
  phiBucketArns = PHI_BUCKET_ARNS,
  extra: Partial<import("../../components/audit").AuditArgs> = {},
) {
  const component = new audit.Audit("audit", {
    platform: testPlatform(testConfig(env, overrides), {
      keyArns: { audit: AUDIT_KEY_ARN },
      accessLogBucket: ACCESS_LOG_BUCKET,
      alertTopicArn: TOPIC_ARN,
    }),
    phiBucketArns,
    ...extra,
  });
  await cloud.settle();
  const urn = await new Promise<string>((resolve) => component.urn.apply(resolve));
  return { component, urn };
}

const statementsOf = (r: RecordedResource) => policyOf(r.inputs.policy).Statement;
const bySid = (r: RecordedResource, sid: string) => {
  const found = statementsOf(r).filter((s) => s.Sid === sid);
  assert.strictEqual(found.length, 1, `expected one statement ${sid} in ${r.name}`);
  return found[0];
};
const value = <T>(o: { apply(f: (v: T) => void): unknown }) => new Promise<T>((resolve) => o.apply(resolve));

type FieldSelector = { field: string; equals?: string[]; startsWiths?: string[] };

describe("Audit", () => {
  beforeEach(() => cloud.reset());

  describe("resources", () => {
    it("prod without guardrails: exact resource counts, every custom resource under the component", async () => {
      const { urn } = await buildAudit("prod");
      const count = (type: string) => cloud.ofType(type).length;
      assert.strictEqual(count(T.trail), 1);
      assert.strictEqual(count(T.bucket), 1);
      assert.strictEqual(count(T.logGroup), 1);
      assert.strictEqual(count(T.role), 1);
      assert.strictEqual(count(T.policy), 1);
      assert.strictEqual(count(T.attachment), 1);
      assert.strictEqual(count("aws:iam/rolePolicy:RolePolicy"), 0, "no inline role policies");
      assert.strictEqual(count(T.rule), 4);
      assert.strictEqual(count(T.target), 4);
      assert.strictEqual(count(T.metricFilter), 2);
      assert.strictEqual(count(T.alarm), 2);
      for (const type of GUARDRAIL_TYPES) assert.strictEqual(count(type), 0, type);
      // 1 trail + 8 SecureBucket + 1 log group + role + managed policy + attachment + 4 rules + 4 targets + 2 filters + 2 alarms
      assert.strictEqual(cloud.resources.filter((r) => r.custom).length, 25);
      const components = cloud.resources.filter((r) => !r.custom);
      assert.deepStrictEqual(components.map((r) => r.type).sort(), ["healthcare:audit:Audit", "healthcare:storage:SecureBucket"]);
      const secureBucket = components.find((r) => r.type === "healthcare:storage:SecureBucket")!;
      assert.strictEqual(secureBucket.parent, urn);
      for (const r of cloud.resources.filter((x) => x.custom)) {
        assert.ok(r.parent === urn || r.parent === secureBucket.urn, `${r.type} ${r.name} parent ${String(r.parent)}`);
      }
    });

    it("exposes the trail's ARN and name, its bucket's name and its log group's name", async () => {
      const { component } = await buildAudit("prod");
      assert.strictEqual(await value<string>(component.trailArn), TRAIL_ARN);
      assert.strictEqual(await value<string>(component.trailName), TRAIL_NAME);
      assert.strictEqual(await value<string>(component.trailBucketName), `hcp-prod-audit-trail-${ACCOUNT_ID}-${REGION}`);
      assert.strictEqual(await value<string>(component.logGroupName), "/hcp/prod/cloudtrail");
    });

    it("creates no account guardrails, whatever enableAccountGuardrails says (they are AccountGuardrails' now)", async () => {
      await buildAudit("prod", { enableAccountGuardrails: "true" });
      for (const type of GUARDRAIL_TYPES) assert.strictEqual(cloud.ofType(type).length, 0, type);
      assert.deepStrictEqual(
        cloud.ofType(T.role).map((r) => r.name),
        ["audit-cloudtrail-role"],
        "no AWS Config role",
      );
      assert.ok(statementsOf(cloud.one(T.bucketPolicy)).every((s) => !JSON.stringify(s.Principal ?? "").includes("config.amazonaws.com")));
    });

    it("tags every taggable resource", async () => {
      await buildAudit("prod");
      const taggable = [T.trail, T.bucket, T.logGroup, T.role, T.rule, T.alarm];
      for (const type of taggable) {
        for (const r of cloud.ofType(type)) {
          const tags = r.inputs.tags as Record<string, string>;
          assert.strictEqual(tags?.Compliance, "HIPAA", `${type} ${r.name}`);
          assert.strictEqual(tags.Environment, "prod");
          assert.strictEqual(tags.DataClassification, "Confidential");
        }
      }
    });
  });

  describe("trail", () => {
    it("is multi-region, includes global events, validates log files, encrypts with the audit key and delivers to CloudWatch Logs", async () => {
      await buildAudit("prod");
      const trail = cloud.one(T.trail);
      const logGroup = cloud.one(T.logGroup);
      const role = cloud.one(T.role);
      assert.strictEqual(trail.inputs.name, TRAIL_NAME);
      assert.strictEqual(trail.inputs.isMultiRegionTrail, true);
      assert.strictEqual(trail.inputs.includeGlobalServiceEvents, true);
      assert.strictEqual(trail.inputs.enableLogFileValidation, true);
      assert.strictEqual(trail.inputs.kmsKeyId, AUDIT_KEY_ARN);
      assert.strictEqual(trail.inputs.s3BucketName, cloud.one(T.bucket).inputs.bucket);
      assert.strictEqual(trail.inputs.cloudWatchLogsGroupArn, `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/hcp/prod/cloudtrail:*`);
      assert.strictEqual(trail.inputs.cloudWatchLogsRoleArn, role.outputs.arn);
      assert.ok(trail.dependencies.includes(logGroup.urn));
      assert.strictEqual(trail.outputs.arn, TRAIL_ARN, "the ARN the bucket policy and role trust name is the trail's real ARN");
    });

    it("starts only after its bucket policy and its role's permissions exist", async () => {
      await buildAudit("prod");
      const trail = cloud.one(T.trail);
      assert.ok(trail.dependencies.includes(cloud.one(T.bucketPolicy).urn));
      assert.ok(trail.dependencies.includes(cloud.one(T.attachment, "cloudtrail-role-permissions").urn));
    });

    it("selects all management events and read+write S3 object data events of exactly the PHI buckets", async () => {
      await buildAudit("prod");
      const selectors = cloud.one(T.trail).inputs.advancedEventSelectors as { name: string; fieldSelectors: FieldSelector[] }[];
      assert.strictEqual(selectors.length, 3);
      assert.deepStrictEqual(selectors[0].fieldSelectors, [{ field: "eventCategory", equals: ["Management"] }]);
      assert.deepStrictEqual(selectors[1].fieldSelectors, [
        { field: "eventCategory", equals: ["Data"] },
        { field: "resources.type", equals: ["AWS::S3::Object"] },
        { field: "resources.ARN", startsWiths: PHI_BUCKET_ARNS.map((a) => `${a}/`) },
      ]);
      // No readOnly or eventName selector on the PHI buckets: every read and write is logged.
      assert.ok(selectors[1].fieldSelectors.every((f) => f.field !== "readOnly" && f.field !== "eventName"));
    });

    it("records reads and deletes of objects in its own bucket and the log buckets given, not the log deliveries", async () => {
      await buildAudit("prod", {}, PHI_BUCKET_ARNS, { logBucketArns: LOG_BUCKET_ARNS });
      const selectors = cloud.one(T.trail).inputs.advancedEventSelectors as { name: string; fieldSelectors: FieldSelector[] }[];
      const trailBucketArn = `arn:aws:s3:::${String(cloud.one(T.bucket).inputs.bucket)}`;
      assert.deepStrictEqual(selectors[2], {
        name: "Log bucket object reads and deletes",
        fieldSelectors: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: ["AWS::S3::Object"] },
          { field: "eventName", equals: [...audit.LOG_BUCKET_ACCESS_EVENT_NAMES] },
          { field: "resources.ARN", startsWiths: [trailBucketArn, ...LOG_BUCKET_ARNS].map((a) => `${a}/`) },
        ],
      });
      const names = audit.LOG_BUCKET_ACCESS_EVENT_NAMES;
      for (const read of ["GetObject", "SelectObjectContent", "CopyObject"]) assert.ok(names.includes(read), read);
      for (const del of ["DeleteObject", "DeleteObjects"]) assert.ok(names.includes(del), del);
      // The deliveries (CloudTrail's and S3 log delivery's writes, S3 replication) must not be selected:
      // they are most of the volume, and CloudTrail would log its own writes into its own bucket.
      for (const delivery of [
        "PutObject",
        "CreateMultipartUpload",
        "CompleteMultipartUpload",
        "GetObjectVersionForReplication",
        "ReplicateObject",
      ]) {
        assert.ok(!names.includes(delivery), delivery);
      }
    });

    it("has no PHI selector when there is no PHI bucket, and still watches its own bucket", async () => {
      await buildAudit("prod", {}, []);
      const selectors = cloud.one(T.trail).inputs.advancedEventSelectors as { name: string; fieldSelectors: FieldSelector[] }[];
      assert.deepStrictEqual(
        selectors.map((s) => s.name),
        ["All management events", "Log bucket object reads and deletes"],
      );
    });
  });

  describe("trail bucket", () => {
    it("is a SecureBucket under the audit key, Confidential, logging to the access-log bucket", async () => {
      await buildAudit("prod");
      const bucket = cloud.one(T.bucket);
      assert.strictEqual((bucket.inputs.tags as Record<string, string>).DataClassification, "Confidential");
      assert.strictEqual((bucket.inputs.tags as Record<string, string>).Purpose, "audit-trail");
      const sse = cloud.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
      assert.deepStrictEqual(sse.inputs.rules, [
        { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: AUDIT_KEY_ARN }, bucketKeyEnabled: true },
      ]);
      const logging = cloud.one("aws:s3/bucketLogging:BucketLogging");
      assert.strictEqual(logging.inputs.targetBucket, ACCESS_LOG_BUCKET);
      assert.strictEqual(logging.inputs.targetPrefix, "audit-trail/");
    });

    it("lets only this trail check the ACL and write under AWSLogs/<account>/ with bucket-owner-full-control", async () => {
      await buildAudit("prod");
      const policy = cloud.one(T.bucketPolicy);
      const arn = `arn:aws:s3:::${String(cloud.one(T.bucket).inputs.bucket)}`;
      assert.deepStrictEqual(bySid(policy, "AllowCloudTrailAclCheck"), {
        Sid: "AllowCloudTrailAclCheck",
        Effect: "Allow",
        Action: "s3:GetBucketAcl",
        Resource: arn,
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN } },
      });
      assert.deepStrictEqual(bySid(policy, "AllowCloudTrailWrite"), {
        Sid: "AllowCloudTrailWrite",
        Effect: "Allow",
        Action: "s3:PutObject",
        Resource: `${arn}/AWSLogs/${ACCOUNT_ID}/*`,
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": TRAIL_ARN } },
      });
      // The SecureBucket denies stay in the same document.
      assert.ok(bySid(policy, "DenyInsecureTransport"));
      assert.ok(bySid(policy, "DenyForeignKmsKeyHeader"));
      assert.ok(statementsOf(policy).every((s) => !String(s.Sid).startsWith("AllowConfig")));
    });

    it("keeps trail logs exactly the data retention: never expired before it", async () => {
      for (const env of ["prod", "dev"] as const) {
        cloud.reset();
        await buildAudit(env);
        const rules = cloud.one(T.lifecycle).inputs.rules as {
          id: string;
          expiration?: { days: number };
          noncurrentVersionExpiration?: { noncurrentDays: number };
        }[];
        const expiring = rules.filter((r) => r.expiration !== undefined);
        assert.deepStrictEqual(
          expiring.map((r) => r.expiration!.days),
          [testConfig(env).dataRetentionInDays],
          env,
        );
        // A deleted or overwritten log survives only as a noncurrent version: kept as long (at least 90 days).
        const purging = rules.filter((r) => r.noncurrentVersionExpiration !== undefined);
        assert.deepStrictEqual(
          purging.map((r) => r.noncurrentVersionExpiration!.noncurrentDays),
          [Math.max(90, testConfig(env).dataRetentionInDays)],
          env,
        );
      }
    });

    it("prod protects the trail, its bucket and its log group; dev protects nothing", async () => {
      await buildAudit("prod");
      for (const type of [T.trail, T.bucket, T.logGroup]) {
        assert.strictEqual(cloud.one(type).protect, true, type);
        assert.strictEqual(cloud.one(type).retainOnDelete, true, type);
      }
      cloud.reset();
      await buildAudit("dev");
      assert.strictEqual(cloud.one(T.bucket).inputs.forceDestroy, true);
      assert.ok(cloud.resources.every((r) => !r.protect && !r.retainOnDelete));
    });
  });

  describe("CloudWatch Logs delivery", () => {
    it("the log group is KMS-encrypted with the audit key and keeps logs for config.logRetentionInDays", async () => {
      await buildAudit("prod");
      const lg = cloud.one(T.logGroup);
      assert.strictEqual(lg.inputs.name, "/hcp/prod/cloudtrail");
      assert.strictEqual(lg.inputs.kmsKeyId, AUDIT_KEY_ARN);
      assert.strictEqual(lg.inputs.retentionInDays, 2192);
      cloud.reset();
      await buildAudit("dev");
      assert.strictEqual(cloud.one(T.logGroup).inputs.retentionInDays, 30);
    });

    it("the role can be assumed only by CloudTrail for this trail, and only writes this group's log streams", async () => {
      await buildAudit("prod");
      const role = cloud.one(T.role);
      assert.strictEqual(role.inputs.name, "hcp-prod-cloudtrail-logs");
      assert.deepStrictEqual(statementsOf({ ...role, inputs: { policy: role.inputs.assumeRolePolicy } }), [
        {
          // No condition: AWS sends no aws:Source* key on this path, and CreateTrail fails with one.
          Sid: "AssumeRoleAsAwsDocuments",
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Principal: { Service: "cloudtrail.amazonaws.com" },
        },
      ]);
      const policy = cloud.one(T.policy, "cloudtrail-role-policy");
      const attachment = cloud.one(T.attachment, "cloudtrail-role-permissions");
      assert.deepStrictEqual([attachment.inputs.role, attachment.inputs.policyArn], [role.inputs.name, policy.outputs.arn]);
      assert.deepStrictEqual(statementsOf(policy), [
        {
          Sid: "WriteTrailLogStreams",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/hcp/prod/cloudtrail:log-stream:*`,
        },
      ]);
    });
  });

  describe("security-change rules", () => {
    const patternOf = (purpose: string) => {
      const rule = cloud.one(T.rule, `audit-${purpose}`);
      assert.strictEqual(typeof rule.inputs.eventPattern, "string");
      return { rule, pattern: JSON.parse(String(rule.inputs.eventPattern)) as Record<string, unknown> };
    };

    it("security-group changes", async () => {
      await buildAudit("prod");
      const { rule, pattern } = patternOf("security-group-changes");
      assert.strictEqual(rule.inputs.name, "hcp-prod-security-group-changes");
      assert.deepStrictEqual(pattern, {
        source: ["aws.ec2"],
        "detail-type": ["AWS API Call via CloudTrail"],
        detail: {
          eventSource: ["ec2.amazonaws.com"],
          eventName: [
            "AuthorizeSecurityGroupIngress",
            "AuthorizeSecurityGroupEgress",
            "RevokeSecurityGroupIngress",
            "RevokeSecurityGroupEgress",
            "CreateSecurityGroup",
            "DeleteSecurityGroup",
            "ModifySecurityGroupRules",
          ],
        },
      });
    });

    it("IAM changes: the CIS policy-change list plus roles, users, groups, access keys and MFA", async () => {
      await buildAudit("prod");
      const { pattern } = patternOf("iam-changes");
      assert.deepStrictEqual(pattern.source, ["aws.iam"]);
      const detail = pattern.detail as { eventSource: string[]; eventName: string[] };
      assert.deepStrictEqual(detail.eventSource, ["iam.amazonaws.com"]);
      const cis = [
        "DeleteGroupPolicy",
        "DeleteRolePolicy",
        "DeleteUserPolicy",
        "PutGroupPolicy",
        "PutRolePolicy",
        "PutUserPolicy",
        "CreatePolicy",
        "DeletePolicy",
        "CreatePolicyVersion",
        "DeletePolicyVersion",
        "AttachRolePolicy",
        "DetachRolePolicy",
        "AttachUserPolicy",
        "DetachUserPolicy",
        "AttachGroupPolicy",
        "DetachGroupPolicy",
      ];
      for (const name of [
        ...cis,
        "CreateRole",
        "UpdateAssumeRolePolicy",
        "CreateUser",
        "AddUserToGroup",
        "CreateAccessKey",
        "DeactivateMFADevice",
        "CreateLoginProfile",
      ]) {
        assert.ok(detail.eventName.includes(name), name);
      }
      assert.strictEqual(new Set(detail.eventName).size, detail.eventName.length, "no duplicates");
    });

    it("root-account use, excluding AWS service events", async () => {
      await buildAudit("prod");
      const { pattern } = patternOf("root-account-usage");
      assert.deepStrictEqual(pattern, {
        "detail-type": ["AWS API Call via CloudTrail", "AWS Console Sign In via CloudTrail"],
        detail: { userIdentity: { type: ["Root"] }, eventType: [{ "anything-but": "AwsServiceEvent" }] },
      });
    });

    it("KMS key disablement and scheduled deletion", async () => {
      await buildAudit("prod");
      const { pattern } = patternOf("kms-key-disable-or-deletion");
      assert.deepStrictEqual(pattern, {
        source: ["aws.kms"],
        "detail-type": ["AWS API Call via CloudTrail"],
        detail: { eventSource: ["kms.amazonaws.com"], eventName: ["DisableKey", "ScheduleKeyDeletion"] },
      });
    });

    it("each rule targets the alert topic", async () => {
      await buildAudit("prod");
      const rules = cloud.ofType(T.rule);
      const targets = cloud.ofType(T.target);
      assert.strictEqual(targets.length, rules.length);
      for (const rule of rules) {
        const t = targets.filter((x) => x.inputs.rule === rule.inputs.name);
        assert.strictEqual(t.length, 1, String(rule.inputs.name));
        assert.strictEqual(t[0].inputs.arn, TOPIC_ARN);
        assert.deepStrictEqual(t[0].propertyDependencies.rule, [rule.urn]);
      }
    });
  });

  describe("metric filters and alarms", () => {
    it("filters unauthorized API calls and console sign-in without MFA on the trail's log group", async () => {
      await buildAudit("prod");
      const lg = cloud.one(T.logGroup);
      const filters = cloud.ofType(T.metricFilter);
      assert.deepStrictEqual(
        filters.map((f) => f.inputs.pattern),
        [
          '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
          '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
        ],
      );
      for (const f of filters) {
        assert.strictEqual(f.inputs.logGroupName, "/hcp/prod/cloudtrail");
        assert.deepStrictEqual(f.propertyDependencies.logGroupName, [lg.urn]);
        assert.strictEqual((f.inputs.metricTransformation as { namespace: string }).namespace, "HCP/prod/Security");
      }
    });

    it("alarms on the first occurrence and notify the alert topic", async () => {
      await buildAudit("prod");
      const alarms = cloud.ofType(T.alarm);
      assert.strictEqual(alarms.length, 2);
      for (const [i, f] of cloud.ofType(T.metricFilter).entries()) {
        const alarm = alarms[i];
        const transformation = f.inputs.metricTransformation as { name: string; namespace: string };
        assert.strictEqual(alarm.inputs.metricName, transformation.name);
        assert.strictEqual(alarm.inputs.namespace, transformation.namespace);
        assert.deepStrictEqual(alarm.inputs.alarmActions, [TOPIC_ARN]);
        assert.strictEqual(alarm.inputs.statistic, "Sum");
        assert.strictEqual(alarm.inputs.threshold, 1);
        assert.strictEqual(alarm.inputs.comparisonOperator, "GreaterThanOrEqualToThreshold");
        assert.ok(alarm.dependencies.includes(f.urn), "the alarm waits for its metric filter");
      }
    });
  });

  describe("trail bucket replication", () => {
    const REPLICA_ARN = `arn:aws:s3:::hcp-prod-audit-trail-replica-${ACCOUNT_ID}-us-west-2`;
    const REPLICA_KEY = `arn:aws:kms:us-west-2:${ACCOUNT_ID}:key/bbbbbbbb-2222-4333-a444-555555555555`;

    it("replicates every log version to the recovery copy under its key, never delete markers", async () => {
      await buildAudit("prod", {}, PHI_BUCKET_ARNS, {
        trailReplica: { bucketArn: REPLICA_ARN, kmsKeyArn: REPLICA_KEY, region: "us-west-2", ready: [] },
      });
      const replication = cloud.one(T.replication);
      assert.strictEqual(replication.inputs.bucket, cloud.one(T.bucket).inputs.bucket);
      const [rule] = replication.inputs.rules as {
        status: string;
        deleteMarkerReplication: { status: string };
        destination: Record<string, unknown>;
      }[];
      assert.strictEqual(rule.status, "Enabled");
      assert.deepStrictEqual(rule.deleteMarkerReplication, { status: "Disabled" });
      assert.strictEqual(rule.destination.bucket, REPLICA_ARN);
      assert.deepStrictEqual(rule.destination.encryptionConfiguration, { replicaKmsKeyId: REPLICA_KEY });
    });

    it("does not replicate without a recovery copy", async () => {
      await buildAudit("prod");
      assert.strictEqual(cloud.ofType(T.replication).length, 0);
    });
  });

  describe("pure data", () => {
    it("each rule purpose is unique", () => {
      const purposes = audit.SECURITY_EVENT_RULES.map((r) => r.purpose);
      assert.strictEqual(new Set(purposes).size, purposes.length);
    });

    /**
     * EventBridge's matching for the subset the rules use: a list matches a value it contains, an
     * `anything-but` object a value other than its own, an object the event's field of that name
     * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html).
     */
    function matches(pattern: unknown, event: unknown): boolean {
      if (Array.isArray(pattern)) {
        return pattern.some((p) =>
          typeof p === "object" && p !== null && "anything-but" in p
            ? event !== undefined && event !== (p as Record<string, unknown>)["anything-but"]
            : p === event,
        );
      }
      if (typeof pattern === "object" && pattern !== null) {
        if (typeof event !== "object" || event === null) return false;
        return Object.entries(pattern).every(([k, v]) => matches(v, (event as Record<string, unknown>)[k]));
      }
      return pattern === event;
    }
    const apiCall = (source: string, eventSource: string, eventName: string, identityType = "AssumedRole") => ({
      source,
      "detail-type": "AWS API Call via CloudTrail",
      detail: { eventSource, eventName, eventType: "AwsApiCall", userIdentity: { type: identityType } },
    });
    const events: [string, Record<string, unknown>, string[]][] = [
      ["an ingress rule added", apiCall("aws.ec2", "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress"), ["security-group-changes"]],
      ["an instance started", apiCall("aws.ec2", "ec2.amazonaws.com", "RunInstances"), []],
      ["a user created", apiCall("aws.iam", "iam.amazonaws.com", "CreateUser"), ["iam-changes"]],
      ["a policy read", apiCall("aws.iam", "iam.amazonaws.com", "GetPolicy"), []],
      ["a key scheduled for deletion", apiCall("aws.kms", "kms.amazonaws.com", "ScheduleKeyDeletion"), ["kms-key-disable-or-deletion"]],
      ["a key used", apiCall("aws.kms", "kms.amazonaws.com", "Decrypt"), []],
      ["a root API call", apiCall("aws.s3", "s3.amazonaws.com", "ListBuckets", "Root"), ["root-account-usage"]],
      [
        "a root console sign-in",
        {
          source: "aws.signin",
          "detail-type": "AWS Console Sign In via CloudTrail",
          detail: { eventType: "AwsConsoleSignIn", userIdentity: { type: "Root" } },
        },
        ["root-account-usage"],
      ],
      [
        "a service acting as root (AwsServiceEvent)",
        {
          source: "aws.s3",
          "detail-type": "AWS API Call via CloudTrail",
          detail: { eventType: "AwsServiceEvent", userIdentity: { type: "Root" } },
        },
        [],
      ],
    ];
    for (const [what, event, expected] of events) {
      it(`${what} raises ${expected.length === 0 ? "no alert" : expected.join(", ")}`, () => {
        assert.deepStrictEqual(
          audit.SECURITY_EVENT_RULES.filter((r) => matches(r.pattern, event)).map((r) => r.purpose),
          expected,
        );
      });
    }

    const arnCases: [string, string, string, string, string][] = [
      ["aws", "us-east-1", ACCOUNT_ID, "hcp-prod-audit", `arn:aws:cloudtrail:us-east-1:${ACCOUNT_ID}:trail/hcp-prod-audit`],
      [
        "aws-us-gov",
        "us-gov-west-1",
        "210987654321",
        "hcp-dev-audit",
        "arn:aws-us-gov:cloudtrail:us-gov-west-1:210987654321:trail/hcp-dev-audit",
      ],
    ];
    for (const [p, r, a, n, expected] of arnCases) {
      it(`trailArn(${p}, ${r}) = ${expected}`, () => assert.strictEqual(audit.trailArn(p, r, a, n), expected));
    }
    it("auditTrailName is hcp-<stack>-audit", () => {
      assert.strictEqual(audit.auditTrailName("prod"), "hcp-prod-audit");
      assert.strictEqual(audit.auditTrailName("dev"), "hcp-dev-audit");
    });
  });
});

describe("SecurityAlerts", () => {
  beforeEach(() => cloud.reset());

  async function buildAlerts() {
    const component = new audit.SecurityAlerts("alerts", { config: testConfig("prod"), kmsKeyArn: AUDIT_KEY_ARN });
    await cloud.settle();
    return component;
  }

  it("an encrypted, named, tagged topic with an e-mail subscription to config.alertEmail", async () => {
    const component = await buildAlerts();
    const topic = cloud.one(T.topic);
    assert.strictEqual(topic.inputs.name, "hcp-prod-security-alerts");
    assert.strictEqual(topic.inputs.kmsMasterKeyId, AUDIT_KEY_ARN);
    assert.strictEqual((topic.inputs.tags as Record<string, string>).Compliance, "HIPAA");
    const sub = cloud.one(T.subscription);
    assert.strictEqual(sub.inputs.protocol, "email");
    assert.strictEqual(sub.inputs.endpoint, "security-alerts@example.org");
    assert.strictEqual(sub.inputs.topic, topic.outputs.arn);
    assert.strictEqual(await value<string>(component.topicArn), `arn:aws:sns:${REGION}:${ACCOUNT_ID}:hcp-prod-security-alerts`);
    assert.strictEqual(await value<string>(component.topicName), "hcp-prod-security-alerts");
    assert.strictEqual(cloud.resources.filter((r) => r.custom).length, 3);
  });

  it("only this stack's EventBridge rules and CloudWatch alarms may publish, and never without TLS", async () => {
    await buildAlerts();
    const topicArn = String(cloud.one(T.topic).outputs.arn);
    const policy = cloud.one(T.topicPolicy);
    assert.strictEqual(policy.inputs.arn, topicArn);
    assert.deepStrictEqual(statementsOf(policy), [
      {
        Sid: "AllowEventBridgeRulesOfThisStackPublish",
        Effect: "Allow",
        Action: "sns:Publish",
        Resource: topicArn,
        Principal: { Service: "events.amazonaws.com" },
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
          ArnLike: { "aws:SourceArn": `arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/hcp-prod-*` },
        },
      },
      {
        Sid: "AllowCloudWatchAlarmsOfThisStackPublish",
        Effect: "Allow",
        Action: "sns:Publish",
        Resource: topicArn,
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
          ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${REGION}:${ACCOUNT_ID}:alarm:hcp-prod-*` },
        },
      },
      {
        Sid: "DenyPublishWithoutTls",
        Effect: "Deny",
        Action: "sns:Publish",
        Resource: topicArn,
        Principal: "*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });
});
