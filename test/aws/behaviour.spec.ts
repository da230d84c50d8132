/**
 * AWS behaviour, verified offline (docs/design.md, "AWS behaviour, verified offline"): every row of the behaviour table is
 * evaluated with iam-simulate against the plan's identity, trust, resource and key policies; every
 * needed call must be allowed, every dangerous probe denied, every service principal covered, and
 * what AWS documents as unsupported avoided.
 *
 * One test per plan and row source (and one for a plan's probes) evaluates all of its calls and
 * fails naming every call decided otherwise. The prod variant with enableAccountGuardrails is
 * evaluated only where its calls differ from prod's (test/support/behaviour-check.ts); the counts
 * test below says how many calls each plan evaluated and how many it left as exact repeats.
 */
import * as assert from "assert";
import { isWildcardOnlyAction } from "@cloud-copilot/iam-simulate";
import { AVOIDED, ROWS, rowsOf, type Row } from "./behaviour";
import type { PolicyIndex } from "./policy-index";
import { probesFor, type Probe } from "./probes";
import { evaluate, mismatchReport, repeatsOf, type Check } from "../support/behaviour-check";
import { loadPlan, PLANS, planSpec, type PlanSpec } from "../support/plans";

/** The plan a variant is evaluated against: only its calls that differ from the base plan's are evaluated. */
const BASE_OF: Readonly<Record<string, string>> = { "prod with enableAccountGuardrails": "prod" };

/**
 * Per plan: rows, needed (allowed) rows, probes, simulated roles; and of the rows and probes, how
 * many the variant evaluates (the rest are exact repeats of prod's evaluations).
 */
const COUNTS: Readonly<Record<string, { rows: number; needed: number; probes: number; roles: number; evaluated?: number }>> = {
  dev: { rows: 499, needed: 437, probes: 2574, roles: 14 },
  prod: { rows: 569, needed: 506, probes: 4309, roles: 18 },
  "prod with enableAccountGuardrails": { rows: 583, needed: 519, probes: 4696, roles: 19, evaluated: 683 },
};

/**
 * Actions whose only resource types are optional: a request that names none is authorized on `*`, so a
 * statement may grant them on `*`, but only under a condition that bounds them.
 */
const OPTIONAL_RESOURCE_ACTIONS: Readonly<Record<string, string>> = {
  // Its one resource type, `dataset`, is optional (OTLP datasets); a classic PutMetricData names no resource
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html). The canary's is bounded by cloudwatch:namespace.
  "cloudwatch:PutMetricData": "dataset (optional)",
};

interface Behaviour {
  readonly ix: PolicyIndex;
  readonly rows: readonly Row[];
  readonly roles: readonly string[];
  readonly probes: readonly Probe[];
}

const behaviours = new Map<string, Promise<Behaviour>>();

/** A plan's rows, simulated roles and probes (computed once per run). */
function behaviourOf(plan: PlanSpec): Promise<Behaviour> {
  let b = behaviours.get(plan.label);
  if (!b) {
    b = loadPlan(plan).then((ix) => {
      const rows = rowsOf(ix);
      const roles = [...new Set(rows.flatMap((r) => ("role" in r.caller ? [r.caller.role] : [])))];
      return { ix, rows, roles, probes: roles.flatMap((role) => probesFor(ix, role, rows)) };
    });
    behaviours.set(plan.label, b);
  }
  return b;
}

const checksOf = (b: Behaviour): Check[] => [
  ...b.rows.map((row): Check => ({ kind: "row", row })),
  ...b.probes.map((probe): Check => ({ kind: "probe", probe })),
];

const repeats = new Map<string, Promise<(key: string) => boolean>>();

/** Whether a call's evaluation is one of a base plan's rows and probes (what a variant need not evaluate again). */
function repeatsOn(label: string): Promise<(key: string) => boolean> {
  let r = repeats.get(label);
  if (!r) {
    r = behaviourOf(planSpec(label)).then((b) => repeatsOf(b.ix, checksOf(b)));
    repeats.set(label, r);
  }
  return r;
}

/** Evaluated and repeated checks per plan, filled in by the tests and asserted by the counts test. */
const tally = new Map<string, { rows: number; probes: number; evaluated: number; repeats: number }>();
const count = (label: string, kind: "rows" | "probes", checked: number, evaluated: number) => {
  const t = tally.get(label) ?? { rows: 0, probes: 0, evaluated: 0, repeats: 0 };
  t[kind] += checked;
  t.evaluated += evaluated;
  t.repeats += checked - evaluated;
  tally.set(label, t);
};

