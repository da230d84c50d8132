// Cross-resource joins for stack policies.
//
// In @pulumi/aws v7 a bucket's encryption, versioning, public access block, logging, lifecycle,
// policy and object lock are separate "companion" resources that name the bucket in a property
// (`bucket`). A companion is joined to its target:
//  1. through `propertyDependencies[key]`: the engine records which resources the property's
//     value came from; when that names several resources of the target's kind (an input that
//     came through a component output), the literal value disambiguates;
//  2. failing that, by the literal value: equal to the target's id, name or ARN;
//  3. failing that, for resources recorded without property dependencies (older state), through
//     `dependencies` when exactly one resource of the target's kind is among them.
// A join that depends on a value unknown during preview is "maybe": the policy defers it.

import { PolicyResource } from "@pulumi/policy";
import { probe, UNKNOWN } from "./util";

export type JoinResult = "yes" | "no" | "maybe";

const ID_KEYS = ["id", "arn", "name", "bucket", "domainName", "identifier", "clusterIdentifier"];

export interface Identifiers {
  known: Set<string>;
  unknown: boolean;
}

const idCache = new WeakMap<PolicyResource, Identifiers>();

/** The strings other resources use to refer to `r`: id, name, ARN (and an S3 bucket's ARN). */
export function identifiers(r: PolicyResource): Identifiers {
  const cached = idCache.get(r);
  if (cached) {
    return cached;
  }
  const out: Identifiers = { known: new Set(), unknown: false };
  for (const key of ID_KEYS) {
    const v = probe(r.props, key);
    if (v === UNKNOWN) {
      out.unknown = true;
    } else if (typeof v === "string" && v !== "") {
      out.known.add(v);
      if (key === "bucket" && r.type.startsWith("aws:s3/")) {
        out.known.add(`arn:aws:s3:::${v}`);
      }
    }
  }
  idCache.set(r, out);
  return out;
}

function literalValues(companion: PolicyResource, key: string): string[] | typeof UNKNOWN {
  const v = probe(companion.props, key);
  if (v === UNKNOWN) {
    return UNKNOWN;
  }
  if (typeof v === "string") {
    return [v];
  }
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (let i = 0; i < v.length; i++) {
      const e = probe(v, i);
      if (e === UNKNOWN) {
        return UNKNOWN;
      }
      if (typeof e === "string") {
        out.push(e);
      }
    }
    return out;
  }
  return [];
}

function literalMatch(values: string[], target: PolicyResource): JoinResult {
  const ids = identifiers(target);
  if (values.some((v) => ids.known.has(v))) {
    return "yes";
  }
  return ids.unknown && values.length > 0 ? "maybe" : "no";
}

/** Whether `companion` refers to `target` through one of `keys`. */
export function refers(
  companion: PolicyResource,
  keys: string[],
  target: PolicyResource,
  isTargetKind: (r: PolicyResource) => boolean,
): JoinResult {
  let maybe = false;
  const pds = companion.propertyDependencies ?? {};
  for (const key of keys) {
    const pd = pds[key];
    if (pd && pd.length > 0) {
      const candidates = pd.filter(isTargetKind);
      if (!candidates.some((d) => d.urn === target.urn)) {
        continue;
      }
      if (candidates.length === 1) {
        return "yes";
      }
      // Several resources of the target's kind behind one input: let the value decide.
      const values = literalValues(companion, key);
      if (values === UNKNOWN) {
        maybe = true;
        continue;
      }
      const own = literalMatch(values, target);
      if (own === "yes") {
        return "yes";
      }
      const other = candidates.filter((c) => c.urn !== target.urn).some((c) => literalMatch(values, c) === "yes");
      if (!other) {
        return "yes";
      }
      continue;
    }
    const values = literalValues(companion, key);
    if (values === UNKNOWN) {
      maybe = true;
      continue;
    }
    const m = literalMatch(values, target);
    if (m === "yes") {
      return "yes";
    }
    if (m === "maybe") {
      maybe = true;
    }
  }
  if (Object.keys(pds).length === 0) {
    const deps = (companion.dependencies ?? []).filter(isTargetKind);
    if (deps.length === 1 && deps[0].urn === target.urn) {
      return "yes";
    }
  }
  return maybe ? "maybe" : "no";
}

