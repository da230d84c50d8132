/**
 * The pictures people read, drawn from the same recovered architecture (architecture.ts) as the whole drawing:
 *  - the overview (docs/architecture.svg in the README, and the report's first figure): the program's components
 *    and stores grouped by trust boundary (one box per component and boundary, marked by the strongest role of what it holds: holds or moves PHI, or not),
 *    the PHI and audit paths between the boxes, a legend, and each box linked to its component's figure;
 *  - one figure per top-level component at the whole drawing's level of detail (its resources, and the far ends
 *    of its paths drawn grey as references to their own figures).
 * Legibility is a property of the figure at the width it is shown at: `effectiveFontSizes` computes the size of
 * every text element there, and test/evidence/figures.spec.ts holds the limits (overview: viewBox at most 1,600
 * wide, at most 25 boxes, every text at least 12 px at the README's 880 px; component figures: 12 px at the
 * report's 1,000 px).
 */
import type { LoadedDeployment } from "../../policy-pack/checker/deployment";
import { ArchEdge, ArchNode, Architecture, FlowKind, urnName, buildArchitecture, Zone } from "./architecture";
import { dotString, DotOptions, EDGE_STYLE, renderSvg, toDot } from "./architecture-render";

export interface Figure {
  /** The figure's anchor in the report (`figure-<component>`, or `figure-overview`). */
  id: string;
  title: string;
  /** What the figure shows, one sentence for the report's caption. */
  caption: string;
  svg: string;
}

/** The width GitHub shows a README image at (the article column), in CSS px: the overview must read there. */
export const README_WIDTH_PX = 880;
/** The width the report shows a figure at (its screen column, 1,152 px, and an A4 landscape page, about 1,030 px, less margins). */
export const REPORT_WIDTH_PX = 1000;
/** The smallest text, in CSS px at the width above. */
export const MIN_FONT_PX = 12;

/** The overview's boundaries: the whole drawing's zones, with the regional services split into data stores and the rest. */
type Boundary = "edge" | "public" | "private" | "isolated" | "managed" | "services" | "recovery";

const BOUNDARIES: { id: Boundary; label: (a: Architecture) => string; color: string; fill: string }[] = [
  { id: "edge", label: () => "Internet and edge (untrusted clients; AWS WAF)", color: "#9a3412", fill: "#fff7ed" },
  { id: "public", label: () => "VPC public subnets (route to an internet gateway)", color: "#b45309", fill: "#fffbeb" },
  { id: "private", label: () => "VPC private subnets (egress through NAT only)", color: "#1d4ed8", fill: "#eff6ff" },
  { id: "isolated", label: () => "VPC isolated subnets (no route out of the VPC)", color: "#047857", fill: "#ecfdf5" },
  {
    id: "managed",
    label: (a) => `The account's managed data stores, outside the VPC${a.primaryRegion ? ` (${a.primaryRegion})` : ""}`,
    color: "#475569",
    fill: "#f8fafc",
  },
  {
    id: "services",
    label: () => "AWS services outside the VPC (trail, rules, alarms, backup, workflows)",
    color: "#475569",
    fill: "#f1f5f9",
  },
  {
    id: "recovery",
    label: (a) => `Recovery region${a.recoveryRegions.length ? ` (${a.recoveryRegions.join(", ")})` : ""}`,
    color: "#6d28d9",
    fill: "#f5f3ff",
  },
];

/** Regional resources that keep data (the account's managed stores); the other regional resources are services. */
const KEEPS_DATA = /^aws:(s3|dynamodb|sqs|kinesis|backup\/vault|cloudwatch\/logGroup|glue|athena|opensearch|rds)/;

function boundaryOf(n: ArchNode): Boundary {
  if (n.zone === "internet" || n.type.startsWith("aws:wafv2/")) return "edge";
  if (n.zone === "regional") return KEEPS_DATA.test(n.type) ? "managed" : "services";
  return n.zone;
}

