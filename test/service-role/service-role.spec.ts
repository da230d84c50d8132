/**
 * createServiceRole: the one builder of IAM roles for AWS services. A role trusts exactly one
 * service principal under confused-deputy conditions, and its permissions are a customer-managed
 * policy attached to it, never an inline policy.
 */
import * as assert from "assert";
import { installMocks, ACCOUNT_ID, REGION, policyOf } from "../mocks";

const cloud = installMocks();
// Program modules only after the mocks are installed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pulumi: typeof import("@pulumi/pulumi") = require("@pulumi/pulumi");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aws: typeof import("@pulumi/aws") = require("@pulumi/aws");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sr: typeof import("../../components/lib/service-role") = require("../../components/lib/service-role");

type Args = import("../../components/lib/service-role").ServiceRoleArgs;

const T = {
  role: "aws:iam/role:Role",
  policy: "aws:iam/policy:Policy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  inlinePolicy: "aws:iam/rolePolicy:RolePolicy",
};

const ROLE_NAME = "hcp-prod-data-processor";
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:hcp-prod-data-processor`;
const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/hcp-prod-audit`;
const TAGS = { Project: "healthcare-platform", Environment: "prod", Compliance: "HIPAA" };

const VALID: Args = {
  roleName: ROLE_NAME,
  description: "data-processor Lambda",
  servicePrincipal: "lambda.amazonaws.com",
  trustConditions: [
    { test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNT_ID] },
    { test: "ArnLike", variable: "aws:SourceArn", values: [FUNCTION_ARN] },
  ],
  statements: [
    { sid: "WriteAuditRecords", effect: "Allow", actions: ["dynamodb:PutItem"], resources: [TABLE_ARN] },
    {
      sid: "ReadConfig",
      effect: "Allow",
      actions: ["ssm:GetParameter"],
      resources: [`arn:aws:ssm:${REGION}:${ACCOUNT_ID}:parameter/hcp/prod/data-processor/config`],
    },
  ],
  tags: TAGS,
};

/** The component the role is built under (the builder's callers are components). */
class Holder extends pulumi.ComponentResource {
  constructor(name: string) {
    super("healthcare:test:Holder", name, {}, {});
  }
}

const urnOf = (r: import("@pulumi/pulumi").Resource) => new Promise<string>((resolve) => r.urn.apply(resolve));

async function build(overrides: Partial<Args> = {}, opts: import("@pulumi/pulumi").CustomResourceOptions = {}) {
  const holder = new Holder("holder");
  const result = sr.createServiceRole("processor-role", { ...VALID, ...overrides }, { parent: holder, ...opts });
  await cloud.settle();
  return { holder, holderUrn: await urnOf(holder), result };
}

