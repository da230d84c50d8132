/**
 * AWS's own value constraints (issue 17 section 3): every input value of the plans (the ones
 * test/aws/ generates, shared through its cache) against the API models' patterns, lengths, ranges
 * and enums (tools/value-check/aws-constraints.json, extracted from botocore) and the constraints
 * AWS documents outside its models (tools/value-check/documented.ts). A value AWS would refuse
 * fails here instead of in `pulumi up`.
 */
import * as assert from "assert";
import { PLANS, planIndex, planIndexOf } from "../aws/plans";
import { checkValues, scalarViolation, type CheckResult } from "../../tools/value-check/check";
import { DOCUMENTED } from "../../tools/value-check/documented";
import { extractConstraints, findBotocore, loadConstraints } from "../../tools/value-check/extract";
import { javaPattern, translateJavaPattern } from "../../tools/value-check/java-regex";
import type { Constraints } from "../../tools/value-check/model";
import type { DeploymentResource } from "../../tools/deployment";

const constraints = loadConstraints();

function describeViolations(r: CheckResult): string {
  return r.violations.map((v) => `  ${v.type} ${v.resource} ${v.path} = ${JSON.stringify(v.value)}: ${v.shape} ${v.rule}`).join("\n");
}

describe("Java patterns of AWS's models, translated to JavaScript (tools/value-check/java-regex.ts)", () => {
  const cases: [string, string[], string[]][] = [
    // POSIX classes are Java-only names.
    ["^\\p{XDigit}{8}$", ["deadBEEF"], ["deadBEEG"]],
    ["^\\p{Print}+$", ["a b~"], ["a\tb", "é"]],
    ["^\\p{ASCII}*$", ["abc"], ["é"]],
    // Unicode categories pass through; Java's IsAlphabetic is JavaScript's Alphabetic.
    ["^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$", ["Ünïcode 1:2/3=4+5-6@7"], ["a'b", "a(b)"]],
    ["^\\p{IsAlphabetic}+$", ["abcé"], ["a1"]],
    // A hyphen after a class escape is literal in Java (a syntax error in JavaScript's u mode).
    ["^[\\w-_]*$", ["a-_b"], ["a.b"]],
    ["^[a-zA-Z\\d-_/]+$", ["a-1_/"], ["a b"]],
    // A leading (?i) becomes the i flag.
    ["(?i)all|[0-9]{12}", ["ALL", "all", "123456789012"], ["al", "12345"]],
    // Java's \s is ASCII whitespace; its \S admits the Unicode spaces JavaScript's \s would take.
    ["^\\s+$", [" \t\n"], ["\u00a0"]],
    ["^[\\S]+$", ["a\u00a0b"], ["a b"]],
    // Supplementary characters through a surrogate-pair range.
    ["^[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*$", ["a😀\t"], ["a\u0001"]],
    // Escaped symbols and literal braces, both refused by JavaScript's u mode as written.
    ["^[a-z]+\\:\\'x\\'$", ["ab:'x'"], ["ab:x"]],
    ["^\\{[a-z]+}$", ["{ab}"], ["ab"]],
    // Java's $ also matches before a final line terminator; \z does not.
    ["^[a-z]+$", ["abc", "abc\n"], ["abc\n\n"]],
    ["^[a-z]+\\z", ["abc"], ["abc\n"]],
    // Not anchored (Smithy): a value containing a match passes.
    ["[a-z]", ["1a1"], ["123"]],
    // Octal escapes.
    ["^[^\\000-\\037]+$", ["abc"], ["a\u0001"]],
  ];
  for (const [pattern, yes, no] of cases) {
    it(`${pattern}: ${yes.map((s) => JSON.stringify(s)).join(" ")} match, ${no.map((s) => JSON.stringify(s)).join(" ")} do not`, () => {
      const re = javaPattern(pattern);
      for (const s of yes) assert.ok(re.test(s), `${JSON.stringify(s)} should match ${pattern} (as ${re})`);
      for (const s of no) assert.ok(!re.test(s), `${JSON.stringify(s)} should not match ${pattern} (as ${re})`);
    });
  }
  for (const [pattern, why] of [
    ["[0-9A-Z]{2}+", /possessive/],
    ["a*+b", /possessive/],
    ["(?>ab)c", /atomic/],
    ["[\\p{Print}&&[^|:/]]+", /intersection/],
    ["[a[bc]]", /nested/],
    ["^(?i)(true|false)$", /inline flag/],
    ["\\p{Javaidentifier}", /property/],
  ] as const) {
    it(`refuses ${pattern} (${why.source}) rather than check it wrongly`, () => {
      assert.throws(() => translateJavaPattern(pattern), why);
    });
  }
  it("translates every pattern of the committed extract, and every documented one", () => {
    let n = 0;
    for (const s of Object.values(constraints.services)) {
      for (const shape of Object.values(s.shapes)) {
        if (shape.pattern !== undefined) {
          javaPattern(shape.pattern);
          n++;
        }
      }
    }
    for (const d of Object.values(DOCUMENTED)) javaPattern(d.pattern!);
    assert.ok(n > 100, `only ${n} patterns in the extract`);
  });
});

