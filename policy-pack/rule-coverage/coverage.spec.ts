// The coverage matrix (policy-pack/COVERAGE.md) against its inputs: every rule of each external
// rule set is answered exactly once (a policy of the pack, or a reason), every policy named
// exists, the rule counts are the sources', and the committed COVERAGE.md is what the generator
// writes today.

import * as assert from "assert";
import * as fs from "fs";
import { HIPAA_CONFORMANCE_RULES } from "../../components/guardrails";
import {
  categoryOf,
  compareCitations,
  COVERAGE_PATH,
  CoverageInput,
  declaredNotInSource,
  loadCoverageInput,
  REASONS,
  renderCoverage,
  SOURCE_KEYS,
  SourceKey,
} from "./generate";

/** Rule counts of the sources as read (see sources/*.json for the commit of each). */
const EXPECTED_COUNTS: Record<SourceKey, number> = { cdkNag: 90, awsConfig: 130, prowler: 95 };

/**
 * cdk-nag rule ids that policies declare in `hipaa.cdkNag` but cdk-nag's HIPAA.Security pack does
 * not have: metadata errors in the policies (a case typo of DynamoDBAutoScalingEnabled; a rule of
 * other cdk-nag packs). Listed so that a new one fails here; remove an entry when the policy is fixed.
 */
const KNOWN_STRAY_CDK_NAG = [
  "dynamodb-provisioned-autoscaling DynamoDBAutoscalingEnabled",
  "s3-bucket-encryption S3BucketServerSideEncryptionEnabled",
];

const CITATION = /^164\.\d{3}(\([a-zA-Z0-9]+\))+$/;

