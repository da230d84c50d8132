/**
 * The evidence as data (evidence.json, described by docs/evidence.schema.json): the checker's own
 * result (runPolicies over parseDeployment, with the same config resolution), grouped by the HIPAA
 * citations of the pack's policies. Pure: the same deployment and config give the same document.
 */
import * as fs from "fs";
import * as path from "path";
import type { ResolvedConfig } from "../../policy-pack/checker/config";
import { countEntries, LoadedDeployment } from "../../policy-pack/checker/deployment";
import { CheckResult, examinedResources, PACK_NAME, runPolicies, Violation } from "../../policy-pack/checker/run";
import type { HipaaPolicy } from "../../policy-pack/policies";
import { Citation, citationsOfFramework, FRAMEWORK_NAME, FRAMEWORK_VERSION } from "../../policy-pack/policies/lib/hipaa";
import type { ExemptionRecord } from "../../policy-pack/policies/lib/exemptions";
import { Architecture } from "./architecture";
import { compareCitations, SAFEGUARD_FAMILY, SHARED_RESPONSIBILITY, SOURCES, SPEC_INFO, titleOf } from "./hipaa";

export const SCHEMA_VERSION = 1;

export type Verdict = "pass" | "fail" | "warn" | "not-applicable" | "disabled";

export interface PolicyEvidence {
  name: string;
  description: string;
  severity: string;
  enforcementLevel: "mandatory" | "advisory" | "disabled";
  verdict: Verdict;
  citations: string[];
  resourceTypes: string[];
  /**
   * Resources the policy examined (its declared `examines`, for any of its citations), with no
   * violation and no exemption from it.
   */
  satisfiedBy: string[];
  violations: Violation[];
  exemptions: ExemptionRecord[];
  remediation: string;
}

export interface ResourceRef {
  urn: string;
  name: string;
  type: string;
}

export interface SafeguardEvidence {
  citation: string;
  title: string;
  family: string;
  kind: "standard" | "implementation specification";
  requirement: "required" | "addressable";
  standard: string;
  policies: { name: string; verdict: Verdict; enforcementLevel: string }[];
  verdict: Verdict;
  satisfiedBy: { urn: string; name: string; type: string; policies: string[] }[];
  notApplicable?: string;
  exemptions: ExemptionRecord[];
  customerResponsibility: string;
}

export interface Evidence {
  schemaVersion: number;
  summary: {
    stack: string;
    project: string;
    source: string;
    time: string | null;
    pack: { name: string; version: string };
    framework: { name: string; version: string };
    entries: { total: number; cloud: number; providers: number; components: number };
    resources: number;
    policies: number;
    mandatory: number;
    advisory: number;
    exemptions: number;
    result: "PASS" | "FAIL";
  };
  architecture: Architecture;
  safeguards: SafeguardEvidence[];
  policies: PolicyEvidence[];
  resourceIndex: { urn: string; name: string; type: string; safeguards: string[] }[];
  violations: Violation[];
  exemptions: ExemptionRecord[];
  sharedResponsibility: string[];
  sources: Record<string, string>;
}

function packVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../policy-pack/package.json"), "utf8")) as { version: string };
  return pkg.version;
}

function urnName(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i >= 0 ? urn.slice(i + 2) : urn;
}

/** Citations of a policy, from its CrossGuard framework reference ("164.312(b), 164.316(b)(2)(i)"). */
export function citationsOf(p: HipaaPolicy): string[] {
  return citationsOfFramework(p.framework);
}

/** Every citation the pack's policies carry, in CFR order. */
export function citedSafeguards(policies: readonly HipaaPolicy[]): string[] {
  return [...new Set(policies.flatMap(citationsOf))].sort(compareCitations);
}

function levelOf(p: HipaaPolicy, config: ResolvedConfig): "mandatory" | "advisory" | "disabled" {
  // the checker's rule (run.ts): config ("all" or per policy) > policy > pack default; remediate blocks
  const level = config.level(p.name) ?? p.enforcementLevel ?? "advisory";
  return level === "remediate" ? "mandatory" : level;
}

function worst(verdicts: Verdict[]): Verdict {
  for (const v of ["fail", "warn", "pass", "not-applicable", "disabled"] as Verdict[]) if (verdicts.includes(v)) return v;
  return "not-applicable";
}

export interface BuildOptions {
  deployment: LoadedDeployment;
  policies: HipaaPolicy[];
  config: ResolvedConfig;
  source: string;
  architecture: Architecture;
  /** The deployment's manifest time, when it has one. */
  time?: string;
}