export interface Companions {
  matched: PolicyResource[];
  /** Some companion might refer to the target but a preview-unknown value hides it. */
  undecided: boolean;
}

/**
 * Companions that may refer to a target, indexed once per companion list and keys: by the URNs in
 * their property dependencies (or, without any, their dependencies) and by the literal values of
 * `keys`; those whose value is unknown are candidates for every target. `companionsOf` then decides
 * only the candidates with `refers`, so joining every bucket of a stack to its companions costs
 * O(companions + buckets), not O(companions x buckets).
 */
interface CompanionIndex {
  position: Map<PolicyResource, number>;
  byUrn: Map<string, PolicyResource[]>;
  byValue: Map<string, PolicyResource[]>;
  always: PolicyResource[];
}

const indexCache = new WeakMap<PolicyResource[], Map<string, CompanionIndex>>();

function push(map: Map<string, PolicyResource[]>, key: string, r: PolicyResource): void {
  const list = map.get(key);
  if (list) {
    if (list[list.length - 1] !== r) {
      list.push(r);
    }
  } else {
    map.set(key, [r]);
  }
}

function companionIndex(companions: PolicyResource[], keys: string[]): CompanionIndex {
  let perKeys = indexCache.get(companions);
  if (!perKeys) {
    perKeys = new Map();
    indexCache.set(companions, perKeys);
  }
  const cacheKey = keys.join("\u0000");
  const cached = perKeys.get(cacheKey);
  if (cached) {
    return cached;
  }
  const index: CompanionIndex = { position: new Map(), byUrn: new Map(), byValue: new Map(), always: [] };
  companions.forEach((c, i) => {
    index.position.set(c, i);
    const pds = c.propertyDependencies ?? {};
    let always = false;
    for (const key of keys) {
      for (const d of pds[key] ?? []) {
        push(index.byUrn, d.urn, c);
      }
      const values = literalValues(c, key);
      if (values === UNKNOWN) {
        always = true;
      } else {
        for (const v of values) {
          push(index.byValue, v, c);
        }
      }
    }
    if (Object.keys(pds).length === 0) {
      for (const d of c.dependencies ?? []) {
        push(index.byUrn, d.urn, c);
      }
    }
    if (always) {
      index.always.push(c);
    }
  });
  perKeys.set(cacheKey, index);
  return index;
}

export function companionsOf(
  target: PolicyResource,
  companions: PolicyResource[],
  keys: string[],
  isTargetKind: (r: PolicyResource) => boolean,
): Companions {
  const out: Companions = { matched: [], undecided: false };
  const ids = identifiers(target);
  let candidates: PolicyResource[];
  if (ids.unknown) {
    // Any literal value may turn out to be the target's unknown id: every companion is a candidate.
    candidates = companions;
  } else {
    const index = companionIndex(companions, keys);
    const set = new Set<PolicyResource>([...index.always, ...(index.byUrn.get(target.urn) ?? [])]);
    for (const id of ids.known) {
      for (const c of index.byValue.get(id) ?? []) {
        set.add(c);
      }
    }
    candidates = [...set].sort((a, b) => (index.position.get(a) as number) - (index.position.get(b) as number));
  }
  for (const c of candidates) {
    const r = refers(c, keys, target, isTargetKind);
    if (r === "yes") {
      out.matched.push(c);
    } else if (r === "maybe") {
      out.undecided = true;
    }
  }
  return out;
}

/** `isTargetKind` predicate for a set of type tokens. */
export function ofTypes(types: readonly string[]): (r: PolicyResource) => boolean {
  const set = new Set(types);
  return (r) => set.has(r.type);
}
