/**
 * The pictures people read (issue 20, section 3), measured on the SVG the generator draws from the run's prod plan
 * (test/support/plans.ts): the overview (docs/architecture.svg, the README's picture; evidence.spec.ts holds that
 * the committed file is what `npm run docs:architecture` draws) and the report's detailed figures.
 *
 * Legibility arithmetic. Graphviz writes `<svg width="Wpt" viewBox="0 0 V H">` with one group transformed by
 * `scale(s s)`, and text in viewBox units (`font-size="F"`). A browser shows the image at its intrinsic width,
 * W pt = W x 4/3 CSS px, unless the column is narrower (GitHub's README column is about 880 px; the report's figure
 * column is at least 1,000 px: 1,152 px on screen, about 1,030 px on an A4 landscape page). So the text is
 *   F x s x min(W x 4/3, column) / V   CSS px,
 * and every text element must come to at least 12 px there.
 */
import * as assert from "assert";
import * as fs from "fs";
import { parseDeployment } from "../../policy-pack/checker/deployment";
import { Architecture, buildArchitecture } from "../../tools/evidence/architecture";
import {
  componentFigures,
  Figure,
  MIN_FONT_PX,
  overviewFigure,
  README_WIDTH_PX,
  REPORT_WIDTH_PX,
  titleOf,
} from "../../tools/evidence/architecture-figures";
import { FULL_DRAWING, renderSvg, toDot } from "../../tools/evidence/architecture-render";
import { architectureSection, NPRM_URL } from "../../tools/evidence/figures-html";
import { planFile, planSpec } from "../support/plans";

interface Measure {
  viewBoxWidth: number;
  /** Graphviz nodes (`class="node"`): the boxes, the legend included. */
  boxes: number;
  /** The smallest text, in CSS px at the column width, and its words. */
  minFontPx: number;
  smallest: string;
}

/** The arithmetic of the header comment, on one SVG shown in a column `columnPx` wide. */
function measure(svg: string, columnPx: number): Measure {
  const root = /<svg width="([\d.]+)pt" height="[\d.]+pt"\s+viewBox="[\d.-]+ [\d.-]+ ([\d.]+) [\d.]+"/.exec(svg);
  assert.ok(root, "an SVG with a width in points and a viewBox");
  const [widthPt, viewBoxWidth] = [Number(root[1]), Number(root[2])];
  const transforms = [...svg.matchAll(/transform="([^"]*)"/g)].map((m) => m[1]);
  assert.strictEqual(transforms.length, 1, `one transformed group, not ${transforms.length}: the arithmetic covers one scale`);
  const scale = /scale\(([\d.]+)(?: ([\d.]+))?\)/.exec(transforms[0]);
  assert.ok(scale && (scale[2] === undefined || scale[2] === scale[1]), `a uniform scale: ${transforms[0]}`);
  const pxPerUnit = (Number(scale[1]) * Math.min((widthPt * 4) / 3, columnPx)) / viewBoxWidth;
  const texts = [...svg.matchAll(/<text[^>]*font-size="([\d.]+)"[^>]*>([^<]*)<\/text>/g)];
  assert.ok(texts.length > 0, "text elements with a font-size");
  assert.strictEqual(texts.length, (svg.match(/<text/g) ?? []).length, "every text element has its own font-size");
  const sized = texts.map((m) => ({ px: Number(m[1]) * pxPerUnit, text: m[2] })).sort((a, b) => a.px - b.px);
  return {
    viewBoxWidth,
    boxes: (svg.match(/class="node"/g) ?? []).length,
    minFontPx: sized[0].px,
    smallest: sized[0].text,
  };
}

