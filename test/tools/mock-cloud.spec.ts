import * as assert from "assert";
import { installMocks, ACCOUNT_ID, REGION, policyOf } from "../mocks";
import { renderPolicyDocument } from "../../tools/mock-cloud";

const cloud = installMocks();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aws: typeof import("@pulumi/aws") = require("@pulumi/aws");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pulumi: typeof import("@pulumi/pulumi") = require("@pulumi/pulumi");

describe("mock cloud", () => {
  beforeEach(() => cloud.reset());

  it("records parent, property dependencies and protect flags from the SDK's registration", async () => {
    class Box extends pulumi.ComponentResource {
      constructor(name: string) {
        super("healthcare:test:Box", name, {}, {});
        const role = new aws.iam.Role(`${name}-role`, { assumeRolePolicy: "{}" }, { parent: this, protect: true });
        new aws.iam.RolePolicy(`${name}-policy`, { role: role.name, policy: "{}" }, { parent: this, retainOnDelete: true });
        this.registerOutputs({});
      }
    }
    const box = new Box("box");
    await cloud.settle();
    const role = cloud.one("aws:iam/role:Role");
    const policy = cloud.one("aws:iam/rolePolicy:RolePolicy");
    const boxUrn = await new Promise<string>((resolve) => box.urn.apply(resolve));
    assert.strictEqual(role.parent, boxUrn);
    assert.strictEqual(role.protect, true);
    assert.strictEqual(policy.retainOnDelete, true);
    assert.deepStrictEqual(policy.propertyDependencies.role, [role.urn]);
    assert.ok(policy.dependencies.includes(role.urn));
    assert.match(String(role.outputs.arn), new RegExp(`^arn:aws:iam::${ACCOUNT_ID}:role/box-role-[0-9a-f]{7}$`));
    assert.match(boxUrn, /^urn:pulumi:test::healthcare-platform::healthcare:test:Box::box$/);
    assert.match(role.urn, /^urn:pulumi:test::healthcare-platform::healthcare:test:Box\$aws:iam\/role:Role::box-role$/);
  });

  it("gives EC2 resources well-formed ids and ARNs", async () => {
    const vpc = new aws.ec2.Vpc("v", { cidrBlock: "10.0.0.0/16" });
    await cloud.settle();
    const rec = cloud.one("aws:ec2/vpc:Vpc");
    assert.match(String(rec.id), /^vpc-[0-9a-f]{17}$/);
    assert.strictEqual(rec.outputs.arn, `arn:aws:ec2:${REGION}:${ACCOUNT_ID}:vpc/${rec.id}`);
    assert.match(await new Promise<string>((r) => vpc.defaultSecurityGroupId.apply(r)), /^sg-[0-9a-f]{17}$/);
  });

  it("answers caller identity, region and availability zones, and refuses unknown invokes", async () => {
    const id = await aws.getCallerIdentity();
    assert.strictEqual(id.accountId, ACCOUNT_ID);
    const azs = await aws.getAvailabilityZones({ state: "available" });
    assert.deepStrictEqual(azs.names.slice(0, 3), ["us-east-1a", "us-east-1b", "us-east-1c"]);
    await assert.rejects(aws.ec2.getVpc({ default: true }), /no mock for invoke aws:ec2\/getVpc:getVpc/);
  });

  it("renders getPolicyDocument like the provider: single values as strings, conditions merged", async () => {
    const doc = await aws.iam.getPolicyDocument({
      statements: [
        {
          sid: "Logs",
          actions: ["kms:Decrypt"],
          resources: ["*"],
          principals: [{ type: "Service", identifiers: ["logs.us-east-1.amazonaws.com"] }],
          conditions: [{ test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: ["arn:aws:logs:*"] }],
        },
        { effect: "Deny", actions: ["s3:*"], resources: ["a", "b"], principals: [{ type: "*", identifiers: ["*"] }] },
      ],
    });
    const parsed = policyOf(doc.json);
    assert.deepStrictEqual(parsed.Statement[0], {
      Sid: "Logs",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: "*",
      Principal: { Service: "logs.us-east-1.amazonaws.com" },
      Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:*" } },
    });
    assert.deepStrictEqual(parsed.Statement[1], { Effect: "Deny", Action: "s3:*", Resource: ["a", "b"], Principal: "*" });
    assert.throws(() => renderPolicyDocument({ statements: [], sourcePolicyDocuments: ["{}"] }), /not rendered/);
  });
});
