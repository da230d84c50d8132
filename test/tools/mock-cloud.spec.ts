import * as assert from "assert";
import { installMocks, ACCOUNT_ID, REGION, policyOf } from "../mocks";
import { renderPolicyDocument, zoneIdPrefix } from "../../tools/mock-cloud";

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

  describe("regions", () => {
    it("forms zone ids the way AWS does: country, direction initials, number", () => {
      const table: [string, string][] = [
        ["us-east-1", "use1"], ["us-west-2", "usw2"], ["eu-central-1", "euc1"], ["ap-south-1", "aps1"],
        ["ap-southeast-2", "apse2"], ["ap-northeast-1", "apne1"], ["sa-east-1", "sae1"], ["us-gov-west-1", "usgw1"],
      ];
      for (const [region, prefix] of table) assert.strictEqual(zoneIdPrefix(region), prefix, region);
    });

    const WEST = "us-west-2";
    const resolve = <V>(o: import("@pulumi/pulumi").Output<V>) => new Promise<V>((r) => o.apply(r));
    const westProvider = () => new aws.Provider("mock-west", { region: WEST });

    it("gives resources under an explicit us-west-2 provider us-west-2 ARNs and regions; the default provider stays us-east-1", async () => {
      const provider = westProvider();
      new aws.kms.Key("west-key", {}, { provider });
      new aws.s3.Bucket("west-bucket", { bucket: "west-bucket" }, { provider });
      new aws.sqs.Queue("west-queue", { name: "west-queue" }, { provider });
      new aws.kms.Key("east-key", {});
      new aws.s3.Bucket("east-bucket", { bucket: "east-bucket" });
      await cloud.settle();
      const westKey = cloud.one("aws:kms/key:Key", "west-key");
      assert.strictEqual(westKey.outputs.arn, `arn:aws:kms:${WEST}:${ACCOUNT_ID}:key/${westKey.id}`);
      const eastKey = cloud.one("aws:kms/key:Key", "east-key");
      assert.strictEqual(eastKey.outputs.arn, `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${eastKey.id}`);
      const westBucket = cloud.one("aws:s3/bucket:Bucket", "west-bucket").outputs;
      assert.strictEqual(westBucket.region, WEST);
      assert.strictEqual(westBucket.bucketRegionalDomainName, `west-bucket.s3.${WEST}.amazonaws.com`);
      assert.strictEqual(westBucket.arn, "arn:aws:s3:::west-bucket");
      const eastBucket = cloud.one("aws:s3/bucket:Bucket", "east-bucket").outputs;
      assert.strictEqual(eastBucket.region, REGION);
      assert.strictEqual(eastBucket.bucketRegionalDomainName, `east-bucket.s3.${REGION}.amazonaws.com`);
      const queue = cloud.one("aws:sqs/queue:Queue", "west-queue").outputs;
      assert.strictEqual(queue.arn, `arn:aws:sqs:${WEST}:${ACCOUNT_ID}:west-queue`);
      assert.strictEqual(queue.url, `https://sqs.${WEST}.amazonaws.com/${ACCOUNT_ID}/west-queue`);
    });

    it("keeps IAM ARNs regionless under any provider", async () => {
      new aws.iam.Role("west-role", { name: "west-role", assumeRolePolicy: "{}" }, { provider: westProvider() });
      await cloud.settle();
      assert.strictEqual(cloud.one("aws:iam/role:Role").outputs.arn, `arn:aws:iam::${ACCOUNT_ID}:role/west-role`);
    });

    it("resources inherit the region of a provider given to their parent component", async () => {
      class Regional extends pulumi.ComponentResource {
        constructor(name: string, opts: import("@pulumi/pulumi").ComponentResourceOptions) {
          super("healthcare:test:Regional", name, {}, opts);
          new aws.kms.Key(`${name}-key`, {}, { parent: this });
        }
      }
      new Regional("regional", { providers: [westProvider()] });
      await cloud.settle();
      assert.match(String(cloud.one("aws:kms/key:Key").outputs.arn), new RegExp(`^arn:aws:kms:${WEST}:${ACCOUNT_ID}:key/`));
    });

    it("answers getRegion with the explicit provider's region, and us-east-1 for the default provider", async () => {
      const west = aws.getRegionOutput({}, { provider: westProvider() });
      assert.strictEqual(await resolve(west.region), WEST);
      assert.strictEqual(await resolve(west.name), WEST);
      assert.strictEqual(await resolve(west.endpoint), `ec2.${WEST}.amazonaws.com`);
      assert.strictEqual(await resolve(west.description), "US West (Oregon)");
      const east = aws.getRegionOutput({});
      assert.strictEqual(await resolve(east.region), REGION);
      assert.strictEqual(await resolve(east.description), "US East (N. Virginia)");
    });

    it("answers getRegion of a child with its parent component's provider", async () => {
      class Regional extends pulumi.ComponentResource {
        readonly region: import("@pulumi/pulumi").Output<string>;
        constructor(name: string, opts: import("@pulumi/pulumi").ComponentResourceOptions) {
          super("healthcare:test:Regional", name, {}, opts);
          this.region = aws.getRegionOutput({}, { parent: this }).region;
        }
      }
      assert.strictEqual(await resolve(new Regional("regional", { providers: [westProvider()] }).region), WEST);
    });

    it("answers getAvailabilityZones with the explicit provider's zones and zone ids, and us-east-1's for the default provider", async () => {
      const west = aws.getAvailabilityZonesOutput({ state: "available" }, { provider: westProvider() });
      assert.deepStrictEqual(await resolve(west.names), ["a", "b", "c", "d", "e", "f"].map((z) => `${WEST}${z}`));
      assert.deepStrictEqual(await resolve(west.zoneIds), [1, 2, 3, 4, 5, 6].map((n) => `usw2-az${n}`));
      const east = aws.getAvailabilityZonesOutput({ state: "available" });
      assert.deepStrictEqual(await resolve(east.names), ["a", "b", "c", "d", "e", "f"].map((z) => `${REGION}${z}`));
      assert.deepStrictEqual(await resolve(east.zoneIds), [1, 2, 3, 4, 5, 6].map((n) => `use1-az${n}`));
    });
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
