import * as assert from "assert";
import type * as pulumiTypes from "@pulumi/pulumi";
import { installMocks, testConfig, policyOf, ACCOUNT_ID, REGION, RecordedResource } from "../mocks";

const cloud = installMocks();
// Program modules only after the mocks are installed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const encryption: typeof import("../../components/encryption") = require("../../components/encryption");
const {
  Encryption,
  KEY_ADMIN_ACTIONS,
  KEY_PURPOSES,
  KEY_PURPOSE_NAMES,
  auditTrailName,
  keyPolicyStatements,
  platformLogGroupNamePatterns,
  validateEncryptionArgs,
} = encryption;

type Statement = Record<string, unknown>;
type Env = "dev" | "prod";

const ROOT = `arn:aws:iam::${ACCOUNT_ID}:root`;
const KEY = "aws:kms/key:Key";
const ALIAS = "aws:kms/alias:Alias";

/** KMS operations that use key material or let someone else use it: never for the administrator. */
const KEY_USE_OPERATIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:GenerateDataKeyPair",
  "kms:GenerateDataKeyPairWithoutPlaintext",
  "kms:GenerateMac",
  "kms:VerifyMac",
  "kms:Sign",
  "kms:Verify",
  "kms:DeriveSharedSecret",
  "kms:CreateGrant",
  "kms:RetireGrant",
  "kms:ImportKeyMaterial",
  "kms:ReplicateKey",
];

/** What managing the key (and Pulumi refreshing, updating and deleting it) needs. */
const KEY_MANAGEMENT_OPERATIONS = [
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:PutKeyPolicy",
  "kms:ListKeyPolicies",
  "kms:GetKeyRotationStatus",
  "kms:EnableKeyRotation",
  "kms:DisableKeyRotation",
  "kms:ListKeyRotations",
  "kms:RotateKeyOnDemand",
  "kms:EnableKey",
  "kms:DisableKey",
  "kms:UpdateKeyDescription",
  "kms:CreateAlias",
  "kms:UpdateAlias",
  "kms:DeleteAlias",
  "kms:ListAliases",
  "kms:ListResourceTags",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ListGrants",
  "kms:RevokeGrant",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
];

const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const globMatches = (pattern: string, action: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action);
const allows = (statement: Statement, action: string): boolean => asArray(statement.Action).some((p) => globMatches(String(p), action));

function resolve<T>(output: pulumiTypes.Output<T>): Promise<T> {
  return new Promise((r) => output.apply((v) => r(v)));
}

async function build(env: Env, args: Partial<import("../../components/encryption").EncryptionArgs> = {}) {
  const config = testConfig(env);
  const component = new Encryption("encryption", { config, ...args });
  await cloud.settle();
  return { config, component };
}

function keyOf(purpose: string): RecordedResource {
  return cloud.one(KEY, `encryption-${purpose}-key`);
}

function statementsOf(purpose: string): Statement[] {
  const policy = policyOf(keyOf(purpose).inputs.policy);
  assert.strictEqual(policy.Version, "2012-10-17");
  return policy.Statement;
}

function bySid(statements: Statement[], sid: string): Statement {
  const found = statements.filter((s) => s.Sid === sid);
  assert.strictEqual(found.length, 1, `expected one statement ${sid}, found ${found.length}`);
  return found[0];
}

