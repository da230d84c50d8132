/**
 * The architecture picture as DOT (trust boundaries as clusters, PHI / audit / control flows as
 * styled edges) and as SVG, rendered by Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz).
 * The DOT source is sorted, so the same deployment gives the same bytes.
 */
import { ArchNode, Architecture, FlowKind, urnName, Zone } from "./architecture";

/** A DOT double-quoted string: only `"` and `\` need escaping (Graphviz XML-escapes text in SVG). */
export function dotString(...lines: string[]): string {
  return `"${lines
    .map((s) =>
      s
        .replace(/\\/g, "\\\\")
        .replace(/"/g, '\\"')
        .replace(/[\r\n]+/g, " "),
    )
    .join("\\n")}"`;
}

const ZONES: { zone: Zone; label: (a: Architecture) => string; color: string; fill: string }[] = [
  { zone: "internet", label: () => "Internet (untrusted)", color: "#9a3412", fill: "#fff7ed" },
  { zone: "public", label: () => "VPC public subnets (route to an internet gateway)", color: "#b45309", fill: "#fffbeb" },
  { zone: "private", label: () => "VPC private subnets (egress through NAT only)", color: "#1d4ed8", fill: "#eff6ff" },
  { zone: "isolated", label: () => "VPC isolated subnets (no route out of the VPC)", color: "#047857", fill: "#ecfdf5" },
  {
    zone: "regional",
    label: (a) => `Regional AWS services outside the VPC${a.primaryRegion ? ` (${a.primaryRegion})` : ""}`,
    color: "#475569",
    fill: "#f8fafc",
  },
  {
    zone: "recovery",
    label: (a) => `Recovery region${a.recoveryRegions.length ? ` (${a.recoveryRegions.join(", ")})` : ""}`,
    color: "#6d28d9",
    fill: "#f5f3ff",
  },
];

export const EDGE_STYLE: Record<FlowKind, string> = {
  phi: 'color="#b91c1c", fontcolor="#b91c1c", penwidth=1.8',
  audit: 'color="#1d4ed8", fontcolor="#1d4ed8", style=dashed',
  control: 'color="#6b7280", fontcolor="#6b7280", style=dotted',
};

/** How toDot draws: the defaults are the whole drawing's (the report bundle's architecture.svg). */
export interface DotOptions {
  /** Font sizes in points: nodes, edge labels, trust-boundary labels, component labels, the title. */
  font: { node: number; edge: number; zone: number; component: number; title: number };
  rankdir: "LR" | "TB";
  legend: boolean;
  /** Nodes drawn as references to another figure (grey, dashed), e.g. the far end of a path. */
  external: ReadonlySet<string>;
  /** A link for a node (an SVG `<a>`), e.g. to the figure that details it. */
  href: (n: ArchNode) => string | undefined;
  /** Wrap names longer than this at their dashes (0: never). */
  wrap: number;
  /** A component's box names its type in full ("healthcare:storage:SecureBucket") or by its class ("SecureBucket"). */
  componentType: "full" | "class";
  /** A component holding one resource and nothing else is drawn as that resource alone (its name says the rest). */
  flattenSingles: boolean;
  /** Graphviz's gaps between nodes and between ranks, in inches. */
  nodesep: number;
  ranksep: number;
}

export const FULL_DRAWING: DotOptions = {
  font: { node: 10, edge: 8, zone: 13, component: 10, title: 18 },
  rankdir: "LR",
  legend: true,
  external: new Set(),
  href: () => undefined,
  wrap: 0,
  componentType: "full",
  flattenSingles: false,
  nodesep: 0.25,
  ranksep: 0.6,
};

/** A name in lines of at most `width` characters, broken after its dashes (a part longer than `width` stays whole). */
export function wrapName(name: string, width: number): string[] {
  if (width <= 0 || name.length <= width) return [name];
  const lines: string[] = [];
  for (const part of name.split(/(?<=-)/)) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + part.length <= width) lines[last] += part;
    else lines.push(part);
  }
  return lines;
}

