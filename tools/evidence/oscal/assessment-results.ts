/**
 * `npm run evidence -- --format oscal`: the evidence as an OSCAL 1.1.3 Assessment Results document
 * (vendor/oscal_assessment-results_schema.json), against the oscal-compass HIPAA catalog
 * (vendor/hipaa-2.0.0-catalog.json) through mapping.ts.
 *
 * - One result: reviewed-controls are the catalog controls our citations map to; one observation per
 *   policy the checker evaluated (subjects: the resources it judged, by URN, as local inventory items);
 *   one finding per reviewed control: satisfied when every policy citing it passed, not-satisfied
 *   (reason "fail") when one has a mandatory violation, not-satisfied (reason "other") when only
 *   advisory violations, which the pack's configuration does not block on; a control whose policies
 *   apply to no resource of the deployment (or are disabled) gets no finding.
 * - Reproducible: no clock and no random. Times are the deployment's own (a stack export's manifest
 *   time; an offline plan has none, and the epoch stands in, said in the result's remarks); UUIDs are
 *   version 5 (RFC 4122 4.3, SHA-1 of a name in our namespace) of stable names (a resource's URN, a
 *   policy's name, a control id) and, for what belongs to one assessment, the deployment's SHA-256.
 * - import-ap: the program emits no OSCAL assessment plan (the policy pack and its configuration are
 *   the plan); import-ap points at a back-matter resource that names them (OSCAL allows "#uuid").
 */
import { createHash } from "crypto";
import type { Citation } from "../../../policy-pack/policies/lib/hipaa";
import type { Evidence, PolicyEvidence, Verdict } from "../model";
import { Catalog, catalogGroupOf, loadCatalog, standardOf } from "./catalog";
import { CATALOG_SOURCE, CONTROL_MAPPING } from "./mapping";

export const OSCAL_VERSION = "1.1.3";
export const OSCAL_FILE = "assessment-results.json";
/** The namespace of our own props (OSCAL props without `ns` are OSCAL's). */
export const PROP_NS = "urn:healthcare-platform:evidence:oscal";
/** Stands in for the time of an input that has none (an offline plan). */
export const NO_TIME = "1970-01-01T00:00:00Z";

/** RFC 4122 version 5 UUID of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** RFC 4122 appendix C's URL namespace. */
const NAMESPACE_URL = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
/** Our namespace: the v5 UUID of PROP_NS in the URL namespace. */
export const UUID_NAMESPACE = uuidV5(PROP_NS, NAMESPACE_URL);

export interface OscalInput {
  evidence: Evidence;
  /** SHA-256 (hex) of the deployment file's bytes. */
  deploymentSha256: string;
  /** The program's commit, when known (manifest.ts programCommit). */
  commit?: string | null;
}

interface Prop {
  name: string;
  value: string;
  ns?: string;
  remarks?: string;
}
const prop = (name: string, value: string, remarks?: string): Prop => ({ name, ns: PROP_NS, value, ...(remarks ? { remarks } : {}) });

/** The reviewed controls: each with the cited safeguards that map to it, in catalog id order. */
export function mappedControls(evidence: Evidence, catalog: Catalog): { id: string; citations: string[] }[] {
  const by = new Map<string, string[]>();
  for (const s of evidence.safeguards) {
    const mapping = CONTROL_MAPPING[s.citation as Citation];
    if (!mapping) throw new Error(`citation ${s.citation} has no entry in tools/evidence/oscal/mapping.ts`);
    for (const id of mapping.controls) {
      if (!catalog.controls.has(id)) throw new Error(`mapping.ts: ${s.citation} -> ${id}, which the catalog does not define`);
      by.set(id, [...(by.get(id) ?? []), s.citation]);
    }
  }
  return [...by.keys()].sort().map((id) => ({ id, citations: by.get(id)! }));
}

const worst = (vs: Verdict[]): Verdict =>
  (["fail", "warn", "pass", "not-applicable", "disabled"] as Verdict[]).find((v) => vs.includes(v)) ?? "not-applicable";

/** The OSCAL status of a control given the checker's verdicts of its policies, or undefined when none judged a resource. */
export function controlStatus(verdict: Verdict): { state: "satisfied" | "not-satisfied"; reason: "pass" | "fail" | "other" } | undefined {
  if (verdict === "pass") return { state: "satisfied", reason: "pass" };
  if (verdict === "fail") return { state: "not-satisfied", reason: "fail" };
  if (verdict === "warn") return { state: "not-satisfied", reason: "other" };
  return undefined;
}

