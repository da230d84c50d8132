/**
 * index.html: one self-contained, printable page (inline CSS and SVG, no script, no network).
 * Every string that comes from the deployment or the config goes through `esc`.
 */
import type { Figure } from "./architecture-figures";
import { architectureSection } from "./figures-html";
import type { Evidence, SafeguardEvidence, Verdict } from "./model";

export function esc(s: unknown): string {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

export function anchorOf(citation: string): string {
  return `s-${citation.replace(/[^0-9a-z]+/gi, "-").replace(/-+$/, "")}`;
}

const CSS = `
:root { --fail: #b91c1c; --warn: #b45309; --pass: #047857; --na: #475569; }
body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #0f172a; margin: 0 auto; max-width: 1200px; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; border-bottom: 2px solid #cbd5e1; padding-bottom: 4px; margin-top: 32px; }
h3 { font-size: 16px; margin: 16px 0 6px; } code, .urn { font: 12px/1.3 ui-monospace, Menlo, Consolas, monospace; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; } th, td { border: 1px solid #cbd5e1; padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f1f5f9; } .muted { color: #475569; } .small { font-size: 12px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; white-space: nowrap; }
.v-pass { background: var(--pass); } .v-fail { background: var(--fail); } .v-warn { background: var(--warn); } .v-not-applicable, .v-disabled { background: var(--na); }
.req { background: #1e3a8a; } .addr { background: #6d28d9; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 8px; }
.card { border: 1px solid #cbd5e1; border-radius: 6px; padding: 8px; } .card b { display: block; font-size: 22px; }
.figure { overflow: auto; border: 1px solid #cbd5e1; padding: 8px; } .figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.zoom { position: absolute; opacity: 0; pointer-events: none; }
.zoom + label { display: inline-block; margin: 0 0 6px; padding: 2px 10px; border: 1px solid #64748b; border-radius: 4px; cursor: pointer; font-size: 13px; user-select: none; }
.zoom:focus-visible + label { outline: 2px solid #1d4ed8; }
.zoom + label .actual, .zoom:checked + label .fit { display: none; } .zoom:checked + label .actual { display: inline; }
.zoom:checked ~ .figure { max-height: 85vh; } .zoom:checked ~ .figure svg { max-width: none; margin: 0; }
.print-only { display: none; }
.safeguard { border-top: 1px solid #e2e8f0; padding-top: 8px; } .resp { background: #f8fafc; border-left: 4px solid #6d28d9; padding: 6px 10px; }
nav ol { columns: 2; font-size: 13px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; line-height: 1.3; } a { color: inherit; text-decoration: none; }
  nav, .screen-only, .zoom, .zoom + label { display: none; } .print-only { display: block; }
  h2 { break-before: page; break-after: avoid; } h2.first { break-before: auto; } h3, h2 + p, summary { break-after: avoid; }
  .safeguard + .safeguard { break-before: page; } .safeguard { border-top: none; }
  thead { display: table-header-group; } tr { break-inside: avoid; } th, td { padding: 2px 4px; } code, .urn { font-size: 9px; line-height: 1.2; }
  .figure { border: none; overflow: visible; padding: 0; max-height: none; } .figure svg { max-width: 100%; max-height: 165mm; width: auto; }
  .tile { break-before: page; break-inside: avoid; } .tile svg { display: block; width: 100%; height: auto; max-height: 175mm; }
  .badge { border: 1px solid #000; color: #000 !important; background: none !important; }
  @page { size: A4 landscape; margin: 12mm; }
}
`;

function badge(v: Verdict): string {
  const label: Record<Verdict, string> = { pass: "PASS", fail: "FAIL", warn: "WARN", "not-applicable": "N/A", disabled: "DISABLED" };
  return `<span class="badge v-${v}">${label[v]}</span>`;
}

function safeguardSection(s: SafeguardEvidence): string {
  const out: string[] = [];
  out.push(`<section class="safeguard" id="${anchorOf(s.citation)}" data-citation="${esc(s.citation)}">`);
  out.push(
    `<h3>${esc(s.citation)} ${esc(s.title)} ${badge(s.verdict)} <span class="badge ${s.requirement === "required" ? "req" : "addr"}">` +
      `${s.kind === "standard" ? "standard, " : ""}${esc(s.requirement)}</span></h3>`,
  );
  out.push(
    `<p class="muted small">${esc(s.family)}. ${s.kind === "standard" ? "Standard" : `Implementation specification of ${esc(s.standard)}`}.</p>`,
  );
  out.push("<table><thead><tr><th>Policy</th><th>Enforcement</th><th>Verdict</th></tr></thead><tbody>");
  for (const p of s.policies) {
    out.push(
      `<tr><td><a href="#p-${esc(p.name)}"><code>${esc(p.name)}</code></a></td><td>${esc(p.enforcementLevel)}</td><td>${badge(p.verdict)}</td></tr>`,
    );
  }
  out.push("</tbody></table>");
  if (s.satisfiedBy.length > 0) {
    out.push(
      `<details open><summary>Resources that satisfy it (${s.satisfiedBy.length}): evaluated by these policies without a finding</summary>`,
    );
    out.push("<table><thead><tr><th>Resource</th><th>Type</th><th>Policies</th></tr></thead><tbody>");
    for (const r of s.satisfiedBy) {
      out.push(
        `<tr><td>${esc(r.name)}<br><span class="urn muted">${esc(r.urn)}</span></td><td><code>${esc(r.type)}</code></td>` +
          `<td class="small">${r.policies.map(esc).join(", ")}</td></tr>`,
      );
    }
    out.push("</tbody></table></details>");
  } else {
    out.push(`<p><b>Not applicable:</b> ${esc(s.notApplicable ?? "")}</p>`);
  }
  if (s.exemptions.length > 0) {
    out.push(
      "<p><b>Exemptions</b></p><table><thead><tr><th>Policy</th><th>Resource</th><th>Reason</th><th>Granted by</th></tr></thead><tbody>",
    );
    for (const e of s.exemptions) {
      out.push(
        `<tr><td><code>${esc(e.policy)}</code></td><td class="urn">${esc(e.urn)}</td><td>${esc(e.reason)}</td>` +
          `<td>${e.source === "tag" ? "tag" : "pack config pattern"} <code>${esc(e.grantedBy)}</code></td></tr>`,
      );
    }
    out.push("</tbody></table>");
  } else {
    out.push('<p class="muted small">No exemptions.</p>');
  }
  out.push(`<p class="resp"><b>Customer's responsibility:</b> ${esc(s.customerResponsibility)}</p>`);
  out.push("</section>");
  return out.join("\n");
}

export function renderHtml(ev: Evidence, figures: readonly Figure[]): string {
  const s = ev.summary;
  const out: string[] = [];
  out.push(
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
    `<title>HIPAA evidence: ${esc(s.project)} / ${esc(s.stack)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
  );
  out.push(`<header><h1>HIPAA Security Rule evidence: ${esc(s.project)} / ${esc(s.stack)}</h1>`);
  out.push(
    `<p class="muted">From <code>${esc(s.source)}</code>; deployment time ${esc(s.time ?? "not recorded")}; policy pack ` +
      `<code>${esc(s.pack.name)}</code> ${esc(s.pack.version)}; ${esc(s.framework.name)}, ${esc(s.framework.version)}.</p></header>`,
  );

  out.push('<h2 class="first" id="summary">Summary</h2><div class="cards">');
  const card = (label: string, value: string | number, cls = "") => `<div class="card ${cls}"><b>${esc(value)}</b>${esc(label)}</div>`;
  out.push(
    card("result", s.result),
    card("resources (state entries)", s.resources),
    card("cloud resources", s.entries.cloud),
    card("components", s.entries.components),
    card("policies run", s.policies),
    card("mandatory violations", s.mandatory),
    card("advisory violations", s.advisory),
    card("exemptions", s.exemptions),
    card("safeguards evidenced", ev.safeguards.length),
  );
  out.push("</div>");

  out.push('<nav><h3>Contents</h3><ol><li><a href="#architecture">Architecture</a></li><li><a href="#safeguards">Safeguards</a><ol>');
  for (const g of ev.safeguards) out.push(`<li><a href="#${anchorOf(g.citation)}">${esc(g.citation)} ${esc(g.title)}</a></li>`);
  out.push(
    '</ol></li><li><a href="#findings">Findings and exemptions</a></li><li><a href="#policies">Policies</a></li>' +
      '<li><a href="#resources">Resource index</a></li><li><a href="#responsibility">Shared responsibility</a></li><li><a href="#sources">Sources</a></li></ol></nav>',
  );

  out.push('<h2 id="architecture">Architecture</h2>');
  out.push(architectureSection(figures));

  out.push('<h2 id="safeguards">Safeguards</h2>');
  out.push(
    "<p>One section per HIPAA Security Rule standard or implementation specification the policy pack cites. Required or addressable " +
      "per 45 CFR 164.306(d) and the text of 164.308, 164.310, 164.312 and 164.316 (see Sources).</p>",
  );
  for (const g of ev.safeguards) out.push(safeguardSection(g));

  out.push('<h2 id="findings">Findings and exemptions</h2>');
  if (ev.violations.length === 0) out.push("<p>No violations.</p>");
  else {
    out.push("<table><thead><tr><th>Policy</th><th>Level</th><th>Severity</th><th>Resource</th><th>Message</th></tr></thead><tbody>");
    for (const v of ev.violations) {
      out.push(
        `<tr><td><code>${esc(v.policy)}</code></td><td>${esc(v.enforcementLevel)}</td><td>${esc(v.severity)}</td>` +
          `<td class="urn">${esc(v.urn)}</td><td>${esc(v.message)}</td></tr>`,
      );
    }
    out.push("</tbody></table>");
  }
  out.push(`<h3>Exemptions (${ev.exemptions.length})</h3>`);
  if (ev.exemptions.length === 0) out.push("<p>No exemptions.</p>");
  else {
    out.push("<table><thead><tr><th>Policy</th><th>Resource</th><th>Reason</th><th>Granted by</th></tr></thead><tbody>");
    for (const e of ev.exemptions) {
      out.push(
        `<tr><td><code>${esc(e.policy)}</code></td><td class="urn">${esc(e.urn)}</td><td>${esc(e.reason)}</td>` +
          `<td>${e.source === "tag" ? "tag" : "pack config pattern"} <code>${esc(e.grantedBy)}</code></td></tr>`,
      );
    }
    out.push("</tbody></table>");
  }

  out.push(
    '<h2 id="policies">Policies</h2><table><thead><tr><th>Policy</th><th>Verdict</th><th>Enforcement</th><th>Cites</th><th>Remediation</th></tr></thead><tbody>',
  );
  for (const p of ev.policies) {
    out.push(
      `<tr id="p-${esc(p.name)}"><td><code>${esc(p.name)}</code><br><span class="small">${esc(p.description)}</span></td><td>${badge(p.verdict)}</td>` +
        `<td>${esc(p.enforcementLevel)}</td><td class="small">${p.citations.map((c) => `<a href="#${anchorOf(c)}">${esc(c)}</a>`).join(", ")}</td>` +
        `<td class="small">${esc(p.remediation)}</td></tr>`,
    );
  }
  out.push("</tbody></table>");

  out.push('<h2 id="resources">Resource index</h2><p>Each resource that satisfies a safeguard, and the safeguards it serves.</p>');
  out.push("<table><thead><tr><th>Resource</th><th>Type</th><th>Safeguards</th></tr></thead><tbody>");
  for (const r of ev.resourceIndex) {
    out.push(
      `<tr><td>${esc(r.name)}<br><span class="urn muted">${esc(r.urn)}</span></td><td><code>${esc(r.type)}</code></td>` +
        `<td class="small">${r.safeguards.map((c) => `<a href="#${anchorOf(c)}">${esc(c)}</a>`).join(", ")}</td></tr>`,
    );
  }
  out.push("</tbody></table>");

  out.push('<h2 id="responsibility">Shared responsibility and the BAA</h2><ul>');
  for (const p of ev.sharedResponsibility) out.push(`<li>${esc(p)}</li>`);
  out.push("</ul>");
  out.push('<h2 id="sources">Sources</h2><ul>');
  for (const [k, v] of Object.entries(ev.sources)) out.push(`<li>${esc(k)}: <a href="${esc(v)}">${esc(v)}</a></li>`);
  out.push("</ul>", "</body>", "</html>");
  return `${out.join("\n")}\n`;
}
