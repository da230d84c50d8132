/**
 * The grant model (lambda/authorizer/grant-model.ts) as the stack config applies it to `accessGrants`.
 * Where config and the authorizer's contract had different rules, the model keeps the one that
 * matches what the authorizer looks up and compares at run time; each such rule has a case here.
 */
import { strict as assert } from "assert";
import { parsePlatformConfig, PlatformConfigError } from "../../components/config";
import { parseAccessGrants } from "../../components/config/grants";
import { grantExpiryInstant, isGrantablePrincipal } from "../../lambda/authorizer/grant-model";
import { RAW_CONFIG } from "../mocks";

const NOW = new Date("2027-01-31T12:00:00Z");
const analyst = { principal: "arn:aws:iam::123456789012:role/analyst", bucket: "phi-data", prefix: "processed/", access: ["read"] };

/** The `key: message` of every problem config finds in these grants (none: accepted). */
function configProblems(grants: unknown[], now = NOW): string[] {
  try {
    parsePlatformConfig({ ...RAW_CONFIG.dev, accessGrants: JSON.stringify(grants) }, { stack: "dev", now });
    return [];
  } catch (err) {
    assert.ok(err instanceof PlatformConfigError, String(err));
    return err.problems.map((p) => `${p.key}: ${p.message}`);
  }
}

describe("accessGrants follow the authorizer's grant model", () => {
  it("names an AWS service principal (the authorizer looks AWSService calls up by it), never an account root, a wildcard or a session", () => {
    assert.deepStrictEqual(configProblems([{ ...analyst, principal: "s3.amazonaws.com" }]), []);
    assert.deepStrictEqual(configProblems([{ ...analyst, principal: "arn:aws-us-gov:iam::123456789012:role/team/analyst" }]), []);
    for (const principal of [
      "arn:aws:iam::123456789012:root",
      "arn:aws:iam::123456789012:role/*",
      "*",
      "arn:aws:sts::123456789012:assumed-role/analyst/jo",
      "arn:aws:iam::123456789012:role/team//analyst",
      `arn:aws:iam::123456789012:role/${"r".repeat(65)}`,
    ]) {
      assert.ok(!isGrantablePrincipal(principal), principal);
      assert.match(
        configProblems([{ ...analyst, principal }]).join("\n"),
        /accessGrants\[0\]\.principal: must be the ARN of an IAM role or user/,
      );
    }
  });

  it("a date-only expiry holds through its last day, as the authorizer compares it (T23:59:59Z)", () => {
    assert.strictEqual(grantExpiryInstant("2027-01-31"), "2027-01-31T23:59:59Z");
    assert.strictEqual(grantExpiryInstant("2027-01-31T08:00Z"), "2027-01-31T08:00Z");
    assert.deepStrictEqual(configProblems([{ ...analyst, expiresAt: "2027-01-31" }]), [], "still holds on its day");
    assert.deepStrictEqual(configProblems([{ ...analyst, expiresAt: "2027-01-31T08:00Z" }]), [
      "accessGrants[0].expiresAt: is in the past (2027-01-31T08:00Z): remove the expired grant",
    ]);
    assert.deepStrictEqual(configProblems([{ ...analyst, expiresAt: "2027-01-30" }]), [
      "accessGrants[0].expiresAt: is in the past (2027-01-30): remove the expired grant",
    ]);
  });

  it("refuses a date that is not on the calendar (2027-02-30 would roll over into March) and accepts milliseconds", () => {
    for (const expiresAt of ["2027-02-30", "2027-13-01", "2027-06-30T24:00Z", "2027-06-30T12:60Z", "2027-06-30T12:00+02:00", "tomorrow"]) {
      assert.strictEqual(grantExpiryInstant(expiresAt), undefined, expiresAt);
      assert.deepStrictEqual(
        configProblems([{ ...analyst, expiresAt }]),
        ["accessGrants[0].expiresAt: must be an ISO date such as 2027-06-30 (or 2027-06-30T12:00Z)"],
        expiresAt,
      );
    }
    assert.deepStrictEqual(configProblems([{ ...analyst, expiresAt: "2027-06-30T12:00:00.250Z" }]), []);
  });

  it('refuses "?" in a prefix as it refuses "*": the authorizer compares prefixes literally, so neither is a wildcard', () => {
    for (const prefix of ["processed/?", "processed/*", "/processed/", "x".repeat(1025)])
      assert.match(configProblems([{ ...analyst, prefix }]).join("\n"), /accessGrants\[0\]\.prefix: must be a key prefix/, prefix);
    assert.deepStrictEqual(configProblems([{ ...analyst, prefix: "x".repeat(1024) }]), []);
  });

  it("parsing is pure: problems are returned, and nothing carries over from one parse to the next", () => {
    const bad = JSON.stringify([{ ...analyst, principal: "*", prefix: "a*" }, "nope"]);
    const first = parseAccessGrants(bad, NOW);
    assert.deepStrictEqual(
      first.problems.map((p) => p.key),
      ["accessGrants[0].principal", "accessGrants[0].prefix", "accessGrants[1]"],
    );
    assert.deepStrictEqual(first.grants, []);
    assert.deepStrictEqual(parseAccessGrants(bad, NOW), first, "the same input gives the same answer");
    const good = parseAccessGrants(JSON.stringify([analyst]), NOW);
    assert.deepStrictEqual(good, { grants: [analyst], problems: [] });
  });
});