/** The Assessment Results document (an object; JSON.stringify it with 2 spaces and a final newline). */
export function buildAssessmentResults(input: OscalInput, catalog: Catalog = loadCatalog()): object {
  const { evidence: ev, deploymentSha256 } = input;
  const s = ev.summary;
  const time = s.time ?? NO_TIME;
  const assessment = (kind: string, key: string) => uuidV5(`${kind}:${deploymentSha256}:${key}`, UUID_NAMESPACE);
  const resourceUuid = (urn: string) => uuidV5(`resource:${urn}`, UUID_NAMESPACE);
  const typeOf = new Map<string, string>();
  for (const r of ev.resourceIndex) typeOf.set(r.urn, r.type);
  for (const v of ev.violations) if (!typeOf.has(v.urn)) typeOf.set(v.urn, "");
  for (const x of ev.exemptions) if (!typeOf.has(x.urn)) typeOf.set(x.urn, "");
  for (const p of ev.policies) for (const urn of p.satisfiedBy) if (!typeOf.has(urn)) typeOf.set(urn, "");

  const planUuid = uuidV5(`assessment-plan:${s.pack.name}@${s.pack.version}`, UUID_NAMESPACE);
  const catalogUuid = uuidV5(`catalog:${CATALOG_SOURCE.sha256}`, UUID_NAMESPACE);
  const deploymentUuid = assessment("deployment", s.source);
  const evidenceUuid = assessment("evidence", "evidence.json");

  const evaluated = ev.policies.filter((p) => p.verdict !== "disabled");
  const observationUuid = (p: PolicyEvidence) => assessment("observation", p.name);
  const observations = evaluated.map((p) => {
    const outcome = new Map<string, string>();
    for (const urn of p.satisfiedBy) outcome.set(urn, "pass");
    for (const x of p.exemptions) outcome.set(x.urn, "exempt");
    for (const v of p.violations) outcome.set(v.urn, v.enforcementLevel === "mandatory" ? "fail" : "warn");
    const subjects = [...outcome.keys()].sort().map((urn) => ({
      "subject-uuid": resourceUuid(urn),
      type: "inventory-item",
      title: urn,
      // a subject without a result prop passed; only the others are labelled
      ...(outcome.get(urn) === "pass" ? {} : { props: [prop("result", outcome.get(urn)!)] }),
    }));
    const problems = [
      ...p.violations.map((v) => `${v.enforcementLevel} violation: ${v.urn}: ${v.message}`),
      ...p.exemptions.map((x) => `exempt: ${x.urn}: ${x.reason} (granted by ${x.source} ${x.grantedBy})`),
    ];
    return {
      uuid: observationUuid(p),
      title: `Policy ${p.name}: ${p.verdict}`,
      description: p.description || p.name,
      props: [
        prop("policy", p.name),
        prop("enforcement-level", p.enforcementLevel),
        prop("verdict", p.verdict),
        ...p.citations.map((c) => prop("hipaa-citation", c)),
      ],
      methods: ["TEST"],
      types: ["finding"],
      ...(subjects.length > 0 ? { subjects } : {}),
      "relevant-evidence": [
        {
          href: `#${evidenceUuid}`,
          description: `evidence.json, policies[name=${p.name}]: the resources it judged, its violations and exemptions.`,
        },
      ],
      collected: time,
      remarks:
        subjects.length === 0
          ? "The deployment has no resource of the types this policy evaluates."
          : ["Subjects: the resources the policy judged; each passed unless its result prop says warn, fail or exempt.", ...problems].join(
              "\n",
            ),
    };
  });

  const controls = mappedControls(ev, catalog);
  const findings = controls.flatMap(({ id, citations }) => {
    const safeguards = ev.safeguards.filter((g) => citations.includes(g.citation));
    const policyNames = [...new Set(safeguards.flatMap((g) => g.policies.map((p) => p.name)))].sort();
    const policies = evaluated.filter((p) => policyNames.includes(p.name));
    const verdict = worst(safeguards.map((g) => g.verdict));
    const status = controlStatus(verdict);
    if (!status) return [];
    const control = catalog.controls.get(id)!;
    const group = catalog.groups.get(control.group)!;
    const failing = policies.filter((p) => p.verdict === "fail" || p.verdict === "warn").map((p) => `${p.name} (${p.verdict})`);
    return [
      {
        uuid: assessment("finding", id),
        title: `${id} ${control.title}: ${status.state}`,
        description:
          `HIPAA Security Rule ${citations.join(", ")} assessed against ${id} through ${policies.length} policies of ${s.pack.name} ` +
          `${s.pack.version}: ${failing.length === 0 ? "every one passed" : `not passed: ${failing.join(", ")}`}.`,
        props: [
          ...citations.map((c) => prop("hipaa-citation", c)),
          prop("verdict", verdict),
          prop(
            "mapping-basis",
            "ours",
            citations
              .map((c) => `${c} -> ${CONTROL_MAPPING[c as Citation].controls.join(", ")}: ${CONTROL_MAPPING[c as Citation].why}`)
              .join("\n"),
          ),
          prop(
            "catalog-group",
            group.id,
            `stated by the catalog: ${group.id} "${group.title}" has standards-identifiers ${group.standard ?? "(none)"}`,
          ),
        ],
        target: {
          type: "objective-id",
          "target-id": id,
          title: control.title,
          status: {
            state: status.state,
            reason: status.reason,
            ...(status.reason === "other"
              ? { remarks: "Only advisory violations: the policy pack's configuration does not block the deployment on them." }
              : {}),
          },
        },
        "related-observations": policies.map((p) => ({ "observation-uuid": observationUuid(p) })),
      },
    ];
  });

  const inventory = [...new Set(observations.flatMap((o) => (o.subjects ?? []).map((x) => x.title)))].sort().map((urn) => ({
    uuid: resourceUuid(urn),
    description: urn,
    props: [prop("resource-type", typeOf.get(urn) || urn.split("::")[2]?.split("$").pop() || "unknown")],
  }));

  const standards = (cs: string[]) => [...new Set(cs.map((c) => standardOf(c as Citation)))].join(", ");
  const groupsStated = [...new Set(ev.safeguards.map((g) => catalogGroupOf(catalog, g.citation as Citation)?.id ?? "none"))];
  const doc = {
    "assessment-results": {
      uuid: assessment("assessment-results", `${input.commit ?? ""}:${JSON.stringify(ev)}`),
      metadata: {
        title: `HIPAA Security Rule configuration assessment of ${s.project}/${s.stack}`,
        "last-modified": time,
        version: `${s.pack.version}+${deploymentSha256.slice(0, 12)}`,
        "oscal-version": OSCAL_VERSION,
        props: [
          prop("deployment-sha256", deploymentSha256),
          prop("policy-pack", `${s.pack.name}@${s.pack.version}`),
          ...(input.commit ? [prop("program-commit", input.commit)] : []),
        ],
        remarks:
          "Generated by `npm run evidence -- --format oscal` from the deployment named in the back matter: the same input gives the same bytes. " +
          "Citations are mapped to the catalog's controls by tools/evidence/oscal/mapping.ts: the standard (catalog group) as the catalog states it, " +
          "the key activity (control) by our own reading, marked mapping-basis=ours on each finding.",
      },
      "import-ap": {
        href: `#${planUuid}`,
        remarks: "No OSCAL assessment plan is emitted: the policy pack and its configuration are the plan (back-matter resource).",
      },
      results: [
        {
          uuid: assessment("result", "result"),
          title: `Policy pack ${s.pack.name} ${s.pack.version} over ${s.source}`,
          description:
            `The ${s.policies} policies of the pack evaluated over the deployment's ${s.resources} state entries: ` +
            `${s.mandatory} mandatory and ${s.advisory} advisory violations, ${s.exemptions} exemptions; result ${s.result}.`,
          start: time,
          end: time,
          props: [
            prop("result", s.result),
            prop("mandatory-violations", String(s.mandatory)),
            prop("advisory-violations", String(s.advisory)),
          ],
          ...(inventory.length > 0 ? { "local-definitions": { "inventory-items": inventory } } : {}),
          "reviewed-controls": {
            links: [{ href: `#${catalogUuid}`, rel: "reference", text: "the catalog the control ids belong to" }],
            description: `The catalog controls the pack's ${ev.safeguards.length} HIPAA citations map to (catalog groups ${groupsStated.join(", ")}).`,
            "control-selections": [
              {
                description: `Key activities of the standards ${standards(ev.safeguards.map((g) => g.citation))}.`,
                props: [prop("mapping-basis", "ours", "The catalog states each group's standard; the choice of key activity is ours.")],
                "include-controls": controls.map((c) => ({ "control-id": c.id })),
              },
            ],
          },
          ...(observations.length > 0 ? { observations } : {}),
          ...(findings.length > 0 ? { findings } : {}),
          ...(s.time === null
            ? { remarks: `The input carries no time (an offline plan): ${NO_TIME} stands in for start, end and collected.` }
            : {}),
        },
      ],
      "back-matter": {
        resources: [
          {
            uuid: planUuid,
            title: `Assessment plan: policy pack ${s.pack.name} ${s.pack.version}`,
            description:
              "The CrossGuard policy pack (policy-pack/) run offline by its checker (npm run policy:check) with the policy configuration given to " +
              "npm run evidence; each policy's citations, resource types and enforcement level are in the observations.",
            props: [prop("policy-pack", `${s.pack.name}@${s.pack.version}`)],
          },
          {
            uuid: catalogUuid,
            title: `${catalog.title} ${catalog.version} (oscal-compass HIPAA catalog, from NIST SP 800-66r2)`,
            props: [prop("catalog-uuid", catalog.uuid)],
            rlinks: [
              { href: CATALOG_SOURCE.href, "media-type": "application/json", hashes: [{ algorithm: "SHA-256", value: catalog.sha256 }] },
            ],
          },
          {
            uuid: deploymentUuid,
            title: `Deployment ${s.source}`,
            description: "The assessed deployment (an offline plan or a `pulumi stack export`).",
            rlinks: [
              { href: encodeURI(s.source), "media-type": "application/json", hashes: [{ algorithm: "SHA-256", value: deploymentSha256 }] },
            ],
          },
          {
            uuid: evidenceUuid,
            title: "evidence.json",
            description: "The evidence report as data (docs/evidence.schema.json), beside this file; its SHA-256 is in manifest.json.",
            rlinks: [{ href: "evidence.json", "media-type": "application/json" }],
          },
        ],
      },
    },
  };
  return doc;
}

/** The file's bytes: 2-space JSON and a final newline. */
export function renderAssessmentResults(input: OscalInput, catalog?: Catalog): string {
  return `${JSON.stringify(buildAssessmentResults(input, catalog), null, 2)}\n`;
}
