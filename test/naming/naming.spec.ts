import * as assert from "assert";
import { bucketName, kmsAliasName, logGroupName, NAME_RULES, physicalName, ssmParameterName } from "../../components/lib/naming";
import { platformTags } from "../../components/lib/tags";
import { testConfig } from "../mocks";

describe("naming", () => {
  it("carries the prefix and the stack", () => {
    assert.strictEqual(physicalName("prod", "lambdaFunction", "data-processor"), "hcp-prod-data-processor");
    assert.strictEqual(kmsAliasName("dev", "phi"), "alias/hcp-dev-phi");
    assert.strictEqual(logGroupName("prod", "vpc-flow-logs"), "/hcp/prod/vpc-flow-logs");
    assert.strictEqual(ssmParameterName("dev", "data-processor", "config"), "/hcp/dev/data-processor/config");
  });

  it("S3 names are lowercase, globally unique by account and region, and at most 63 characters", () => {
    assert.strictEqual(bucketName("Prod", "phi-data", "123456789012", "us-east-1"), "hcp-prod-phi-data-123456789012-us-east-1");
    const long = bucketName("a-very-long-stack-name", "incident-reports", "123456789012", "ap-southeast-2");
    assert.ok(long.length <= 63, long);
    assert.match(long, /^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
  });

  it("OpenSearch domains stay within 3-28 characters for any stack name", () => {
    for (const stack of ["dev", "prod", "production-eu-central-1"]) {
      const n = physicalName(stack, "openSearchDomain", "security-events");
      assert.ok(n.length >= 3 && n.length <= 28, `${n} (${n.length})`);
      assert.match(n, /^[a-z][a-z0-9-]+$/);
    }
  });

  it("shortens deterministically with a hash, so distinct long names never collide", () => {
    const a = physicalName("production-eu-central-1", "iamRole", "data-processor-execution-role-for-intake-objects");
    const b = physicalName("production-eu-central-1", "iamRole", "data-processor-execution-role-for-intake-objectz");
    assert.strictEqual(a.length, 64);
    assert.notStrictEqual(a, b);
    assert.strictEqual(a, physicalName("production-eu-central-1", "iamRole", "data-processor-execution-role-for-intake-objects"));
    assert.match(a, /-[0-9a-f]{8}$/);
  });

  it("respects every service's maximum", () => {
    const purpose = "x".repeat(600);
    for (const kind of Object.keys(NAME_RULES) as (keyof typeof NAME_RULES)[]) {
      const n = physicalName("prod", kind, purpose);
      assert.ok(n.length <= NAME_RULES[kind].max, `${kind}: ${n.length} > ${NAME_RULES[kind].max}`);
    }
  });

  it("replaces characters a service does not allow", () => {
    assert.strictEqual(physicalName("dev", "s3Bucket", "Raw_Data.Files"), "hcp-dev-raw-data-files");
    assert.strictEqual(physicalName("dev", "glueDatabase", "security-events"), "hcp_dev_security_events");
    assert.throws(() => physicalName("dev", "s3Bucket", ""), /non-empty/);
  });
});

describe("tags", () => {
  it("every resource carries Project, Environment, DataClassification and Compliance, plus config tags", () => {
    const tags = platformTags(testConfig("prod", { tags: '["CostCenter=7"]' }), {
      purpose: "access-logs",
      dataClassification: "Confidential",
    });
    assert.deepStrictEqual(tags, {
      CostCenter: "7",
      Project: "healthcare-platform",
      Environment: "prod",
      Stack: "prod",
      DataClassification: "Confidential",
      Compliance: "HIPAA",
      Purpose: "access-logs",
    });
  });
});