for (const plan of PLANS) {
  const base = BASE_OF[plan.label];
  const scope = base ? `where it differs from the ${base} plan` : "";

  describe(`AWS behaviour of the ${plan.label} plan`, function () {
    this.timeout(300_000);
    let b: Behaviour;
    let isRepeat: ((key: string) => boolean) | undefined;

    before(async () => {
      b = await behaviourOf(plan);
      if (base) isRepeat = await repeatsOn(base);
    });

    for (const source of ROWS) {
      it(`rows of ${source.name}: every call is decided as AWS documents it${scope ? ` (${scope})` : ""}`, async () => {
        const ids = new Set(source(b.ix).map((r) => r.id));
        const rows = b.rows.filter((r) => ids.has(r.id));
        const result = await evaluate(
          b.ix,
          rows.map((row): Check => ({ kind: "row", row })),
          isRepeat,
        );
        count(plan.label, "rows", rows.length, result.evaluated);
        assert.ok(result.mismatches.length === 0, mismatchReport(`rows of ${source.name}`, result));
      });
    }

    it(`every dangerous call of a simulated role is denied${scope ? ` (${scope})` : ""}`, async () => {
      const result = await evaluate(
        b.ix,
        b.probes.map((probe): Check => ({ kind: "probe", probe })),
        isRepeat,
      );
      count(plan.label, "probes", b.probes.length, result.evaluated);
      assert.ok(result.mismatches.length === 0, mismatchReport("probes", result));
    });

    it("no identity policy of a simulated role allows a wildcard action, or `*` resources beyond wildcard-only actions", async () => {
      const violations: string[] = [];
      for (const roleName of b.roles) {
        for (const p of b.ix.role(roleName).managed) {
          for (const s of p.policy.Statement.filter((st) => st.Effect === "Allow")) {
            const actions = [s.Action ?? []].flat();
            if (s.NotAction) violations.push(`${roleName} ${p.name}/${s.Sid ?? "?"}: NotAction`);
            for (const a of actions.filter((x) => x.includes("*"))) violations.push(`${roleName} ${p.name}/${s.Sid ?? "?"}: action ${a}`);
            if ([s.Resource ?? []].flat().includes("*")) {
              for (const a of actions.filter((x) => !x.includes("*"))) {
                const [service, action] = a.split(":");
                if (OPTIONAL_RESOURCE_ACTIONS[a] && s.Condition) continue;
                if (!(await isWildcardOnlyAction(service, action))) violations.push(`${roleName} ${p.name}/${s.Sid ?? "?"}: ${a} on *`);
              }
            }
          }
        }
      }
      assert.deepStrictEqual(violations, []);
    });

    it("simulates no role with AWS-managed policies its rows do not document (their permissions are not in the plan)", () => {
      const undocumented = b.roles.flatMap((role) => {
        const documented = new Set(
          b.rows.filter((r) => "role" in r.caller && r.caller.role === role).flatMap((r) => r.awsManagedDocumented ?? []),
        );
        return b.ix
          .role(role)
          .awsManaged.filter((arn) => !documented.has(arn))
          .map((arn) => `${role}: ${arn}`);
      });
      assert.deepStrictEqual(undocumented, []);
    });

    it("every service principal of a trust, key, bucket, topic or queue policy or a Lambda permission is covered by a row", () => {
      const covered = new Set(b.rows.flatMap((r: Row) => ("service" in r.caller ? [r.caller.service] : [])));
      const uncovered = b.ix
        .servicePrincipals()
        .filter((p) => !covered.has(p.principal))
        .map((p) => `${p.principal} (${p.where})`);
      assert.deepStrictEqual([...new Set(uncovered)], []);
    });

    describe("avoids what AWS documents as unsupported", () => {
      for (const a of AVOIDED) {
        it(`${a.id} (${a.doc})`, () => assert.deepStrictEqual(a.violations(b.ix), [], a.fact));
      }
    });

    if (plan.expectRows) {
      it(`has the rows the variant exists for (${plan.expectRows.join(", ")})`, () => {
        const ids = new Set(b.rows.map((r) => r.id));
        assert.deepStrictEqual(
          plan.expectRows!.filter((id) => !ids.has(id)),
          [],
        );
      });
    }

    it("every row cites AWS documentation, and says what it assumes where the documentation is silent", () => {
      for (const r of b.rows) {
        assert.match(r.doc, /^https:\/\/docs\.aws\.amazon\.com\//, r.id);
        if (!r.settled) assert.ok(r.note && r.note.length > 20, `${r.id}: settled: false needs a note`);
      }
    });
  });
}

describe(`AWS behaviour: counts over the ${PLANS.length} plans`, function () {
  this.timeout(300_000);

  it("every row source is named, once", () => {
    const names = ROWS.map((s) => s.name);
    assert.deepStrictEqual(
      names.filter((n, i) => !n || names.indexOf(n) !== i),
      [],
    );
  });

  it("each plan has the counted rows, needed calls, probes and simulated roles", async () => {
    const counted: Record<string, object> = {};
    for (const plan of PLANS) {
      const b = await behaviourOf(plan);
      const t = tally.get(plan.label);
      counted[plan.label] = {
        rows: b.rows.length,
        needed: b.rows.filter((r) => r.expected === "Allowed").length,
        probes: b.probes.length,
        roles: b.roles.length,
        ...(BASE_OF[plan.label] && t ? { evaluated: t.evaluated } : {}),
      };
    }
    assert.deepStrictEqual(counted, COUNTS);
  });

  it("every row and probe of each plan was evaluated or is an exact repeat of the base plan's (none when it has no base)", async function () {
    if (tally.size < PLANS.length) this.skip(); // a --grep run that evaluated only some plans
    for (const plan of PLANS) {
      const b = await behaviourOf(plan);
      const t = tally.get(plan.label)!;
      assert.deepStrictEqual({ rows: t.rows, probes: t.probes }, { rows: b.rows.length, probes: b.probes.length }, plan.label);
      assert.strictEqual(t.evaluated + t.repeats, b.rows.length + b.probes.length, plan.label);
      if (!BASE_OF[plan.label]) assert.strictEqual(t.repeats, 0, `${plan.label} has no base plan: it evaluates every call`);
    }
    console.log(
      `      evaluated: ${PLANS.map((p) => `${p.label} ${tally.get(p.label)!.evaluated} (${tally.get(p.label)!.repeats} repeats of its base)`).join(", ")}`,
    );
  });
});
