// Prod protection, tags and exemptions.
import { strict as assert } from "assert";
import { UNKNOWN_BOOLEAN, UNKNOWN_STRING } from "../../policy-pack/policies/lib/unknown";
import { prodDeletionProtection, prodNoForceDestroy, prodStatefulResourcesProtected } from "../../policy-pack/policies/protection";
import { dynamodbPitrEnabled } from "../../policy-pack/policies/dynamodb";
import { s3BucketServerAccessLogging } from "../../policy-pack/policies/s3";
import { exemptionRequiresReason, requiredTags } from "../../policy-pack/policies/tags";
import { StateResource } from "../../policy-pack/checker/deployment";
import { set } from "../../policy-pack/test-support/builder";
import { check, expectClean, expectViolation } from "../../policy-pack/test-support/harness";
import { Platform, platform } from "../../policy-pack/test-support/platform";
import { policySuite } from "../../policy-pack/test-support/suite";

const db = (p: Platform) => p.find("aws:rds/instance:Instance");
const table = (p: Platform) => p.find("aws:dynamodb/table:Table");
const lb = (p: Platform) => p.find("aws:lb/loadBalancer:LoadBalancer");

describe("prod protection", () => {
  policySuite(prodDeletionProtection, {
    env: "prod",
    cases: [
      {
        name: "prod database without deletion protection",
        mutate: (p) => set(db(p), "deletionProtection", false),
        expect: { violation: "app-db", message: /deletionProtection/ },
      },
      {
        name: "prod database skipping the final snapshot",
        mutate: (p) => set(db(p), "skipFinalSnapshot", true),
        expect: { violation: "app-db", message: /final snapshot/ },
      },
      {
        name: "prod table without deletion protection",
        mutate: (p) => set(table(p), "deletionProtectionEnabled", false),
        expect: { violation: "audit-table" },
      },
      {
        name: "prod ALB without deletion protection",
        mutate: (p) => set(lb(p), "enableDeletionProtection", false),
        expect: { violation: "alb" },
      },
      { name: "dev resources are destroyable by design", env: "dev", expect: "clean" },
      { name: "preview: flag unknown -> can't run", mutate: (p) => set(db(p), "deletionProtection", UNKNOWN_BOOLEAN), expect: "unknown" },
    ],
  });
  policySuite(prodNoForceDestroy, {
    env: "prod",
    cases: [
      {
        name: "forceDestroy on a prod bucket",
        mutate: (p) => set(p.phiData.bucket, "forceDestroy", true),
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "BucketV2 alias judged the same",
        mutate: (p) => {
          const b = p.phiData.bucket;
          b.urn = b.urn.replace(b.type, "aws:s3/bucketV2:BucketV2");
          b.type = "aws:s3/bucketV2:BucketV2";
          set(b, "forceDestroy", true);
        },
        expect: { violation: "phi-data-bucket" },
      },
      { name: "forceDestroy in dev is allowed", env: "dev", expect: "clean" },
      {
        name: "preview: forceDestroy unknown -> can't run",
        mutate: (p) => set(p.phiData.bucket, "forceDestroy", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
  policySuite(prodStatefulResourcesProtected, {
    env: "prod",
    cases: [
      {
        name: "prod table without protect",
        mutate: (p) => {
          table(p).protect = false;
        },
        expect: { violation: "audit-table" },
      },
      { name: "dev needs no protect", env: "dev", expect: "clean" },
      {
        name: "preview: Environment tag unknown -> can't run",
        mutate: (p) => {
          table(p).protect = false;
          set(table(p), "tags", UNKNOWN_STRING);
        },
        expect: "unknown",
      },
    ],
  });
});

describe("tags", () => {
  policySuite(requiredTags, {
    cases: [
      {
        name: "missing DataClassification",
        mutate: (p) => set(table(p), "tags", {}),
        expect: { violation: "audit-table", message: /DataClassification/ },
      },
      {
        name: "provider without default tags and resource without tags",
        mutate: (p) => {
          set(p.provider, "defaultTags", undefined);
          set(table(p), "tags", { DataClassification: "PHI" });
        },
        expect: { violation: true, message: /Project, Environment/ },
      },
      {
        name: "value outside the allowed set",
        mutate: (p) => set(table(p), "tags", { DataClassification: "Secret" }),
        expect: { violation: "audit-table", message: /Secret/ },
      },
      {
        name: "provider default tags as an object (not a JSON string) are read too",
        mutate: (p) =>
          set(p.provider, "defaultTags", { tags: { Project: "healthcare-platform", Environment: "dev", Compliance: "HIPAA" } }),
        expect: "clean",
      },
      { name: "preview: tags unknown -> can't run", mutate: (p) => set(table(p), "tags", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
  policySuite(exemptionRequiresReason, {
    cases: [
      {
        name: "exemption tag without reason",
        mutate: (p) => set(table(p), "tags", { DataClassification: "PHI", "hipaa-exempt:dynamodb-pitr-enabled": "" }),
        expect: { violation: "audit-table", message: /no written reason/ },
      },
      {
        name: "exemption tag with a one-word reason",
        mutate: (p) => set(table(p), "tags", { DataClassification: "PHI", "hipaa-exempt:dynamodb-pitr-enabled": "legacy" }),
        expect: { violation: "audit-table" },
      },
      {
        name: "exemption tag naming no policy",
        mutate: (p) => set(table(p), "tags", { DataClassification: "PHI", "hipaa-exempt:no-such-policy": "because of a written reason" }),
        expect: { violation: "audit-table", message: /names no exemptible policy/ },
      },
      {
        name: "exemption tag with a reason passes",
        mutate: (p) =>
          set(table(p), "tags", {
            DataClassification: "PHI",
            "hipaa-exempt:dynamodb-pitr-enabled": "Cache table rebuilt from S3 every hour (ticket SEC-42)",
          }),
        expect: "clean",
      },
      {
        name: "preview: tags unknown cannot hide an exemption -> passes",
        mutate: (p) => set(table(p), "tags", UNKNOWN_STRING),
        expect: "clean",
      },
    ],
  });
});

describe("exemptions", () => {
  const reason = "Rebuilt hourly from the FHIR store; no PHI of record (SEC-42)";
  const noPitr = (p: Platform) => set(table(p), "pointInTimeRecovery", { enabled: false });

  it("a tag exemption with a reason suppresses the violation and is listed", async () => {
    const p = platform();
    noPitr(p);
    set(table(p), "tags", { DataClassification: "PHI", "hipaa-exempt:dynamodb-pitr-enabled": reason });
    const o = await check(dynamodbPitrEnabled, p);
    expectClean(o);
    assert.equal(o.result.summary.exemptions.count, 1);
    assert.deepEqual(o.result.summary.exemptions.list[0], {
      policy: "dynamodb-pitr-enabled",
      urn: table(p).urn,
      reason,
      source: "tag",
      grantedBy: "hipaa-exempt:dynamodb-pitr-enabled",
    });
  });

  it("a tag exemption without a reason is ignored, and is itself a violation", async () => {
    const p = platform();
    noPitr(p);
    set(table(p), "tags", { DataClassification: "PHI", "hipaa-exempt:dynamodb-pitr-enabled": " " });
    const o = await check([dynamodbPitrEnabled, exemptionRequiresReason], p);
    assert.deepEqual(o.violations.map((v) => v.policy).sort(), ["dynamodb-pitr-enabled", "exemption-requires-reason"]);
    assert.equal(o.result.summary.exemptions.count, 0);
  });

  it("a config exemption by URN pattern with a reason suppresses the violation and is listed", async () => {
    const p = platform();
    noPitr(p);
    const o = await check(dynamodbPitrEnabled, p, { "dynamodb-pitr-enabled": { exemptions: [{ urn: "*::audit-table", reason }] } });
    expectClean(o);
    assert.deepEqual(
      o.result.summary.exemptions.list.map((e) => [e.source, e.grantedBy, e.reason]),
      [["config", "*::audit-table", reason]],
    );
  });

  it("a config exemption without a reason is ignored and reported on each resource it matches", async () => {
    const p = platform();
    noPitr(p);
    const o = await check(dynamodbPitrEnabled, p, { "dynamodb-pitr-enabled": { exemptions: [{ urn: "*::audit-table" }] } });
    assert.equal(o.violations.length, 2);
    assert.ok(o.violations.some((v) => /no written reason/.test(v.message)));
    assert.ok(o.violations.some((v) => /Point-in-time recovery is off/.test(v.message)));
    assert.equal(o.result.summary.exemptions.count, 0);
  });

  it("a config exemption without a reason is a violation even on a compliant resource (stack policy too)", async () => {
    const o = await check(s3BucketServerAccessLogging, platform(), {
      "s3-bucket-server-access-logging": { exemptions: [{ urn: "*::phi-data-bucket", reason: "" }] },
    });
    expectViolation(o, "phi-data-bucket", /no written reason/);
  });

  it("stack policies honour exemptions on the URN they report", async () => {
    const p = platform();
    p.remove(p.phiData.logging as StateResource);
    set(p.phiData.bucket, "tags", { DataClassification: "PHI", "hipaa-exempt:s3-bucket-server-access-logging": reason });
    const o = await check(s3BucketServerAccessLogging, p);
    expectClean(o);
    assert.equal(o.result.summary.exemptions.count, 1);
  });

  it("provider default tags never grant exemptions", async () => {
    const p = platform();
    noPitr(p);
    set(
      p.provider,
      "defaultTags",
      JSON.stringify({
        tags: { Project: "healthcare-platform", Environment: "dev", Compliance: "HIPAA", "hipaa-exempt:dynamodb-pitr-enabled": reason },
      }),
    );
    expectViolation(await check(dynamodbPitrEnabled, p), "audit-table");
  });

  it("exemption-requires-reason cannot itself be exempted", async () => {
    const p = platform();
    set(table(p), "tags", {
      DataClassification: "PHI",
      "hipaa-exempt:dynamodb-pitr-enabled": "",
      "hipaa-exempt:exemption-requires-reason": reason,
    });
    const o = await check(exemptionRequiresReason, p, {});
    assert.equal(o.violations.length, 2);
    assert.equal("exemptions" in (exemptionRequiresReason.configSchema?.properties ?? {}), false);
  });
});