describe("Encryption (healthcare:security:Encryption)", () => {
  beforeEach(() => cloud.reset());

  describe("validateEncryptionArgs", () => {
    const dev = testConfig("dev");
    const prod = testConfig("prod");
    const cases: { name: string; args: import("../../components/encryption").EncryptionArgs; problems: string[] }[] = [
      { name: "dev config as is", args: { config: dev }, problems: [] },
      { name: "prod config as is", args: { config: prod }, problems: [] },
      { name: "shortest window", args: { config: dev, deletionWindowInDays: 7 }, problems: [] },
      { name: "longest window", args: { config: dev, deletionWindowInDays: 30 }, problems: [] },
      {
        name: "window too short",
        args: { config: dev, deletionWindowInDays: 3 },
        problems: ["deletionWindowInDays must be between 7 and 30, got 3"],
      },
      {
        name: "window too long",
        args: { config: dev, deletionWindowInDays: 31 },
        problems: ["deletionWindowInDays must be between 7 and 30, got 31"],
      },
      {
        name: "zero window",
        args: { config: dev, deletionWindowInDays: 0 },
        problems: ["deletionWindowInDays must be between 7 and 30, got 0"],
      },
      {
        name: "fractional window",
        args: { config: dev, deletionWindowInDays: 7.5 },
        problems: ["deletionWindowInDays must be a whole number of days between 7 and 30, got 7.5"],
      },
      {
        name: "NaN window",
        args: { config: dev, deletionWindowInDays: NaN },
        problems: ["deletionWindowInDays must be a whole number of days between 7 and 30, got NaN"],
      },
      {
        name: "window from a hand-built config",
        args: { config: { ...dev, kmsDeletionWindowInDays: 45 } },
        problems: ["deletionWindowInDays must be between 7 and 30, got 45"],
      },
      {
        name: "prod with a short window",
        args: { config: prod, deletionWindowInDays: 7 },
        problems: ["deletionWindowInDays must be 30 in prod (the longest time to cancel a mistaken deletion), got 7"],
      },
      { name: "shortest rotation", args: { config: dev, rotationPeriodInDays: 90 }, problems: [] },
      { name: "longest rotation", args: { config: dev, rotationPeriodInDays: 2560 }, problems: [] },
      {
        name: "rotation too often",
        args: { config: dev, rotationPeriodInDays: 30 },
        problems: ["rotationPeriodInDays must be between 90 and 2560, got 30"],
      },
      {
        name: "rotation too rare",
        args: { config: dev, rotationPeriodInDays: 2561 },
        problems: ["rotationPeriodInDays must be between 90 and 2560, got 2561"],
      },
      {
        name: "fractional rotation",
        args: { config: dev, rotationPeriodInDays: 365.25 },
        problems: ["rotationPeriodInDays must be a whole number of days between 90 and 2560, got 365.25"],
      },
      { name: "two valid trails", args: { config: dev, trailNames: ["hcp-dev-audit", "hcp-dev-data.events_1"] }, problems: [] },
      {
        name: "no trails",
        args: { config: dev, trailNames: [] },
        problems: ["trailNames must name at least one trail; omit it to use the audit trail"],
      },
      ...["ab", "a b c", "-trail", "trail-", "my--trail", "my-_trail", "x".repeat(129)].map((bad) => ({
        name: `bad trail name ${JSON.stringify(bad.length > 20 ? `${bad.slice(0, 5)}...` : bad)}`,
        args: { config: dev, trailNames: ["hcp-dev-audit", bad] },
        problems: [
          "trailNames[1] must be 3-128 letters, digits, '.', '_' or '-', start and end with a letter or digit, " +
            `and have no two of '.', '_', '-' in a row, got ${JSON.stringify(bad)}`,
        ],
      })),
      {
        name: "repeated trail",
        args: { config: dev, trailNames: ["hcp-dev-audit", "hcp-dev-audit"] },
        problems: ['trailNames must not repeat a name, got ["hcp-dev-audit","hcp-dev-audit"]'],
      },
      {
        name: "stack name too long for a common Lambda prefix",
        args: { config: { ...dev, stack: "s".repeat(60) } },
        problems: [
          `config.stack: stack name "${"s".repeat(60)}" is too long for lambdaFunction names to keep a common prefix (64 characters at most); ` +
            "use a shorter stack name",
        ],
      },
      {
        name: "every problem at once, in order",
        args: { config: dev, deletionWindowInDays: 3, rotationPeriodInDays: 30, trailNames: [] },
        problems: [
          "deletionWindowInDays must be between 7 and 30, got 3",
          "rotationPeriodInDays must be between 90 and 2560, got 30",
          "trailNames must name at least one trail; omit it to use the audit trail",
        ],
      },
    ];
    for (const c of cases) {
      it(`${c.name}: ${c.problems.length === 0 ? "valid" : c.problems.length + " problem(s)"}`, () => {
        assert.deepStrictEqual(validateEncryptionArgs(c.args), c.problems);
      });
    }

    it("the component refuses invalid arguments before anything registers, naming the argument", async () => {
      assert.throws(
        () => new Encryption("bad", { config: dev, deletionWindowInDays: 3 }),
        (err: Error) => err.message === 'Encryption "bad": invalid arguments:\n  - deletionWindowInDays must be between 7 and 30, got 3',
      );
      await cloud.settle();
      assert.deepStrictEqual(cloud.resources, []);
    });
  });

  describe("names and the purpose table", () => {
    it("derives the trail and log-group names from the platform's naming", () => {
      assert.strictEqual(auditTrailName("prod"), "hcp-prod-audit");
      assert.deepStrictEqual(platformLogGroupNamePatterns("prod"), [
        "/hcp/prod/*",
        "/aws/lambda/hcp-prod-*",
        "aws-waf-logs-hcp-prod-*",
        "/aws/rds/instance/hcp-prod-*",
      ]);
      assert.deepStrictEqual(platformLogGroupNamePatterns("dev"), [
        "/hcp/dev/*",
        "/aws/lambda/hcp-dev-*",
        "aws-waf-logs-hcp-dev-*",
        "/aws/rds/instance/hcp-dev-*",
      ]);
    });

    it("has the phi and audit purposes, each with a distinct alias, and grant services among its ViaServices", () => {
      assert.deepStrictEqual(KEY_PURPOSE_NAMES, ["phi", "audit", "pipeline", "backup"]);
      const names = KEY_PURPOSE_NAMES.map((p) => KEY_PURPOSES[p].name);
      assert.strictEqual(new Set(names).size, names.length);
      for (const p of KEY_PURPOSE_NAMES) {
        const spec = KEY_PURPOSES[p] as import("../../components/encryption").KeyPurposeSpec;
        for (const s of spec.grantServices) assert.ok(spec.viaServices.includes(s), `${p}: grant service ${s} is not a ViaService`);
      }
    });

    it("administration actions manage the key and never use it or delegate its use", () => {
      const admin = { Action: [...KEY_ADMIN_ACTIONS] };
      for (const op of KEY_USE_OPERATIONS) assert.ok(!allows(admin, op), `administration must not allow ${op}`);
      for (const op of KEY_MANAGEMENT_OPERATIONS) assert.ok(allows(admin, op), `administration must allow ${op}`);
    });

    it("is built from its context alone: another account's context names that account and never this one", () => {
      const ctx = (accountId: string) => ({
        accountId,
        region: REGION,
        partition: "aws",
        dnsSuffix: "amazonaws.com",
        trailNames: ["hcp-dev-audit"],
        logGroupNamePatterns: ["/hcp/dev/*"],
        alarmNamePattern: "hcp-dev-*",
      });
      const other = "210987654321";
      const text = JSON.stringify(keyPolicyStatements("audit", ctx(other)));
      assert.ok(!text.includes(ACCOUNT_ID), "no trace of another context");
      assert.ok(text.includes(`arn:aws:iam::${other}:root`) && text.includes(`trail/hcp-dev-audit`));
      assert.notDeepStrictEqual(keyPolicyStatements("audit", ctx(other)), keyPolicyStatements("audit", ctx(ACCOUNT_ID)));
    });

    it("lets Macie's service-linked role decrypt with the PHI key only, and only when it is named (defect 5)", () => {
      const macie = `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie`;
      const ctx = {
        accountId: ACCOUNT_ID,
        region: REGION,
        partition: "aws",
        dnsSuffix: "amazonaws.com",
        trailNames: ["hcp-dev-audit"],
        logGroupNamePatterns: ["/hcp/dev/*"],
        alarmNamePattern: "hcp-dev-*",
        macieServiceLinkedRoleArn: macie,
      };
      const naming = (purpose: "phi" | "audit" | "pipeline") =>
        keyPolicyStatements(purpose, ctx).filter((st) => JSON.stringify(st.principals ?? []).includes("AWSServiceRoleForAmazonMacie"));
      // https://docs.aws.amazon.com/macie/latest/user/discovery-supported-encryption-types.html
      assert.deepStrictEqual(
        naming("phi").map((st) => [st.effect, st.principals, st.actions, st.resources]),
        [["Allow", [{ type: "AWS", identifiers: [macie] }], ["kms:Decrypt"], ["*"]]],
      );
      assert.deepStrictEqual([...naming("audit"), ...naming("pipeline")], []);
      const { macieServiceLinkedRoleArn: _unused, ...without } = ctx;
      void _unused;
      assert.ok(!JSON.stringify(keyPolicyStatements("phi", without)).includes("Macie"));
    });

    it("uses the partition and its DNS suffix (China: aws-cn, amazonaws.com.cn)", () => {
      const statements = keyPolicyStatements("phi", {
        accountId: ACCOUNT_ID,
        region: "cn-north-1",
        partition: "aws-cn",
        dnsSuffix: "amazonaws.com.cn",
        trailNames: ["t-1"],
        logGroupNamePatterns: ["/hcp/x/*"],
        alarmNamePattern: "hcp-x-*",
      });
      assert.deepStrictEqual(statements[0].principals, [{ type: "AWS", identifiers: [`arn:aws-cn:iam::${ACCOUNT_ID}:root`] }]);
      assert.ok(statements[1].conditions?.some((c) => c.values.includes("s3.cn-north-1.amazonaws.com.cn")));
    });
  });

  for (const env of ["dev", "prod"] as const) {
    const window = env === "prod" ? 30 : 7;
    const protectedData = env === "prod";

    describe(`${env} stack`, () => {
      it("creates exactly one component, a key and an alias per purpose, all children of the component", async () => {
        const { component } = await build(env);
        const urn = await resolve(component.urn);
        assert.deepStrictEqual(cloud.resources.map((r) => `${r.type}::${r.name}`).sort(), [
          `${ALIAS}::encryption-audit-alias`,
          `${ALIAS}::encryption-backup-alias`,
          `${ALIAS}::encryption-phi-alias`,
          `${ALIAS}::encryption-pipeline-alias`,
          `${KEY}::encryption-audit-key`,
          `${KEY}::encryption-backup-key`,
          `${KEY}::encryption-phi-key`,
          `${KEY}::encryption-pipeline-key`,
          "healthcare:security:Encryption::encryption",
        ]);
        for (const r of cloud.resources.filter((r) => r.custom)) assert.strictEqual(r.parent, urn, `${r.name} parent`);
      });

      it(`keys: symmetric, rotated yearly, ${window}-day deletion window, single-region, enabled, lockout check kept`, async () => {
        await build(env);
        for (const purpose of ["phi", "audit"]) {
          const inputs = keyOf(purpose).inputs;
          assert.strictEqual(inputs.keyUsage, "ENCRYPT_DECRYPT", purpose);
          assert.strictEqual(inputs.customerMasterKeySpec, "SYMMETRIC_DEFAULT", purpose);
          assert.strictEqual(inputs.enableKeyRotation, true, purpose);
          assert.strictEqual(inputs.rotationPeriodInDays, 365, purpose);
          assert.strictEqual(inputs.deletionWindowInDays, window, purpose);
          assert.strictEqual(inputs.multiRegion, false, purpose);
          assert.strictEqual(inputs.isEnabled, true, purpose);
          assert.strictEqual(inputs.bypassPolicyLockoutSafetyCheck, false, purpose);
          assert.match(String(inputs.description), new RegExp(`^hcp-${env}-${purpose}: `), purpose);
        }
        assert.match(String(keyOf("phi").inputs.description), /PHI data at rest/);
        assert.match(String(keyOf("audit").inputs.description), /Audit and log data/);
      });

      it("keys carry the platform tags and their purpose", async () => {
        await build(env);
        const base = { Project: "healthcare-platform", Environment: env, Stack: env, DataClassification: "PHI", Compliance: "HIPAA" };
        assert.deepStrictEqual(keyOf("phi").inputs.tags, { ...base, Purpose: "phi-encryption" });
        assert.deepStrictEqual(keyOf("audit").inputs.tags, { ...base, Purpose: "audit-encryption" });
      });

      it(`aliases are exactly alias/hcp-${env}-phi and alias/hcp-${env}-audit, each on its own key`, async () => {
        await build(env);
        for (const purpose of ["phi", "audit"]) {
          const key = keyOf(purpose);
          const alias = cloud.one(ALIAS, `encryption-${purpose}-alias`);
          assert.strictEqual(alias.inputs.name, `alias/hcp-${env}-${purpose}`);
          assert.strictEqual(alias.inputs.targetKeyId, key.outputs.keyId);
          assert.deepStrictEqual(alias.propertyDependencies.targetKeyId, [key.urn]);
        }
      });

      it(protectedData ? "keys are protected and retained on delete" : "keys are destroyable", async () => {
        await build(env);
        for (const purpose of ["phi", "audit"]) {
          assert.strictEqual(keyOf(purpose).protect, protectedData, `${purpose} protect`);
          assert.strictEqual(keyOf(purpose).retainOnDelete, protectedData, `${purpose} retainOnDelete`);
          // An alias is a recreatable pointer: it follows the stack.
          const alias = cloud.one(ALIAS, `encryption-${purpose}-alias`);
          assert.strictEqual(alias.protect, false);
          assert.strictEqual(alias.retainOnDelete, false);
        }
      });

      it("exposes arn, id, aliasName and aliasArn per key, by purpose and in keys", async () => {
        const { component } = await build(env);
        for (const purpose of ["phi", "audit", "pipeline"] as const) {
          const key = keyOf(purpose);
          const alias = cloud.one(ALIAS, `encryption-${purpose}-alias`);
          const api = component.keys[purpose]!;
          assert.strictEqual(api, component[purpose]);
          assert.strictEqual(api.purpose, purpose);
          assert.strictEqual(await resolve(api.arn), key.outputs.arn);
          assert.match(String(key.outputs.arn), new RegExp(`^arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/[0-9a-f-]{36}$`));
          assert.strictEqual(await resolve(api.id), key.outputs.keyId);
          assert.strictEqual(await resolve(api.aliasName), `alias/hcp-${env}-${purpose}`);
          assert.strictEqual(await resolve(api.aliasArn), alias.outputs.arn);
        }
        const outputs = cloud.one("healthcare:security:Encryption").outputs;
        assert.deepStrictEqual(Object.keys(outputs).sort(), [
          "auditAliasName",
          "auditKeyArn",
          "backupAliasName",
          "backupKeyArn",
          "phiAliasName",
          "phiKeyArn",
          "pipelineAliasName",
          "pipelineKeyArn",
        ]);
      });

      it("pipeline: IAM principals use it only through the pipeline's services, grants only for AWS resources; no service principal", async () => {
        await build(env);
        const statements = statementsOf("pipeline");
        const via = (bySid(statements, "KeyUseThroughAwsServices").Condition as Record<string, Record<string, unknown>>).StringEquals[
          "kms:ViaService"
        ];
        assert.deepStrictEqual(
          via,
          ["s3", "firehose", "es", "dynamodb", "sqs", "lambda", "glue", "states"].map((x) => `${x}.us-east-1.amazonaws.com`),
        );
        const grants = bySid(statements, "GrantsForAwsResources").Condition as Record<string, Record<string, unknown>>;
        assert.deepStrictEqual(grants.Bool, { "kms:GrantIsForAWSResource": "true" });
        // Two service principals: CloudWatch Logs' delivery decrypting the execution logs' data
        // keys, which the execution role generates with SourceArn = this account's logs
        // (https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html); and SNS delivering
        // the stack's canary topic (only it, by aws:SourceArn) to the canary's encrypted queue.
        const services = statements.filter((st) => (st.Principal as Record<string, unknown>).Service !== undefined);
        assert.deepStrictEqual(
          services.map((st) => [st.Sid, (st.Principal as Record<string, unknown>).Service, st.Action]),
          [
            ["LogDeliveryDecryptStateMachineExecutionLogs", "delivery.logs.amazonaws.com", "kms:Decrypt"],
            ["SnsDeliversCanaryTopicToEncryptedQueues", "sns.amazonaws.com", ["kms:GenerateDataKey", "kms:Decrypt"]],
          ],
        );
        assert.deepStrictEqual((services[0].Condition as Record<string, unknown>).StringEquals, {
          "kms:EncryptionContext:SourceArn": `arn:aws:logs:us-east-1:${ACCOUNT_ID}:*`,
        });
        assert.deepStrictEqual(services[1].Condition, {
          ArnEquals: { "aws:SourceArn": `arn:aws:sns:us-east-1:${ACCOUNT_ID}:hcp-${env}-canary-alerts` },
        });
        // The execution roles: by the state machine's encryption context, never conditioned on kms:ViaService.
        const execution = bySid(statements, "StateMachineExecutionRolesByEncryptionContext").Condition as Record<
          string,
          Record<string, unknown>
        >;
        assert.deepStrictEqual(execution.ArnLike, {
          "kms:EncryptionContext:aws:states:stateMachineArn": `arn:aws:states:us-east-1:${ACCOUNT_ID}:stateMachine:hcp-${env}-*`,
        });
        assert.strictEqual(execution.StringEquals["kms:ViaService"], undefined);
      });

      it("a region that keeps only replicas creates only the purposes asked for, never without phi and audit", async () => {
        cloud.reset();
        const only = new Encryption("replica-keys", { config: testConfig(env), purposes: ["phi", "audit"] });
        await cloud.settle();
        assert.strictEqual(only.pipeline, undefined);
        assert.deepStrictEqual(
          cloud
            .ofType(KEY)
            .map((k) => k.name)
            .sort(),
          ["replica-keys-audit-key", "replica-keys-phi-key"],
        );
        assert.deepStrictEqual(validateEncryptionArgs({ config: testConfig(env), purposes: ["phi", "pipeline"] }), [
          "purposes must include audit: every region of the platform keeps PHI and audit data",
        ]);
      });

      describe("key policies", () => {
        // The one documented exception: AWS supports no condition key on the EventBridge -> encrypted
        // SNS topic path (sns-key-management); the topic policy narrows who publishes instead.
        const UNCONDITIONED_BY_AWS = ["KeyAdministrationByAccount", "EventBridgePublishToEncryptedTopics"];

        it("every statement: Allow on this key only, no wildcard principal, no kms:*, a condition unless it is administration", async () => {
          await build(env);
          for (const purpose of ["phi", "audit"]) {
            for (const s of statementsOf(purpose)) {
              const where = `${purpose}/${String(s.Sid)}`;
              assert.strictEqual(s.Effect, "Allow", where);
              assert.strictEqual(s.Resource, "*", `${where}: in a key policy "*" is this key`);
              assert.notStrictEqual(s.Principal, "*", where);
              const principal = s.Principal as Record<string, unknown>;
              assert.deepStrictEqual(
                Object.keys(principal).filter((k) => k !== "AWS" && k !== "Service"),
                [],
                where,
              );
              for (const arn of asArray(principal.AWS)) assert.strictEqual(arn, ROOT, `${where}: the only AWS principal is the account`);
              assert.ok(!asArray(s.Action).some((a) => a === "kms:*" || a === "*"), `${where}: kms:*`);
              assert.strictEqual(s.NotAction, undefined, where);
              assert.strictEqual(s.NotPrincipal, undefined, where);
              if (!UNCONDITIONED_BY_AWS.includes(String(s.Sid))) {
                const condition = s.Condition as Record<string, Record<string, unknown>> | undefined;
                assert.ok(condition && Object.values(condition).some((c) => Object.keys(c).length > 0), `${where}: no Condition`);
              }
            }
          }
        });

        it("no statement lets anyone use the key without a condition", async () => {
          await build(env);
          for (const purpose of ["phi", "audit"]) {
            for (const s of statementsOf(purpose).filter((s) => s.Condition === undefined)) {
              if (s.Sid === "EventBridgePublishToEncryptedTopics") {
                assert.deepStrictEqual(s.Principal, { Service: "events.amazonaws.com" }, "only EventBridge, the documented exception");
                assert.deepStrictEqual(
                  s.Action,
                  ["kms:GenerateDataKey*", "kms:Decrypt"],
                  "only what publishing to an encrypted topic needs",
                );
                continue;
              }
              for (const op of KEY_USE_OPERATIONS) assert.ok(!allows(s, op), `${purpose}/${String(s.Sid)} allows ${op} unconditionally`);
            }
          }
        });

        it("the account root administers each key and nothing more", async () => {
          await build(env);
          for (const purpose of ["phi", "audit"]) {
            assert.deepStrictEqual(bySid(statementsOf(purpose), "KeyAdministrationByAccount"), {
              Sid: "KeyAdministrationByAccount",
              Effect: "Allow",
              Action: [
                "kms:CreateAlias",
                "kms:Describe*",
                "kms:Enable*",
                "kms:List*",
                "kms:Put*",
                "kms:Update*",
                "kms:Revoke*",
                "kms:Disable*",
                "kms:Get*",
                "kms:Delete*",
                "kms:TagResource",
                "kms:UntagResource",
                "kms:ScheduleKeyDeletion",
                "kms:CancelKeyDeletion",
                "kms:RotateKeyOnDemand",
              ],
              Resource: "*",
              Principal: { AWS: ROOT },
            });
          }
        });

        it("phi: IAM principals of the account use it only through S3, DynamoDB, Lambda, SQS, SSM, Secrets Manager and RDS; no service principal", async () => {
          await build(env);
          const statements = statementsOf("phi");
          assert.deepStrictEqual(
            statements.map((s) => s.Sid),
            ["KeyAdministrationByAccount", "KeyUseThroughAwsServices", "GrantsForAwsResources"],
          );
          assert.deepStrictEqual(bySid(statements, "KeyUseThroughAwsServices"), {
            Sid: "KeyUseThroughAwsServices",
            Effect: "Allow",
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: "*",
            Principal: { AWS: ROOT },
            Condition: {
              StringEquals: {
                "kms:CallerAccount": ACCOUNT_ID,
                "kms:ViaService": [
                  "s3.us-east-1.amazonaws.com",
                  "dynamodb.us-east-1.amazonaws.com",
                  "lambda.us-east-1.amazonaws.com",
                  "sqs.us-east-1.amazonaws.com",
                  "ssm.us-east-1.amazonaws.com",
                  "secretsmanager.us-east-1.amazonaws.com",
                  "rds.us-east-1.amazonaws.com",
                ],
              },
            },
          });
          assert.deepStrictEqual(bySid(statements, "GrantsForAwsResources"), {
            Sid: "GrantsForAwsResources",
            Effect: "Allow",
            Action: "kms:CreateGrant",
            Resource: "*",
            Principal: { AWS: ROOT },
            Condition: {
              Bool: { "kms:GrantIsForAWSResource": "true" },
              StringEquals: {
                "kms:CallerAccount": ACCOUNT_ID,
                "kms:ViaService": ["dynamodb.us-east-1.amazonaws.com", "lambda.us-east-1.amazonaws.com", "rds.us-east-1.amazonaws.com"],
              },
            },
          });
          assert.ok(statements.every((s) => (s.Principal as Record<string, unknown>).Service === undefined));
        });

        it("audit: S3 and SNS for IAM principals (not AWS Backup: every vault uses the backup key), no grants, and narrowly conditioned Logs, CloudTrail, EventBridge and CloudWatch", async () => {
          await build(env);
          const statements = statementsOf("audit");
          assert.deepStrictEqual(
            statements.map((s) => s.Sid),
            [
              "KeyAdministrationByAccount",
              "KeyUseThroughAwsServices",
              "CloudWatchLogsEncryptPlatformLogGroups",
              "CloudTrailEncryptLogFiles",
              "CloudTrailDecryptWithS3BucketKey",
              "CloudTrailDescribeKey",
              "EventBridgePublishToEncryptedTopics",
              "CloudWatchAlarmsPublishToEncryptedTopics",
            ],
          );
          assert.deepStrictEqual((bySid(statements, "KeyUseThroughAwsServices").Condition as Record<string, unknown>).StringEquals, {
            "kms:CallerAccount": ACCOUNT_ID,
            "kms:ViaService": ["s3.us-east-1.amazonaws.com", "sns.us-east-1.amazonaws.com"],
          });
          // No vault uses the audit key any more (both use the backup key), so nothing may grant on it.
          assert.deepStrictEqual(
            statements.filter((s) => allows(s, "kms:CreateGrant")),
            [],
          );

          assert.deepStrictEqual(bySid(statements, "CloudWatchLogsEncryptPlatformLogGroups"), {
            Sid: "CloudWatchLogsEncryptPlatformLogGroups",
            Effect: "Allow",
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Principal: { Service: "logs.us-east-1.amazonaws.com" },
            Condition: {
              ArnLike: {
                "kms:EncryptionContext:aws:logs:arn": [
                  `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:/hcp/${env}/*`,
                  `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:/aws/lambda/hcp-${env}-*`,
                  `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:aws-waf-logs-hcp-${env}-*`,
                  `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:/aws/rds/instance/hcp-${env}-*`,
                ],
              },
            },
          });

          const trailArn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT_ID}:trail/hcp-${env}-audit`;
          assert.deepStrictEqual(bySid(statements, "CloudTrailEncryptLogFiles"), {
            Sid: "CloudTrailEncryptLogFiles",
            Effect: "Allow",
            Action: "kms:GenerateDataKey*",
            Resource: "*",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Condition: {
              StringEquals: { "aws:SourceArn": trailArn },
              StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${ACCOUNT_ID}:trail/*` },
            },
          });
          assert.deepStrictEqual(bySid(statements, "CloudTrailDescribeKey"), {
            Sid: "CloudTrailDescribeKey",
            Effect: "Allow",
            Action: "kms:DescribeKey",
            Resource: "*",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Condition: { StringEquals: { "aws:SourceArn": trailArn } },
          });

          assert.deepStrictEqual(bySid(statements, "CloudTrailDecryptWithS3BucketKey"), {
            Sid: "CloudTrailDecryptWithS3BucketKey",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: "*",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Condition: { StringEquals: { "aws:SourceArn": trailArn } },
          });

          // AWS supports no aws:Source* key in a key policy for EventBridge -> encrypted topic: any
          // condition there drops every alert silently. The topic policy narrows publishing instead.
          assert.deepStrictEqual(bySid(statements, "EventBridgePublishToEncryptedTopics"), {
            Sid: "EventBridgePublishToEncryptedTopics",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resource: "*",
            Principal: { Service: "events.amazonaws.com" },
          });
          assert.deepStrictEqual(bySid(statements, "CloudWatchAlarmsPublishToEncryptedTopics"), {
            Sid: "CloudWatchAlarmsPublishToEncryptedTopics",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resource: "*",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Condition: {
              StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
              ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${ACCOUNT_ID}:alarm:hcp-${env}-*` },
            },
          });

          // Server access logs go to SSE-S3 buckets (S3 supports nothing else): no log-delivery grant.
          assert.ok(
            !statements.some((st) => JSON.stringify(st.Principal ?? "").includes("logging.s3.amazonaws.com")),
            "the audit key must not grant logging.s3.amazonaws.com",
          );
        });
      });
    });
  }

  it("lets more trails encrypt with the audit key when trailNames is given", async () => {
    await build("prod", { trailNames: ["hcp-prod-audit", "hcp-prod-data-events"] });
    const statements = statementsOf("audit");
    const arns = [
      `arn:aws:cloudtrail:us-east-1:${ACCOUNT_ID}:trail/hcp-prod-audit`,
      `arn:aws:cloudtrail:us-east-1:${ACCOUNT_ID}:trail/hcp-prod-data-events`,
    ];
    for (const sid of ["CloudTrailEncryptLogFiles", "CloudTrailDecryptWithS3BucketKey", "CloudTrailDescribeKey"]) {
      const condition = bySid(statements, sid).Condition as Record<string, Record<string, unknown>>;
      assert.deepStrictEqual(condition.StringEquals["aws:SourceArn"], arns, sid);
    }
  });

  it("takes a custom deletion window and rotation period", async () => {
    await build("dev", { deletionWindowInDays: 14, rotationPeriodInDays: 180 });
    for (const purpose of ["phi", "audit"]) {
      assert.strictEqual(keyOf(purpose).inputs.deletionWindowInDays, 14);
      assert.strictEqual(keyOf(purpose).inputs.rotationPeriodInDays, 180);
    }
  });
});
