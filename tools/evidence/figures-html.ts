/**
 * The report's architecture section: the overview (the README's picture), then one figure per component (or per
 * component and trust boundary), each under an anchor the overview's boxes link to. Self-contained (its own CSS), so
 * html.ts only calls `architectureSection` where the picture goes.
 *
 * Printed, the figures are laid out on pages of their own (`printPages`): each page A4 portrait or landscape, whichever
 * shows its figures larger, with as many detailed figures stacked on it as still print their smallest text at
 * PRINT.minFontPt or more (first fit, in the figures' order); a figure that cannot reach that even alone gets a page
 * of its own at the largest size the page allows. Graphviz's SVG is in points (one viewBox unit is one point at
 * scale 1), so a figure printed `s` times its natural size prints text of font-size F at F x s points.
 */
import type { Figure } from "./architecture-figures";

/** The proposed update of the Security Rule (HHS OCR, notice of proposed rulemaking, 90 FR 898, 2025-01-06). */
export const NPRM_URL =
  "https://www.federalregister.gov/documents/2025/01/06/2024-30983/hipaa-security-rule-to-strengthen-the-cybersecurity-of-electronic-protected-health-information";

/** The figure pages' print geometry, in points (A4: 595.28 x 841.89 pt) and the legibility floor. */
export const PRINT = {
  a4: { short: 595.28, long: 841.89 },
  /** The figure pages' margin (6 mm: inside what office printers print). */
  marginPt: 17,
  /** Room for a figure's caption (two lines at 9 px) and the slack Chromium's layout needs. */
  captionPt: 34,
  gapPt: 8,
  /** Figures share a page only while each still prints its smallest text at this size or more. */
  minFontPt: 7,
  /** No figure is printed larger than this (a small one would otherwise fill a page). */
  maxScale: 0.8,
};

export type Orientation = "portrait" | "landscape";

export interface PrintPage {
  orientation: Orientation;
  figures: Figure[];
  /** The printed size of each figure: its natural size (points) times this. */
  scale: number;
}

/** An SVG's viewBox width and height (Graphviz's points). */
export function viewBoxSize(svg: string): { w: number; h: number } {
  const m = /viewBox="[\d.-]+ [\d.-]+ ([\d.]+) ([\d.]+)"/.exec(svg);
  if (!m) throw new Error("an SVG without a viewBox");
  return { w: Number(m[1]), h: Number(m[2]) };
}

