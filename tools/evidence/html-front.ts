/**
 * The report's first pages: the scope (stack, time, the deployment's SHA-256, the pack version, the program
 * commit), the verdict, one table of every safeguard the platform touches, and the contents.
 */
import { RESOURCES_CSV, RESOURCES_JSON } from "./appendix";
import { anchorOf, badge, esc, type ReportContext } from "./html-common";
import type { Evidence } from "./model";
import { verificationOf } from "./verification";

export function scopeSection(ev: Evidence, ctx: ReportContext): string {
  const s = ev.summary;
  const commit =
    ctx.program.commit === null
      ? "not recorded (not run from a git checkout)"
      : `<code>${esc(ctx.program.commit)}</code>${ctx.program.modified ? " (with uncommitted changes)" : ""}`;
  const v = ctx.verification;
  const rows: [string, string][] = [
    ["Stack", `${esc(s.project)} / ${esc(s.stack)}`],
    ["Deployment", `<code>${esc(s.source)}</code>, ${esc(s.entries.cloud)} cloud resources in ${esc(s.entries.components)} components`],
    ["Deployment time", esc(s.time ?? "not recorded (an offline plan)")],
    ["Deployment SHA-256", `<code>${esc(ctx.deploymentSha256)}</code>`],
    ["Policy pack", `<code>${esc(s.pack.name)}</code> ${esc(s.pack.version)}, ${esc(s.policies)} policies`],
    ["Program commit", commit],
    ["Framework", `${esc(s.framework.name)}, ${esc(s.framework.version)}`],
    [
      "Verified in the account",
      v
        ? `${esc(v.checkedAt)} by <code>npm run verify</code> (account ${esc(v.account || "not recorded")}, ${esc(v.region || "region not recorded")}): ` +
          `${v.checks.filter((c) => c.status === "pass").length} of ${v.checks.length} checks pass`
        : "not given (run <code>npm run verify -- --format json</code> after <code>pulumi up</code> and pass it with <code>--verification</code>)",
    ],
  ];
  const out = [`<header><h1>HIPAA Security Rule evidence: ${esc(s.project)} / ${esc(s.stack)}</h1>`];
  out.push(`<dl class="scope" id="scope">${rows.map(([k, val]) => `<dt>${k}</dt><dd>${val}</dd>`).join("")}</dl></header>`);
  const failing = ev.safeguards.filter((g) => g.verdict === "fail" || g.verdict === "warn").length;
  out.push(
    `<p class="verdict" id="verdict">Verdict: <span class="badge v-${s.result === "PASS" ? "pass" : "fail"}">${esc(s.result)}</span> ` +
      `${esc(s.mandatory)} mandatory and ${esc(s.advisory)} advisory violations, ${esc(s.exemptions)} exemptions; ` +
      `${ev.safeguards.length} safeguards evidenced, ${failing} with findings.</p>`,
  );
  return out.join("\n");
}

export function safeguardTable(ev: Evidence, ctx: ReportContext): string {
  const appendix = new Map(ctx.appendix.safeguards.map((a, i) => [a.citation, { ...a, index: i }]));
  const verified = ctx.verification !== undefined;
  const out = ['<h2 class="same-page" id="summary">Safeguards</h2>'];
  out.push(
    '<p class="small">Every HIPAA Security Rule standard or implementation specification the policy pack cites (required or addressable per ' +
      `45 CFR 164.306(d)). Evidence: the rows of <code>${RESOURCES_CSV}</code> and the entry of <code>${RESOURCES_JSON}</code> ` +
      "(<code>safeguards[i]</code>) listing each resource with its URN.</p>",
  );
  out.push(
    '<div class="tw"><table class="safeguards"><thead><tr><th>Safeguard</th><th>Required / addressable</th><th>Policies</th><th>Verdict</th>' +
      `${verified ? "<th>In the account</th>" : ""}<th>Exemptions</th><th>Customer's share</th><th>Evidence (appendix)</th></tr></thead><tbody>`,
  );
  for (const g of ev.safeguards) {
    const a = appendix.get(g.citation);
    const where = a?.csvRows
      ? `${g.satisfiedBy.length} resources: resources.csv rows ${a.csvRows.first}-${a.csvRows.last}; resources.json safeguards[${a.index}]`
      : "none (not applicable)";
    const check = verificationOf(ctx.verification, g.citation);
    const cell = (label: string, body: string, cls = "") => `<td data-label="${label}"${cls ? ` class="${cls}"` : ""}>${body}</td>`;
    out.push(
      `<tr>${cell("Safeguard", `<a href="#${anchorOf(g.citation)}">${esc(g.citation)}</a> ${esc(g.title)}`)}${cell("Required / addressable", esc(g.requirement))}` +
        `${cell("Policies", String(g.policies.length), "num")}${cell("Verdict", badge(g.verdict))}` +
        (verified
          ? cell(
              "In the account",
              check ? `<span class="badge v-${check.verdict.replace(" ", "-")}">${esc(check.verdict)}</span>` : "no check",
            )
          : "") +
        `${cell("Exemptions", String(g.exemptions.length), "num")}${cell("Customer's share", esc(g.customerResponsibility), "small")}` +
        `${cell("Evidence (appendix)", esc(where), "small")}</tr>`,
    );
  }
  out.push("</tbody></table></div>");
  return out.join("\n");
}

export function contents(ev: Evidence, ctx: ReportContext): string {
  const items: [string, string][] = [
    ["summary", "Safeguards at a glance"],
    ["architecture", "Architecture"],
    ...ev.safeguards.map((g): [string, string] => [anchorOf(g.citation), `${g.citation} ${g.title}`]),
    ...(ctx.verification ? [["verification", "Verification in the account"] as [string, string]] : []),
    ["coverage", "Coverage against cdk-nag, AWS Config and Prowler"],
    ["findings", "Findings and exemptions"],
    ["policies", "Policies"],
    ["appendix", "Appendix files"],
    ["responsibility", "Shared responsibility"],
    ["sources", "Sources"],
  ];
  return `<nav id="contents"><h3>Contents</h3><ol>${items.map(([id, t]) => `<li><a href="#${id}">${esc(t)}</a></li>`).join("")}</ol></nav>`;
}
