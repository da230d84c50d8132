/**
 * The architecture figure: the one place the report puts its pictures (the overview drawn from the deployment;
 * per-component figures slot in here). On screen it fits the width with a toggle to actual size; printed, it fits
 * one page, and architecture.svg beside the report is the same vector picture to zoom.
 */
import { esc } from "./html-common";

export function architectureSection(svg: string): string {
  return [
    '<h2 id="architecture">Architecture</h2>',
    "<p>Drawn from the deployment: trust boundaries as outer boxes (internet, public, private and isolated subnets from the route tables, " +
      "regional services, the recovery region by provider), the program's components inside them, data stores that hold PHI (red cylinders), " +
      "compute that moves PHI (orange), PHI paths in red and audit-event paths in dashed blue.</p>",
    '<input type="checkbox" id="arch-zoom" class="zoom"><label for="arch-zoom"><span class="fit">Show at actual size (scroll to pan)</span>' +
      '<span class="actual">Fit to the page width</span></label>',
    `<div class="figure">${svg}</div>`,
    `<p class="print-only small muted">${esc("The picture is vector: architecture.svg in the evidence bundle is the same drawing, to zoom on screen.")}</p>`,
  ].join("\n");
}