/** The DOT source of the picture. */
export function toDot(arch: Architecture, title: string, options: DotOptions = FULL_DRAWING): string {
  const { font } = options;
  const out: string[] = [];
  out.push("digraph architecture {");
  out.push(
    `  graph [label=${dotString(title)}, labelloc=t, fontsize=${font.title}, fontname="Helvetica", rankdir=${options.rankdir}, compound=true, nodesep=${options.nodesep}, ranksep=${options.ranksep}, newrank=true];`,
  );
  out.push(
    `  node [fontname="Helvetica", fontsize=${font.node}, shape=box, style="rounded,filled", fillcolor="#ffffff", color="#64748b"];`,
  );
  out.push(`  edge [fontname="Helvetica", fontsize=${font.edge}, arrowsize=0.7];`);
  const id = new Map(arch.nodes.map((n) => [n.urn, n.id]));
  let cluster = 0;
  for (const z of ZONES) {
    const inZone = arch.nodes.filter((n) => n.zone === z.zone);
    if (inZone.length === 0) continue;
    out.push(`  subgraph cluster_${cluster++} {`);
    out.push(
      `    label=${dotString(z.label(arch))}; fontsize=${font.zone}; color="${z.color}"; style="filled,bold"; fillcolor="${z.fill}";`,
    );
    // components, nested by their parent chain
    type Tree = { nodes: ArchNode[]; children: Map<string, Tree> };
    const root: Tree = { nodes: [], children: new Map() };
    for (const n of inZone) {
      let t = root;
      for (const c of n.components) {
        if (!t.children.has(c)) t.children.set(c, { nodes: [], children: new Map() });
        t = t.children.get(c)!;
      }
      t.nodes.push(n);
    }
    const emitNode = (n: ArchNode, indent: string) => {
      const external = options.external.has(n.urn);
      const label = [
        ...wrapName(n.name, options.wrap),
        n.kind,
        ...(external ? [] : n.holdsPhi ? ["holds PHI"] : n.movesPhi ? ["moves PHI"] : []),
      ];
      const link = options.href(n);
      const href = link === undefined ? "" : `, href=${dotString(link)}, tooltip=${dotString(n.name)}`;
      const style = external
        ? ', style="rounded,dashed,filled", fillcolor="#f1f5f9", color="#94a3b8", fontcolor="#334155"'
        : n.holdsPhi
          ? ', fillcolor="#fee2e2", color="#b91c1c", penwidth=2'
          : n.movesPhi
            ? ', fillcolor="#ffedd5", color="#c2410c", penwidth=1.5'
            : "";
      const shape = n.type === "internet" ? ", shape=ellipse" : n.holdsPhi && !external ? ", shape=cylinder, style=filled" : "";
      out.push(`${indent}${n.id} [label=${dotString(...label)}${style}${shape}${href}];`);
    };
    const emit = (t: Tree, indent: string) => {
      for (const n of t.nodes) emitNode(n, indent);
      for (const c of [...t.children.keys()].sort()) {
        const sub = t.children.get(c)!;
        if (options.flattenSingles && sub.nodes.length === 1 && sub.children.size === 0) {
          emitNode(sub.nodes[0], indent);
          continue;
        }
        const type = c.slice(0, c.lastIndexOf("::")).split("$").pop() ?? "";
        out.push(`${indent}subgraph cluster_${cluster++} {`);
        out.push(
          `${indent}  label=${dotString(`${urnName(c)} (${options.componentType === "full" ? type.split("::").pop() : type.split(":").pop()})`)}; fontsize=${font.component}; style="rounded,dashed"; color="#94a3b8"; fillcolor="none";`,
        );
        emit(t.children.get(c)!, `${indent}  `);
        out.push(`${indent}}`);
      }
    };
    emit(root, "    ");
    out.push("  }");
  }
  if (options.legend) legend(out, cluster);
  for (const e of arch.edges) {
    out.push(`  ${id.get(e.from)} -> ${id.get(e.to)} [label=${dotString(e.label)}, ${EDGE_STYLE[e.kind]}];`);
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}

function legend(out: string[], cluster: number): void {
  out.push(`  subgraph cluster_${cluster} {`);
  out.push('    label="Legend"; fontsize=11; color="#cbd5e1"; style="rounded"; rank=sink;');
  out.push(
    '    legend_store [label="data store holding PHI", shape=cylinder, style=filled, fillcolor="#fee2e2", color="#b91c1c", penwidth=2];',
  );
  out.push('    legend_mover [label="compute moving PHI", fillcolor="#ffedd5", color="#c2410c", penwidth=1.5];');
  out.push('    legend_other [label="other resource"];');
  out.push(
    '    legend_a [label="", shape=point, width=0.05]; legend_b [label="", shape=point, width=0.05]; legend_c [label="", shape=point, width=0.05];',
  );
  out.push(`    legend_store -> legend_a [label="PHI path", ${EDGE_STYLE.phi}];`);
  out.push(`    legend_mover -> legend_b [label="audit event path", ${EDGE_STYLE.audit}];`);
  out.push(`    legend_other -> legend_c [label="control", ${EDGE_STYLE.control}];`);
  out.push("  }");
}

type GraphvizModule = { dot(src: string, format?: string): string };
let graphviz: Promise<GraphvizModule> | undefined;

/** Renders DOT to SVG with Graphviz in WebAssembly; the XML prolog and doctype are dropped for inlining. */
export async function renderSvg(dot: string): Promise<string> {
  graphviz ??= (async () => {
    const { Graphviz } = (await import("@hpcc-js/wasm-graphviz")) as unknown as { Graphviz: { load(): Promise<GraphvizModule> } };
    return Graphviz.load();
  })();
  const svg = (await graphviz).dot(dot, "svg");
  const start = svg.indexOf("<svg");
  return `${svg.slice(start).trimEnd()}\n`;
}
