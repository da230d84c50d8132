import * as assert from "assert";
import * as path from "path";
import { parse } from "yaml";
import * as fs from "fs";
import {
  CONFIG_SCHEMA,
  HIPAA_RETENTION_FLOOR_DAYS,
  parsePlatformConfig,
  parseStackConfig,
  PLACEHOLDER_ACCOUNT,
  placeholderProblems,
  PlatformConfigError,
  readAwsRegion,
  validateVpcCidr,
} from "../../components/config";
import { offlinePlanProblems } from "../../tools/mock-cloud";
import { validateForPlan } from "../../tools/plan";
import { RAW_CONFIG } from "../mocks";
import { projectKeys, readProjectFile, readStackConfig } from "../../tools/stack-config";

const ROOT = path.resolve(__dirname, "../..");

function problemsOf(raw: Record<string, string>): { key: string; message: string }[] {
  try {
    parsePlatformConfig(raw, { stack: "t" });
  } catch (err) {
    assert.ok(err instanceof PlatformConfigError, `expected PlatformConfigError, got ${String(err)}`);
    return err.problems.map((p) => ({ key: p.key, message: p.message }));
  }
  return [];
}

describe("stack configuration", () => {
  describe("valid configs", () => {
    it("a minimal prod config gets six-year retention, per-AZ NAT, protection and 30-day key deletion by default", () => {
      const c = parsePlatformConfig(
        { environment: "prod", alertEmail: "sec@example.org", recoveryRegion: "us-west-2" },
        { stack: "prod", awsRegion: "us-east-1" },
      );
      assert.strictEqual(c.recoveryRegion, "us-west-2");
      assert.strictEqual(c.logRetentionInDays, HIPAA_RETENTION_FLOOR_DAYS);
      assert.strictEqual(c.dataRetentionInDays, 2192);
      assert.strictEqual(c.reportRetentionInDays, 2192);
      assert.strictEqual(c.eventIndexRetentionInDays, 365, "the event index keeps a year; the S3 archive keeps the six years");
      assert.strictEqual(c.natGatewayMode, "per-az");
      assert.strictEqual(c.availabilityZoneCount, 3);
      assert.strictEqual(c.protectData, true);
      assert.strictEqual(c.kmsDeletionWindowInDays, 30);
      assert.strictEqual(c.enableAccountGuardrails, false);
      assert.deepStrictEqual(c.existingServiceLinkedRoles, [], "the stack creates the service-linked roles it needs");
      assert.deepStrictEqual(
        parsePlatformConfig(
          { ...RAW_CONFIG.prod, existingServiceLinkedRoles: '["macie.amazonaws.com"]' },
          { stack: "prod", awsRegion: "us-east-1" },
        ).existingServiceLinkedRoles,
        ["macie.amazonaws.com"],
      );
      assert.ok(Object.isFrozen(c) && Object.isFrozen(c.extraTags));
    });

    it("dev may be small, short-lived and destroyable", () => {
      const c = parsePlatformConfig({ ...RAW_CONFIG.dev, tags: '["CostCenter=42","Owner=data team"]' }, { stack: "dev" });
      assert.deepStrictEqual(
        [c.environment, c.availabilityZoneCount, c.natGatewayMode, c.logRetentionInDays, c.protectData, c.kmsDeletionWindowInDays],
        ["dev", 2, "single", 30, false, 7],
      );
      assert.strictEqual(
        parsePlatformConfig({ ...RAW_CONFIG.dev, eventIndexRetentionInDays: "30" }, { stack: "dev" }).eventIndexRetentionInDays,
        30,
      );
      assert.strictEqual(c.recoveryRegion, undefined, "dev keeps no replica unless asked");
      assert.deepStrictEqual(c.extraTags, { CostCenter: "42", Owner: "data team" });
    });
  });

  describe("invalid configs: each problem names the key, the value and what is allowed", () => {
    const prod = RAW_CONFIG.prod;
    const cases: { name: string; raw: Record<string, string>; key: string; message: RegExp }[] = [
      { name: "missing environment", raw: { alertEmail: "a@b.org" }, key: "environment", message: /is required/ },
      { name: "unknown environment", raw: { ...prod, environment: "staging" }, key: "environment", message: /one of dev, prod/ },
      { name: "missing alert e-mail", raw: { environment: "dev" }, key: "alertEmail", message: /is required/ },
      { name: "bad e-mail", raw: { ...prod, alertEmail: "security" }, key: "alertEmail", message: /e-mail address/ },
      { name: "CIDR syntax", raw: { ...prod, vpcCidr: "10.0.0/16" }, key: "vpcCidr", message: /IPv4 CIDR/ },
      {
        name: "prod without a recovery region",
        raw: { ...prod, recoveryRegion: "" },
        key: "recoveryRegion",
        message: /prod must replicate PHI to a second region.*pulumi config set recoveryRegion/,
      },
      {
        name: "recovery region not a region code",
        raw: { ...RAW_CONFIG.dev, recoveryRegion: "Oregon" },
        key: "recoveryRegion",
        message: /AWS region code such as us-west-2/,
      },
      { name: "CIDR octet out of range", raw: { ...prod, vpcCidr: "10.0.300.0/16" }, key: "vpcCidr", message: /IPv4 CIDR/ },
      { name: "CIDR too small", raw: { ...prod, vpcCidr: "10.0.0.0/24" }, key: "vpcCidr", message: /\/16 to \/20.*got \/24/ },
      { name: "CIDR too large", raw: { ...prod, vpcCidr: "10.0.0.0/8" }, key: "vpcCidr", message: /\/16 to \/20/ },
      { name: "CIDR host bits", raw: { ...prod, vpcCidr: "10.0.1.0/16" }, key: "vpcCidr", message: /use 10\.0\.0\.0\/16/ },
      { name: "public CIDR", raw: { ...prod, vpcCidr: "52.0.0.0/16" }, key: "vpcCidr", message: /private range/ },
      {
        name: "too few AZs",
        raw: { ...RAW_CONFIG.dev, availabilityZoneCount: "1" },
        key: "availabilityZoneCount",
        message: /from 2 to 6, got 1/,
      },
      { name: "too many AZs", raw: { ...prod, availabilityZoneCount: "7" }, key: "availabilityZoneCount", message: /from 2 to 6/ },
      {
        name: "AZ count not a number",
        raw: { ...prod, availabilityZoneCount: "three" },
        key: "availabilityZoneCount",
        message: /whole number/,
      },
      { name: "prod with 2 AZs", raw: { ...prod, availabilityZoneCount: "2" }, key: "availabilityZoneCount", message: /at least 3/ },
      { name: "prod with a single NAT", raw: { ...prod, natGatewayMode: "single" }, key: "natGatewayMode", message: /per-az/ },
      { name: "NAT mode", raw: { ...prod, natGatewayMode: "none" }, key: "natGatewayMode", message: /one of single, per-az/ },
      {
        name: "retention CloudWatch refuses",
        raw: { ...RAW_CONFIG.dev, logRetentionInDays: "31" },
        key: "logRetentionInDays",
        message: /CloudWatch Logs accepts/,
      },
      {
        name: "prod log retention under six years",
        raw: { ...prod, logRetentionInDays: "365" },
        key: "logRetentionInDays",
        message: /at least 2192 days.*164\.316/,
      },
      {
        name: "prod data retention under six years",
        raw: { ...prod, dataRetentionInDays: "2000" },
        key: "dataRetentionInDays",
        message: /at least 2192/,
      },
      {
        name: "prod report retention under six years",
        raw: { ...prod, reportRetentionInDays: "30" },
        key: "reportRetentionInDays",
        message: /at least 2192/,
      },
      {
        name: "event index retention zero",
        raw: { ...prod, eventIndexRetentionInDays: "0" },
        key: "eventIndexRetentionInDays",
        message: /from 1 to 2192 days.*S3 archive keeps six years.*pulumi config set eventIndexRetentionInDays 365/,
      },
      {
        name: "event index retention beyond the archive's six years",
        raw: { ...prod, eventIndexRetentionInDays: "2193" },
        key: "eventIndexRetentionInDays",
        message: /from 1 to 2192 days, got 2193/,
      },
      {
        name: "event index retention not a whole number",
        raw: { ...RAW_CONFIG.dev, eventIndexRetentionInDays: "30d" },
        key: "eventIndexRetentionInDays",
        message: /whole number of days/,
      },
      {
        name: "KMS window too short",
        raw: { ...RAW_CONFIG.dev, kmsDeletionWindowInDays: "3" },
        key: "kmsDeletionWindowInDays",
        message: /from 7 to 30, got 3/,
      },
      {
        name: "prod KMS window below 30",
        raw: { ...prod, kmsDeletionWindowInDays: "7" },
        key: "kmsDeletionWindowInDays",
        message: /30 days/,
      },
      { name: "prod unprotected", raw: { ...prod, protectData: "false" }, key: "protectData", message: /prod must protect/ },
      { name: "boolean syntax", raw: { ...prod, protectData: "yes" }, key: "protectData", message: /true or false/ },
      {
        name: "Lambda memory",
        raw: { ...prod, dataProcessorMemoryInMb: "64" },
        key: "dataProcessorMemoryInMb",
        message: /from 128 to 10240/,
      },
      {
        name: "reserved concurrency",
        raw: { ...prod, dataProcessorReservedConcurrency: "1001" },
        key: "dataProcessorReservedConcurrency",
        message: /from 0 to 1000/,
      },
      { name: "record size bound", raw: { ...prod, maxRecordSizeInBytes: "0" }, key: "maxRecordSizeInBytes", message: /from 1 to/ },
      {
        name: "classification",
        raw: { ...prod, dataClassification: "Secret" },
        key: "dataClassification",
        message: /PHI, Confidential, Internal, Public/,
      },
      { name: "tags not a list", raw: { ...prod, tags: '{"a":"b"}' }, key: "tags", message: /Key=Value/ },
      {
        name: "tag overriding a mandatory tag",
        raw: { ...prod, tags: '["Compliance=none"]' },
        key: "tags",
        message: /mandatory tag Compliance/,
      },
      { name: "reserved aws: tag", raw: { ...prod, tags: '["aws:foo=bar"]' }, key: "tags", message: /aws:/ },
      {
        name: "a service-linked role the stack does not create",
        raw: { ...prod, existingServiceLinkedRoles: '["es.amazonaws.com"]' },
        key: "existingServiceLinkedRoles",
        message: /opensearchservice\.amazonaws\.com, macie\.amazonaws\.com/,
      },
      {
        name: "a service-linked role listed twice",
        raw: { ...prod, existingServiceLinkedRoles: '["macie.amazonaws.com","macie.amazonaws.com"]' },
        key: "existingServiceLinkedRoles",
        message: /distinct/,
      },
      {
        name: "misspelt key",
        raw: { ...prod, logRetentionDays: "30" },
        key: "logRetentionDays",
        message: /unknown key.*Did you mean "logRetentionInDays"/,
      },
      {
        name: "unknown key",
        raw: { ...prod, enableGremlins: "true" },
        key: "enableGremlins",
        message: /unknown key.*Known keys: environment/,
      },
    ];
    for (const c of cases) {
      it(`${c.name} -> ${c.key}`, () => {
        const problems = problemsOf(c.raw);
        const hit = problems.find((p) => p.key === c.key);
        assert.ok(hit, `expected a problem for ${c.key}, got ${JSON.stringify(problems)}`);
        assert.match(hit.message, c.message);
      });
    }

    it("reports every problem at once, in one error whose message names each key and value", () => {
      try {
        parsePlatformConfig(
          { environment: "prod", alertEmail: "x", vpcCidr: "bad", typo: "1", recoveryRegion: "us-west-2" },
          { stack: "prod" },
        );
        assert.fail("expected an error");
      } catch (err) {
        assert.ok(err instanceof PlatformConfigError);
        assert.deepStrictEqual(err.problems.map((p) => p.key).sort(), ["alertEmail", "typo", "vpcCidr"]);
        assert.match(err.message, /3 problems/);
        assert.match(err.message, /healthcare-platform:vpcCidr = "bad": must be an IPv4 CIDR/);
      }
    });
  });

  it("reserves no Lambda concurrency unless asked (an account's limit may leave no room above Lambda's 100 unreserved)", () => {
    const base = { ...RAW_CONFIG.dev };
    assert.strictEqual(parsePlatformConfig(base, { stack: "dev" }).dataProcessorReservedConcurrency, undefined, "unset: none reserved");
    assert.strictEqual(
      parsePlatformConfig({ ...base, dataProcessorReservedConcurrency: "0" }, { stack: "dev" }).dataProcessorReservedConcurrency,
      undefined,
      "0 means none reserved, never Lambda's 0 (which would throttle every event)",
    );
    assert.strictEqual(
      parsePlatformConfig({ ...base, dataProcessorReservedConcurrency: "50" }, { stack: "dev" }).dataProcessorReservedConcurrency,
      50,
    );
  });

  describe("accessGrants: who may access PHI, reviewed as code", () => {
    const NOW = new Date("2026-11-27T00:00:00Z");
    const parse = (grants: unknown) =>
      parsePlatformConfig({ ...RAW_CONFIG.dev, accessGrants: JSON.stringify(grants) }, { stack: "dev", now: NOW }).accessGrants;
    const problems = (grants: unknown): string[] => {
      try {
        parse(grants);
        return [];
      } catch (err) {
        assert.ok(err instanceof PlatformConfigError);
        return err.problems.map((p) => `${p.key}: ${p.message}`);
      }
    };
    const analyst = { principal: "arn:aws:iam::123456789012:role/analyst", bucket: "phi-data", prefix: "processed/", access: ["read"] };

    it("defaults to none, and keeps valid grants as declared", () => {
      assert.deepStrictEqual(parsePlatformConfig(RAW_CONFIG.dev, { stack: "dev" }).accessGrants, []);
      assert.deepStrictEqual(
        parse([
          analyst,
          { ...analyst, principal: "arn:aws:iam::123456789012:user/ops/jo", access: ["read", "delete"], expiresAt: "2027-01-31" },
        ]),
        [analyst, { ...analyst, principal: "arn:aws:iam::123456789012:user/ops/jo", access: ["read", "delete"], expiresAt: "2027-01-31" }],
      );
    });

    const cases: [string, unknown, RegExp][] = [
      [
        "a wildcard principal",
        [{ ...analyst, principal: "arn:aws:iam::123456789012:role/*" }],
        /accessGrants\[0\]\.principal: must be the ARN of an IAM role or user/,
      ],
      ["an account root", [{ ...analyst, principal: "arn:aws:iam::123456789012:root" }], /accessGrants\[0\]\.principal/],
      [
        "an assumed-role session",
        [{ ...analyst, principal: "arn:aws:sts::123456789012:assumed-role/analyst/jo" }],
        /granted through its role/,
      ],
      [
        "an unknown bucket",
        [{ ...analyst, bucket: "audit-trail" }],
        /accessGrants\[0\]\.bucket: must be a PHI bucket of the platform: phi-data, phi-replica, security-events, security-events-replica/,
      ],
      ["a wildcard prefix", [{ ...analyst, prefix: "processed/*" }], /accessGrants\[0\]\.prefix/],
      [
        "an unknown access",
        [{ ...analyst, access: ["read", "admin"] }],
        /accessGrants\[0\]\.access: must be a non-empty list of distinct read, write, delete/,
      ],
      [
        "an expired grant",
        [{ ...analyst, expiresAt: "2026-01-01" }],
        /accessGrants\[0\]\.expiresAt: is in the past \(2026-01-01\): remove the expired grant/,
      ],
      ["a misspelt field", [{ ...analyst, acess: ["read"] }], /accessGrants\[0\]\.acess: is not a grant field/],
      [
        "the same grant twice",
        [analyst, analyst],
        /accessGrants\[1\]: repeats the grant of arn:aws:iam::123456789012:role\/analyst on phi-data\/processed\//,
      ],
      ["not a list", { principal: "x" }, /accessGrants: must be a list of/],
      [
        "the canary's probe role (its reads must stay denied: each is a canary incident)",
        [analyst, { ...analyst, principal: "arn:aws:iam::123456789012:role/hcp-dev-canary-probe", prefix: "canary/" }],
        /accessGrants\[1\]\.principal: is the canary's probe role hcp-dev-canary-probe, which must stay ungranted/,
      ],
    ];
    for (const [name, grants, expected] of cases) {
      it(`refuses ${name}, naming the grant and the field`, () => {
        const found = problems(grants);
        assert.ok(
          found.some((p) => expected.test(p)),
          found.join("\n"),
        );
      });
    }

    it("reports every bad grant at once", () => {
      assert.strictEqual(
        problems([
          { ...analyst, bucket: "x" },
          { ...analyst, principal: "*", access: [] },
        ]).length,
        3,
      );
    });
  });

  it("refuses a recovery region equal to aws:region (a same-region replica survives no regional outage)", () => {
    assert.throws(
      () => parsePlatformConfig({ ...RAW_CONFIG.prod, recoveryRegion: "us-east-1" }, { stack: "prod", awsRegion: "us-east-1" }),
      /healthcare-platform:recoveryRegion = "us-east-1": must differ from aws:region/,
    );
  });

  describe("aws:region", () => {
    it("is required and must be a region code", () => {
      assert.strictEqual(readAwsRegion({ "aws:region": "eu-central-1" }), "eu-central-1");
      assert.throws(() => readAwsRegion({}), /aws:region: is required/);
      assert.throws(() => readAwsRegion({ "aws:region": "Frankfurt" }), /aws:region = "Frankfurt": must be an AWS region code/);
    });
  });

  describe("validateVpcCidr", () => {
    const table: [string, string | undefined][] = [
      ["10.0.0.0/16", undefined],
      ["172.16.0.0/20", undefined],
      ["192.168.0.0/16", undefined],
      ["172.32.0.0/16", "must lie in a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"],
      ["10.0.0.0/33", "must be an IPv4 CIDR such as 10.0.0.0/16"],
    ];
    for (const [cidr, expected] of table)
      it(`${cidr} -> ${expected ?? "valid"}`, () => assert.strictEqual(validateVpcCidr(cidr), expected));
  });

  describe("the project and stack files", () => {
    const project = readProjectFile(path.join(ROOT, "Pulumi.yaml"));

    it("Pulumi.yaml declares exactly the schema's keys, with its types, descriptions and defaults", () => {
      const declared = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")).config as Record<string, Record<string, unknown>>;
      assert.deepStrictEqual(Object.keys(declared).sort(), Object.keys(CONFIG_SCHEMA).sort());
      for (const [key, spec] of Object.entries(CONFIG_SCHEMA)) {
        assert.strictEqual(declared[key].type, spec.type, key);
        assert.strictEqual(declared[key].description, spec.description, key);
        assert.deepStrictEqual(declared[key].default, "default" in spec ? spec.default : undefined, key);
      }
    });

    it("placeholder ARNs of the example account fail a deploy as another account, naming each key, and pass the offline plan", () => {
      const { config } = readStackConfig(path.join(ROOT, "Pulumi.prod.yaml"), project);
      const parsed = parseStackConfig(config, { stack: "prod", project: project.name });
      assert.deepStrictEqual(placeholderProblems(parsed, PLACEHOLDER_ACCOUNT), [], "the offline plan runs as the example account");
      const found = placeholderProblems(parsed, "210987654321");
      assert.ok(found.some((p) => p.key === "healthcare-platform:certificateArn" && /placeholder .*account 210987654321/.test(p.message)));
      const withGrant = parsePlatformConfig(
        {
          ...RAW_CONFIG.dev,
          certificateArn: "arn:aws:acm:us-east-1:210987654321:certificate/00000000-0000-4000-8000-000000000001",
          accessGrants: JSON.stringify([
            { principal: `arn:aws:iam::${PLACEHOLDER_ACCOUNT}:role/analyst`, bucket: "phi-data", prefix: "", access: ["read"] },
          ]),
        },
        { stack: "dev" },
      );
      assert.deepStrictEqual(
        placeholderProblems(withGrant, "210987654321").map((p) => p.key),
        ["healthcare-platform:accessGrants[0].principal"],
        "the account's own certificate passes; the placeholder principal does not",
      );
    });

    it("what the stack cannot serve is reported with the other problems: no certificateArn, a grant without prefix or to a bucket the stack lacks", () => {
      const { config } = readStackConfig(path.join(ROOT, "Pulumi.dev.yaml"), project);
      const broken: Record<string, string> = { ...config, "healthcare-platform:vpcCidr": "10.0.0.0/8" };
      delete broken["healthcare-platform:certificateArn"];
      delete broken["healthcare-platform:recoveryRegion"];
      broken["healthcare-platform:accessGrants"] = JSON.stringify([
        { principal: "arn:aws:iam::123456789012:role/analyst", bucket: "phi-data", access: ["read"] },
        { principal: "arn:aws:iam::123456789012:role/analyst", bucket: "phi-replica", prefix: "", access: ["read"] },
      ]);
      const err = (() => {
        try {
          parseStackConfig(broken, { stack: "dev", project: project.name });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      assert.ok(err instanceof PlatformConfigError, String(err));
      const keys = err.problems.map((p) => p.key);
      for (const key of ["certificateArn", "vpcCidr", "accessGrants[0].prefix", "accessGrants[1].bucket"])
        assert.ok(keys.includes(`healthcare-platform:${key}`), `${key} in ${keys.join(", ")}`);
      assert.match(err.message, /accessGrants\[0\]\.prefix.*is required: .*"" to grant the whole bucket on purpose/);
      assert.match(err.message, /accessGrants\[1\]\.bucket = "phi-replica": is a bucket this stack does not have/);
    });

    it("the offline plan names a region it does not know, and more zones than the region has, before the program runs", () => {
      const { config } = readStackConfig(path.join(ROOT, "Pulumi.prod.yaml"), project);
      const at = (region: string, extra: Record<string, string> = {}) => {
        const started = Date.now();
        const c: Record<string, string> = { ...config, "aws:region": region, ...extra };
        delete c["healthcare-platform:certificateArn"];
        try {
          validateForPlan(c, { stack: "prod", project: project.name });
          return { message: "", ms: Date.now() - started };
        } catch (e) {
          return { message: (e as Error).message, ms: Date.now() - started };
        }
      };
      const canada = at("ca-central-1");
      assert.match(
        canada.message,
        /aws:region = "ca-central-1": the offline plan does not know this region's availability zones \(it knows us-east-1/,
      );
      assert.match(canada.message, /certificateArn.*is required/, "with the other problems");
      const california = at("us-west-1");
      assert.match(
        california.message,
        /healthcare-platform:availabilityZoneCount = "3": region us-west-1 has 2 availability zones \(us-west-1a, us-west-1c\)/,
      );
      assert.ok(canada.ms < 2000 && california.ms < 2000, `${canada.ms} ms, ${california.ms} ms`);
      assert.deepStrictEqual(offlinePlanProblems("us-east-1", 6, "healthcare-platform"), []);
      assert.strictEqual(offlinePlanProblems("us-east-2", 4, "healthcare-platform").length, 1);
    });

    for (const stack of ["dev", "prod"]) {
      it(`Pulumi.${stack}.yaml loads and validates as ${stack}`, () => {
        const { config } = readStackConfig(path.join(ROOT, `Pulumi.${stack}.yaml`), project);
        const c = parsePlatformConfig(projectKeys(config, project.name), { stack });
        assert.strictEqual(c.environment, stack);
        assert.strictEqual(readAwsRegion(config), "us-east-1");
      });
    }
  });
});

describe("README", () => {
  it("documents every config key with its type and default", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    for (const [key, spec] of Object.entries(CONFIG_SCHEMA)) {
      const row = readme.split("\n").find((l) => l.startsWith(`| \`${key}\` |`));
      assert.ok(row, `README lacks a row for ${key}`);
      assert.ok(row.includes(`| ${spec.type} |`), `README row for ${key} lacks its type`);
      assert.ok(row.includes(spec.description), `README row for ${key} lacks its description`);
    }
  });
});
