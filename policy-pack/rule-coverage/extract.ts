// Extracts the three external HIPAA rule sets into committed JSON (./sources/*.json). Not run in CI:
// it reads git mirrors of the public repositories, and its output is reviewed and committed.
//
//   TS_NODE_TRANSPILE_ONLY=true npx ts-node policy-pack/rule-coverage/extract.ts \
//     <cdklabs/cdk-nag git dir> <awslabs/aws-config-rules git dir> <prowler-cloud/prowler git dir>
//
// Each argument is a git directory (bare or not); the files are read at its HEAD with `git show`,
// and the commit is recorded so that the numbers can be checked against the same text. Then
// `npx prettier --write policy-pack/rule-coverage/sources` (the committed files are prettier's
// layout) and regenerate COVERAGE.md (generate.ts); coverage.spec.ts asserts the rule counts.
//
// - cdk-nag: every `this.applyRule({ info, level, rule })` of src/packs/hipaa-security.ts; the
//   citations are the "(Control ID(s): ...)" of `info`. RULES.md gives the AWS Config rule each
//   cdk-nag rule implements (its link) and, for the Config rules cdk-nag leaves out ("Excluded
//   Rules"), their control ids.
// - AWS Config: every AWS::Config::ConfigRule of
//   aws-config-conformance-packs/Operational-Best-Practices-for-HIPAA-Security.yaml. The template
//   carries no HIPAA citations; AWS states them only in the table of
//   https://docs.aws.amazon.com/config/latest/developerguide/operational-best-practices-for-hipaa_security.html,
//   which could not be read whole here (no copy in any repository: awsdocs/aws-config-developer-guide
//   only ever held a link to it). The citations recorded are cdk-nag's transcription of that table
//   in RULES.md (implemented and excluded rules), with `citationsFrom` saying so; a Config rule
//   cdk-nag does not list gets no citations (`citationsFrom: null`).
// - Prowler: every check of prowler/compliance/aws/hipaa_aws.json; its citations are the
//   requirements that list it (the citation is the first word of the requirement's Name).

import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const OUT = path.join(__dirname, "sources");

function gitShow(gitDir: string, file: string): string {
  return execFileSync("git", ["--git-dir", gitDir, "show", `HEAD:${file}`], { encoding: "utf8", maxBuffer: 64 << 20 });
}

function head(gitDir: string): string {
  return execFileSync("git", ["--git-dir", gitDir, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
}

/** "164.312(a)(1), 164.312(e)(1" -> citations, each with balanced parentheses (the sources have typos). */
function splitCitations(text: string): string[] {
  return text
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c.length > 0)
    .map((c) => {
      let out = c;
      while ((out.match(/\)/g) ?? []).length > (out.match(/\(/g) ?? []).length) {
        out = out.slice(0, -1);
      }
      while ((out.match(/\(/g) ?? []).length > (out.match(/\)/g) ?? []).length) {
        out += ")";
      }
      return out;
    });
}

function write(name: string, data: unknown): void {
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, name), JSON.stringify(data, null, 2) + "\n");
}

interface RulesMdRow {
  name: string;
  configRule: string | undefined;
  citations: string[];
}

/** Rows of one markdown table under `heading` in RULES.md's "## HIPAA Security" section. */
function rulesMdTable(md: string, heading: string): RulesMdRow[] {
  const section = md.split(/^## /m).find((s) => s.startsWith("HIPAA Security"));
  if (!section) {
    throw new Error("RULES.md has no HIPAA Security section");
  }
  const part = section.split(/^### /m).find((s) => s.startsWith(heading));
  if (!part) {
    throw new Error(`RULES.md HIPAA Security has no "${heading}" table`);
  }
  const rows: RulesMdRow[] = [];
  for (const line of part.split("\n")) {
    const m = /^\|\s*\[([^\]]+)\]\(([^)]*)\)\s*\|.*\|\s*([^|]*?)\s*\|\s*$/.exec(line);
    if (!m) {
      continue;
    }
    const link = /\/developerguide\/([a-z0-9-]+)\.html/.exec(m[2]);
    rows.push({ name: m[1], configRule: link?.[1], citations: splitCitations(m[3]) });
  }
  return rows;
}

