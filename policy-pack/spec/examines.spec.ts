// What each policy examines (`examines`, HipaaInfo.examines): the declaration covers the policy's
// citations and types, the definition refuses a malformed one, and on the compliant platform fixture
// the predicates select what the policies' validations judge (the harness also fails any violation on a
// resource the declaration does not cover, in every policy spec).

import { strict as assert } from "assert";
import { resolveConfig } from "../checker/config";
import { examinedResources } from "../checker/run";
import { allPolicies, HipaaPolicy } from "../policies";
import { resourcePolicy, stackPolicy } from "../policies/lib/define";
import { citationsOfFramework, hipaa } from "../policies/lib/hipaa";
import { T } from "../policies/lib/types";
import { set } from "../test-support/builder";
import { Platform, platform } from "../test-support/platform";

const EVERY = "every resource of the types";

function examinedBy(p: HipaaPolicy, fixture: Platform): Map<string, Set<string>> {
  return examinedResources(fixture.deployment(), [p], resolveConfig(undefined, [p], "test config")).get(p.name)!;
}

const byName = (name: string) => allPolicies.find((p) => p.name === name)!;
const suffix = (urns: Iterable<string>) => [...urns].map((u) => u.slice(u.lastIndexOf("::") + 2)).sort();

describe("policy examines (the evidence each policy gives)", () => {
  for (const p of allPolicies) {
    it(`${p.name}: examines covers each of its citations, with types it reads and a rule`, () => {
      const cited = citationsOfFramework(p.framework);
      const covered = new Set(p.hipaa.examines.flatMap((e) => e.citations));
      assert.deepEqual(
        [...covered].sort(),
        [...cited].sort(),
        "citations without an examines entry (or entries citing what the policy does not)",
      );
      for (const e of p.hipaa.examines) {
        assert.ok(e.types.length > 0, "an entry examines at least one type");
        for (const t of e.types) {
          assert.ok(t === "*" || p.hipaa.resourceTypes.includes(t), `${t} is neither a resource type nor a related type of ${p.name}`);
        }
        assert.ok(e.rule.length > 0);
      }
    });
  }

  it("a policy examining only some resources says which in words (the ones the issue found included)", () => {
    for (const name of ["autoscaling-elb-health-check", "lambda-log-group-managed", "iam-cloudtrail-logs-role-trust-unconditioned"]) {
      assert.ok(
        byName(name).hipaa.examines.some((e) => e.rule !== EVERY),
        `${name} declares no rule`,
      );
    }
  });

  it("the definition refuses an entry citing what the policy does not, a predicate without its rule, and a resource policy examining another type", () => {
    const base = {
      description: "d",
      severity: "low" as const,
      enforcementLevel: "advisory" as const,
      category: "hygiene" as const,
      framework: hipaa("164.312(b)"),
      remediationSteps: "r",
      resourceTypes: [T.logGroup],
      validate: () => undefined,
    };
    assert.throws(() => resourcePolicy({ ...base, name: "examines-bad-citation", examines: [{ citations: ["164.312(d)"] }] }), /does not/);
    assert.throws(() => resourcePolicy({ ...base, name: "examines-no-rule", examines: [{ where: () => true }] }), /rule in words/);
    assert.throws(
      () => resourcePolicy({ ...base, name: "examines-other-type", examines: [{ types: [T.trail] }] }),
      /examines only its resourceTypes/,
    );
    assert.throws(() => stackPolicy({ ...base, name: "examines-empty", examines: [] }), /at least one entry/);
  });

  it("autoscaling-elb-health-check examines a group behind a load balancer and not one without (validation runs only there)", () => {
    const p = byName("autoscaling-elb-health-check");
    const fixture = platform("prod");
    const asg = fixture.find("aws:autoscaling/group:Group");
    assert.deepEqual(suffix(examinedBy(p, fixture).get("164.308(a)(7)(i)") ?? []), ["app-asg"]);
    assert.equal(examinedBy(p, fixture).get("164.312(b)"), undefined, "health checking is not evidence of audit controls");
    set(asg, "targetGroupArns", undefined);
    assert.equal(examinedBy(p, fixture).size, 0);
  });

  it("lambda-log-group-managed examines the functions and their log groups, not the other log groups", () => {
    const p = byName("lambda-log-group-managed");
    const fixture = platform("prod");
    const deployment = fixture.deployment();
    const examined = [...(examinedBy(p, fixture).get("164.312(b)") ?? [])];
    const groups = deployment.resources.filter((r) => r.type === T.logGroup);
    const fns = deployment.resources.filter((r) => r.type === T.lambdaFunction);
    const names = new Set(
      fns.map((f) => (f.inputs.loggingConfig as { logGroup?: string } | undefined)?.logGroup ?? `/aws/lambda/${String(f.inputs.name)}`),
    );
    const own = groups.filter((g) => names.has(String(g.inputs.name)));
    assert.ok(own.length > 0 && own.length < groups.length, "the fixture has function log groups and others");
    assert.deepEqual(examined.sort(), [...fns, ...own].map((r) => r.urn).sort());
  });

  it("iam-cloudtrail-logs-role-trust-unconditioned examines the trail and its logs role only", () => {
    const p = byName("iam-cloudtrail-logs-role-trust-unconditioned");
    const fixture = platform("prod");
    const deployment = fixture.deployment();
    const roles = deployment.resources.filter((r) => r.type === T.iamRole);
    const examined = [...(examinedBy(p, fixture).get("164.312(b)") ?? [])];
    const examinedRoles = roles.filter((r) => examined.includes(r.urn));
    assert.ok(roles.length > 1, "the fixture has other roles");
    assert.equal(examinedRoles.length, 1);
    const trails = deployment.resources.filter((r) => r.type === T.trail);
    assert.deepEqual(examined.filter((u) => !examinedRoles.some((r) => r.urn === u)).sort(), trails.map((t) => t.urn).sort());
  });

  it("prod-deletion-protection examines the load balancer for contingency but only the databases for the data backup plan", () => {
    const p = byName("prod-deletion-protection");
    const examined = examinedBy(p, platform("prod"));
    const types = (c: string) => [...new Set([...(examined.get(c) ?? [])].map((u) => u.split("::")[2].split("$").pop()))].sort();
    assert.ok(types("164.308(a)(7)(i)").includes("aws:lb/loadBalancer:LoadBalancer"));
    assert.ok(types("164.308(a)(7)(i)").includes("aws:dynamodb/table:Table"));
    assert.deepEqual(types("164.308(a)(7)(ii)(A)"), ["aws:rds/instance:Instance"]);
    assert.equal(examinedBy(p, platform("dev")).size, 0, "dev resources are not examined");
  });
});