export async function buildEvidence(o: BuildOptions): Promise<{ evidence: Evidence; result: CheckResult }> {
  const result = await runPolicies(o.deployment, { policies: o.policies, config: o.config });
  const resources = o.deployment.resources;
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? resources[0].urn;
  const [, stackPart = "", project = ""] = /^urn:pulumi:([^:]*)::([^:]*)::/.exec(stackUrn) ?? [];
  const ref = (urn: string): ResourceRef => ({ urn, name: urnName(urn), type: byUrn.get(urn)?.type ?? "" });

  // A resource is evidence for a safeguard only where a policy citing it examined the resource for
  // it (the policy's declared `examines`, the predicate its validation selects with) and found no
  // violation and granted no exemption there.
  const examined = examinedResources(o.deployment, o.policies, o.config);
  const evidenceFor = new Map<string, Map<string, string[]>>();
  const policies: PolicyEvidence[] = o.policies.map((p) => {
    const level = levelOf(p, o.config);
    const violations = result.violations.filter((v) => v.policy === p.name);
    const exemptions = result.summary.exemptions.list.filter((e) => e.policy === p.name);
    const flagged = new Set([...violations.map((v) => v.urn), ...exemptions.map((e) => e.urn)]);
    const perCitation = new Map<string, string[]>();
    if (level !== "disabled") {
      for (const [c, urns] of examined.get(p.name) ?? []) perCitation.set(c, [...urns].filter((u) => !flagged.has(u)).sort());
    }
    evidenceFor.set(p.name, perCitation);
    const satisfiedBy = [...new Set([...perCitation.values()].flat())].sort();
    const verdict: Verdict =
      level === "disabled"
        ? "disabled"
        : violations.some((v) => v.enforcementLevel === "mandatory")
          ? "fail"
          : violations.length > 0
            ? "warn"
            : satisfiedBy.length === 0 && exemptions.length === 0
              ? "not-applicable"
              : "pass";
    return {
      name: p.name,
      description: p.description ?? "",
      severity: p.severity ?? "low",
      enforcementLevel: level,
      verdict,
      citations: citationsOf(p),
      resourceTypes: [...p.hipaa.resourceTypes],
      satisfiedBy,
      violations,
      exemptions,
      remediation: p.remediationSteps ?? "",
    };
  });

  const safeguards: SafeguardEvidence[] = citedSafeguards(o.policies).map((c) => {
    const info = SPEC_INFO[c as Citation];
    if (!info) throw new Error(`citation ${c} has no entry in tools/evidence/hipaa.ts`);
    const ps = policies.filter((p) => p.citations.includes(c));
    const by = new Map<string, string[]>();
    for (const p of ps) for (const urn of evidenceFor.get(p.name)?.get(c) ?? []) by.set(urn, [...(by.get(urn) ?? []), p.name]);
    const satisfiedBy = [...by.keys()].sort().map((urn) => ({ ...ref(urn), policies: by.get(urn)! }));
    const verdict = worst(ps.map((p) => p.verdict));
    const types = [
      ...new Set(
        o.policies
          .filter((p) => ps.some((x) => x.name === p.name))
          .flatMap((p) => p.hipaa.examines.filter((e) => e.citations.includes(c)).flatMap((e) => e.types)),
      ),
    ].sort();
    return {
      citation: c,
      title: titleOf(c as Citation),
      family: SAFEGUARD_FAMILY[c.slice(0, 7)] ?? c.slice(0, 7),
      kind: info.kind,
      requirement: info.requirement,
      standard: info.standard,
      policies: ps.map((p) => ({ name: p.name, verdict: p.verdict, enforcementLevel: p.enforcementLevel })),
      verdict,
      satisfiedBy,
      ...(satisfiedBy.length === 0
        ? {
            notApplicable:
              `not applicable because the deployment has no resource these policies examine for it (of the types ${types.join(", ")})` +
              (ps.every((p) => p.verdict === "disabled") ? " or every policy citing it is disabled by the policy config" : ""),
          }
        : {}),
      exemptions: ps.flatMap((p) => p.exemptions),
      customerResponsibility: info.customer,
    };
  });

  const index = new Map<string, Set<string>>();
  for (const s of safeguards) for (const r of s.satisfiedBy) index.set(r.urn, (index.get(r.urn) ?? new Set()).add(s.citation));
  const resourceIndex = [...index.keys()].sort().map((urn) => ({ ...ref(urn), safeguards: [...index.get(urn)!].sort(compareCitations) }));
  const counts = countEntries(resources);

  const evidence: Evidence = {
    schemaVersion: SCHEMA_VERSION,
    summary: {
      stack: stackPart,
      project,
      source: o.source,
      time: o.time ?? null,
      pack: { name: PACK_NAME, version: packVersion() },
      framework: { name: FRAMEWORK_NAME, version: FRAMEWORK_VERSION },
      entries: { total: counts.entries, cloud: counts.cloud, providers: counts.providers, components: counts.components },
      resources: result.summary.resources,
      policies: result.summary.policies,
      mandatory: result.summary.mandatory,
      advisory: result.summary.advisory,
      exemptions: result.summary.exemptions.count,
      result: result.summary.mandatory > 0 ? "FAIL" : "PASS",
    },
    architecture: o.architecture,
    safeguards,
    policies,
    resourceIndex,
    violations: result.violations,
    exemptions: result.summary.exemptions.list,
    sharedResponsibility: SHARED_RESPONSIBILITY,
    sources: { ...SOURCES },
  };
  return { evidence, result };
}
