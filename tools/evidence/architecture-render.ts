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

const EDGE_STYLE: Record<FlowKind, string> = {
  phi: 'color="#b91c1c", fontcolor="#b91c1c", penwidth=1.8',
  audit: 'color="#1d4ed8", fontcolor="#1d4ed8", style=dashed',
  control: 'color="#6b7280", fontcolor="#6b7280", style=dotted',
};

/** The DOT source of the picture. */
export function toDot(arch: Architecture, title: string): string {
  const out: string[] = [];
  out.push("digraph architecture {");
  out.push(
    `  graph [label=${dotString(title)}, labelloc=t, fontsize=18, fontname="Helvetica", rankdir=LR, compound=true, nodesep=0.25, ranksep=0.6, newrank=true];`,
  );
  out.push('  node [fontname="Helvetica", fontsize=10, shape=box, style="rounded,filled", fillcolor="#ffffff", color="#64748b"];');
  out.push('  edge [fontname="Helvetica", fontsize=8, arrowsize=0.7];');
  const id = new Map(arch.nodes.map((n) => [n.urn, n.id]));
  let cluster = 0;
  for (const z of ZONES) {
    const inZone = arch.nodes.filter((n) => n.zone === z.zone);
    if (inZone.length === 0) continue;
    out.push(`  subgraph cluster_${cluster++} {`);
    out.push(`    label=${dotString(z.label(arch))}; fontsize=13; color="${z.color}"; style="filled,bold"; fillcolor="${z.fill}";`);
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
    const emit = (t: Tree, indent: string) => {
      for (const n of t.nodes) {
        const label = [n.name, n.kind, ...(n.holdsPhi ? ["holds PHI"] : n.movesPhi ? ["moves PHI"] : [])];
        const style = n.holdsPhi
          ? ', fillcolor="#fee2e2", color="#b91c1c", penwidth=2'
          : n.movesPhi
            ? ', fillcolor="#ffedd5", color="#c2410c", penwidth=1.5'
            : "";
        const shape = n.type === "internet" ? ", shape=ellipse" : n.holdsPhi ? ", shape=cylinder, style=filled" : "";
        out.push(`${indent}${n.id} [label=${dotString(...label)}${style}${shape}];`);
      }
      for (const c of [...t.children.keys()].sort()) {
        const type = c.slice(0, c.lastIndexOf("::")).split("$").pop() ?? "";
        out.push(`${indent}subgraph cluster_${cluster++} {`);
        out.push(
          `${indent}  label=${dotString(`${urnName(c)} (${type.split("::").pop()})`)}; fontsize=10; style="rounded,dashed"; color="#94a3b8"; fillcolor="none";`,
        );
        emit(t.children.get(c)!, `${indent}  `);
        out.push(`${indent}}`);
      }
    };
    emit(root, "    ");
    out.push("  }");
  }
  // legend
  out.push(`  subgraph cluster_${cluster++} {`);
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
  for (const e of arch.edges) {
    out.push(`  ${id.get(e.from)} -> ${id.get(e.to)} [label=${dotString(e.label)}, ${EDGE_STYLE[e.kind]}];`);
  }
  out.push("}");
  return `${out.join("\n")}\n`;
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