/** The top-level component a node belongs to (its own name when it has none, e.g. the internet). */
export function componentOf(n: ArchNode): string {
  return n.components.length > 0 ? urnName(n.components[0]) : n.name;
}

/** A report anchor from a name: lower case, runs of other characters as one dash. */
export function figureAnchor(component: string): string {
  return `figure-${component.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
}

interface Box {
  key: string;
  boundary: Boundary;
  component: string;
  nodes: ArchNode[];
  holdsPhi: boolean;
  movesPhi: boolean;
}

/** The overview's boxes: one per boundary and top-level component, marked by the strongest role of its resources (the detailed figures mark each resource). Sorted, so deterministic. */
export function overviewBoxes(arch: Architecture): Box[] {
  const boxes = new Map<string, Box>();
  for (const n of arch.nodes) {
    const boundary = boundaryOf(n);
    const component = componentOf(n);
    const key = `${boundary}|${component}`;
    const box = boxes.get(key) ?? { key, boundary, component, nodes: [], holdsPhi: false, movesPhi: false };
    box.nodes.push(n);
    box.holdsPhi ||= n.holdsPhi;
    box.movesPhi ||= n.movesPhi;
    boxes.set(key, box);
  }
  return [...boxes.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** "2 s3 buckets, dynamodb table": the kinds in a box, counted, in lines of at most `width` characters. */
function kindLines(nodes: ArchNode[], width = 30): string[] {
  const counts = new Map<string, number>();
  for (const n of nodes) counts.set(n.kind, (counts.get(n.kind) ?? 0) + 1);
  const items = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, c]) => (c > 1 ? `${c} × ${k}` : k));
  const lines: string[] = [];
  for (const item of items) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + item.length + 2 <= width) lines[last] += `, ${item}`;
    else lines.push(item);
  }
  return lines;
}

const FLOW_ORDER: FlowKind[] = ["phi", "audit", "control"];

/** Estimated width of a box in characters (Helvetica averages about 0.55 em; the margins and the gap about 6). */
function boxChars(lines: string[]): number {
  return Math.max(...lines.map((l) => l.length)) + 6;
}

/** The most characters one row of boxes may hold: the overview's width budget at its font size. */
const ROW_CHARS = 110;
const FONT = { title: 26, boundary: 22, box: 20 };

/**
 * The overview's DOT: boundary clusters stacked top to bottom (edge, VPC, managed stores, services, recovery), their
 * boxes packed into rows that fit the width budget (a rank per row, so the width is the widest row, not the number of
 * boxes); one edge per pair of boxes and kind of path, not constraining the rows; a one-node legend.
 */
export function overviewDot(arch: Architecture, title: string, figureOf: (urn: string) => string | undefined = () => undefined): string {
  const boxes = overviewBoxes(arch);
  const boxOf = new Map<string, string>();
  boxes.forEach((b, i) => b.nodes.forEach((n) => boxOf.set(n.urn, `b${i}`)));
  const out: string[] = [];
  out.push("digraph overview {");
  out.push(
    `  graph [label=${dotString(title)}, labelloc=t, fontsize=${FONT.title}, fontname="Helvetica", rankdir=TB, nodesep=0.35, ranksep=0.45, newrank=true, splines=ortho];`,
  );
  out.push(
    `  node [fontname="Helvetica", fontsize=${FONT.box}, shape=box, style="rounded,filled", fillcolor="#ffffff", color="#64748b", margin="0.12,0.06"];`,
  );
  out.push("  edge [arrowsize=0.9];");
  const rows: string[][] = [];
  let cluster = 0;
  for (const z of BOUNDARIES) {
    const inside = boxes.filter((b) => b.boundary === z.id);
    if (inside.length === 0) continue;
    out.push(`  subgraph cluster_${cluster++} {`);
    out.push(
      `    label=${dotString(z.label(arch))}; fontsize=${FONT.boundary}; color="${z.color}"; style="filled,bold"; fillcolor="${z.fill}"; margin=10;`,
    );
    let row: string[] = [];
    let used = 0;
    for (const b of inside) {
      const i = boxes.indexOf(b);
      const internet = b.nodes.every((n) => n.type === "internet");
      const role = b.holdsPhi ? "holds PHI" : b.movesPhi ? "moves PHI" : "";
      const head = internet ? "Internet" : `${b.component}${role ? `: ${role}` : ""}`;
      const lines = [head, ...(internet ? ["users and clients"] : kindLines(b.nodes))];
      const style = b.holdsPhi
        ? ', shape=cylinder, style=filled, fillcolor="#fee2e2", color="#b91c1c", penwidth=2.5'
        : b.movesPhi
          ? ', fillcolor="#ffedd5", color="#c2410c", penwidth=2'
          : "";
      const shape = internet ? ", shape=ellipse" : "";
      const target = figureOf(b.nodes[0].urn);
      const link = target === undefined ? "" : `, href=${dotString(`#${target}`)}, tooltip=${dotString(`${b.component}: its figure`)}`;
      out.push(`    b${i} [label=${dotString(...lines)}${style}${shape}${link}];`);
      if (row.length > 0 && used + boxChars(lines) > ROW_CHARS) {
        rows.push(row);
        [row, used] = [[], 0];
      }
      row.push(`b${i}`);
      used += boxChars(lines);
    }
    rows.push(row);
    out.push("  }");
  }
  rows.forEach((r) => out.push(`  { rank=same; ${r.join("; ")}; }`));
  // the rows in order: an invisible constraining edge from each row to the next
  for (let i = 0; i + 1 < rows.length; i++) out.push(`  ${rows[i][0]} -> ${rows[i + 1][0]} [style=invis, constraint=true, weight=10];`);
  out.push(
    '  legend [shape=plaintext, style="", margin=0, fontsize=' +
      FONT.box +
      ', label=<<TABLE BORDER="1" COLOR="#cbd5e1" CELLBORDER="0" CELLPADDING="2">' +
      '<TR><TD ALIGN="LEFT"><B>Legend</B></TD></TR>' +
      '<TR><TD ALIGN="LEFT"><FONT COLOR="#b91c1c">━━━ PHI path (solid red)</FONT></TD></TR>' +
      '<TR><TD ALIGN="LEFT"><FONT COLOR="#1d4ed8">╍╍╍ audit event path (dashed blue)</FONT></TD></TR>' +
      '<TR><TD ALIGN="LEFT"><FONT COLOR="#6b7280">┈┈┈ control (dotted grey)</FONT></TD></TR>' +
      '<TR><TD ALIGN="LEFT"><FONT COLOR="#b91c1c">red cylinder: holds PHI</FONT></TD></TR>' +
      '<TR><TD ALIGN="LEFT"><FONT COLOR="#c2410c">orange box: moves PHI</FONT></TD></TR>' +
      "</TABLE>>];",
  );
  out.push(`  { rank=same; ${rows[0][0]}; legend; }`);
  // one edge per pair of boxes and kind of path
  const flows = new Map<string, { from: string; to: string; kind: FlowKind }>();
  for (const e of arch.edges) {
    const [from, to] = [boxOf.get(e.from), boxOf.get(e.to)];
    if (!from || !to || from === to) continue;
    const key = `${from} ${to} ${FLOW_ORDER.indexOf(e.kind)}`;
    if (!flows.has(key)) flows.set(key, { from, to, kind: e.kind });
  }
  // orthogonal paths that do not constrain the rows: they run between the boxes, inside the picture's width
  for (const key of [...flows.keys()].sort()) {
    const f = flows.get(key)!;
    const style = `${EDGE_STYLE[f.kind]}${f.kind === "phi" ? ", penwidth=2.5" : ""}`;
    out.push(`  ${f.from} -> ${f.to} [${style}, constraint=false];`);
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}

/** The widest a component's figure may be: its smallest text (13 points) at least MIN_FONT_PX at REPORT_WIDTH_PX. */
const FIGURE_FONT = { node: 14, edge: 13, zone: 15, component: 14, title: 18 };
export const FIGURE_MAX_WIDTH = (REPORT_WIDTH_PX * Math.min(...Object.values(FIGURE_FONT))) / MIN_FONT_PX;

/** Options for a component's figure: larger type, names wrapped, the far ends of paths linked to their own figures. */
function figureOptions(external: Set<string>, rankdir: "LR" | "TB", figureOf: (urn: string) => string | undefined, wrap = 20): DotOptions {
  return {
    font: FIGURE_FONT,
    rankdir,
    legend: false,
    external,
    href: (n) => {
      const target = external.has(n.urn) ? figureOf(n.urn) : undefined;
      return target === undefined ? undefined : `#${target}`;
    },
    wrap,
    componentType: "class",
    flattenSingles: true,
    nodesep: 0.2,
    ranksep: 0.4,
  };
}

