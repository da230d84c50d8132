// Pulumi's own policy-exception format, read by the offline checker so that one exception file serves
// `pulumi preview` (Pulumi Cloud) and CI. Pulumi documents an exception as a reason plus match entries,
// each listing policies and resource URNs; a violation is exempted when its policy and its resource URN
// are in the same entry (https://www.pulumi.com/docs/discovery-governance/concepts/policy-as-code/policy-exceptions/).
// The REST API's shapes are what this reads:
//   - CreatePolicyExceptionRequest { policyPack, match: [{ policies, targets }], reason, expiresInSeconds? }
//     (https://www.pulumi.com/docs/reference/cloud-rest-api/schema/createpolicyexceptionrequest/),
//   - PolicyException { id, policyPack, match, reason, status: active|removed, expiresAt?, ... }
//     (https://www.pulumi.com/docs/reference/cloud-rest-api/schema/policyexception/),
//   - ListPolicyExceptionsResponse { exceptions: [PolicyException...] }, or a plain array of either.
// Exceptions of another pack are skipped; removed or expired ones are not honoured (listed as skipped).
// Every entry becomes a config exemption of its policies for its exact target URNs, with the
// exception's id and reason, so the report lists it like any other waiver.

import { InputError } from "./deployment";

export interface PulumiExemption {
  policy: string;
  urn: string;
  reason: string;
}

export interface PulumiExceptions {
  exemptions: PulumiExemption[];
  /** Exceptions read but not honoured, with why (another pack, removed, expired). */
  skipped: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const EXCEPTION_KEYS = new Set([
  "id",
  "policyPack",
  "match",
  "reason",
  "status",
  "expiresAt",
  "expiresInSeconds",
  "changeRequestId",
  "createdBy",
  "createdAt",
  "removedBy",
  "removedAt",
]);

/** Reads Pulumi policy exceptions for `packName`; throws InputError listing every problem. */
export function parsePulumiExceptions(text: string, source: string, packName: string, policyNames: string[], now: Date): PulumiExceptions {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${source} is not JSON (${(e as Error).message}).`);
  }
  const list = Array.isArray(doc) ? doc : isObj(doc) && Array.isArray(doc.exceptions) ? doc.exceptions : [doc];
  const errors: string[] = [];
  const out: PulumiExceptions = { exemptions: [], skipped: [] };
  const known = new Set(policyNames);
  list.forEach((x: unknown, i) => {
    const at = `${source}: exception ${isObj(x) && typeof x.id === "string" ? x.id : `#${i + 1}`}`;
    if (!isObj(x)) {
      errors.push(`${at} is not an object`);
      return;
    }
    for (const key of Object.keys(x)) {
      if (!EXCEPTION_KEYS.has(key)) errors.push(`${at}: "${key}" is not a key of Pulumi's policy exception`);
    }
    if (typeof x.policyPack !== "string" || x.policyPack === "") {
      errors.push(`${at}: policyPack is required`);
      return;
    }
    const pack = x.policyPack.split("/").pop();
    if (pack !== packName) {
      out.skipped.push(`${at}: for policy pack ${x.policyPack}, not ${packName}`);
      return;
    }
    if (typeof x.reason !== "string" || x.reason.trim() === "") {
      errors.push(`${at}: reason is required (Pulumi refuses a blank reason)`);
      return;
    }
    if (!Array.isArray(x.match) || x.match.length === 0) {
      errors.push(`${at}: match needs at least one entry of policies and targets`);
      return;
    }
    if (x.status === "removed") {
      out.skipped.push(`${at}: removed`);
      return;
    }
    if (typeof x.expiresAt === "string" && !Number.isNaN(Date.parse(x.expiresAt)) && Date.parse(x.expiresAt) <= now.getTime()) {
      out.skipped.push(`${at}: expired at ${x.expiresAt}`);
      return;
    }
    const reason = typeof x.id === "string" ? `${x.reason} (Pulumi exception ${x.id})` : x.reason;
    x.match.forEach((m: unknown, j) => {
      const where = `${at}: match[${j}]`;
      const policies = isObj(m) && Array.isArray(m.policies) ? m.policies : undefined;
      const targets = isObj(m) && Array.isArray(m.targets) ? m.targets : undefined;
      if (!policies?.length || !targets?.length) {
        errors.push(`${where} needs non-empty policies and targets`);
        return;
      }
      for (const p of policies) {
        if (typeof p !== "string" || !known.has(p)) {
          errors.push(`${where}: ${JSON.stringify(p)} is not a policy of ${packName}`);
          continue;
        }
        for (const t of targets) {
          if (typeof t !== "string" || !t.startsWith("urn:pulumi:")) {
            errors.push(`${where}: target ${JSON.stringify(t)} is not a resource URN`);
            continue;
          }
          out.exemptions.push({ policy: p, urn: t, reason });
        }
      }
    });
  });
  if (errors.length > 0) {
    throw new InputError(`${source} is not a valid Pulumi policy exception file:\n  - ${errors.join("\n  - ")}`);
  }
  return out;
}

/** The pack config document with the exceptions added as exemptions of their policies. */
export function withExemptions(doc: unknown, exemptions: PulumiExemption[]): unknown {
  if (exemptions.length === 0) return doc;
  const out: Obj = isObj(doc) ? { ...doc } : {};
  for (const e of exemptions) {
    const entry = out[e.policy];
    const obj: Obj = typeof entry === "string" ? { enforcementLevel: entry } : isObj(entry) ? { ...entry } : {};
    obj.exemptions = [...(Array.isArray(obj.exemptions) ? (obj.exemptions as unknown[]) : []), { urn: e.urn, reason: e.reason }];
    out[e.policy] = obj;
  }
  return out;
}
