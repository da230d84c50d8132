/**
 * The application tier's AWS behaviour beyond the behaviour table: its rows
 * (test/aws/application-rows.ts) are in ROWS and its roles among the simulated ones, so
 * test/aws/behaviour.spec.ts evaluates them and their probes on every plan. Here, simulated against
 * both plans with iam-simulate: a call no row makes (another database's secret), and the paths whose
 * caller is not a role or service of the plan: the regional ELB account delivering access logs, the
 * Auto Scaling service-linked role using the PHI key, and the developers group's MFA policy (without
 * MFA only enrolment is allowed; with MFA the group's permissions apply).
 */
import * as assert from "assert";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { APPLICATION_ROWS } from "../aws/application-rows";
import { ROWS, rowsOf, type Row } from "../aws/behaviour";
import type { PolicyIndex } from "../aws/policy-index";
import { probesFor } from "../aws/probes";
import { simulate } from "../aws/simulate";
import { loadPlan, planSpec, STACKS } from "../support/plans";
import { developersPolicyStatements, MFA_ENROLMENT_ACTIONS } from "../../components/application/people";
import { renderPolicyDocument } from "../../tools/mock-cloud";

async function decide(
  principal: string,
  action: string,
  resource: string,
  context: Record<string, string | string[]>,
  identity: unknown[],
  resourcePolicy?: unknown,
) {
  const result = await runSimulation(
    {
      request: { principal, action, resource: { resource, accountId: "123456789012" }, contextVariables: context },
      identityPolicies: identity.map((policy, i) => ({ name: `identity-${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
    },
    {},
  );
  if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

for (const stack of STACKS) {
  describe(`application tier behaviour on AWS, ${stack} plan`, function () {
    this.timeout(120_000);
    let ix: PolicyIndex;
    let rows: Row[];
    before(async () => {
      ix = await loadPlan(planSpec(stack));
      rows = rowsOf(ix, APPLICATION_ROWS);
    });

    it("has rows for the instance role, the monitoring role and the tier's log groups", () => {
      assert.ok(rows.some((r) => r.id.startsWith("application instance-role:")));
      assert.ok(rows.some((r) => r.id.startsWith("application db-monitoring:")));
      assert.ok(rows.some((r) => r.id.startsWith("application waf-logs key")));
      assert.ok(rows.some((r) => r.id.startsWith("application rds-logs key")));
    });

    it("its rows and its roles' probes are the behaviour table's (test/aws/behaviour.spec.ts evaluates them on every plan)", () => {
      assert.deepStrictEqual(
        APPLICATION_ROWS.filter((source) => !ROWS.includes(source)).map((source) => source.name),
        [],
      );
      const all = rowsOf(ix);
      for (const role of [`hcp-${stack}-app-instance`, `hcp-${stack}-app-db-monitoring`]) {
        assert.ok(
          all.some((r) => "role" in r.caller && r.caller.role === role),
          `${role} is a simulated role`,
        );
        const ids = (from: readonly Row[]) => probesFor(ix, role, from).map((p) => p.id);
        assert.deepStrictEqual(ids(all), ids(rows), `${role}: the table probes it as the tier's rows alone would`);
      }
    });

    describe("the tier's roles are denied the dangerous calls", () => {
      it("the instance role cannot read another database's secret", async () => {
        const secret = `arn:aws:secretsmanager:${ix.region}:${ix.account}:secret:rds!db-other-AbCdEf`;
        const verdict = await simulate(ix, {
          caller: { role: `hcp-${stack}-app-instance` },
          action: "secretsmanager:GetSecretValue",
          resource: secret,
          context: { "aws:ResourceTag/aws:rds:primaryDBInstanceArn": `arn:aws:rds:${ix.region}:${ix.account}:db:someone-elses-db` },
        });
        assert.notStrictEqual(verdict.decision, "Allowed");
      });
    });

    it("the region's ELB account may write access logs under the prefix only", async () => {
      const bucket = [...ix.buckets.values()].find((b) => b.name.startsWith(`hcp-${stack}-alb-logs-`))!;
      const elb = "arn:aws:iam::127311923021:root";
      // The ELB account's own identity side is AWS's: assumed to allow the delivery.
      const own = [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "*" }] }];
      const ctx = { "aws:SecureTransport": "true" };
      const under = `${bucket.arn}/alb/AWSLogs/${ix.account}/elasticloadbalancing/${ix.region}/2025/01/01/x.log.gz`;
      assert.strictEqual(await decide(elb, "s3:PutObject", under, ctx, own, bucket.policy), "Allowed");
      assert.notStrictEqual(await decide(elb, "s3:PutObject", `${bucket.arn}/elsewhere/x.log.gz`, ctx, own, bucket.policy), "Allowed");
      assert.notStrictEqual(await decide(elb, "s3:GetObject", under, ctx, own, bucket.policy), "Allowed");
      assert.strictEqual(bucket.sseAlgorithm, "AES256", "ELB delivers only into SSE-S3 buckets");
    });

    it("the Auto Scaling service-linked role may use the PHI key for volumes and create grants for AWS resources only", async () => {
      const key = ix.key("encryption-phi-key");
      const slr = `arn:aws:iam::${ix.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_hcp-${stack}-app`;
      for (const action of ["kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt", "kms:ReEncryptFrom", "kms:DescribeKey"]) {
        assert.strictEqual(await decide(slr, action, key.arn, {}, [], key.policy), "Allowed", action);
      }
      assert.strictEqual(await decide(slr, "kms:CreateGrant", key.arn, { "kms:GrantIsForAWSResource": "true" }, [], key.policy), "Allowed");
      assert.notStrictEqual(
        await decide(slr, "kms:CreateGrant", key.arn, { "kms:GrantIsForAWSResource": "false" }, [], key.policy),
        "Allowed",
      );
      assert.notStrictEqual(
        await decide(slr, "kms:Decrypt", ix.key("encryption-audit-key").arn, {}, [], ix.key("encryption-audit-key").policy),
        "Allowed",
      );
    });
  });
}

