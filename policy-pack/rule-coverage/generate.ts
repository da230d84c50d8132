// Writes policy-pack/COVERAGE.md: for each HIPAA citation, the pack's policies and the cdk-nag,
// AWS Config and Prowler rules that address it; then, per external rule set, each rule -> the
// policy that covers it or the reason none does (mapping.json). Deterministic: the same inputs
// give the same bytes, and coverage.spec.ts regenerates it in memory and compares.
//
//   TS_NODE_TRANSPILE_ONLY=true npx ts-node policy-pack/rule-coverage/generate.ts
//
// Inputs: sources/*.json (extract.ts), mapping.json (by hand), the pack's policies (their names,
// HIPAA citations and declared cdk-nag / Config rules) and the Config rules the guardrails profile
// deploys (components/guardrails.ts).

import * as fs from "fs";
import * as path from "path";
import { HIPAA_CONFORMANCE_RULES } from "../../components/guardrails";
import { allPolicies } from "../policies";

export const COVERAGE_PATH = path.join(__dirname, "..", "COVERAGE.md");

/** Why no policy covers a rule. */
export const REASONS = {
  "not-managed": "account-level setting or identity, not a resource this Pulumi program manages",
  "not-used": "service or resource type the platform does not use",
  runtime: "runtime state (usage, findings, expiry, patch level) that no plan shows",
  process: "an organizational procedure, not a resource",
  "other-control": "met by something other than a policy (named in the reason)",
  "by-design": "the platform deliberately has what the rule flags (the reason says why)",
  gap: "applies to resources the program manages, and no policy enforces it yet",
} as const;

export type Reason = keyof typeof REASONS;

export interface SourceRule {
  id: string;
  citations: string[];
  sourceIdentifier?: string;
  configRule?: string | null;
  citationsFrom?: string | null;
}

export interface Source {
  source: string;
  repository: string;
  commit: string;
  url: string;
  rules: SourceRule[];
  requirements?: { id: string; name: string }[];
}

export interface MappingEntry {
  rule: string;
  policies?: string[];
  note?: string;
  reason?: string;
  why?: string;
  related?: string[];
}

export type SourceKey = "cdkNag" | "awsConfig" | "prowler";

export const SOURCE_FILES: Record<SourceKey, string> = {
  cdkNag: "cdk-nag-hipaa.json",
  awsConfig: "aws-config-hipaa.json",
  prowler: "prowler-hipaa.json",
};

export const SOURCE_TITLES: Record<SourceKey, string> = {
  cdkNag: "cdk-nag HIPAA.Security",
  awsConfig: "AWS Config conformance pack: Operational Best Practices for HIPAA Security",
  prowler: "Prowler HIPAA (AWS)",
};

export const SOURCE_KEYS: SourceKey[] = ["cdkNag", "awsConfig", "prowler"];

/** What the generator needs to know about a policy. */
export interface PolicyInfo {
  name: string;
  citations: string[];
  /** Citation -> its title in the rule, from the policy's framework.specification. */
  titles: Record<string, string>;
  cdkNag: string[];
  awsConfig: string[];
}

export interface CoverageInput {
  sources: Record<SourceKey, Source>;
  mapping: Record<SourceKey, MappingEntry[]>;
  policies: PolicyInfo[];
  /** SourceIdentifiers of the Config rules the guardrails profile deploys. */
  guardrailsConfigRules: string[];
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(__dirname, file), "utf8")) as T;
}

export function policyInfos(): PolicyInfo[] {
  return allPolicies.map((p) => {
    const citations = (p.framework?.reference ?? "")
      .split(",")
      .map((c) => c.trim())
      .filter((c) => c.length > 0);
    // hipaa() joins the titles with "; " in the order of the citations.
    const specs = (p.framework?.specification ?? "").split(";").map((t) => t.trim());
    const titles: Record<string, string> = {};
    if (specs.length === citations.length) {
      citations.forEach((c, i) => (titles[c] = specs[i]));
    }
    return { name: p.name, citations, titles, cdkNag: [...p.hipaa.cdkNag], awsConfig: [...p.hipaa.awsConfig] };
  });
}

