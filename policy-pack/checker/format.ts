// Output of the offline checker: JSON per the contract in docs/design.md, "Contracts of the offline commands", or text
// grouped by resource with the HIPAA citation and the remediation of each policy.

import { HipaaPolicy } from "../policies";
import { plural } from "./deployment";
import { CheckResult, Violation } from "./run";

export function toJson(result: CheckResult): string {
  return JSON.stringify({ violations: result.violations, summary: result.summary }, null, 2);
}

/** Word-wraps `text`: the first line after `first`, the others after `rest`. */
function wrap(text: string, first: string, rest = " ".repeat(first.length), width = 110): string {
  const lines: string[] = [];
  let line = "";
  let prefix = first;
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (line && prefix.length + line.length + 1 + w.length > width) {
      lines.push(prefix + line);
      prefix = rest;
      line = w;
    } else {
      line = line ? `${line} ${w}` : w;
    }
  }
  if (line) {
    lines.push(prefix + line);
  }
  return lines.join("\n");
}

export interface TextOptions {
  source: string;
  policies: HipaaPolicy[];
  encryptedSecrets?: number;
  /** The deployment's size as {@link describeCounts} words it. */
  counts?: string;
}

export function toText(result: CheckResult, opts: TextOptions): string {
  const byName = new Map(opts.policies.map((p) => [p.name, p]));
  const { summary } = result;
  const out: string[] = [];
  out.push(
    `HIPAA policy check of ${opts.source}: ${opts.counts ?? plural(summary.resources, "state entry", "state entries")}; ` +
      `${plural(summary.policies, "policy", "policies")}`,
  );
  if (opts.encryptedSecrets) {
    out.push(
      `Note: ${plural(opts.encryptedSecrets, "state entry holds", "state entries hold")} encrypted secrets that cannot be read offline; policies that need them ` +
        'report "can\'t run". Export with `pulumi stack export --show-secrets` to evaluate them.',
    );
  }
  out.push("");

  const groups = new Map<string, Violation[]>();
  for (const v of result.violations) {
    const list = groups.get(v.urn) ?? [];
    list.push(v);
    groups.set(v.urn, list);
  }
  const rank = (vs: Violation[]) => (vs.some((v) => v.enforcementLevel === "mandatory") ? 0 : 1);
  const ordered = [...groups.entries()].sort((a, b) => rank(a[1]) - rank(b[1]) || a[0].localeCompare(b[0]));
  for (const [urn, vs] of ordered) {
    out.push(urn);
    vs.sort((a, b) =>
      a.enforcementLevel === b.enforcementLevel ? a.policy.localeCompare(b.policy) : a.enforcementLevel === "mandatory" ? -1 : 1,
    );
    for (const v of vs) {
      const p = byName.get(v.policy);
      out.push(`  [${v.enforcementLevel.toUpperCase()} ${v.severity}] ${v.policy}: ${p?.description ?? ""}`);
      out.push(wrap(v.message, "      "));
      if (p?.framework) {
        out.push(wrap(`${p.framework.name} ${p.framework.reference} (${p.framework.specification})`, "      HIPAA: "));
      }
      if (p?.remediationSteps) {
        out.push(wrap(p.remediationSteps, "      Fix:   "));
      }
    }
    out.push("");
  }
  if (result.violations.length === 0) {
    out.push("No violations.", "");
  }
  const ex = summary.exemptions;
  out.push(`Exemptions: ${ex.count}`);
  for (const e of ex.list) {
    out.push(`  - ${e.policy} on ${e.urn}`);
    out.push(`      granted by ${e.source === "tag" ? `tag ${e.grantedBy}` : `pack config pattern ${e.grantedBy}`}: ${e.reason}`);
  }
  for (const u of ex.unmatched) {
    out.push(
      wrap(
        `the pack config exemption "${u.urn}" of ${u.policy} matches no resource of this deployment (stale: ` +
          "remove it, or correct the pattern before it exempts whatever later takes the name)" +
          (u.validReason ? "" : "; it has no written reason either, so it would not be honoured"),
        "  Warning: ",
        "           ",
      ),
    );
  }
  out.push("");
  const resourcesWith = groups.size;
  out.push(
    `Summary: ${summary.mandatory} mandatory and ${plural(summary.advisory, "advisory violation")} on ` +
      `${plural(resourcesWith, "state entry", "state entries")}; ${plural(ex.count, "exemption")}` +
      `${ex.unmatched.length > 0 ? ` (${plural(ex.unmatched.length, "unmatched exemption pattern")})` : ""}; ` +
      `${plural(summary.policies, "policy", "policies")} over ${plural(summary.resources, "state entry", "state entries")}.`,
  );
  out.push(summary.mandatory > 0 ? "Result: FAIL (mandatory violations block the deployment)" : "Result: PASS");
  return out.join("\n");
}