describe("tools/value-check/aws-constraints.json is what the installed botocore's models give", function () {
  this.timeout(60_000);
  it("equals a fresh extract from the same botocore release", function () {
    const found = findBotocore();
    if (!found || found.version !== constraints.botocore) {
      // Patterns change between releases (Debian's python3-botocore 1.29.27 differs from 1.43.11 in
      // 32 of 637 string shapes the mapping reaches), so only the same release is comparable.
      console.log(`      botocore ${found?.version ?? "missing"} installed, the extract is of ${constraints.botocore}: not compared`);
      this.skip();
    }
    assert.deepStrictEqual(
      extractConstraints(found.dir, found.version),
      constraints,
      "run npm run value-check:extract and commit aws-constraints.json",
    );
  });
});

describe("AWS value constraints of the plans", function () {
  this.timeout(300_000);
  for (const plan of PLANS) {
    describe(`the ${plan.label} plan`, () => {
      let result: CheckResult;
      before(() => {
        result = checkValues(planIndexOf(plan).resources, constraints);
        console.log(
          `      value check, ${plan.label}: ${result.checked} values checked, ${result.constrained} against a pattern, length, range or enum`,
        );
      });
      it("maps every resource type and accounts for every top-level input (tools/value-check/mapping.ts)", () => {
        assert.deepStrictEqual([...result.unmappedTypes], [], "resource types with no API shape in mapping.ts");
        assert.deepStrictEqual([...result.unaccounted], [], "inputs neither matched to an API member, mapped nor skipped with a reason");
      });
      it("sends only values AWS's constraints admit", () => {
        assert.ok(result.checked > 1000, `only ${result.checked} values checked`);
        assert.strictEqual(result.violations.length, 0, `values AWS refuses:\n${describeViolations(result)}`);
      });
    });
  }
});