export function loadCoverageInput(): CoverageInput {
  const mapping = readJson<Record<SourceKey, MappingEntry[]>>("mapping.json");
  const sources = {} as Record<SourceKey, Source>;
  for (const key of SOURCE_KEYS) {
    sources[key] = readJson<Source>(path.join("sources", SOURCE_FILES[key]));
  }
  return {
    sources,
    mapping: { cdkNag: mapping.cdkNag, awsConfig: mapping.awsConfig, prowler: mapping.prowler },
    policies: policyInfos(),
    guardrailsConfigRules: HIPAA_CONFORMANCE_RULES.map((r) => r.identifier),
  };
}

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, v: 5, vi: 6, vii: 7, viii: 8, ix: 9, x: 10 };

/** Sort key of "164.308(a)(1)(ii)(B)": section, then (letter)(number)(roman)(Letter) in order. */
function citationKey(c: string): number[] {
  const m = /^(\d+)\.(\d+)((?:\([^)]+\))*)$/.exec(c);
  if (!m) {
    return [Number.MAX_SAFE_INTEGER];
  }
  const parts = [...m[3].matchAll(/\(([^)]+)\)/g)].map((x) => x[1]);
  return [
    Number(m[1]),
    Number(m[2]),
    ...parts.map((p, i) => (/^\d+$/.test(p) ? Number(p) : i === 2 && ROMAN[p] ? ROMAN[p] : p.charCodeAt(0))),
  ];
}

