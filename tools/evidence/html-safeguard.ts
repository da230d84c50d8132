/**
 * One page per safeguard: what the platform does, the policies that enforce it (names, levels, verdicts),
 * the evidence by component (counts and names; the URNs are in the appendix files), exemptions with their
 * reasons, what the customer must do, and, with --verification, what the account showed.
 */
import type { AppendixSafeguard } from "./appendix";
import { anchorOf, badge, esc, type ReportContext } from "./html-common";
import type { Evidence, PolicyEvidence, SafeguardEvidence } from "./model";
import { verificationOf } from "./verification";

/** A sentence from the model's fields: how many policies at which levels examine how many resources in which components. */
function whatThePlatformDoes(s: SafeguardEvidence, a: AppendixSafeguard | undefined, policies: Map<string, PolicyEvidence>): string {
  const level = (l: string) => s.policies.filter((p) => p.enforcementLevel === l).length;
  const types = [...new Set(s.policies.flatMap((p) => policies.get(p.name)?.resourceTypes ?? []))].map((t) => t.split(":")[1] ?? t);
  const services = [...new Set(types.map((t) => t.split("/")[0]))].sort();
  const components = a?.components.length ?? 0;
  const resources = a?.resources.length ?? s.satisfiedBy.length;
  return (
    `${s.policies.length} ${s.policies.length === 1 ? "policy" : "policies"} (${level("mandatory")} mandatory, ${level("advisory")} advisory` +
    `${level("disabled") ? `, ${level("disabled")} disabled` : ""}) check the configuration of the platform's ${services.join(", ")} resources for this ` +
    `safeguard before deployment${resources > 0 ? `; ${resources} resources in ${components} components pass them` : ""}. ` +
    "A mandatory policy blocks a deployment that breaks it; an advisory one reports it."
  );
}

export function safeguardPage(s: SafeguardEvidence, ev: Evidence, ctx: ReportContext, policies: Map<string, PolicyEvidence>): string {
  const a = ctx.appendix.safeguards.find((x) => x.citation === s.citation);
  const out: string[] = [];
  out.push(`<section class="safeguard" id="${anchorOf(s.citation)}" data-citation="${esc(s.citation)}">`);
  out.push(
    `<h3>${esc(s.citation)} ${esc(s.title)} ${badge(s.verdict)} <span class="badge ${s.requirement === "required" ? "req" : "addr"}">` +
      `${s.kind === "standard" ? "standard, " : ""}${esc(s.requirement)}</span></h3>`,
  );
  out.push(
    `<p class="muted small">${esc(s.family)}. ${s.kind === "standard" ? "Standard" : `Implementation specification of ${esc(s.standard)}`}.</p>`,
  );
  out.push(`<p><b>What the platform does:</b> ${esc(whatThePlatformDoes(s, a, policies))}</p>`);
  const check = verificationOf(ctx.verification, s.citation);
  if (check) {
    out.push(
      `<p class="verified${check.verdict === "fail" ? " fail" : ""}"><b>Verified in the account at ${esc(check.checkedAt)}: ${esc(check.verdict)}</b> ` +
        check.checks.map((c) => `(<code>${esc(c.id)}</code> ${esc(c.status)}: ${esc(c.detail)})`).join(" ") +
        "</p>",
    );
  }
  out.push(`<p><b>Enforced by ${s.policies.length} ${s.policies.length === 1 ? "policy" : "policies"}</b></p><ul class="policies">`);
  for (const p of s.policies) {
    out.push(`<li><a href="#p-${esc(p.name)}"><code>${esc(p.name)}</code></a> ${esc(p.enforcementLevel)} ${badge(p.verdict)}</li>`);
  }
  out.push("</ul>");
  if (a && a.resources.length > 0) {
    const where = a.csvRows ? ` (each with its URN: appendix/resources.csv rows ${a.csvRows.first}-${a.csvRows.last})` : "";
    out.push(
      `<p><b>Evidence by component: ${a.resources.length} resources pass these policies</b>${esc(where)}</p><ul class="components">`,
    );
    for (const c of a.components) out.push(`<li><b>${esc(c.component)}</b>: ${c.count}: ${c.names.map(esc).join(", ")}</li>`);
    out.push("</ul>");
  } else {
    out.push(`<p><b>Not applicable:</b> ${esc(s.notApplicable ?? "")}</p>`);
  }
  const findings = ev.violations.filter((v) => s.policies.some((p) => p.name === v.policy));
  if (findings.length > 0) {
    out.push(
      `<p><b>Findings (${findings.length})</b>: ${findings.map((v) => `<code>${esc(v.policy)}</code> ${esc(v.enforcementLevel)} on ${esc(v.urn.slice(v.urn.lastIndexOf("::") + 2))}`).join("; ")} (see <a href="#findings">Findings</a>).</p>`,
    );
  }
  if (s.exemptions.length > 0) {
    out.push(
      '<p><b>Exemptions</b></p><div class="tw"><table><thead><tr><th>Policy</th><th>Resource</th><th>Reason</th><th>Granted by</th></tr></thead><tbody>',
    );
    for (const e of s.exemptions) {
      out.push(
        `<tr><td><code>${esc(e.policy)}</code></td><td class="urn">${esc(e.urn)}</td><td>${esc(e.reason)}</td>` +
          `<td>${e.source === "tag" ? "tag" : "pack config pattern"} <code>${esc(e.grantedBy)}</code></td></tr>`,
      );
    }
    out.push("</tbody></table></div>");
  } else {
    out.push('<p class="muted small">No exemptions.</p>');
  }
  out.push(`<p class="resp"><b>Customer's responsibility:</b> ${esc(s.customerResponsibility)}</p>`);
  out.push("</section>");
  return out.join("\n");
}