/** The part of the architecture a figure draws: the nodes it details, the paths touching them, their far ends. */
export function figureView(arch: Architecture, own: ReadonlySet<string>): { arch: Architecture; external: Set<string> } {
  // paths of one kind between the same two resources as one edge, its labels joined (Graphviz overlaps parallel labels)
  const merged = new Map<string, ArchEdge>();
  for (const e of arch.edges.filter((x) => own.has(x.from) || own.has(x.to))) {
    const key = `${e.from}\u0000${e.to}\u0000${e.kind}`;
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, label: `${seen.label}, ${e.label}` } : e);
  }
  const edges = [...merged.values()];
  const external = new Set<string>();
  for (const e of edges) for (const u of [e.from, e.to]) if (!own.has(u)) external.add(u);
  // a far end stands alone in its boundary, without its component's boxes (its own figure draws those)
  const nodes = arch.nodes.filter((n) => own.has(n.urn) || external.has(n.urn)).map((n) => (own.has(n.urn) ? n : { ...n, components: [] }));
  return { arch: { ...arch, nodes, edges }, external };
}

/** The width of an SVG's viewBox (its user units: Graphviz's points). */
export function viewBoxWidth(svg: string): number {
  const m = /viewBox="[\d.-]+ [\d.-]+ ([\d.]+) [\d.]+"/.exec(svg);
  return m ? Number(m[1]) : Number.POSITIVE_INFINITY;
}

