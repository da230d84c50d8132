/**
 * The coverage matrix in the report (issue 20 section 5): for each HIPAA citation, how many of the pack's policies and
 * of the cdk-nag HIPAA.Security, AWS Config HIPAA conformance-pack and Prowler HIPAA rules address it, from the data
 * policy-pack/COVERAGE.md is generated from (policy-pack/rule-coverage/generate.ts: its loader and its per-citation
 * matrix, not a copy). The full per-rule mapping, each external rule with our policy that covers it or the reason none
 * does, is the appendix file appendix/coverage.csv (RFC 4180, sorted: the same inputs give the same bytes).
 */
import {
  categoryOf,
  compareCitations,
  CoverageInput,
  coverageByCitation,
  REASONS,
  SOURCE_KEYS,
  SOURCE_TITLES,
  SourceKey,
} from "../../policy-pack/rule-coverage/generate";
import { toCsv } from "./appendix";
import { anchorOf, esc } from "./html-common";

export const COVERAGE_CSV = "appendix/coverage.csv";
export const COVERAGE_HEADER = ["rule_set", "rule", "citations", "covered_by", "reason", "why", "related"] as const;

/** The rule sets' short names as the report's columns and coverage.csv's first field give them. */
export const RULE_SET_NAMES: Record<SourceKey, string> = { cdkNag: "cdk-nag", awsConfig: "AWS Config", prowler: "Prowler" };

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** coverage.csv: one row per rule of each external rule set (in the sets' order, then by rule id). */
export function renderCoverageCsv(input: CoverageInput): string {
  const rows: string[][] = [];
  for (const key of SOURCE_KEYS) {
    const mapping = new Map(input.mapping[key].map((e) => [e.rule, e]));
    for (const r of [...input.sources[key].rules].sort((a, b) => byText(a.id, b.id))) {
      const e = mapping.get(r.id);
      const covered = e?.policies ?? [];
      rows.push([
        RULE_SET_NAMES[key],
        r.id,
        [...r.citations].sort(compareCitations).join("; "),
        covered.join("; "),
        e === undefined ? "unmapped" : covered.length > 0 ? "" : categoryOf(e),
        covered.length > 0 ? (e?.note ?? "") : (e?.why ?? ""),
        (e?.related ?? []).join("; "),
      ]);
    }
  }
  return toCsv(COVERAGE_HEADER, rows);
}

/** The report's section: the matrix by citation, and how each rule set's rules are answered (counts by category). */
export function coverageSection(input: CoverageInput, cited: ReadonlySet<string>): string {
  const { rows } = coverageByCitation(input);
  const out = ['<h2 id="coverage">Coverage against cdk-nag, AWS Config and Prowler</h2>'];
  out.push(
    '<p class="small">For each HIPAA citation: how many of this pack\'s policies cite it, and how many rules of ' +
      SOURCE_KEYS.map((k) => `${esc(SOURCE_TITLES[k])} (${input.sources[k].rules.length} rules)`).join(", ") +
      " their sources say address it. Each external rule with the policy that covers it, or why none does: " +
      `<a href="${COVERAGE_CSV}"><code>${COVERAGE_CSV}</code></a> (also policy-pack/COVERAGE.md).</p>`,
  );
  out.push(
    '<div class="tw"><table class="coverage"><thead><tr><th>Citation</th><th>Title</th><th>Our policies</th>' +
      SOURCE_KEYS.map((k) => `<th>${esc(RULE_SET_NAMES[k])}</th>`).join("") +
      "</tr></thead><tbody>",
  );
  for (const r of rows) {
    const c = cited.has(r.citation) ? `<a href="#${anchorOf(r.citation)}">${esc(r.citation)}</a>` : esc(r.citation);
    out.push(
      `<tr data-citation="${esc(r.citation)}"><td>${c}</td><td>${esc(r.title)}</td><td class="num">${r.policies.length}</td>` +
        SOURCE_KEYS.map((k) => `<td class="num">${r.rules[k].length}</td>`).join("") +
        "</tr>",
    );
  }
  out.push("</tbody></table></div>");
  const categories = ["policy", ...Object.keys(REASONS)];
  out.push(
    '<p class="small"><b>How the pack answers each rule</b> (coverage.csv\'s <code>covered_by</code> or <code>reason</code>): ' +
      SOURCE_KEYS.map(
        (k) =>
          `${esc(RULE_SET_NAMES[k])}: ` +
          categories
            .map((cat) => [cat, input.mapping[k].filter((e) => categoryOf(e) === cat).length] as const)
            .filter(([, n]) => n > 0)
            .map(([cat, n]) => `${n} ${cat === "policy" ? "covered by a policy" : esc(cat)}`)
            .join(", "),
      ).join("; ") +
      ".</p>",
  );
  return out.join("\n");
}
