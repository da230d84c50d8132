/**
 * index.html: one self-contained, printable page (inline CSS and SVG, no script, no network), read in one
 * sitting: the scope, the verdict and one table of every safeguard first (html-front.ts), the architecture,
 * one section per safeguard, each kept whole on one printed page (html-safeguard.ts), then findings, policies and the appendix files (html-appendix.ts).
 * Full resource lists are in the bundle's appendix files (appendix.ts), not in the pages.
 * Every string that comes from the deployment, the config or the verification goes through `esc`.
 */
import { anchorOf, esc, type ReportContext } from "./html-common";
import { appendixSection, closingSections, findingsSection, policiesSection, verificationSection } from "./html-appendix";
import type { Figure } from "./architecture-figures";
import { architectureSection } from "./figures-html";
import { coverageSection } from "./coverage";
import { contents, safeguardTable, scopeSection } from "./html-front";
import { safeguardPage } from "./html-safeguard";
import type { Evidence } from "./model";

export { anchorOf, esc, type ReportContext };

const CSS = `
:root { --fail: #b91c1c; --warn: #b45309; --pass: #047857; --na: #475569; }
* { box-sizing: border-box; }
body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #0f172a; margin: 0 auto; max-width: 1200px; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; border-bottom: 2px solid #cbd5e1; padding-bottom: 4px; margin-top: 32px; }
h3 { font-size: 16px; margin: 16px 0 6px; } code, .urn { font: 12px/1.3 ui-monospace, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.tw { overflow-x: auto; max-width: 100%; } ul.sources a, ul.sources li { overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; } th, td { border: 1px solid #cbd5e1; padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f1f5f9; } .muted { color: #475569; } .small { font-size: 12px; } .num { text-align: right; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; white-space: nowrap; }
.v-pass { background: var(--pass); } .v-fail { background: var(--fail); } .v-warn { background: var(--warn); } .v-not-applicable, .v-disabled, .v-not-evaluated { background: var(--na); }
.req { background: #1e3a8a; } .addr { background: #6d28d9; }
.verdict { font-size: 18px; margin: 12px 0; } .verdict .badge { font-size: 16px; }
dl.scope { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px; margin: 8px 0; } dl.scope dt { font-weight: 600; } dl.scope dd { margin: 0; overflow-wrap: anywhere; }
.figure { overflow: auto; border: 1px solid #cbd5e1; padding: 8px; } .figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.zoom { position: absolute; opacity: 0; pointer-events: none; }
.zoom + label { display: inline-block; margin: 0 0 6px; padding: 2px 10px; border: 1px solid #64748b; border-radius: 4px; cursor: pointer; font-size: 13px; user-select: none; }
.zoom:focus-visible + label { outline: 2px solid #1d4ed8; }
.zoom + label .actual, .zoom:checked + label .fit { display: none; } .zoom:checked + label .actual { display: inline; }
.zoom:checked ~ .figure { max-height: 85vh; } .zoom:checked ~ .figure svg { max-width: none; margin: 0; }
.print-only { display: none; }
.safeguard { border-top: 1px solid #e2e8f0; padding-top: 8px; } .resp { background: #f8fafc; border-left: 4px solid #6d28d9; padding: 6px 10px; }
.verified { background: #f0fdf4; border-left: 4px solid var(--pass); padding: 6px 10px; } .verified.fail { background: #fef2f2; border-left-color: var(--fail); }
ul.policies { columns: 3 260px; column-gap: 16px; padding-left: 18px; margin: 4px 0; font-size: 13px; } ul.policies li { break-inside: avoid; }
ul.components { padding-left: 18px; margin: 4px 0; } ul.components li { margin: 2px 0; }
ul.policy-index { columns: 3 260px; column-gap: 16px; padding-left: 18px; margin: 4px 0; font-size: 13px; } ul.policy-index li { break-inside: avoid; overflow-wrap: anywhere; }
nav ol { columns: 2 320px; font-size: 13px; padding-left: 24px; } nav li { break-inside: avoid; }
@media (max-width: 640px) {
  body { padding: 12px; overflow-wrap: anywhere; } nav ol, ul.policies, ul.policy-index { columns: auto; }
  dl.scope { grid-template-columns: minmax(0, 1fr); } dl.scope dd { margin-bottom: 4px; }
  table.safeguards thead { display: none; } table.safeguards, table.safeguards tbody, table.safeguards tr, table.safeguards td { display: block; }
  table.safeguards tr { border: 1px solid #cbd5e1; margin: 0 0 8px; } table.safeguards td { border: none; text-align: left; }
  table.safeguards td::before { content: attr(data-label) ": "; font-weight: 600; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10px; line-height: 1.25; } p { margin: 4px 0; } a { color: inherit; text-decoration: none; }
  nav, .screen-only, .zoom, .zoom + label { display: none; } .print-only { display: block; }
  h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 0; break-before: page; break-after: avoid; } h2.first { break-before: auto; } h2.same-page { break-before: auto; margin-top: 14px; }
  h3, h2 + p, summary { break-after: avoid; } h3 { font-size: 13px; margin: 4px 0; }
  .safeguard { border-top: 1px solid #cbd5e1; padding-top: 4px; margin-top: 6px; break-inside: avoid; } h2 + p + .safeguard { border-top: none; } ul.policies { columns: 4; font-size: 8.5px; } ul.components { font-size: 8.5px; } ul.components li { margin: 1px 0; }
  ul.policy-index { columns: 4; font-size: 8.5px; } table.coverage td, table.coverage th { font-size: 9px; }
  thead { display: table-header-group; } tr { break-inside: avoid; } th, td { padding: 1px 4px; } code, .urn { font-size: 9px; line-height: 1.2; } .small { font-size: 9.5px; }
  .figure { border: none; overflow: visible; padding: 0; max-height: none; } .figure svg { max-width: 100%; max-height: 165mm; width: auto; }
  .badge { border: 1px solid #000; color: #000 !important; background: none !important; padding: 0 4px; font-size: 9px; }
  .tw { overflow: visible; }
  @page { size: A4 landscape; margin: 12mm; }
}
`;

export function renderHtml(ev: Evidence, figures: readonly Figure[], ctx: ReportContext): string {
  const s = ev.summary;
  const policies = new Map(ev.policies.map((p) => [p.name, p]));
  const out: string[] = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
    `<title>HIPAA evidence: ${esc(s.project)} / ${esc(s.stack)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    scopeSection(ev, ctx),
    safeguardTable(ev, ctx),
    contents(ev, ctx),
    architectureSection(figures),
    '<h2 id="safeguards">Safeguards, one section each</h2>',
    "<p>Each standard or implementation specification the policy pack cites: what the platform does, the policies that enforce it, " +
      "the evidence by component, exemptions and the customer's part. Printed, each section fits one page and is never split; " +
      "short ones share a page.</p>",
    ...ev.safeguards.map((g) => safeguardPage(g, ev, ctx, policies)),
    ...(ctx.verification ? [verificationSection(ctx.verification)] : []),
    coverageSection(ctx.coverage, new Set(ev.safeguards.map((g) => g.citation))),
    findingsSection(ev),
    policiesSection(ev),
    appendixSection(ev, ctx),
    closingSections(ev),
    "</body>",
    "</html>",
  ];
  return `${out.join("\n")}\n`;
}