export function compareCitations(a: string, b: string): number {
  const ka = citationKey(a);
  const kb = citationKey(b);
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    const d = (ka[i] ?? -1) - (kb[i] ?? -1);
    if (d !== 0) {
      return d;
    }
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Markdown table cell: no pipes or newlines. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function code(names: string[]): string {
  return names.map((n) => `\`${n}\``).join(", ");
}

export function answer(e: MappingEntry): string {
  if (e.policies && e.policies.length > 0) {
    return code(e.policies) + (e.note ? ` (${e.note})` : "");
  }
  const related = e.related && e.related.length > 0 ? ` Related: ${code(e.related)}.` : "";
  return `**${e.reason}**: ${e.why ?? ""}${related}`;
}

/** Category of an entry: "policy" or its reason. */
export function categoryOf(e: MappingEntry): string {
  return e.policies && e.policies.length > 0 ? "policy" : (e.reason ?? "");
}

/** Rules a policy declares (hipaa.cdkNag / hipaa.awsConfig) that the source does not hold. */
export function declaredNotInSource(input: CoverageInput): { policy: string; source: SourceKey; rule: string }[] {
  const out: { policy: string; source: SourceKey; rule: string }[] = [];
  for (const p of input.policies) {
    for (const [key, declared] of [
      ["cdkNag", p.cdkNag],
      ["awsConfig", p.awsConfig],
    ] as [SourceKey, string[]][]) {
      const ids = new Set(input.sources[key].rules.map((r) => r.id));
      for (const rule of declared) {
        if (!ids.has(rule)) {
          out.push({ policy: p.name, source: key, rule });
        }
      }
    }
  }
  return out;
}

/** One HIPAA citation's row of the coverage matrix: its title, our policies and each rule set's rules that address it. */
export interface CitationCoverage {
  citation: string;
  title: string;
  policies: string[];
  rules: Record<SourceKey, string[]>;
}

/**
 * The matrix by citation: every citation our policies or the three rule sets name (CFR order), its title (the
 * policies' wording, lib/hipaa.ts, else Prowler's requirement name), and the sorted names addressing it.
 * COVERAGE.md's "By HIPAA citation" and the evidence report's coverage table both come from here.
 */
export function coverageByCitation(input: CoverageInput): {
  citations: string[];
  titles: Map<string, string>;
  oursFor: (c: string) => string[];
  rulesFor: (key: SourceKey, c: string) => string[];
  rows: CitationCoverage[];
} {
  const citationSet = new Set<string>();
  for (const p of input.policies) {
    p.citations.forEach((c) => citationSet.add(c));
  }
  for (const key of SOURCE_KEYS) {
    input.sources[key].rules.forEach((r) => r.citations.forEach((c) => citationSet.add(c)));
  }
  const titles = new Map<string, string>();
  for (const req of input.sources.prowler.requirements ?? []) {
    const [citation, ...title] = req.name.split(" ");
    titles.set(citation, title.join(" "));
  }
  for (const p of input.policies) {
    Object.entries(p.titles).forEach(([c, t]) => titles.set(c, t));
  }
  const citations = [...citationSet].sort(compareCitations);
  const oursFor = (c: string) =>
    input.policies
      .filter((p) => p.citations.includes(c))
      .map((p) => p.name)
      .sort(byString);
  const rulesFor = (key: SourceKey, c: string) =>
    input.sources[key].rules
      .filter((r) => r.citations.includes(c))
      .map((r) => r.id)
      .sort(byString);
  const rows = citations.map((c) => ({
    citation: c,
    title: titles.get(c) ?? "",
    policies: oursFor(c),
    rules: { cdkNag: rulesFor("cdkNag", c), awsConfig: rulesFor("awsConfig", c), prowler: rulesFor("prowler", c) },
  }));
  return { citations, titles, oursFor, rulesFor, rows };
}

export function renderCoverage(input: CoverageInput): string {
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);
  const entries = (key: SourceKey) => new Map(input.mapping[key].map((e) => [e.rule, e]));
  const guardrails = new Set(input.guardrailsConfigRules);
  const categories = ["policy", ...Object.keys(REASONS)];

  push(
    "# HIPAA coverage: this pack against cdk-nag, AWS Config and Prowler",
    "",
    "Generated by `policy-pack/rule-coverage/generate.ts` from `policy-pack/rule-coverage/sources/*.json` (the external",
    "rule sets as their sources state them), `policy-pack/rule-coverage/mapping.json` (our judgement of how the pack",
    "answers each rule) and the pack's policies. Do not edit by hand: change the inputs and run",
    "`TS_NODE_TRANSPILE_ONLY=true npx ts-node policy-pack/rule-coverage/generate.ts`; `coverage.spec.ts` fails when this",
    "file is stale.",
    "",
    "## Sources",
    "",
    "| Rule set | Rules | Read at |",
    "| --- | --- | --- |",
  );
  for (const key of SOURCE_KEYS) {
    const s = input.sources[key];
    push(
      `| ${SOURCE_TITLES[key]} | ${s.rules.length} | [${s.repository.replace("https://github.com/", "")}@${s.commit.slice(0, 12)}](${s.url}) |`,
    );
  }
  push(
    "",
    "Citations are the sources' own: cdk-nag's rule messages, Prowler's requirements, and for AWS Config the table of",
    "AWS's [Operational Best Practices for HIPAA Security](https://docs.aws.amazon.com/config/latest/developerguide/operational-best-practices-for-hipaa_security.html)",
    "as cdk-nag's RULES.md transcribes it (the conformance pack template carries none); a Config rule cdk-nag does not",
    "list has no citation here. Our policies' citations are their `framework.reference`.",
    "",
    "## Summary",
    "",
    "How many rules of each set a policy covers, and why none covers the others:",
    "",
    "| Category | Meaning | " + SOURCE_KEYS.map((k) => SOURCE_TITLES[k].split(":")[0]).join(" | ") + " |",
    "| --- | --- | " + SOURCE_KEYS.map(() => "---").join(" | ") + " |",
  );
  for (const cat of categories) {
    const meaning = cat === "policy" ? "covered by a policy of this pack" : REASONS[cat as Reason];
    const counts = SOURCE_KEYS.map((k) => input.mapping[k].filter((e) => categoryOf(e) === cat).length);
    push(`| ${cat} | ${meaning} | ${counts.join(" | ")} |`);
  }
  push(`| total | | ${SOURCE_KEYS.map((k) => input.mapping[k].length).join(" | ")} |`, "");

  push(
    "## Gaps",
    "",
    "Rules that apply to resources the program manages and that no policy enforces (`gap`), then those the",
    "platform deliberately does not meet (`by-design`):",
    "",
  );
  for (const cat of ["gap", "by-design"]) {
    for (const key of SOURCE_KEYS) {
      for (const e of [...input.mapping[key]].filter((x) => categoryOf(x) === cat).sort((a, b) => byString(a.rule, b.rule))) {
        push(`- ${cat}, ${SOURCE_TITLES[key].split(":")[0]} \`${e.rule}\`: ${e.why ?? ""}`);
      }
    }
  }
  push("");

  // Per citation.
  const { citations, titles, oursFor, rulesFor } = coverageByCitation(input);
  push(
    "## By HIPAA citation",
    "",
    "For each citation, how many of the pack's policies cite it and how many external rules their source says address",
    "it (the lists follow). Titles are the policies' (lib/hipaa.ts), else Prowler's requirement names.",
    "",
    "| Citation | Title | Our policies | " + SOURCE_KEYS.map((k) => SOURCE_TITLES[k].split(":")[0]).join(" | ") + " |",
    "| --- | --- | --- | " + SOURCE_KEYS.map(() => "---").join(" | ") + " |",
  );
  for (const c of citations) {
    push(`| ${c} | ${cell(titles.get(c) ?? "")} | ${oursFor(c).length} | ${SOURCE_KEYS.map((k) => rulesFor(k, c).length).join(" | ")} |`);
  }
  push("");
  for (const c of citations) {
    const title = titles.get(c);
    push(`### ${c}${title ? ` ${title}` : ""}`, "");
    const ours = oursFor(c);
    push(`- Our policies (${ours.length}): ${ours.length > 0 ? code(ours) : "none"}`);
    for (const key of SOURCE_KEYS) {
      const rules = rulesFor(key, c);
      push(`- ${SOURCE_TITLES[key].split(":")[0]} (${rules.length}): ${rules.length > 0 ? code(rules) : "none"}`);
    }
    push("");
  }
  const uncited = input.sources.awsConfig.rules.filter((r) => r.citations.length === 0).map((r) => r.id);
  push(
    `### AWS Config rules without a transcribed citation (${uncited.length})`,
    "",
    "AWS's page cites them, but cdk-nag's RULES.md does not list them, and the page's table could not be read whole",
    "here: " + code(uncited.sort(byString)),
    "",
  );

  // Per source.
  for (const key of SOURCE_KEYS) {
    const s = input.sources[key];
    const map = entries(key);
    push(`## ${SOURCE_TITLES[key]} (${s.rules.length} rules)`, "");
    if (key === "awsConfig") {
      push(
        "Guardrails: the guardrails profile (`enableAccountGuardrails`) also deploys this AWS managed rule as a detective",
        "control (components/guardrails.ts).",
        "",
        "| Rule | Citations | Our policy, or why none | Guardrails |",
        "| --- | --- | --- | --- |",
      );
    } else {
      push("| Rule | Citations | Our policy, or why none |", "| --- | --- | --- |");
    }
    for (const r of [...s.rules].sort((a, b) => byString(a.id, b.id))) {
      const e = map.get(r.id);
      const ans = e ? answer(e) : "**unmapped**";
      const cites = r.citations.length > 0 ? [...r.citations].sort(compareCitations).join(", ") : "-";
      const row = [`\`${r.id}\``, cites, ans];
      if (key === "awsConfig") {
        row.push(r.sourceIdentifier && guardrails.has(r.sourceIdentifier) ? "yes" : "");
      }
      push(`| ${row.map(cell).join(" | ")} |`);
    }
    push("");
  }

  // The other direction.
  const mapped = new Set<string>();
  for (const key of SOURCE_KEYS) {
    input.mapping[key].forEach((e) => (e.policies ?? []).forEach((p) => mapped.add(p)));
  }
  const own = input.policies
    .map((p) => p.name)
    .filter((n) => !mapped.has(n))
    .sort(byString);
  push(
    `## Policies no external rule maps to (${own.length})`,
    "",
    "Controls of this pack that none of the three rule sets asks for (deploy traps, PHI-path joins, naming, tags,",
    "exemptions and stricter variants): " + code(own),
    "",
  );
  const stray = declaredNotInSource(input);
  push(
    `## Rules our policies declare that the sources do not hold (${stray.length})`,
    "",
    "A policy's `hipaa.cdkNag` / `hipaa.awsConfig` metadata names these rules, but the rule set read above does not",
    "contain them (AWS Config managed rules outside the HIPAA conformance pack, or rules the pack has dropped):",
    "",
  );
  for (const d of [...stray].sort((a, b) => byString(`${a.policy} ${a.source} ${a.rule}`, `${b.policy} ${b.source} ${b.rule}`))) {
    push(`- \`${d.policy}\`: ${SOURCE_TITLES[d.source].split(":")[0]} \`${d.rule}\``);
  }
  push("");
  return lines.join("\n");
}

if (require.main === module) {
  fs.writeFileSync(COVERAGE_PATH, renderCoverage(loadCoverageInput()));
  console.log(`wrote ${path.relative(process.cwd(), COVERAGE_PATH)}`);
}