describe("architecture figures: the overview and the detailed figures are legible where they are shown", function () {
  this.timeout(120_000);
  let arch: Architecture;
  let overview: Figure;
  let details: Figure[];
  let whole: string;

  before(async () => {
    const plan = await planFile(planSpec("prod"));
    const deployment = parseDeployment(fs.readFileSync(plan, "utf8"), plan);
    arch = buildArchitecture(deployment);
    const { project, stack } = titleOf(deployment);
    overview = await overviewFigure(arch, project, stack);
    details = await componentFigures(arch);
    whole = await renderSvg(toDot(arch, "whole drawing", FULL_DRAWING));
  });

  it("the overview is at most 1,600 units wide and has at most 25 boxes (legend included)", () => {
    const m = measure(overview.svg, README_WIDTH_PX);
    assert.ok(m.viewBoxWidth <= 1600, `viewBox ${m.viewBoxWidth} wide`);
    assert.ok(m.boxes <= 25, `${m.boxes} boxes`);
    assert.ok(m.boxes >= 10, `${m.boxes} boxes: the overview lost its components`);
  });

  it("every text of the overview is at least 12 px in GitHub's 880 px README column", () => {
    const m = measure(overview.svg, README_WIDTH_PX);
    assert.ok(m.minFontPx >= MIN_FONT_PX, `"${m.smallest}" is ${m.minFontPx.toFixed(1)} px at ${README_WIDTH_PX} px`);
  });

  it("the measure fails the whole drawing (every resource on one canvas), as it failed the README's picture before", () => {
    const m = measure(whole, README_WIDTH_PX);
    assert.ok(m.viewBoxWidth > 1600 && m.boxes > 25 && m.minFontPx < MIN_FONT_PX, JSON.stringify(m));
  });

  it("the overview groups every resource of the plan into a box in its trust boundary, PHI and audit paths told apart, with a legend", () => {
    const svg = overview.svg.replace(/&#45;/g, "-");
    for (const boundary of ["Internet and edge", "VPC public subnets", "VPC private subnets", "VPC isolated subnets"])
      assert.ok(svg.includes(boundary), boundary);
    assert.ok(svg.includes("The account's managed data stores") || svg.includes("The account&#39;s managed data stores"));
    assert.ok(svg.includes("AWS services outside the VPC") && svg.includes("Recovery region (us-west-2)"));
    for (const words of ["PHI path (solid red)", "audit event path (dashed blue)", "holds PHI", "moves PHI"])
      assert.ok(svg.includes(words), words);
    const phi = [...svg.matchAll(/<path fill="none" stroke="#b91c1c"([^/]*)\/>/g)];
    const audit = [...svg.matchAll(/<path fill="none" stroke="#1d4ed8"([^/]*)\/>/g)];
    assert.ok(phi.length > 0 && phi.every((m) => !m[1].includes("stroke-dasharray")), "PHI paths are solid red");
    assert.ok(audit.length > 0 && audit.every((m) => m[1].includes("stroke-dasharray")), "audit paths are dashed blue");
    const components = new Set(arch.nodes.filter((n) => n.components.length > 0).map((n) => n.components[0].split("::").pop()!));
    for (const c of components) assert.ok(svg.includes(`>${c}`), `component ${c} has a box`);
  });

  it("every box of the overview links to a detailed figure, and every detailed figure is linked from it", () => {
    const ids = details.map((f) => f.id);
    const links = new Set([...overview.svg.matchAll(/xlink:href="#([^"]+)"/g)].map((m) => m[1]));
    assert.deepStrictEqual(
      [...links].filter((l) => !ids.includes(l)),
      [],
      "links to no figure",
    );
    assert.deepStrictEqual(
      ids.filter((id) => !links.has(id)),
      [],
      "figures the overview does not link to",
    );
    assert.ok(ids.every((id) => /^figure-[a-z0-9-]+$/.test(id)));
  });

  it("every detailed figure's text is at least 12 px in the report's 1,000 px column, and their ids are unique on the page", () => {
    assert.ok(details.length >= 8, `${details.length} figures`);
    for (const f of details) {
      const m = measure(f.svg, REPORT_WIDTH_PX);
      assert.ok(m.minFontPx >= MIN_FONT_PX, `${f.id}: "${m.smallest}" is ${m.minFontPx.toFixed(1)} px`);
    }
    const page = architectureSection([overview, ...details]);
    const ids = [...page.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    assert.deepStrictEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
      "ids repeated on the report's page",
    );
  });

  it("the report says which figure is the proposed rule's network map of ePHI and cites the Federal Register", () => {
    const page = architectureSection([overview, ...details]);
    assert.ok(page.includes(`href="${NPRM_URL}"`));
    assert.match(NPRM_URL, /^https:\/\/www\.federalregister\.gov\/documents\/2025\/01\/06\/2024-30983\//);
    assert.match(page, /Figure 1 below is that map/);
    assert.match(page, /network map of ePHI flows/);
    for (const f of details) assert.ok(page.includes(`<figure class="arch-figure" id="${f.id}">`), f.id);
  });

  it("the overview and the figures are the same bytes when drawn again", async () => {
    const { project, stack } = { project: "healthcare-platform", stack: "prod" };
    assert.strictEqual((await overviewFigure(arch, project, stack)).svg, overview.svg);
    assert.deepStrictEqual(await componentFigures(arch), details);
  });
});
