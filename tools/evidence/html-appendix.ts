/**
 * The report's last pages: the account's verification (with the canary's objectives), the findings and
 * exemptions, the policies, the appendix files of the bundle, shared responsibility and the sources.
 */
import { CONTROLS_CSV, POLICIES_CSV, RESOURCES_CSV, RESOURCES_JSON } from "./appendix";
import { COVERAGE_CSV } from "./coverage";
import { anchorOf, badge, esc, type ReportContext } from "./html-common";
import type { Evidence } from "./model";
import type { Verification } from "./verification";

export function verificationSection(v: Verification): string {
  const out = ['<h2 id="verification">Verification in the account</h2>'];
  out.push(
    `<p>From <code>npm run verify --format json</code> of stack ${esc(v.stack)}, checked at ${esc(v.checkedAt)}` +
      `${v.account ? ` in account ${esc(v.account)}` : ""}${v.region ? ` (${esc(v.region)})` : ""}: read-only calls proving each safeguard where it lives.</p>`,
  );
  out.push('<div class="tw"><table><thead><tr><th>Check</th><th>Status</th><th>Safeguards</th><th>Detail</th></tr></thead><tbody>');
  for (const c of v.checks) {
    out.push(
      `<tr><td><code>${esc(c.id)}</code> ${esc(c.title)}</td><td><span class="badge v-${c.status === "pass" ? "pass" : c.status === "fail" ? "fail" : "not-evaluated"}">${esc(c.status)}</span></td>` +
        `<td class="small">${c.citations.map((x) => `<a href="#${anchorOf(x)}">${esc(x)}</a>`).join(", ")}</td><td class="small">${esc(c.detail)}</td></tr>`,
    );
  }
  out.push("</tbody></table></div>");
  if (v.canary) {
    out.push(`<h3 id="canary">The canary's objectives: ${esc(v.canary.status)}</h3>`);
    if (v.canary.measurements.length === 0) out.push(`<p>${esc(v.canary.detail || "The canary check reported no values.")}</p>`);
    else {
      out.push(
        '<div class="tw"><table class="canary"><thead><tr><th>Measurement</th><th>Last value</th><th>Objective</th><th>Met</th></tr></thead><tbody>',
      );
      for (const m of v.canary.measurements) {
        const unit = m.unit ? ` ${esc(m.unit)}` : "";
        out.push(
          `<tr><td>${esc(m.name)}</td><td class="num">${m.value === null ? "no value" : `${esc(m.value)}${unit}`}</td>` +
            `<td class="num">${m.objective === null ? "not reported" : `at most ${esc(m.objective)}${unit}`}</td><td>${m.met === null ? "unknown" : m.met ? "yes" : "no"}</td></tr>`,
        );
      }
      out.push("</tbody></table></div>");
    }
  }
  return out.join("\n");
}

export function findingsSection(ev: Evidence): string {
  const remediation = new Map(ev.policies.map((p) => [p.name, p.remediation]));
  const out = ['<h2 id="findings">Findings and exemptions</h2>'];
  if (ev.violations.length === 0) out.push("<p>No violations.</p>");
  else {
    out.push(
      '<div class="tw"><table><thead><tr><th>Policy</th><th>Level</th><th>Resource</th><th>Message</th><th>Remediation</th></tr></thead><tbody>',
    );
    for (const v of ev.violations) {
      out.push(
        `<tr><td><code>${esc(v.policy)}</code></td><td>${esc(v.enforcementLevel)}, ${esc(v.severity)}</td>` +
          `<td class="urn">${esc(v.urn)}</td><td class="small">${esc(v.message)}</td><td class="small">${esc(remediation.get(v.policy) ?? "")}</td></tr>`,
      );
    }
    out.push("</tbody></table></div>");
  }
  out.push(`<h3>Exemptions (${ev.exemptions.length})</h3>`);
  if (ev.exemptions.length === 0) out.push("<p>No exemptions.</p>");
  else {
    out.push('<div class="tw"><table><thead><tr><th>Policy</th><th>Resource</th><th>Reason</th><th>Granted by</th></tr></thead><tbody>');
    for (const e of ev.exemptions) {
      out.push(
        `<tr><td><code>${esc(e.policy)}</code></td><td class="urn">${esc(e.urn)}</td><td>${esc(e.reason)}</td>` +
          `<td>${e.source === "tag" ? "tag" : "pack config pattern"} <code>${esc(e.grantedBy)}</code></td></tr>`,
      );
    }
    out.push("</tbody></table></div>");
  }
  return out.join("\n");
}

export function policiesSection(ev: Evidence): string {
  const out = [
    '<h2 class="same-page" id="policies">Policies</h2><p class="small">Each policy of the pack with its level and verdict; what it checks, the ' +
      `safeguards it cites, its resource types and counts are in <a href="${POLICIES_CSV}"><code>${POLICIES_CSV}</code></a>.</p>`,
  ];
  out.push('<ul class="policy-index">');
  for (const p of ev.policies) {
    out.push(`<li id="p-${esc(p.name)}"><code>${esc(p.name)}</code> ${esc(p.enforcementLevel)} ${badge(p.verdict)}</li>`);
  }
  out.push("</ul>");
  return out.join("\n");
}

export function appendixSection(ev: Evidence, ctx: ReportContext): string {
  const rows = ctx.appendix.safeguards.reduce((n, s) => n + s.resources.length, 0);
  const files: [string, string][] = [
    [RESOURCES_CSV, `every resource that evidences a safeguard (${rows} rows): safeguard, component, resource, type, URN, policies`],
    [RESOURCES_JSON, "the same per safeguard, with its resources grouped by component"],
    [
      POLICIES_CSV,
      `every policy of the pack (${ev.policies.length} rows): verdict, level, severity, citations, resource types, counts, what it checks, remediation`,
    ],
    [
      COVERAGE_CSV,
      "every rule of cdk-nag HIPAA.Security, the AWS Config HIPAA conformance pack and Prowler HIPAA: its citations, our policy that covers it or why none does",
    ],
    [CONTROLS_CSV, "controls to requirements for auditors' tools (RFC 4180): safeguard, policy, resource, verdict, exemption"],
    ["evidence.json", "the whole model (docs/evidence.schema.json): policies, verdicts, violations, exemptions, the architecture"],
    ["manifest.json", "the SHA-256 of every other file, of the deployment, the pack version and the program commit"],
  ];
  return (
    '<h2 class="same-page" id="appendix">Appendix files</h2><p>In the evidence bundle beside this report; manifest.json makes them tamper-evident.</p><ul>' +
    files.map(([f, d]) => `<li><code>${esc(f)}</code>: ${esc(d)}</li>`).join("") +
    "</ul>"
  );
}

export function closingSections(ev: Evidence): string {
  const out = ['<h2 class="same-page" id="responsibility">Shared responsibility and the BAA</h2><ul>'];
  for (const p of ev.sharedResponsibility) out.push(`<li>${esc(p)}</li>`);
  out.push("</ul>");
  out.push('<h2 class="same-page" id="sources">Sources</h2><ul class="sources">');
  for (const [k, v] of Object.entries(ev.sources)) out.push(`<li>${esc(k)}: <a href="${esc(v)}">${esc(v)}</a></li>`);
  out.push("</ul>");
  return out.join("\n");
}