describe("createServiceRole", () => {
  beforeEach(() => cloud.reset());

  describe("resources", () => {
    it("creates the role, its managed policy and the attachment <name>-permissions, and never an inline policy", async () => {
      await build();
      assert.deepStrictEqual(
        cloud.resources
          .filter((r) => r.custom)
          .map((r) => `${r.type} ${r.name}`)
          .sort(),
        [`${T.policy} processor-role-policy`, `${T.role} processor-role`, `${T.attachment} processor-role-permissions`].sort(),
      );
      assert.strictEqual(cloud.ofType(T.inlinePolicy).length, 0);
    });

    it("names the role and the policy roleName, with the description and tags given", async () => {
      await build();
      const role = cloud.one(T.role);
      assert.strictEqual(role.inputs.name, ROLE_NAME);
      assert.strictEqual(role.inputs.description, "data-processor Lambda");
      assert.deepStrictEqual(role.inputs.tags, TAGS);
      const policy = cloud.one(T.policy);
      assert.strictEqual(policy.inputs.name, ROLE_NAME);
      assert.strictEqual(policy.inputs.description, `Permissions of ${ROLE_NAME}: data-processor Lambda`);
      assert.deepStrictEqual(policy.inputs.tags, TAGS);
    });

    it("attaches the managed policy to the role by name and ARN, depending on both", async () => {
      await build();
      const role = cloud.one(T.role);
      const policy = cloud.one(T.policy);
      const attachment = cloud.one(T.attachment, "permissions");
      assert.strictEqual(attachment.inputs.role, ROLE_NAME);
      assert.strictEqual(attachment.inputs.policyArn, `arn:aws:iam::${ACCOUNT_ID}:policy/${ROLE_NAME}`);
      assert.strictEqual(attachment.inputs.policyArn, policy.outputs.arn);
      assert.deepStrictEqual(attachment.propertyDependencies.role, [role.urn]);
      assert.deepStrictEqual(attachment.propertyDependencies.policyArn, [policy.urn]);
    });

    it("attaches each AWS-managed policy by its path under arn:aws:iam::aws:policy/, one attachment per path", async () => {
      await build({
        awsManagedPolicies: ["service-role/AWSLambdaVPCAccessExecutionRole", "AWSXRayDaemonWriteAccess"],
      });
      const role = cloud.one(T.role);
      const vpc = cloud.one(T.attachment, "processor-role-service-role-AWSLambdaVPCAccessExecutionRole");
      assert.strictEqual(vpc.inputs.policyArn, "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole");
      assert.strictEqual(vpc.inputs.role, ROLE_NAME);
      assert.deepStrictEqual(vpc.propertyDependencies.role, [role.urn]);
      const xray = cloud.one(T.attachment, "processor-role-AWSXRayDaemonWriteAccess");
      assert.strictEqual(xray.inputs.policyArn, "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess");
      assert.strictEqual(xray.inputs.role, ROLE_NAME);
      assert.strictEqual(cloud.ofType(T.attachment).length, 3);
      assert.strictEqual(cloud.ofType(T.policy).length, 1);
      assert.strictEqual(cloud.ofType(T.inlinePolicy).length, 0);
    });

    it("makes every resource a child of the given parent", async () => {
      const { holderUrn } = await build({ awsManagedPolicies: ["service-role/AWSLambdaVPCAccessExecutionRole"] });
      const custom = cloud.resources.filter((r) => r.custom);
      assert.strictEqual(custom.length, 4);
      for (const r of custom) assert.strictEqual(r.parent, holderUrn, `${r.name} parent`);
    });

    it("applies the given resource options (provider, protect) to every resource", async () => {
      const provider = new aws.Provider("service-role-provider", { region: "us-west-2" });
      await build({ awsManagedPolicies: ["service-role/AWSLambdaVPCAccessExecutionRole"] }, { provider, protect: true });
      const providerRecord = cloud.one("pulumi:providers:aws", "service-role-provider");
      const custom = cloud.resources.filter((r) => r.custom && r.type !== "pulumi:providers:aws");
      assert.strictEqual(custom.length, 4);
      for (const r of custom) {
        assert.strictEqual(r.provider, `${providerRecord.urn}::${String(providerRecord.id)}`, `${r.name} provider`);
        assert.strictEqual(r.protect, true, `${r.name} protect`);
      }
    });
  });

  describe("ready", () => {
    it("holds the attachment of the managed policy, then one per AWS-managed policy, in order", async () => {
      const { result } = await build({
        awsManagedPolicies: ["service-role/AWSLambdaVPCAccessExecutionRole", "AWSXRayDaemonWriteAccess"],
      });
      assert.deepStrictEqual(await Promise.all(result.ready.map(urnOf)), [
        cloud.one(T.attachment, "permissions").urn,
        cloud.one(T.attachment, "AWSLambdaVPCAccessExecutionRole").urn,
        cloud.one(T.attachment, "AWSXRayDaemonWriteAccess").urn,
      ]);
    });

    it("holds only the managed policy's attachment without AWS-managed policies; role and policy are the recorded ones", async () => {
      const { result } = await build();
      assert.deepStrictEqual(await Promise.all(result.ready.map(urnOf)), [cloud.one(T.attachment).urn]);
      assert.strictEqual(await urnOf(result.role), cloud.one(T.role).urn);
      assert.strictEqual(await urnOf(result.policy), cloud.one(T.policy).urn);
    });
  });

  describe("trust policy", () => {
    it("has exactly one statement: Allow sts:AssumeRole to the one service principal under the given conditions", async () => {
      await build();
      assert.deepStrictEqual(policyOf(cloud.one(T.role).inputs.assumeRolePolicy), {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AssumeRoleFromThisAccountOnly",
            Effect: "Allow",
            Action: "sts:AssumeRole",
            Principal: { Service: "lambda.amazonaws.com" },
            Condition: {
              StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
              ArnLike: { "aws:SourceArn": FUNCTION_ARN },
            },
          },
        ],
      });
    });

    it("renders a documented unconditioned path without any Condition (AWS could not satisfy one)", async () => {
      await build({ servicePrincipal: "cloudtrail.amazonaws.com", trustConditions: [], unconditionedTrust: "cloudTrailToCloudWatchLogs" });
      const [statement] = policyOf(cloud.one(T.role).inputs.assumeRolePolicy).Statement;
      assert.deepStrictEqual(statement.Principal, { Service: "cloudtrail.amazonaws.com" });
      assert.strictEqual(statement.Condition, undefined);
    });

    it("resolves conditions given as outputs", async () => {
      await build({
        servicePrincipal: "s3.amazonaws.com",
        trustConditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [pulumi.output(ACCOUNT_ID)] }],
      });
      const [statement] = policyOf(cloud.one(T.role).inputs.assumeRolePolicy).Statement;
      assert.deepStrictEqual(statement.Principal, { Service: "s3.amazonaws.com" });
      assert.deepStrictEqual(statement.Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } });
    });
  });

  describe("permissions policy", () => {
    it("is exactly the given statements", async () => {
      await build();
      assert.deepStrictEqual(policyOf(cloud.one(T.policy).inputs.policy), {
        Version: "2012-10-17",
        Statement: [
          { Sid: "WriteAuditRecords", Effect: "Allow", Action: "dynamodb:PutItem", Resource: TABLE_ARN },
          {
            Sid: "ReadConfig",
            Effect: "Allow",
            Action: "ssm:GetParameter",
            Resource: `arn:aws:ssm:${REGION}:${ACCOUNT_ID}:parameter/hcp/prod/data-processor/config`,
          },
        ],
      });
    });

    it("resolves statements whose resources are outputs", async () => {
      await build({
        statements: [{ sid: "Out", effect: "Allow", actions: ["s3:GetObject"], resources: [pulumi.interpolate`arn:aws:s3:::${"b"}/*`] }],
      });
      assert.deepStrictEqual(policyOf(cloud.one(T.policy).inputs.policy).Statement, [
        { Sid: "Out", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" },
      ]);
    });
  });

  describe("argument validation", () => {
    const NO_SOURCE_CONDITION =
      "trustConditions must hold at least one condition on aws:SourceAccount, aws:SourceArn, aws:SourceOrgID, aws:SourceOrgPaths, sts:ExternalId " +
      "(confused-deputy protection), given as plain data; only the paths in UNCONDITIONED_TRUSTS may go without (set unconditionedTrust)";
    const CLOUDTRAIL_DOC = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html";
    const cases: [string, Partial<Args>, string[]][] = [
      ["valid args", {}, []],
      [
        "an account as principal",
        { servicePrincipal: `arn:aws:iam::${ACCOUNT_ID}:root` },
        [`servicePrincipal must be an AWS service principal such as "lambda.amazonaws.com", got "arn:aws:iam::${ACCOUNT_ID}:root"`],
      ],
      [
        "a wildcard principal",
        { servicePrincipal: "*" },
        ['servicePrincipal must be an AWS service principal such as "lambda.amazonaws.com", got "*"'],
      ],
      [
        "a service principal of another domain",
        { servicePrincipal: "lambda.example.com" },
        ['servicePrincipal must be an AWS service principal such as "lambda.amazonaws.com", got "lambda.example.com"'],
      ],
      ["no trust conditions", { trustConditions: [] }, [NO_SOURCE_CONDITION]],
      ["no statements", { statements: [] }, ["statements must grant at least one permission (a role without permissions is a mistake)"]],
      [
        "a condition that binds no source (any account's service could assume it)",
        { trustConditions: [{ test: "StringEquals", variable: "aws:PrincipalTag/team", values: ["data"] }] },
        [NO_SOURCE_CONDITION],
      ],
      [
        "the documented CloudTrail -> CloudWatch Logs path goes without conditions",
        { servicePrincipal: "cloudtrail.amazonaws.com", trustConditions: [], unconditionedTrust: "cloudTrailToCloudWatchLogs" },
        [],
      ],
      [
        "a documented unconditioned path refuses conditions AWS cannot satisfy",
        {
          servicePrincipal: "cloudtrail.amazonaws.com",
          unconditionedTrust: "cloudTrailToCloudWatchLogs",
          trustConditions: [
            { test: "StringEquals", variable: "aws:SourceArn", values: ["arn:aws:cloudtrail:us-east-1:111111111111:trail/x"] },
          ],
        },
        [
          "trustConditions must be empty with unconditionedTrust cloudTrailToCloudWatchLogs: AWS sends no aws:Source* key on this path, " +
            `so a condition makes the role unassumable (${CLOUDTRAIL_DOC})`,
        ],
      ],
      [
        "a documented exception is only for its own service",
        { servicePrincipal: "lambda.amazonaws.com", trustConditions: [], unconditionedTrust: "cloudTrailToCloudWatchLogs" },
        [
          'unconditionedTrust cloudTrailToCloudWatchLogs is documented for cloudtrail.amazonaws.com only, got servicePrincipal "lambda.amazonaws.com"',
        ],
      ],
      [
        "an undocumented exception",
        { trustConditions: [], unconditionedTrust: "lambdaTrustMe" as never },
        [
          'unconditionedTrust must be one of cloudTrailToCloudWatchLogs, ec2InstanceProfile (paths AWS documents without aws:Source* keys), got "lambdaTrustMe"',
        ],
      ],
      ["a China-partition principal is a service principal", { servicePrincipal: "lambda.amazonaws.com.cn" }, []],
      [
        "the same AWS-managed policy twice",
        { awsManagedPolicies: ["AWSXRayDaemonWriteAccess", "AWSXRayDaemonWriteAccess"] },
        ["awsManagedPolicies lists AWSXRayDaemonWriteAccess more than once"],
      ],
      [
        "every problem at once",
        { servicePrincipal: "", trustConditions: [], statements: [] },
        [
          'servicePrincipal must be an AWS service principal such as "lambda.amazonaws.com", got ""',
          NO_SOURCE_CONDITION,
          "statements must grant at least one permission (a role without permissions is a mistake)",
        ],
      ],
    ];
    for (const [title, override, expected] of cases) {
      it(`serviceRoleArgProblems: ${title}`, () => {
        assert.deepStrictEqual(sr.serviceRoleArgProblems({ ...VALID, ...override }), expected);
      });
    }

    it("createServiceRole throws with every problem, naming the role and the args, before creating anything", async () => {
      const holder = new Holder("holder");
      assert.throws(() => sr.createServiceRole("bad-role", { ...VALID, servicePrincipal: "*", trustConditions: [] }, { parent: holder }), {
        message:
          'service role bad-role: servicePrincipal must be an AWS service principal such as "lambda.amazonaws.com", got "*"; ' +
          NO_SOURCE_CONDITION,
      });
      assert.throws(() => sr.createServiceRole("empty-role", { ...VALID, statements: [] }, { parent: holder }), {
        message: "service role empty-role: statements must grant at least one permission (a role without permissions is a mistake)",
      });
      await cloud.settle();
      assert.deepStrictEqual(
        cloud.resources.filter((r) => r.custom),
        [],
      );
    });
  });
});