/** The smallest font-size of an SVG's text, in viewBox units. */
export function minFontSize(svg: string): number {
  const sizes = [...svg.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
  return sizes.length > 0 ? Math.min(...sizes) : Number.POSITIVE_INFINITY;
}

function pageSize(o: Orientation): { w: number; h: number } {
  const { short, long } = PRINT.a4;
  const m = 2 * PRINT.marginPt;
  return o === "portrait" ? { w: short - m, h: long - m } : { w: long - m, h: short - m };
}

/** The largest common scale at which `figures`, stacked with their captions, fit one page of `o`. */
function fitScale(figures: readonly Figure[], o: Orientation): number {
  const page = pageSize(o);
  const sizes = figures.map((f) => viewBoxSize(f.svg));
  const height = page.h - figures.length * PRINT.captionPt - (figures.length - 1) * PRINT.gapPt;
  return Math.min(PRINT.maxScale, page.w / Math.max(...sizes.map((s) => s.w)), height / sizes.reduce((n, s) => n + s.h, 0));
}

/** The orientation that prints `figures` larger, and that scale. */
function bestFit(figures: readonly Figure[]): { orientation: Orientation; scale: number } {
  const [p, l] = [fitScale(figures, "portrait"), fitScale(figures, "landscape")];
  return l >= p ? { orientation: "landscape", scale: l } : { orientation: "portrait", scale: p };
}

const legible = (figures: readonly Figure[], scale: number) => figures.every((f) => minFontSize(f.svg) * scale >= PRINT.minFontPt);

/** The figure pages of the print: first fit in order, a page taking a figure while all of its figures stay legible. */
export function printPages(figures: readonly Figure[]): PrintPage[] {
  const pages: Figure[][] = [];
  for (const f of figures) {
    const open = pages.find((p) => legible([...p, f], bestFit([...p, f]).scale));
    if (open) open.push(f);
    else pages.push([f]);
  }
  return pages.map((p) => ({ ...bestFit(p), figures: p }));
}

const CSS = `
.arch-figure { margin: 16px 0; border: 1px solid #cbd5e1; padding: 8px; }
.arch-figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.arch-figure figcaption, .figure + .caption { font-size: 13px; color: #334155; margin: 4px 0 8px; }
.arch-list { columns: 2; font-size: 13px; }
@page fig-portrait { size: A4 portrait; margin: ${PRINT.marginPt}pt; }
@page fig-landscape { size: A4 landscape; margin: ${PRINT.marginPt}pt; }
@media print {
  .fig-page { break-before: page; break-after: page; }
  .fig-page.portrait { page: fig-portrait; } .fig-page.landscape { page: fig-landscape; }
  .fig-page .arch-figure, .fig-page .figure { break-inside: avoid; border: none; padding: 0; margin: 0 0 ${PRINT.gapPt}pt; overflow: visible; }
  .fig-page .arch-figure figcaption, .fig-page .caption { font-size: 9px; line-height: 1.2; margin: 2px 0 4px; }
  .fig-page svg, .fig-page .figure svg { max-width: none; max-height: none; margin: 0 auto; }
  .arch-list { font-size: 9.5px; margin: 2px 0; }
}
`;

function escText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The printed size of one figure's SVG (its id's element holds it). */
function printSize(f: Figure, scale: number): string {
  const { w, h } = viewBoxSize(f.svg);
  return `#${f.id} svg { width: ${(w * scale).toFixed(1)}pt; height: ${(h * scale).toFixed(1)}pt; }`;
}

/** The HTML of the section: `figures[0]` is the overview, the rest the detailed figures. */
export function architectureSection(figures: readonly Figure[]): string {
  const [overview, ...details] = figures;
  const overviewPage = bestFit([overview]);
  const pages = printPages(details);
  const number = new Map(pages.flatMap((p) => p.figures).map((f, i) => [f.id, i + 2]));
  const sizes = [printSize(overview, overviewPage.scale), ...pages.flatMap((p) => p.figures.map((f) => printSize(f, p.scale)))];
  const out: string[] = [];
  out.push(`<style>${CSS}@media print { ${sizes.join(" ")} }</style>`);
  out.push('<h2 class="same-page" id="architecture">Architecture</h2>');
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
  out.push('<p class="small muted">Detailed figures:</p><ol class="arch-list" start="2">');
  for (const f of pages.flatMap((p) => p.figures)) out.push(`<li><a href="#${escText(f.id)}">${escText(f.title)}</a></li>`);
  out.push("</ol>");
  out.push(
    '<p class="small muted">architecture.svg beside this report is the whole drawing on one canvas (every resource and path at once, ' +
      "for zooming in); the figures are the same drawing in parts, printed on pages of their own.</p>",
  );
  out.push(`<div class="fig-page ${overviewPage.orientation}">`);
  out.push(`<div class="figure" id="${escText(overview.id)}">${overview.svg}</div>`);
  out.push(`<p class="caption">Figure 1. ${escText(overview.caption)} This is the network map of ePHI flows.</p>`);
  out.push("</div>");
  for (const p of pages) {
    out.push(`<div class="fig-page ${p.orientation}">`);
    for (const f of p.figures) {
      out.push(
        `<figure class="arch-figure" id="${escText(f.id)}"><figcaption>Figure ${number.get(f.id)}. ${escText(f.caption)} ` +
          `<a href="#${escText(overview.id)}">Back to the overview</a>.</figcaption>${f.svg}</figure>`,
      );
    }
    out.push("</div>");
  }
  return out.join("\n");
}
