/**
 * The grant model (lambda/authorizer/grant-model.ts) as the stack config applies it to `accessGrants`.
 * Where config and the authorizer's contract had different rules, the model keeps the one that
 * matches what the authorizer looks up and compares at run time; each such rule has a case here.
 */
import { strict as assert } from "assert";
import * as fc from "fast-check";
import { AccessGrant, parsePlatformConfig, PHI_BUCKET_PURPOSES, PlatformConfigError } from "../../components/config";
import { parseAccessGrants } from "../../components/config/grants";
import { declarationsOf } from "../../components/security-events/store";
import { ACCESS_LEVELS, GrantDeclarationError, groupGrants, parseGrants, renderGrantItem } from "../../lambda/authorizer/contract";
import { grantExpiryInstant, isGrantablePrincipal } from "../../lambda/authorizer/grant-model";
import { checkAccess } from "../../lambda/authorizer/grants";
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

/** Bucket names of a stack, by purpose (the store maps a grant's purpose to its bucket's name). */
const NAMES = Object.fromEntries(PHI_BUCKET_PURPOSES.map((p) => [p, `hcp-dev-${p}`]));

/**
 * Whether the authorizer takes this entry as a grant: the store expands it (declarationsOf), the
 * contract builds its items (groupGrants refuses what the model refuses), the handler parses the
 * items back without a malformed grant, and at `now` every access it names is granted on a key under
 * its prefix (checkAccess, the run-time decision).
 */
function authorizerAccepts(entry: Record<string, unknown>, now = NOW): boolean {
  const declarations = declarationsOf([entry as unknown as AccessGrant], NAMES);
  let items: ReturnType<typeof groupGrants>;
  try {
    items = groupGrants(declarations, Object.values(NAMES));
  } catch (err) {
    assert.ok(err instanceof GrantDeclarationError, String(err));
    return false;
  }
  if (items.length === 0) return false; // an empty access list grants nothing
  return items.every((item) => {
    const stored = JSON.parse(renderGrantItem(item)) as { grants: { L: { M: Record<string, { S: string }> }[] } };
    const { grants, malformed } = parseGrants(
      stored.grants.L.map((g) => Object.fromEntries(Object.entries(g.M).map(([k, v]) => [k, v.S]))),
    );
    const prefix = entry.prefix as string;
    return (
      malformed === 0 &&
      (entry.access as string[]).every(
        (access) =>
          checkAccess({ bucket: item.bucket, key: `${prefix}k`, access: access as "read" }, grants, now.getTime()).result === "granted",
      )
    );
  });
}

const principal = fc.oneof(
  fc.constantFrom(
    "arn:aws:iam::123456789012:role/analyst",
    "arn:aws:iam::123456789012:user/ops/jo",
    "arn:aws-us-gov:iam::123456789012:role/a/b/c",
    "s3.amazonaws.com",
    "macie.amazonaws.com.cn",
    "arn:aws:iam::123456789012:root",
    "arn:aws:iam::123456789012:role/*",
    "arn:aws:sts::123456789012:assumed-role/analyst/jo",
    "arn:aws:iam::123456789012:role/a//b",
    "arn:aws:iam::12345678901:role/analyst",
    "*",
    "",
  ),
  fc.stringMatching(/^[a-zA-Z0-9+=,.@_-]{1,70}$/).map((name) => `arn:aws:iam::123456789012:role/${name}`),
  fc.string(),
  fc.integer(),
);
const bucket = fc.constantFrom<unknown>(...PHI_BUCKET_PURPOSES, "audit-trail", "", 3);
const prefix = fc.oneof(fc.constantFrom<unknown>("", "processed/", "a*", "a?b", "/x", "x".repeat(1025), undefined, 7), fc.string());
const access = fc.oneof(
  fc.uniqueArray(fc.constantFrom(...ACCESS_LEVELS), { maxLength: 3 }),
  fc.uniqueArray(fc.constantFrom<string>(...ACCESS_LEVELS, "admin", "Read"), { minLength: 1, maxLength: 3 }),
);
/** Strings only: the store's expansion (declarationsOf) takes config-typed grants, and config refuses a non-string expiry first. */
const expiresAt = fc.oneof(
  fc.constantFrom<unknown>(
    undefined,
    "2027-01-31",
    "2027-01-30",
    "2027-01-31T12:00Z",
    "2027-01-31T12:01Z",
    "2027-02-30",
    "2027-06-30T24:00Z",
    "tomorrow",
  ),
  fc
    .date({ min: new Date("2026-06-01T00:00:00Z"), max: new Date("2028-12-31T23:59:59Z"), noInvalidDate: true })
    .chain((d) =>
      fc.constantFrom(
        d.toISOString().slice(0, 10),
        d.toISOString(),
        `${d.toISOString().slice(0, 16)}Z`,
        d.toISOString().replace(".000Z", "Z"),
      ),
    ),
);

describe("a grant config accepts is one the authorizer accepts, and the reverse (fast-check)", () => {
  it("config accepts an entry exactly when the contract builds its item, the handler parses it and every access it names is granted now", () => {
    fc.assert(
      fc.property(principal, bucket, prefix, access, expiresAt, (principal, bucket, prefix, access, expiresAt) => {
        const entry: Record<string, unknown> = { principal, bucket, prefix, access, ...(expiresAt === undefined ? {} : { expiresAt }) };
        const config = configProblems([entry]);
        assert.strictEqual(
          config.length === 0,
          authorizerAccepts(entry),
          `${JSON.stringify(entry)}: config says ${config.join("; ") || "ok"}`,
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("examples on either side of each rule where config and the contract used to differ", () => {
    const cases: [Record<string, unknown>, boolean][] = [
      [{ ...analyst, principal: "s3.amazonaws.com" }, true],
      [{ ...analyst, principal: "arn:aws:iam::123456789012:root" }, false],
      [{ ...analyst, prefix: "a?b" }, false],
      [{ ...analyst, expiresAt: "2027-01-31" }, true],
      [{ ...analyst, expiresAt: "2027-02-30" }, false],
      [{ ...analyst, expiresAt: "2027-06-30T12:00:00.250Z" }, true],
    ];
    for (const [entry, accepted] of cases) {
      assert.strictEqual(configProblems([entry]).length === 0, accepted, JSON.stringify(entry));
      assert.strictEqual(authorizerAccepts(entry), accepted, JSON.stringify(entry));
    }
  });
});
