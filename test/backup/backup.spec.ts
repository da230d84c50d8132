/**
 * Backup: the audit records' long-term copy (vault under the audit key, compliance lock in prod,
 * daily plan kept the data retention, selection with its service role, copies to the recovery region).
 */
import * as assert from "assert";
import { installMocks, testConfig, ACCOUNT_ID, REGION, policyOf, RecordedResource } from "../mocks";
import { testPlatform } from "../support/platform";

const cloud = installMocks();
// Program modules only after the mocks are installed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const backup: typeof import("../../components/backup") = require("../../components/backup");

const AUDIT_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/aaaaaaaa-2222-4333-a444-555555555555`;
const PHI_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/pppppppp-2222-4333-a444-555555555555`;
const RECOVERY_KEY_ARN = `arn:aws:kms:us-west-2:${ACCOUNT_ID}:key/bbbbbbbb-2222-4333-a444-555555555555`;
const RECOVERY_VAULT_ARN = `arn:aws:backup:us-west-2:${ACCOUNT_ID}:backup-vault:hcp-prod-records-copy`;
const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/hcp-prod-audit`;
const COPY_TO = { vaultArn: RECOVERY_VAULT_ARN, kmsKeyArn: RECOVERY_KEY_ARN, region: "us-west-2" };
const ACCESS_LOG_BUCKET = `hcp-prod-access-logs-${ACCOUNT_ID}-${REGION}`;

const T = {
  vault: "aws:backup/vault:Vault",
  lock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
  plan: "aws:backup/plan:Plan",
  selection: "aws:backup/selection:Selection",
  role: "aws:iam/role:Role",
  policy: "aws:iam/policy:Policy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
};

type Args = import("../../components/backup").BackupArgs;
async function build(env: "dev" | "prod" = "prod", extra: Partial<Args> = {}, overrides: Record<string, string> = {}) {
  const component = new backup.Backup("backup", {
    platform: testPlatform(testConfig(env, overrides), { keyArns: { backup: AUDIT_KEY_ARN }, accessLogBucket: ACCESS_LOG_BUCKET }),
    resources: [{ arn: TABLE_ARN, kmsKeyArn: PHI_KEY_ARN, service: "dynamodb" }],
    copyTo: env === "prod" ? COPY_TO : undefined,
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
type Rule = {
  lifecycle: { deleteAfter: number };
  copyActions?: { destinationVaultArn: string; lifecycle: { deleteAfter: number } }[];
  targetVaultName: string;
  schedule: string;
};

describe("Backup", () => {
  beforeEach(() => cloud.reset());

  describe("vault", () => {
    it("is encrypted with the given key and named hcp-<stack>-records", async () => {
      const component = await build("prod");
      const vault = cloud.one(T.vault);
      assert.strictEqual(vault.inputs.kmsKeyArn, AUDIT_KEY_ARN);
      assert.strictEqual(vault.inputs.name, "hcp-prod-records");
      assert.strictEqual(await new Promise<string>((r) => component.vaultName.apply(r)), "hcp-prod-records");
      assert.strictEqual((vault.inputs.tags as Record<string, string>).DataClassification, "PHI");
    });

    it("prod: compliance-mode lock (changeableForDays >= 3) with a minimum retention of dataRetentionInDays; vault and lock protected and retained", async () => {
      await build("prod");
      const lock = cloud.one(T.lock);
      assert.strictEqual(lock.inputs.backupVaultName, "hcp-prod-records");
      assert.strictEqual(lock.inputs.minRetentionDays, 2192);
      assert.strictEqual(lock.inputs.changeableForDays, 3, "changeableForDays set = compliance mode");
      for (const r of [cloud.one(T.vault), lock]) {
        assert.strictEqual(r.protect, true, r.name);
        assert.strictEqual(r.retainOnDelete, true, r.name);
      }
      assert.strictEqual(cloud.one(T.vault).inputs.forceDestroy, false);
    });

    it("dev: no lock, nothing protected, the vault may be destroyed with its recovery points", async () => {
      await build("dev");
      assert.strictEqual(cloud.ofType(T.lock).length, 0);
      assert.strictEqual(cloud.one(T.vault).inputs.forceDestroy, true);
      assert.ok(cloud.resources.every((r) => !r.protect && !r.retainOnDelete));
    });
  });

  describe("plan", () => {
    it("backs up daily into the vault and keeps every recovery point dataRetentionInDays (prod: 2192)", async () => {
      await build("prod");
      const [rule] = cloud.one(T.plan).inputs.rules as Rule[];
      assert.strictEqual(rule.targetVaultName, "hcp-prod-records");
      assert.strictEqual(rule.schedule, "cron(0 5 ? * * *)");
      assert.strictEqual(rule.lifecycle.deleteAfter, 2192);
    });

    it("prod copies every recovery point to the recovery vault, kept as long", async () => {
      await build("prod");
      const [rule] = cloud.one(T.plan).inputs.rules as Rule[];
      assert.deepStrictEqual(rule.copyActions, [{ destinationVaultArn: RECOVERY_VAULT_ARN, lifecycle: { deleteAfter: 2192 } }]);
    });

    it("dev keeps recovery points its own retention and copies nowhere", async () => {
      await build("dev");
      const [rule] = cloud.one(T.plan).inputs.rules as Rule[];
      assert.strictEqual(rule.lifecycle.deleteAfter, 30);
      assert.strictEqual(rule.copyActions, undefined);
    });

    it("selects exactly the given resources, with the backup role, after its permissions exist", async () => {
      await build("prod");
      const selection = cloud.one(T.selection);
      assert.deepStrictEqual(selection.inputs.resources, [TABLE_ARN]);
      assert.strictEqual(selection.inputs.planId, cloud.one(T.plan).id);
      assert.strictEqual(selection.inputs.iamRoleArn, cloud.one(T.role).outputs.arn);
      for (const a of cloud.ofType(T.attachment)) assert.ok(selection.dependencies.includes(a.urn), a.name);
    });
  });

  describe("service role", () => {
    it("trusts AWS Backup, bound to this account whenever AWS Backup sends aws:SourceAccount", async () => {
      await build("prod");
      const [trust] = policyOf(cloud.one(T.role).inputs.assumeRolePolicy).Statement;
      assert.deepStrictEqual(trust.Principal, { Service: "backup.amazonaws.com" });
      assert.deepStrictEqual(trust.Condition, { StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT_ID } });
    });

    it("attaches AWSBackupServiceRolePolicyForBackup, not ...ForRestores (restores pass a role of their own)", async () => {
      await build("prod");
      const managed = cloud
        .ofType(T.attachment)
        .map((a) => String(a.inputs.policyArn))
        .filter((a) => a.startsWith("arn:aws:iam::aws:"));
      assert.deepStrictEqual(managed, ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"]);
    });

    it("uses the vault keys only through AWS Backup of their region, the table's key only through DynamoDB", async () => {
      await build("prod");
      const policy = cloud.one(T.policy);
      const via = (s: Record<string, unknown>) => (s.Condition as Record<string, Record<string, string>>).StringEquals["kms:ViaService"];
      const use = bySid(policy, "UseVaultKeyThroughBackup");
      assert.strictEqual(use.Resource, AUDIT_KEY_ARN);
      assert.strictEqual(via(use), `backup.${REGION}.amazonaws.com`);
      const grants = bySid(policy, "UseVaultKeyGrantsThroughBackup");
      assert.deepStrictEqual(grants.Action, "kms:CreateGrant");
      assert.deepStrictEqual((grants.Condition as Record<string, unknown>).Bool, { "kms:GrantIsForAWSResource": "true" });
      const copyUse = bySid(policy, "UseRecoveryVaultKeyThroughBackup");
      assert.strictEqual(copyUse.Resource, RECOVERY_KEY_ARN);
      assert.strictEqual(via(copyUse), "backup.us-west-2.amazonaws.com");
      const table = bySid(policy, "ReadProtectedResource0KeyThroughItsService");
      assert.deepStrictEqual(
        [table.Resource, table.Action, via(table)],
        [PHI_KEY_ARN, ["kms:Decrypt", "kms:DescribeKey"], `dynamodb.${REGION}.amazonaws.com`],
      );
      assert.deepStrictEqual(bySid(policy, "CopyIntoRecoveryVault"), {
        Sid: "CopyIntoRecoveryVault",
        Effect: "Allow",
        Action: "backup:CopyIntoBackupVault",
        Resource: RECOVERY_VAULT_ARN,
      });
      for (const s of statementsOf(policy)) assert.notStrictEqual(s.Resource, "*", String(s.Sid));
    });

    it("dev: no recovery key or vault in the policy", async () => {
      await build("dev");
      const sids = statementsOf(cloud.one(T.policy)).map((s) => s.Sid);
      assert.ok(!sids.some((s) => String(s).includes("Recovery")), sids.join(", "));
    });
  });

  describe("argument validation", () => {
    it("refuses a retention below dataRetentionInDays, before registering anything", async () => {
      assert.throws(
        () =>
          new backup.Backup("b", {
            platform: testPlatform(testConfig("prod"), { keyArns: { backup: AUDIT_KEY_ARN }, accessLogBucket: ACCESS_LOG_BUCKET }),
            resources: [],
            copyTo: COPY_TO,
            retentionInDays: 30,
          }),
        (e: Error) => {
          assert.match(e.message, /retentionInDays must be a whole number of at least config.dataRetentionInDays \(2192\), got 30/);
          assert.match(e.message, /resources must list at least one resource/);
          return true;
        },
      );
      await cloud.settle();
      assert.deepStrictEqual(cloud.resources, []);
    });

    it("refuses prod without a copy to the recovery region", () => {
      assert.throws(
        () =>
          new backup.Backup("b", {
            platform: testPlatform(testConfig("prod"), { keyArns: { backup: AUDIT_KEY_ARN }, accessLogBucket: ACCESS_LOG_BUCKET }),
            resources: [{ arn: TABLE_ARN, kmsKeyArn: PHI_KEY_ARN, service: "dynamodb" }],
          }),
        /copyTo is required in prod/,
      );
    });

    it("refuses a grace period shorter than AWS Backup's 72-hour cooling-off", () => {
      assert.throws(
        () =>
          new backup.Backup("b", {
            platform: testPlatform(testConfig("prod"), { keyArns: { backup: AUDIT_KEY_ARN }, accessLogBucket: ACCESS_LOG_BUCKET }),
            resources: [],
            copyTo: COPY_TO,
            changeableForDays: 2,
          }),
        /changeableForDays must be a whole number of at least 3/,
      );
    });

    const cases: [string, Parameters<typeof backup.backupArgProblems>[0], RegExp | undefined][] = [
      [
        "valid prod",
        {
          retentionInDays: 2192,
          dataRetentionInDays: 2192,
          resourceCount: 1,
          lock: { minRetentionInDays: 2192, changeableForDays: 3 },
          copies: true,
          environment: "prod",
        },
        undefined,
      ],
      [
        "retention below the lock",
        {
          retentionInDays: 2192,
          dataRetentionInDays: 30,
          resourceCount: 1,
          lock: { minRetentionInDays: 3000, changeableForDays: 3 },
          copies: true,
          environment: "prod",
        },
        /at least the vault lock's minRetentionInDays \(3000\)/,
      ],
      [
        "fractional retention",
        { retentionInDays: 30.5, dataRetentionInDays: 30, resourceCount: 1, lock: undefined, copies: false, environment: "dev" },
        /retentionInDays must be a whole number/,
      ],
      [
        "zero lock retention",
        {
          retentionInDays: 30,
          dataRetentionInDays: 30,
          resourceCount: 1,
          lock: { minRetentionInDays: 0, changeableForDays: 3 },
          copies: false,
          environment: "dev",
        },
        /lock.minRetentionInDays must be a whole number of days from 1 to 36500/,
      ],
    ];
    for (const [name, settings, expected] of cases) {
      it(`backupArgProblems: ${name}`, () => {
        const problems = backup.backupArgProblems(settings);
        if (expected === undefined) assert.deepStrictEqual(problems, []);
        else
          assert.ok(
            problems.some((p) => expected.test(p)),
            problems.join("\n"),
          );
      });
    }

    it("lockFor: compliance lock of dataRetentionInDays in prod, none in dev", () => {
      assert.deepStrictEqual(backup.Backup.lockFor(testConfig("prod")), { minRetentionInDays: 2192, changeableForDays: 3 });
      assert.strictEqual(backup.Backup.lockFor(testConfig("dev", { protectData: "true" })), undefined);
    });
  });
});
