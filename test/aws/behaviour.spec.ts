/**
 * AWS behaviour, verified offline (ARCHITECTURE.md section 3): every row of the behaviour table is
 * evaluated with iam-simulate against the plan's identity, trust, resource and key policies; every
 * needed call must be allowed, every dangerous probe denied, every service principal covered, and
 * what AWS documents as unsupported avoided.
 */
import * as assert from "assert";
import { isWildcardOnlyAction } from "@cloud-copilot/iam-simulate";
import { AVOIDED, rowsOf, type Row } from "./behaviour";
import { PLANS, planIndexOf } from "./plans";
import { probesFor } from "./probes";
import { describeCall, simulate } from "./simulate";

const totals = { rows: 0, needed: 0, probes: 0 };

for (const plan of PLANS) {
  const ix = planIndexOf(plan);
  const rows = rowsOf(ix);
  const simulatedRoles = [...new Set(rows.flatMap((r) => ("role" in r.caller ? [r.caller.role] : [])))];
  const probes = simulatedRoles.flatMap((role) => probesFor(ix, role, rows));
  totals.rows += rows.length;
  totals.needed += rows.filter((r) => r.expected === "Allowed").length;
  totals.probes += probes.length;

  describe(`AWS behaviour of the ${plan.label} plan: ${rows.length} rows, ${probes.length} probes over ${simulatedRoles.length} roles`, function () {
    this.timeout(60_000);

    describe("every needed call is allowed as AWS documents it", () => {
      for (const row of rows) {
        it(`${row.id}${row.settled ? "" : " (documentation silent: see its note)"}`, async () => {
          const verdict = await simulate(ix, row);
          const allowed = verdict.decision === "Allowed";
          assert.strictEqual(
            allowed ? "Allowed" : "Denied",
            row.expected,
            `${describeCall(row)}\n  expected ${row.expected}, got ${verdict.explain}\n  source: ${row.doc}${row.note ? `\n  note: ${row.note}` : ""}`,
          );
        });
      }
    });

    describe("every dangerous call of a simulated role is denied", () => {
      for (const probe of probes) {
        it(probe.id, async () => {
          const verdict = await simulate(ix, probe);
          assert.notStrictEqual(verdict.decision, "Allowed", `${describeCall(probe)} is allowed: ${verdict.explain}`);
        });
      }
    });

    it("no identity policy of a simulated role allows a wildcard action, or `*` resources beyond wildcard-only actions", async () => {
      const violations: string[] = [];
      for (const roleName of simulatedRoles) {
        for (const p of ix.role(roleName).managed) {
          for (const s of p.policy.Statement.filter((st) => st.Effect === "Allow")) {
            const actions = [s.Action ?? []].flat();
            if (s.NotAction) violations.push(`${roleName} ${p.name}/${s.Sid ?? "?"}: NotAction`);
            for (const a of actions.filter((x) => x.includes("*"))) violations.push(`${roleName} ${p.name}/${s.Sid ?? "?"}: action ${a}`);
            if ([s.Resource ?? []].flat().includes("*")) {
              for (const a of actions.filter((x) => !x.includes("*"))) {
                const [service, action] = a.split(":");
                if (!(await isWildcardOnlyAction(service, action))) violations.push(`${roleName} ${p.name}/${s.Sid ?? "?"}: ${a} on *`);
              }
            }
          }
        }
      }
      assert.deepStrictEqual(violations, []);
    });

    it("simulates no role with AWS-managed policies its rows do not document (their permissions are not in the plan)", () => {
      const undocumented = simulatedRoles.flatMap((role) => {
        const documented = new Set(
          rows.filter((r) => "role" in r.caller && r.caller.role === role).flatMap((r) => r.awsManagedDocumented ?? []),
        );
        return ix
          .role(role)
          .awsManaged.filter((arn) => !documented.has(arn))
          .map((arn) => `${role}: ${arn}`);
      });
      assert.deepStrictEqual(undocumented, []);
    });

    it("every service principal of a trust, key, bucket, topic or queue policy or a Lambda permission is covered by a row", () => {
      const covered = new Set(rows.flatMap((r: Row) => ("service" in r.caller ? [r.caller.service] : [])));
      const uncovered = ix
        .servicePrincipals()
        .filter((p) => !covered.has(p.principal))
        .map((p) => `${p.principal} (${p.where})`);
      assert.deepStrictEqual([...new Set(uncovered)], []);
    });

    describe("avoids what AWS documents as unsupported", () => {
      for (const a of AVOIDED) {
        it(`${a.id} (${a.doc})`, () => assert.deepStrictEqual(a.violations(ix), [], a.fact));
      }
    });

    if (plan.expectRows) {
      it(`has the rows the variant exists for (${plan.expectRows.join(", ")})`, () => {
        const ids = new Set(rows.map((r) => r.id));
        assert.deepStrictEqual(
          plan.expectRows!.filter((id) => !ids.has(id)),
          [],
        );
      });
    }

    it("every row cites AWS documentation, and says what it assumes where the documentation is silent", () => {
      for (const r of rows) {
        assert.match(r.doc, /^https:\/\/docs\.aws\.amazon\.com\//, r.id);
        if (!r.settled) assert.ok(r.note && r.note.length > 20, `${r.id}: settled: false needs a note`);
      }
    });
  });
}

describe(`AWS behaviour: totals over the ${PLANS.length} plans`, () => {
  it(`counts rows, needed calls and probes`, () => {
    assert.ok(totals.rows > 0 && totals.probes > 0);
    console.log(
      `      behaviour table: ${totals.rows} rows, ${totals.needed} needed calls, ${totals.probes} probes (${PLANS.map((p) => p.label).join(" + ")})`,
    );
  });
});
