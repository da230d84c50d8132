/**
 * The evidence bundle's appendix files: the full resource lists that stay out of the report's pages.
 *
 * - appendix/resources.csv and appendix/resources.json: per safeguard (CFR order), every resource the
 *   model lists as satisfying it, with the component it belongs to, its type, URN and policies. The report's
 *   summary table points at each safeguard's rows ("rows 2-117") and JSON entry.
 * - controls.csv: the controls-to-requirements table auditors' tools import: one row per safeguard, policy
 *   and resource with the verdict (pass, fail, warn, exempt; not-applicable or disabled with no resource) and
 *   the exemption's reason and grantor.
 *
 * CSV is RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): CRLF line ends, a header line, every field
 * holding a comma, a double quote, CR or LF enclosed in double quotes with inner quotes doubled.
 * Everything is derived from the model's fields as they are (satisfiedBy, violations, exemptions) and
 * sorted, so the same evidence gives the same bytes.
 */
import type { StateResource } from "../../policy-pack/checker/deployment";
import type { Evidence } from "./model";

export const RESOURCES_CSV = "appendix/resources.csv";
export const RESOURCES_JSON = "appendix/resources.json";
export const CONTROLS_CSV = "controls.csv";

/** The top-level component a resource belongs to: the outermost ancestor under the stack. */
export interface Component {
  /** "processing (healthcare:processing:Processing)", or "stack (no component)" for a top-level resource. */
  label: string;
  name: string;
  type: string;
}

const STACK_TYPE = "pulumi:pulumi:Stack";
const NO_COMPONENT: Component = { label: "stack (no component)", name: "stack", type: "" };

function urnName(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i >= 0 ? urn.slice(i + 2) : urn;
}

/** The parent type chain of a URN: `urn:pulumi:<stack>::<project>::<parent types $-joined>$<type>::<name>`. */
export function typeChain(urn: string): string[] {
  const parts = urn.split("::");
  return parts.length >= 4 ? parts.slice(2, -1).join("::").split("$") : [];
}

/**
 * The component of each resource: the outermost ancestor below the stack, by the `parent` links of the
 * state (which name it), or where a resource has none, the first type of its URN's parent type chain.
 */
export function componentsOf(resources: readonly StateResource[]): (urn: string) => Component {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const cache = new Map<string, Component>();
  const label = (name: string, type: string) => ({ label: `${name} (${type})`, name, type });
  return (urn) => {
    const hit = cache.get(urn);
    if (hit) return hit;
    let c: Component;
    const r = byUrn.get(urn);
    if (r?.parent !== undefined) {
      let top = r;
      for (let p = byUrn.get(r.parent); p && p.type !== STACK_TYPE; p = p.parent ? byUrn.get(p.parent) : undefined) top = p;
      c = top === r ? NO_COMPONENT : label(urnName(top.urn), top.type);
    } else {
      const chain = typeChain(urn).filter((t) => t !== STACK_TYPE);
      c = chain.length > 1 ? { label: chain[0], name: "", type: chain[0] } : NO_COMPONENT;
    }
    cache.set(urn, c);
    return c;
  };
}

export interface AppendixResource {
  component: string;
  name: string;
  type: string;
  urn: string;
  policies: string[];
}

export interface AppendixSafeguard {
  citation: string;
  title: string;
  /** The safeguard's data rows in resources.csv (the header is row 1); null when it has none. */
  csvRows: { first: number; last: number } | null;
  /** Resources by component: counts and names, as the report's safeguard page shows them. */
  components: { component: string; count: number; names: string[] }[];
  resources: AppendixResource[];
}

export interface Appendix {
  safeguards: AppendixSafeguard[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function buildAppendix(ev: Evidence, resources: readonly StateResource[]): Appendix {
  const componentOf = componentsOf(resources);
  let row = 2;
  const safeguards = ev.safeguards.map((s): AppendixSafeguard => {
    const list = s.satisfiedBy
      .map((r) => ({ component: componentOf(r.urn).label, name: r.name, type: r.type, urn: r.urn, policies: [...r.policies].sort() }))
      .sort((a, b) => byText(a.component, b.component) || byText(a.name, b.name) || byText(a.urn, b.urn));
    const groups = new Map<string, string[]>();
    for (const r of list) groups.set(r.component, [...(groups.get(r.component) ?? []), r.name]);
    const csvRows = list.length === 0 ? null : { first: row, last: row + list.length - 1 };
    row += list.length;
    return {
      citation: s.citation,
      title: s.title,
      csvRows,
      components: [...groups].map(([component, names]) => ({ component, count: names.length, names: [...new Set(names)] })),
      resources: list,
    };
  });
  return { safeguards };
}

/** One RFC 4180 field: quoted when it holds a comma, a double quote, CR or LF; inner quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** RFC 4180 text: a header and the rows, each line ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((r) => `${r.map(csvField).join(",")}\r\n`).join("");
}

export const RESOURCES_HEADER = ["safeguard", "component", "resource", "type", "urn", "policies"] as const;

export function renderResourcesCsv(a: Appendix): string {
  const rows = a.safeguards.flatMap((s) => s.resources.map((r) => [s.citation, r.component, r.name, r.type, r.urn, r.policies.join("; ")]));
  return toCsv(RESOURCES_HEADER, rows);
}

export function renderResourcesJson(a: Appendix): string {
  return `${JSON.stringify(a, null, 2)}\n`;
}

export const CONTROLS_HEADER = ["safeguard", "policy", "resource", "verdict", "exemption"] as const;

/** controls.csv: for each safeguard and each policy citing it, one row per resource it judged (or one row with none). */
export function renderControlsCsv(ev: Evidence): string {
  const policies = new Map(ev.policies.map((p) => [p.name, p]));
  const rows: string[][] = [];
  for (const s of ev.safeguards) {
    for (const { name } of s.policies) {
      const p = policies.get(name);
      if (!p) continue;
      const judged: string[][] = [
        ...p.satisfiedBy.map((urn) => [urn, "pass", ""]),
        ...p.violations.map((v) => [v.urn, v.enforcementLevel === "mandatory" ? "fail" : "warn", ""]),
        ...p.exemptions.map((e) => [
          e.urn,
          "exempt",
          `${e.reason} (granted by ${e.source === "tag" ? "tag" : "policy config"} ${e.grantedBy})`,
        ]),
      ].sort((a, b) => byText(a[0], b[0]) || byText(a[1], b[1]) || byText(a[2], b[2]));
      if (judged.length === 0) rows.push([s.citation, name, "", p.verdict, ""]);
      for (const [urn, verdict, exemption] of judged) rows.push([s.citation, name, urn, verdict, exemption]);
    }
  }
  return toCsv(CONTROLS_HEADER, rows);
}

export const POLICIES_CSV = "appendix/policies.csv";
export const POLICIES_HEADER = [
  "policy",
  "verdict",
  "enforcement_level",
  "severity",
  "citations",
  "resource_types",
  "resources_passing",
  "violations",
  "exemptions",
  "description",
  "remediation",
] as const;

/** policies.csv: every policy of the pack, as the report's policy index names it, with what it checks and its counts. */
export function renderPoliciesCsv(ev: Evidence): string {
  const rows = [...ev.policies]
    .sort((a, b) => byText(a.name, b.name))
    .map((p) => [
      p.name,
      p.verdict,
      p.enforcementLevel,
      p.severity,
      p.citations.join("; "),
      p.resourceTypes.join("; "),
      String(p.satisfiedBy.length),
      String(p.violations.length),
      String(p.exemptions.length),
      p.description,
      p.remediation,
    ]);
  return toCsv(POLICIES_HEADER, rows);
}