/** Graphviz's ids (graph0, node1, clust1, a_node1...) made unique per figure, so several SVGs can share one page. */
export function prefixIds(svg: string, prefix: string): string {
  return svg.replace(/ id="([^"]+)"/g, ` id="${prefix}-$1"`);
}

/**
 * The first layout that fits FIGURE_MAX_WIDTH, in this order: left to right (Graphviz sets edge labels between the
 * ranks there, clear of each other), top to bottom (a fan of paths reads down), then both with names wrapped at
 * 14 characters instead of 20; when none fits, the narrowest.
 */
async function narrower(view: { arch: Architecture; external: Set<string> }, title: string, figureOf: (urn: string) => string | undefined) {
  const layouts = [
    ["LR", 20],
    ["TB", 20],
    ["LR", 14],
    ["TB", 14],
  ] as const;
  const svgs: string[] = [];
  for (const [dir, wrap] of layouts) {
    const svg = await renderSvg(toDot(view.arch, title, figureOptions(view.external, dir, figureOf, wrap)));
    if (viewBoxWidth(svg) <= FIGURE_MAX_WIDTH) return svg;
    svgs.push(svg);
  }
  return svgs.reduce((a, b) => (viewBoxWidth(b) < viewBoxWidth(a) ? b : a));
}

interface FigurePlan {
  id: string;
  title: string;
  caption: string;
  own: Set<string>;
}

const ZONE_NAMES: Record<Zone, string> = {
  internet: "on the internet",
  public: "in the VPC public subnets",
  private: "in the VPC private subnets",
  isolated: "in the VPC isolated subnets",
  regional: "in regional services outside the VPC",
  recovery: "in the recovery region",
};