describe("the developers group's MFA policy, simulated", function () {
  this.timeout(60_000);
  const account = "123456789012";
  const policy = JSON.parse(
    renderPolicyDocument({
      statements: developersPolicyStatements({
        partition: "aws",
        accountId: account,
        region: "us-east-1",
        applicationTag: "hcp-app",
        logGroupArns: [`arn:aws:logs:us-east-1:${account}:log-group:/hcp/prod/application`],
      }),
    }),
  );
  const user = `arn:aws:iam::${account}:user/alice`;
  const instance = `arn:aws:ec2:us-east-1:${account}:instance/i-0123456789abcdef0`;
  const context = (mfa: boolean | undefined): Record<string, string> => ({
    "aws:username": "alice",
    ...(mfa === undefined ? {} : { "aws:MultiFactorAuthPresent": String(mfa) }),
  });
  const session = { "ssm:resourceTag/Application": "hcp-app" };

  it("without MFA (or with long-term keys, which carry no MFA key) only enrolment is allowed", async () => {
    for (const mfa of [false, undefined]) {
      assert.strictEqual(
        await decide(user, "iam:CreateVirtualMFADevice", `arn:aws:iam::${account}:mfa/alice`, context(mfa), [policy]),
        "Allowed",
      );
      assert.strictEqual(
        await decide(user, "iam:EnableMFADevice", `arn:aws:iam::${account}:user/alice`, context(mfa), [policy]),
        "Allowed",
      );
      assert.strictEqual(
        await decide(user, "ssm:StartSession", instance, { ...context(mfa), ...session }, [policy]),
        "ExplicitlyDenied",
        `mfa ${String(mfa)}`,
      );
      assert.strictEqual(
        await decide(user, "iam:DeactivateMFADevice", `arn:aws:iam::${account}:user/alice`, context(mfa), [policy]),
        "ExplicitlyDenied",
      );
      assert.strictEqual(
        await decide(
          user,
          "logs:GetLogEvents",
          `arn:aws:logs:us-east-1:${account}:log-group:/hcp/prod/application:log-stream:i-1`,
          context(mfa),
          [policy],
        ),
        "ExplicitlyDenied",
      );
    }
  });

  it("with MFA the group's permissions apply, and only those", async () => {
    assert.strictEqual(await decide(user, "ssm:StartSession", instance, { ...context(true), ...session }, [policy]), "Allowed");
    assert.strictEqual(
      await decide(
        user,
        "logs:GetLogEvents",
        `arn:aws:logs:us-east-1:${account}:log-group:/hcp/prod/application:log-stream:i-1`,
        context(true),
        [policy],
      ),
      "Allowed",
    );
    assert.notStrictEqual(
      await decide(user, "ssm:StartSession", instance, { ...context(true), "ssm:resourceTag/Application": "other" }, [policy]),
      "Allowed",
    );
    assert.notStrictEqual(await decide(user, "iam:CreateUser", `arn:aws:iam::${account}:user/mallory`, context(true), [policy]), "Allowed");
    assert.notStrictEqual(
      await decide(user, "iam:EnableMFADevice", `arn:aws:iam::${account}:user/bob`, context(true), [policy]),
      "Allowed",
    );
  });

  it("exempts exactly AWS's enrolment actions", () => {
    const deny = policy.Statement.find((s: { Sid: string }) => s.Sid === "DenyAllExceptListedIfNoMFA");
    assert.deepStrictEqual(deny.NotAction, [...MFA_ENROLMENT_ACTIONS]);
  });
});
