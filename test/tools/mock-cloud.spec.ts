import * as assert from "assert";
import { installMocks, ACCOUNT_ID, REGION, policyOf } from "../mocks";
import { renderPolicyDocument, zoneIdPrefix, REGION_ZONES, ENDPOINT_SERVICE_ZONE_GAPS } from "../../tools/mock-cloud";

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

  // What RDS reports for `manageMasterUserPassword`: MasterUserSecret's SecretArn, SecretStatus and
  // KmsKeyId (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-rds-dbinstance-masterusersecret.html,
  // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html). The mock computes it, so a
  // component can type the secret ARN as a string, as a real deploy gives it (no mock-only `undefined`).
  it("computes the RDS managed master secret as RDS reports it, and none without manageMasterUserPassword", async () => {
    const common = { engine: "postgres", instanceClass: "db.t4g.micro", allocatedStorage: 20, username: "app", skipFinalSnapshot: true };
    const managed = new aws.rds.Instance("managed-db", {
      ...common,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/k",
    });
    new aws.rds.Instance("plain-db", { ...common, password: "not-a-real-password" });
    const secretArn = await new Promise<string | undefined>((resolve) =>
      managed.masterUserSecrets.apply((s) => resolve(s?.[0]?.secretArn)),
    );
    await cloud.settle();
    assert.match(String(secretArn), new RegExp(`^arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:rds!db-[0-9a-f-]{36}-[0-9a-f]{6}$`));
    const outputs = cloud.one("aws:rds/instance:Instance", "managed-db").outputs;
    assert.deepStrictEqual(outputs.masterUserSecrets, [
      { secretArn, secretStatus: "active", kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/k" },
    ]);
    assert.deepStrictEqual(cloud.one("aws:rds/instance:Instance", "plain-db").outputs.masterUserSecrets, []);
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
        ["us-east-1", "use1"],
        ["us-west-2", "usw2"],
        ["eu-central-1", "euc1"],
        ["ap-south-1", "aps1"],
        ["ap-southeast-2", "apse2"],
        ["ap-northeast-1", "apne1"],
        ["sa-east-1", "sae1"],
        ["us-gov-west-1", "usgw1"],
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
      assert.deepStrictEqual(
        await resolve(west.names),
        ["a", "b", "c", "d"].map((z) => `${WEST}${z}`),
      );
      assert.deepStrictEqual(
        await resolve(west.zoneIds),
        [1, 2, 3, 4].map((n) => `usw2-az${n}`),
      );
      const east = aws.getAvailabilityZonesOutput({ state: "available" });
      assert.deepStrictEqual(
        await resolve(east.names),
        ["a", "b", "c", "d", "e", "f"].map((z) => `${REGION}${z}`),
      );
      assert.deepStrictEqual(
        await resolve(east.zoneIds),
        [1, 2, 3, 4, 5, 6].map((n) => `use1-az${n}`),
      );
    });

    // AWS's AZ IDs per region (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html).
    const ZONE_IDS: [string, string[]][] = [
      ["us-east-1", ["use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6"]],
      ["us-east-2", ["use2-az1", "use2-az2", "use2-az3"]],
      ["us-west-1", ["usw1-az1", "usw1-az3"]],
      ["us-west-2", ["usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4"]],
      ["eu-west-1", ["euw1-az1", "euw1-az2", "euw1-az3"]],
      ["eu-central-1", ["euc1-az1", "euc1-az2", "euc1-az3"]],
    ];
    it("knows exactly these regions", () => assert.deepStrictEqual(Object.keys(REGION_ZONES).sort(), ZONE_IDS.map(([r]) => r).sort()));
    for (const [region, ids] of ZONE_IDS) {
      it(`${region}: ${ids.length} zones, AWS's AZ IDs ${ids.join(", ")}, names of the region`, async () => {
        const zones = aws.getAvailabilityZonesOutput(
          { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
          { provider: new aws.Provider(`mock-${region}`, { region }) },
        );
        assert.deepStrictEqual(await resolve(zones.zoneIds), ids);
        const names = await resolve(zones.names);
        assert.strictEqual(names.length, ids.length);
        for (const n of names) assert.match(n, new RegExp(`^${region}[a-f]$`));
        assert.strictEqual(new Set(names).size, names.length);
        for (const id of ids) assert.ok(id.startsWith(`${zoneIdPrefix(region)}-az`), id);
      });
    }

    it("answers no zone for an opt-in filter only Local and Wavelength Zones match", async () => {
      const local = aws.getAvailabilityZonesOutput({ filters: [{ name: "opt-in-status", values: ["opted-in"] }] });
      assert.deepStrictEqual(await resolve(local.names), []);
      await assert.rejects(
        aws.getAvailabilityZones({ filters: [{ name: "group-name", values: ["x"] }] }),
        /filter "group-name" is not mocked/,
      );
    });

    it("refuses a region it does not know, naming it, instead of guessing its zones", async () => {
      const provider = new aws.Provider("mock-unknown", { region: "ap-south-2" });
      await assert.rejects(
        aws.getAvailabilityZones({ state: "available" }, { provider }),
        /region "ap-south-2" is not one the mock knows \(us-east-1, /,
      );
      await assert.rejects(
        aws.ec2.getVpcEndpointService({ service: "logs", serviceType: "Interface" }, { provider }),
        /region "ap-south-2" is not one/,
      );
    });
  });

  describe("VPC endpoint services", () => {
    const resolve = <V>(o: import("@pulumi/pulumi").Output<V>) => new Promise<V>((r) => o.apply(r));
    const zonesOf = (service: string, region = REGION, serviceType = "Interface") =>
      resolve(
        aws.ec2.getVpcEndpointServiceOutput(
          { service, serviceType },
          { provider: new aws.Provider(`mock-${region}-${service}`, { region }) },
        ).availabilityZones,
      );

    it("offers logs in all six us-east-1 zones, and the endpoint's service name, type and private DNS", async () => {
      assert.deepStrictEqual(
        await zonesOf("logs"),
        ["a", "b", "c", "d", "e", "f"].map((z) => `${REGION}${z}`),
      );
      const svc = await aws.ec2.getVpcEndpointService({ service: "logs", serviceType: "Interface" });
      assert.strictEqual(svc.serviceName, `com.amazonaws.${REGION}.logs`);
      assert.strictEqual(svc.serviceType, "Interface");
      assert.strictEqual(svc.privateDnsName, `logs.${REGION}.amazonaws.com`);
      assert.strictEqual(svc.owner, "amazon");
    });

    const gaps: [string, string, string[]][] = [
      // service, region, zones offered (the mock leaves use1-az3 = us-east-1c out for these)
      ["lambda", "us-east-1", ["us-east-1a", "us-east-1b", "us-east-1d", "us-east-1e", "us-east-1f"]],
      ["email-smtp", "us-east-1", ["us-east-1a", "us-east-1b", "us-east-1d", "us-east-1e", "us-east-1f"]],
      ["transfer.server", "us-east-1", ["us-east-1a", "us-east-1b", "us-east-1d", "us-east-1e", "us-east-1f"]],
      ["lambda", "us-west-2", ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"]],
      ["sqs", "us-east-1", ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"]],
    ];
    for (const [service, region, offered] of gaps) {
      it(`${region} ${service}: offered in ${offered.length} zone(s)`, async () =>
        assert.deepStrictEqual(await zonesOf(service, region), offered));
    }
    it("documents its gaps by AZ ID: use1-az3 only", () => {
      assert.deepStrictEqual(ENDPOINT_SERVICE_ZONE_GAPS, {
        "us-east-1": { lambda: ["use1-az3"], "email-smtp": ["use1-az3"], "transfer.server": ["use1-az3"] },
      });
    });

    it("looks services up by serviceName too, and answers the gateway services in every zone", async () => {
      const byName = await aws.ec2.getVpcEndpointService({ serviceName: `com.amazonaws.${REGION}.lambda`, serviceType: "Interface" });
      assert.strictEqual(byName.availabilityZones.length, 5);
      assert.strictEqual((await zonesOf("s3", REGION, "Gateway")).length, 6);
    });

    it("answers the public Amazon Linux 2023 AMI parameters offline with a stable AMI id, and no other parameter", async () => {
      const name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
      const first = await aws.ssm.getParameter({ name });
      assert.match(first.value, /^ami-[0-9a-f]{17}$/);
      assert.strictEqual((await aws.ssm.getParameter({ name })).value, first.value);
      await assert.rejects(aws.ssm.getParameter({ name: "/hcp/prod/anything" }), /public Amazon Linux 2023 AMI parameters only/);
    });

    it("refuses unknown services and types, as AWS finds no such endpoint service", async () => {
      await assert.rejects(
        aws.ec2.getVpcEndpointService({ service: "no-such-api", serviceType: "Interface" }),
        /no matching VPC Endpoint Service found: com\.amazonaws\.us-east-1\.no-such-api/,
      );
      await assert.rejects(
        aws.ec2.getVpcEndpointService({ service: "logs", serviceType: "Gateway" }),
        /no matching VPC Endpoint Service found: com\.amazonaws\.us-east-1\.logs \(type Gateway\)/,
      );
      await assert.rejects(
        aws.ec2.getVpcEndpointService({ serviceName: "com.amazonaws.us-west-2.logs" }),
        /not an AWS service of us-east-1/,
      );
    });

    it("withholds a service from zones a test names, until reset()", async () => {
      cloud.withholdEndpointService(REGION, "sqs", ["use1-az1", "use1-az6"]);
      assert.deepStrictEqual(
        await zonesOf("sqs"),
        ["b", "c", "d", "e"].map((z) => `${REGION}${z}`),
      );
      assert.throws(() => cloud.withholdEndpointService(REGION, "sqs", ["usw2-az1"]), /usw2-az1 is not a zone of us-east-1/);
      cloud.reset();
      assert.strictEqual((await zonesOf("sqs")).length, 6);
    });
  });

  describe("settle()", () => {
    it("fails with the program's error when a resource's input fails (instead of hanging), and reset() recovers", async () => {
      const broken = pulumi.output("x").apply((): string => {
        throw new Error("boom: the program failed");
      });
      new aws.iam.Role("broken-role", { assumeRolePolicy: broken });
      await assert.rejects(cloud.settle(), /^Error: boom: the program failed$/);
      cloud.reset();
      new aws.iam.Role("fine-role", { assumeRolePolicy: "{}" });
      await cloud.settle();
      assert.deepStrictEqual(
        cloud.resources.map((r) => r.name),
        ["fine-role"],
      );
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