/**
 * The component figures: one per top-level component, or, where that figure would be wider than FIGURE_MAX_WIDTH,
 * one per trust boundary the component has resources in.
 */
async function planFigures(arch: Architecture): Promise<FigurePlan[]> {
  const plans: FigurePlan[] = [];
  const components = [...new Set(arch.nodes.filter((n) => n.type !== "internet").map(componentOf))].sort();
  for (const component of components) {
    const mine = arch.nodes.filter((n) => n.type !== "internet" && componentOf(n) === component);
    const whole: FigurePlan = {
      id: figureAnchor(component),
      title: `${component}: its resources, trust boundaries and paths`,
      caption: `${component}: its ${mine.length} resource${mine.length === 1 ? "" : "s"} in their trust boundaries and the paths into and out of them`,
      own: new Set(mine.map((n) => n.urn)),
    };
    const zones = ZONE_ORDER.filter((z) => mine.some((n) => n.zone === z));
    if (zones.length === 1 || viewBoxWidth(await narrower(figureView(arch, whole.own), whole.title, () => undefined)) <= FIGURE_MAX_WIDTH) {
      plans.push(whole);
      continue;
    }
    for (const z of zones) {
      const inZone = mine.filter((n) => n.zone === z);
      plans.push({
        id: figureAnchor(`${component}-${z}`),
        title: `${component} ${ZONE_NAMES[z]}: resources and paths`,
        caption: `${component}, its ${inZone.length} resource${inZone.length === 1 ? "" : "s"} ${ZONE_NAMES[z]} and the paths into and out of them`,
        own: new Set(inZone.map((n) => n.urn)),
      });
    }
  }
  return plans;
}

const ZONE_ORDER: Zone[] = ["internet", "public", "private", "isolated", "regional", "recovery"];

function figureLookup(plans: FigurePlan[]): (urn: string) => string | undefined {
  const of = new Map(plans.flatMap((p) => [...p.own].map((u): [string, string] => [u, p.id])));
  return (urn) => of.get(urn);
}

export function titleOf(deployment: LoadedDeployment): { project: string; stack: string } {
  const urn = deployment.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
  const [, stack = "", project = ""] = /^urn:pulumi:([^:]*)::([^:]*)::/.exec(urn) ?? [];
  return { project, stack };
}

/** The overview of an architecture (docs/architecture.svg for the prod plan), each box linked to its figure. */
export async function overviewFigure(arch: Architecture, project: string, stack: string): Promise<Figure> {
  const title = `${project} / ${stack}: trust boundaries, PHI and audit paths`;
  return {
    id: "figure-overview",
    title,
    caption:
      "Overview: the program's components and stores in their trust boundaries (one box per component and boundary, marked by the strongest role of its resources), " +
      "with the paths PHI and audit events take between them. Select a box for its detailed figure.",
    svg: await renderSvg(overviewDot(arch, title, figureLookup(await planFigures(arch)))),
  };
}

/** The detailed figures, at the whole drawing's level: one per component (or per component and trust boundary). */
export async function componentFigures(arch: Architecture): Promise<Figure[]> {
  const plans = await planFigures(arch);
  const figureOf = figureLookup(plans);
  const out: Figure[] = [];
  for (const p of plans) {
    const view = figureView(arch, p.own);
    const svg = await narrower(view, p.title, figureOf);
    out.push({
      id: p.id,
      title: p.title,
      caption: `${p.caption}; grey dashed boxes are the far ends of those paths, detailed in their own figures.`,
      svg: prefixIds(svg, p.id),
    });
  }
  return out;
}

/** Every figure of a deployment: the overview first, then the detailed ones. */
export async function architectureFigures(deployment: LoadedDeployment): Promise<Figure[]> {
  const arch = buildArchitecture(deployment);
  const { project, stack } = titleOf(deployment);
  return [await overviewFigure(arch, project, stack), ...(await componentFigures(arch))];
}
