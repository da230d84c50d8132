// Prod protection, tags and exemptions.

import { strict as assert } from "assert";
import { dynamodbPitrEnabled } from "../policies/dynamodb/dynamodb-pitr-enabled";
import { s3BucketServerAccessLogging } from "../policies/s3/s3-bucket-server-access-logging";
import { exemptionRequiresReason } from "../policies/tags/exemption-requires-reason";
import { StateResource } from "../checker/deployment";
import { set } from "../test-support/builder";
import { check, expectClean, expectViolation } from "../test-support/harness";
import { Platform, platform } from "../test-support/platform";
import { table } from "../test-support/specs/governance";

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