describe("rule coverage (policy-pack/COVERAGE.md)", function () {
  this.timeout(60_000);
  let input: CoverageInput;

  before(() => {
    input = loadCoverageInput();
  });

  it("holds the number of rules each source has, each id once, with well-formed citations", () => {
    for (const key of SOURCE_KEYS) {
      const ids = input.sources[key].rules.map((r) => r.id);
      assert.strictEqual(ids.length, EXPECTED_COUNTS[key], key);
      assert.strictEqual(new Set(ids).size, ids.length, `${key} ids are unique`);
      assert.match(input.sources[key].commit, /^[0-9a-f]{40}$/, key);
      for (const r of input.sources[key].rules) {
        for (const c of r.citations) {
          assert.match(c, CITATION, `${key} ${r.id}`);
        }
      }
    }
    // cdk-nag and Prowler state citations for every rule; the Config template states none, and
    // cdk-nag's transcription of AWS's page leaves some Config rules without one.
    assert.ok(input.sources.cdkNag.rules.every((r) => r.citations.length > 0));
    assert.ok(input.sources.prowler.rules.every((r) => r.citations.length > 0));
    assert.strictEqual(input.sources.awsConfig.rules.filter((r) => r.citations.length > 0).length, 102);
  });

  it("maps every external rule exactly once, and nothing else", () => {
    for (const key of SOURCE_KEYS) {
      const mapped = input.mapping[key].map((e) => e.rule);
      const dupes = mapped.filter((r, i) => mapped.indexOf(r) !== i);
      assert.deepStrictEqual(dupes, [], `${key}: rules mapped twice`);
      const ids = new Set(input.sources[key].rules.map((r) => r.id));
      assert.deepStrictEqual(
        [...ids].filter((id) => !mapped.includes(id)),
        [],
        `${key}: rules not mapped`,
      );
      assert.deepStrictEqual(
        mapped.filter((r) => !ids.has(r)),
        [],
        `${key}: mapped rules the source does not have`,
      );
    }
  });

  it("answers each rule with policies or with one known reason and its sentence, never both", () => {
    for (const key of SOURCE_KEYS) {
      for (const e of input.mapping[key]) {
        const label = `${key} ${e.rule}`;
        if (e.policies !== undefined) {
          assert.ok(e.policies.length > 0, label);
          assert.strictEqual(e.reason, undefined, label);
          assert.strictEqual(e.why, undefined, label);
        } else {
          assert.ok(Object.keys(REASONS).includes(e.reason ?? ""), `${label}: unknown reason ${e.reason}`);
          assert.ok((e.why ?? "").length > 20, `${label}: the reason needs its sentence`);
          assert.strictEqual(e.note, undefined, label);
        }
      }
    }
  });

  it("names only policies that exist in allPolicies", () => {
    const names = new Set(input.policies.map((p) => p.name));
    assert.ok(names.size > 0);
    for (const key of SOURCE_KEYS) {
      for (const e of input.mapping[key]) {
        for (const p of [...(e.policies ?? []), ...(e.related ?? [])]) {
          assert.ok(names.has(p), `${key} ${e.rule} names unknown policy ${p}`);
        }
      }
    }
  });

  it("maps a rule to every policy that declares it (hipaa.cdkNag / hipaa.awsConfig)", () => {
    for (const p of input.policies) {
      for (const [key, declared] of [
        ["cdkNag", p.cdkNag],
        ["awsConfig", p.awsConfig],
      ] as [SourceKey, string[]][]) {
        for (const rule of declared) {
          const e = input.mapping[key].find((x) => x.rule === rule);
          if (e) {
            assert.ok((e.policies ?? []).includes(p.name), `${key} ${rule} is declared by ${p.name} but mapped otherwise`);
          }
        }
      }
    }
  });

  it("finds no cdk-nag id declared by a policy outside cdk-nag's HIPAA pack but the known ones", () => {
    const stray = declaredNotInSource(input)
      .filter((d) => d.source === "cdkNag")
      .map((d) => `${d.policy} ${d.rule}`)
      .sort();
    assert.deepStrictEqual(stray, KNOWN_STRAY_CDK_NAG);
  });

  it("reads the guardrails profile's Config rules from components/guardrails.ts", () => {
    assert.deepStrictEqual(
      input.guardrailsConfigRules,
      HIPAA_CONFORMANCE_RULES.map((r) => r.identifier),
    );
    const configIds = new Set(input.sources.awsConfig.rules.map((r) => r.sourceIdentifier));
    // Most of them are rules of AWS's HIPAA pack; the table marks those rows.
    assert.strictEqual(input.guardrailsConfigRules.filter((id) => configIds.has(id)).length, 26);
  });

  it("sorts citations by the rule's structure (roman numerals as numbers)", () => {
    const sorted = ["164.312(e)(2)(ii)", "164.308(a)(7)(ii)(A)", "164.312(a)(2)(iv)", "164.308(a)(1)(ii)(D)", "164.312(a)(2)(i)"].sort(
      compareCitations,
    );
    assert.deepStrictEqual(sorted, [
      "164.308(a)(1)(ii)(D)",
      "164.308(a)(7)(ii)(A)",
      "164.312(a)(2)(i)",
      "164.312(a)(2)(iv)",
      "164.312(e)(2)(ii)",
    ]);
  });

  it("counts every mapped rule in the summary under its category", () => {
    const doc = renderCoverage(input);
    for (const cat of ["policy", ...Object.keys(REASONS)]) {
      const counts = SOURCE_KEYS.map((k) => input.mapping[k].filter((e) => categoryOf(e) === cat).length);
      const row = doc.split("\n").find((l) => l.startsWith(`| ${cat} | `));
      assert.ok(row, cat);
      assert.ok(row.endsWith(` | ${counts.join(" | ")} |`), `${cat}: ${row}`);
    }
    assert.ok(doc.includes(`| total | | ${SOURCE_KEYS.map((k) => EXPECTED_COUNTS[k]).join(" | ")} |`));
    assert.ok(!doc.includes("**unmapped**"));
  });

  it("is deterministic and COVERAGE.md is up to date (regenerate: see generate.ts)", () => {
    const doc = renderCoverage(input);
    assert.strictEqual(renderCoverage(loadCoverageInput()), doc);
    assert.strictEqual(fs.readFileSync(COVERAGE_PATH, "utf8"), doc, "policy-pack/COVERAGE.md is stale: run generate.ts");
  });
});