describe("the value check fails on the values AWS refuses", function () {
  this.timeout(300_000);
  let prod: readonly DeploymentResource[];
  before(() => {
    prod = planIndex("prod").resources;
  });
  const withInput = (type: string, index: number, key: string, value: string) => {
    const copy = structuredClone(prod) as DeploymentResource[];
    const target = copy.filter((r) => r.type === type)[index];
    target.inputs[key] = value;
    return { copy, name: target.urn.split("::").at(-1)! };
  };
  const violationsOf = (resources: readonly DeploymentResource[], c: Constraints = constraints) => checkValues(resources, c).violations;

  it("an apostrophe in any security group's description (EC2 CreateSecurityGroup character set)", () => {
    const groups = prod.filter((r) => r.type === "aws:ec2/securityGroup:SecurityGroup");
    assert.ok(groups.length >= 5, `${groups.length} security groups`);
    groups.forEach((g, i) => {
      const description = String((g.inputs as { description: string }).description);
      const { copy, name } = withInput(g.type, i, "description", `${description} for the pipeline's groups`);
      const found = violationsOf(copy);
      assert.deepStrictEqual(
        found.map((v) => [v.resource, v.path, v.shape]),
        [[name, "description", "doc:SecurityGroupDescription"]],
        `security group ${name}`,
      );
    });
  });
  it("the OpenSearch security-group description before 1de3d50 (an apostrophe) fails", () => {
    const i = prod
      .filter((r) => r.type === "aws:ec2/securityGroup:SecurityGroup")
      .findIndex((g) => /OpenSearch/.test(String(g.inputs.description)));
    assert.ok(i >= 0, "no OpenSearch security group in the prod plan");
    const { copy } = withInput(
      "aws:ec2/securityGroup:SecurityGroup",
      i,
      "description",
      "OpenSearch domain: HTTPS from the pipeline's security groups only, no egress",
    );
    assert.strictEqual(violationsOf(copy).length, 1);
  });
  it("an apostrophe in a security-group rule's description", () => {
    const type = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
    const { copy, name } = withInput(type, 0, "description", "HTTPS from the load balancer's group");
    assert.deepStrictEqual(
      violationsOf(copy).map((v) => [v.resource, v.path]),
      [[name, "description"]],
    );
  });
  it("a parenthesis in the web ACL's description (WAFv2 EntityDescription pattern), as before 1de3d50", () => {
    const type = "aws:wafv2/webAcl:WebAcl";
    for (const description of ["Application load balancer: AWS managed rule groups (blocking), per-IP rate limit", "Load balancer (ALB)"]) {
      const { copy, name } = withInput(type, 0, "description", description);
      assert.deepStrictEqual(
        violationsOf(copy).map((v) => [v.resource, v.path, v.shape]),
        [[name, "description", "EntityDescription"]],
        description,
      );
    }
  });
  it("RDS windows outside CreateDBInstance's documented hh24:mi-hh24:mi and ddd:hh24:mi-ddd:hh24:mi forms", () => {
    const db = "aws:rds/instance:Instance";
    for (const [key, value, shape] of [
      ["backupWindow", "7:30-08:00", "doc:RdsBackupWindow"],
      ["backupWindow", "07:30-24:00", "doc:RdsBackupWindow"],
      ["maintenanceWindow", "sunday:08:30-sunday:09:30", "doc:RdsMaintenanceWindow"],
      ["maintenanceWindow", "Sun:08:30-Sun:09:30", "doc:RdsMaintenanceWindow"],
    ]) {
      const { copy, name } = withInput(db, 0, key, value);
      assert.deepStrictEqual(
        violationsOf(copy).map((v) => [v.resource, v.path, v.shape]),
        [[name, key, shape]],
        `${key} ${value}`,
      );
    }
  });
  it("a Lambda runtime outside the model's enum, and a name longer than AWS allows", () => {
    const fn = "aws:lambda/function:Function";
    const runtime = violationsOf(withInput(fn, 0, "runtime", "nodejs14.x-custom").copy);
    assert.deepStrictEqual(
      runtime.map((v) => [v.path, v.shape]),
      [["runtime", "Runtime"]],
    );
    const name = violationsOf(withInput("aws:iam/role:Role", 0, "name", "r".repeat(65)).copy);
    assert.deepStrictEqual(
      name.map((v) => [v.path, v.shape, v.rule]),
      [["name", "roleNameType", "length 65 > max 64"]],
    );
  });
  it("scalar rules: enum, code-point length, range", () => {
    assert.match(scalarViolation({ type: "string", enum: ["A"] }, "B")!, /not one of A/);
    assert.strictEqual(scalarViolation({ type: "string", max: 1 }, "😀"), undefined);
    assert.match(scalarViolation({ type: "integer", min: 1, max: 3 }, 4)!, /> max 3/);
    assert.match(scalarViolation({ type: "integer", min: 1 }, "0")!, /< min 1/);
  });
});
