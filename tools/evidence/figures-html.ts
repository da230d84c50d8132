/**
 * The report's architecture section: the overview (the README's picture), then one figure per component (or per
 * component and trust boundary), each under an anchor the overview's boxes link to. Self-contained (its own CSS), so
 * html.ts only calls `architectureSection` where the picture goes.
 */
import type { Figure } from "./architecture-figures";

/** The proposed update of the Security Rule (HHS OCR, notice of proposed rulemaking, 90 FR 898, 2025-01-06). */
export const NPRM_URL =
  "https://www.federalregister.gov/documents/2025/01/06/2024-30983/hipaa-security-rule-to-strengthen-the-cybersecurity-of-electronic-protected-health-information";

const CSS = `
.arch-figure { margin: 16px 0; border: 1px solid #cbd5e1; padding: 8px; }
.arch-figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.arch-figure figcaption, .figure + .caption { font-size: 13px; color: #334155; margin: 4px 0 8px; }
.arch-list { columns: 2; font-size: 13px; }
@media print { .arch-figure { break-before: page; break-inside: avoid; border: none; padding: 0; } .arch-figure svg { max-height: 175mm; width: auto; } }
`;

function escText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The HTML of the section: `figures[0]` is the overview, the rest the detailed figures. */
export function architectureSection(figures: readonly Figure[]): string {
  const [overview, ...details] = figures;
  const out: string[] = [];
  out.push(`<style>${CSS}</style>`);
  out.push(
    "<p>Drawn from the deployment: trust boundaries as outer boxes (internet and edge, public, private and isolated subnets from the " +
      "route tables, the account's managed data stores and the AWS services outside the VPC, the recovery region by provider), " +
      "the program's components inside them, what holds PHI (red cylinders) and what moves it (orange), PHI paths in solid red and " +
      "audit-event paths in dashed blue.</p>",
  );
  out.push(
    `<p><b>Network map of ePHI.</b> The HIPAA Security Rule's proposed update (<a href="${NPRM_URL}">HHS, "HIPAA Security Rule To ` +
      'Strengthen the Cybersecurity of Electronic Protected Health Information", 90 FR 898, 2025-01-06</a>) would require a technology ' +
      "asset inventory and a network map that illustrates the movement of ePHI through the regulated entity's electronic information " +
      "systems (proposed 45 CFR 164.308(a)(1)). Figure 1 below is that map for this deployment, and the detailed figures after it are " +
      "its parts; resources the customer runs outside this program are not on it.</p>",
  );
  out.push(`<div class="figure" id="${escText(overview.id)}">${overview.svg}</div>`);
  out.push(`<p class="caption">Figure 1. ${escText(overview.caption)} This is the network map of ePHI flows.</p>`);
  out.push('<p class="small muted">Detailed figures:</p><ol class="arch-list" start="2">');
  for (const f of details) out.push(`<li><a href="#${escText(f.id)}">${escText(f.title)}</a></li>`);
  out.push("</ol>");
  details.forEach((f, i) => {
    out.push(
      `<figure class="arch-figure" id="${escText(f.id)}"><figcaption>Figure ${i + 2}. ${escText(f.caption)} ` +
        `<a href="#${escText(overview.id)}">Back to the overview</a>.</figcaption>${f.svg}</figure>`,
    );
  });
  out.push(
    '<p class="small muted">architecture.svg beside this report is the whole drawing on one canvas (every resource and path at once, ' +
      "for zooming in); the figures above are the same drawing in parts.</p>",
  );
  return out.join("\n");
}