function extractCdkNag(gitDir: string) {
  const commit = head(gitDir);
  const packFile = "src/packs/hipaa-security.ts";
  const pack = gitShow(gitDir, packFile);
  const md = gitShow(gitDir, "RULES.md");
  const implemented = new Map<string, RulesMdRow>();
  for (const row of [...rulesMdTable(md, "Warnings"), ...rulesMdTable(md, "Errors")]) {
    implemented.set(row.name.replace(/^HIPAA\.Security-/, ""), row);
  }
  const rules = [];
  const re = /this\.applyRule\(\{([\s\S]*?)\}\);/g;
  for (let m = re.exec(pack); m; m = re.exec(pack)) {
    const body = m[1];
    const rule = /\brule:\s*(\w+)/.exec(body)?.[1];
    const level = /\blevel:\s*NagMessageLevel\.(\w+)/.exec(body)?.[1];
    const info = /\binfo:\s*'((?:[^'\\]|\\.)*)'/.exec(body)?.[1] ?? /\binfo:\s*"((?:[^"\\]|\\.)*)"/.exec(body)?.[1];
    // "... - (Control IDs: 164.312(a)(1), 164.312(e)(1))." ; the outer parenthesis is dropped before splitting.
    const cited = info ? /\(Control IDs?: (.*?)\)?\.?$/.exec(info) : null;
    if (!rule || !level || !info || !cited) {
      throw new Error(`cannot read an applyRule call of ${packFile}: ${body.slice(0, 200)}`);
    }
    const row = implemented.get(rule);
    rules.push({
      id: rule,
      level: level.toLowerCase(),
      citations: splitCitations(cited[1]),
      configRule: row?.configRule ?? null,
      info: info.replace(/ - \(Control IDs?: .*$/, ""),
    });
  }
  rules.sort((a, b) => a.id.localeCompare(b.id));
  write("cdk-nag-hipaa.json", {
    source: "cdk-nag HIPAA.Security rule pack",
    repository: "https://github.com/cdklabs/cdk-nag",
    commit,
    url: `https://github.com/cdklabs/cdk-nag/blob/${commit}/${packFile}`,
    rulesMd: `https://github.com/cdklabs/cdk-nag/blob/${commit}/RULES.md`,
    extractedBy: "policy-pack/rule-coverage/extract.ts",
    note: "id without the HIPAA.Security- prefix; citations from the rule's info text; configRule from the RULES.md link.",
    rules,
  });
  const excluded = rulesMdTable(md, "Excluded Rules");
  const transcribed = new Map<string, string[]>();
  for (const row of [...implemented.values()]) {
    if (row.configRule) {
      transcribed.set(row.configRule, row.citations);
    }
  }
  for (const row of excluded) {
    // The excluded table's link target is sometimes another rule's page; its text is the rule name.
    transcribed.set(row.name, row.citations);
  }
  return { commit, transcribed };
}

interface TemplateRule {
  Type: string;
  Properties: {
    ConfigRuleName: string;
    Source: { Owner: string; SourceIdentifier: string };
    Scope?: { ComplianceResourceTypes?: string[] };
  };
}

function extractConfig(gitDir: string, cdkNag: { commit: string; transcribed: Map<string, string[]> }) {
  const commit = head(gitDir);
  const file = "aws-config-conformance-packs/Operational-Best-Practices-for-HIPAA-Security.yaml";
  const template = parse(gitShow(gitDir, file)) as { Resources: Record<string, TemplateRule> };
  const rules = Object.values(template.Resources)
    .filter((r) => r.Type === "AWS::Config::ConfigRule")
    .map((r) => {
      const id = r.Properties.ConfigRuleName;
      const citations = cdkNag.transcribed.get(id);
      return {
        id,
        sourceIdentifier: r.Properties.Source.SourceIdentifier,
        resourceTypes: r.Properties.Scope?.ComplianceResourceTypes ?? [],
        citations: citations ?? [],
        citationsFrom: citations ? "cdk-nag RULES.md" : null,
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  write("aws-config-hipaa.json", {
    source: "AWS Config conformance pack: Operational Best Practices for HIPAA Security",
    repository: "https://github.com/awslabs/aws-config-rules",
    commit,
    url: `https://github.com/awslabs/aws-config-rules/blob/${commit}/${file}`,
    page: "https://docs.aws.amazon.com/config/latest/developerguide/operational-best-practices-for-hipaa_security.html",
    citationsFrom: `https://github.com/cdklabs/cdk-nag/blob/${cdkNag.commit}/RULES.md`,
    extractedBy: "policy-pack/rule-coverage/extract.ts",
    note:
      "Rules are the template's AWS::Config::ConfigRule resources. The template has no citations; AWS's page states " +
      "them, and the citations here are cdk-nag's transcription of that page (RULES.md), where cdk-nag lists the rule.",
    rules,
  });
}

interface ProwlerRequirement {
  Id: string;
  Name: string;
  Checks: string[];
}

function extractProwler(gitDir: string) {
  const commit = head(gitDir);
  const file = "prowler/compliance/aws/hipaa_aws.json";
  const framework = JSON.parse(gitShow(gitDir, file)) as { Requirements: ProwlerRequirement[] };
  const byCheck = new Map<string, Set<string>>();
  for (const req of framework.Requirements) {
    const citation = req.Name.split(" ")[0];
    for (const check of req.Checks) {
      const set = byCheck.get(check) ?? new Set<string>();
      set.add(citation);
      byCheck.set(check, set);
    }
  }
  const requirements = framework.Requirements.map((req) => ({ id: req.Id, name: req.Name, checks: req.Checks.length }));
  const rules = [...byCheck.entries()]
    .map(([id, cites]) => ({ id, citations: [...cites].sort() }))
    .sort((a, b) => a.id.localeCompare(b.id));
  write("prowler-hipaa.json", {
    source: "Prowler HIPAA compliance framework (AWS)",
    repository: "https://github.com/prowler-cloud/prowler",
    commit,
    url: `https://github.com/prowler-cloud/prowler/blob/${commit}/${file}`,
    extractedBy: "policy-pack/rule-coverage/extract.ts",
    note: "A check's citations are the requirements that list it (the citation is the first word of the requirement Name).",
    requirements,
    rules,
  });
}

function main(): void {
  const [cdkNagDir, configDir, prowlerDir] = process.argv.slice(2);
  if (!cdkNagDir || !configDir || !prowlerDir) {
    throw new Error("usage: extract.ts <cdk-nag git dir> <aws-config-rules git dir> <prowler git dir>");
  }
  const cdkNag = extractCdkNag(cdkNagDir);
  extractConfig(configDir, cdkNag);
  extractProwler(prowlerDir);
}

main();
