/**
 * The evidence lists a resource under a safeguard only where a policy citing the safeguard examined it
 * (issue 20, section 1): the report's "satisfied by" comes from each policy's declared `examines`, the
 * predicate its validation selects with, per citation. Checked on the run's plans (test/support/plans.ts)
 * with the shipped configs: the three rows the issue found must be gone, and every listed
 * (safeguard, resource, policy) must be one the policy's predicate holds for and found no violation on.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseConfig } from "../../policy-pack/checker/config";
import { LoadedDeployment, parseDeployment, StateResource } from "../../policy-pack/checker/deployment";
import { examinedResources } from "../../policy-pack/checker/run";
import { allPolicies } from "../../policy-pack/policies";
import { buildArchitecture } from "../../tools/evidence/architecture";
import { buildEvidence, citationsOf, Evidence } from "../../tools/evidence/model";
import { planFile, planSpec, Stack } from "../support/plans";

const ROOT = path.resolve(__dirname, "../..");
const AUDIT = "164.312(b)";

interface Built {
  deployment: LoadedDeployment;
  evidence: Evidence;
  config: ReturnType<typeof parseConfig>;
}

async function build(stack: Stack): Promise<Built> {
  const file = await planFile(planSpec(stack));
  const deployment = parseDeployment(fs.readFileSync(file, "utf8"), file);
  const configFile = path.join(ROOT, `policy-pack/config/${stack}.json`);
  const config = parseConfig(fs.readFileSync(configFile, "utf8"), allPolicies, configFile);
  const { evidence } = await buildEvidence({
    deployment,
    policies: allPolicies,
    config,
    source: file,
    architecture: buildArchitecture(deployment),
  });
  return { deployment, evidence, config };
}

const nameOf = (r: StateResource) => r.urn.slice(r.urn.lastIndexOf("::") + 2);
const ofType = (d: LoadedDeployment, type: string) => d.resources.filter((r) => r.type === type);

function listedUnder(e: Evidence, citation: string) {
  const s = e.safeguards.find((x) => x.citation === citation);
  assert.ok(s, `the evidence has no safeguard ${citation}`);
  return s.satisfiedBy;
}

describe("evidence: a resource is listed only where a policy examined it for the safeguard", function () {
  this.timeout(300_000);
  const built = new Map<Stack, Built>();
  before(async () => {
    for (const stack of ["dev", "prod"] as const) built.set(stack, await build(stack));
  });
  const prod = () => built.get("prod")!;

  it("prod plan, 164.312(b): the Auto Scaling group is not evidence through autoscaling-elb-health-check (it is under contingency, 164.308(a)(7)(i))", () => {
    const { deployment, evidence } = prod();
    const groups = ofType(deployment, "aws:autoscaling/group:Group");
    assert.ok(groups.length > 0, "the prod plan has an Auto Scaling group");
    const audit = listedUnder(evidence, AUDIT);
    assert.deepStrictEqual(
      audit.filter((r) => r.policies.includes("autoscaling-elb-health-check")).map((r) => r.name),
      [],
    );
    assert.deepStrictEqual(
      audit.filter((r) => r.type === "aws:autoscaling/group:Group").map((r) => `${r.name} ${r.policies.join(",")}`),
      [],
    );
    const contingency = listedUnder(evidence, "164.308(a)(7)(i)").filter((r) => r.policies.includes("autoscaling-elb-health-check"));
    assert.deepStrictEqual(
      contingency.map((r) => r.urn),
      groups.map((g) => g.urn),
      "the group registers with the load balancer's target group, so the policy examined its health checking",
    );
  });

  it("prod plan, 164.312(b): lambda-log-group-managed lists the functions and the log groups they log to, no RDS log group", () => {
    const { deployment, evidence } = prod();
    const fns = ofType(deployment, "aws:lambda/function:Function");
    // A function's log group, from the plan: loggingConfig.logGroup, else /aws/lambda/<name> (AWS's default).
    const lambdaGroups = new Set(
      fns.map((f) => {
        const cfg = f.inputs.loggingConfig as { logGroup?: string } | undefined;
        return cfg?.logGroup ?? `/aws/lambda/${String(f.inputs.name)}`;
      }),
    );
    const listed = listedUnder(evidence, AUDIT).filter((r) => r.policies.includes("lambda-log-group-managed"));
    const byUrn = new Map(deployment.resources.map((r) => [r.urn, r]));
    const groups = listed.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup");
    assert.ok(groups.length > 0, "the functions' log groups are listed");
    for (const g of groups) {
      assert.ok(lambdaGroups.has(String(byUrn.get(g.urn)?.inputs.name)), `${g.name} is no function's log group`);
    }
    const rdsGroups = ofType(deployment, "aws:cloudwatch/logGroup:LogGroup").filter((g) => String(g.inputs.name).startsWith("/aws/rds/"));
    assert.ok(rdsGroups.length > 0, "the prod plan has RDS log groups");
    for (const g of rdsGroups) {
      assert.ok(!listed.some((r) => r.urn === g.urn), `${nameOf(g)} (an RDS log group) is listed through lambda-log-group-managed`);
    }
    assert.deepStrictEqual(
      listed.filter((r) => r.type === "aws:lambda/function:Function").map((r) => r.urn),
      fns.map((f) => f.urn).sort(),
    );
  });

  it("prod plan, 164.312(b): iam-cloudtrail-logs-role-trust-unconditioned lists the trail and its CloudWatch Logs role, not the instance role", () => {
    const { deployment, evidence } = prod();
    const logsRoleArns = new Set(ofType(deployment, "aws:cloudtrail/trail:Trail").map((t) => t.inputs.cloudWatchLogsRoleArn));
    const logsRoles = ofType(deployment, "aws:iam/role:Role").filter((r) => logsRoleArns.has(r.outputs.arn));
    assert.strictEqual(logsRoles.length, 1, "the trail's logs role is in the plan");
    const listed = listedUnder(evidence, AUDIT).filter((r) => r.policies.includes("iam-cloudtrail-logs-role-trust-unconditioned"));
    assert.deepStrictEqual(
      listed.filter((r) => r.type === "aws:iam/role:Role").map((r) => r.urn),
      logsRoles.map((r) => r.urn),
    );
    const instanceRole = ofType(deployment, "aws:iam/role:Role").find((r) => nameOf(r) === "application-instance-role");
    assert.ok(instanceRole, "the prod plan has the instance role");
    assert.ok(
      !listedUnder(evidence, AUDIT).some(
        (r) => r.urn === instanceRole.urn && r.policies.includes("iam-cloudtrail-logs-role-trust-unconditioned"),
      ),
    );
  });

  it("prod plan: s3-no-header-requiring-deny-on-service-buckets gives the PHI replica bucket as integrity evidence, not as 164.312(b) evidence", () => {
    const { evidence } = prod();
    const via = (c: string) =>
      listedUnder(evidence, c)
        .filter((r) => r.policies.includes("s3-no-header-requiring-deny-on-service-buckets"))
        .map((r) => r.name);
    assert.ok(via("164.312(c)(1)").includes("recovery-phi-replica-bucket"));
    assert.ok(!via(AUDIT).includes("recovery-phi-replica-bucket"));
    assert.ok(via(AUDIT).includes("recovery-trail-replica-bucket"), "a replica of the trail's bucket holds logs");
  });

  for (const stack of ["dev", "prod"] as const) {
    it(`${stack} plan: every listed (safeguard, resource, policy) is one the policy cites, examines for that safeguard and found no violation on, and nothing examined and clean is left out`, () => {
      const { deployment, evidence, config } = built.get(stack)!;
      const examined = examinedResources(deployment, allPolicies, config);
      const byName = new Map(allPolicies.map((p) => [p.name, p]));
      const enabled = new Set(evidence.policies.filter((p) => p.enforcementLevel !== "disabled").map((p) => p.name));
      const flagged = new Set([...evidence.violations, ...evidence.exemptions].map((v) => `${v.policy}\u0000${v.urn}`));
      let triples = 0;
      for (const s of evidence.safeguards) {
        for (const r of s.satisfiedBy) {
          for (const name of r.policies) {
            triples++;
            const p = byName.get(name)!;
            assert.ok(citationsOf(p).includes(s.citation), `${name} does not cite ${s.citation}`);
            assert.ok(examined.get(name)?.get(s.citation)?.has(r.urn), `${name} does not examine ${r.name} for ${s.citation}`);
            assert.ok(!flagged.has(`${name}\u0000${r.urn}`), `${name} flagged ${r.name}`);
          }
        }
        // and the converse: an enabled policy's clean examined resource is listed
        for (const name of s.policies.map((p) => p.name).filter((n) => enabled.has(n))) {
          for (const urn of examined.get(name)?.get(s.citation) ?? []) {
            if (!flagged.has(`${name}\u0000${urn}`)) {
              assert.ok(
                s.satisfiedBy.some((r) => r.urn === urn && r.policies.includes(name)),
                `${urn} examined by ${name} for ${s.citation} is not listed`,
              );
            }
          }
        }
      }
      assert.ok(triples > 100, `only ${triples} listed triples`);
    });
  }
});
