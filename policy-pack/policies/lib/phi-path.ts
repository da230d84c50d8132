// The PHI path across resources (docs/design.md, "The policy pack's stance"): which buckets hold PHI and which
// functions read them, computed once per stack and classification list so that a policy that
// walks every bucket or function stays linear in the stack's size.
//
// - A PHI bucket is what lib/structure.ts says (classification tag, or the structure: a trail
//   records its data events, it is a replication source; never an SSE-S3-only log target).
// - A function reads PHI when its execution role (`role`, joined to an aws.iam.Role of the stack by
//   ARN, name or property dependency) is allowed s3:GetObject on a PHI bucket's objects by a policy
//   the stack shows: the role's `inlinePolicies`, an aws.iam.RolePolicy, or an aws.iam.Policy of the
//   stack attached by an aws.iam.RolePolicyAttachment or listed in the role's `managedPolicyArns`. A document unknown during preview makes the
//   answer "maybe" (the policy defers instead of deciding).

import { PolicyResource } from "@pulumi/policy";
import { phiClassificationsSchema } from "./define";
import { grants, isAllow, statementsOf } from "./iamdoc";
import { identifiers, ofTypes } from "./join";
import { bucketNameOf, isPhiBucket, structureOf } from "./structure";
import { isClassifiedAs, Tags } from "./tags";
import { BUCKET_TYPES, T } from "./types";
import { globToRegExp, list, probe, UNKNOWN } from "./util";

export type Tri = "yes" | "no" | "maybe";

const isBucket = ofTypes(BUCKET_TYPES);
const isRole = ofTypes([T.iamRole]);

export interface PhiReader {
  fn: PolicyResource;
  /** PHI buckets the function's role may read objects of. */
  buckets: PolicyResource[];
  /** "yes": reads PHI; "maybe": a preview-unknown role or document may make it a reader. */
  reads: Tri;
}

/** The role a function runs as, "maybe" when preview hides it, undefined when not in the stack. */
function roleOf(resources: readonly PolicyResource[], fn: PolicyResource): PolicyResource | typeof UNKNOWN | undefined {
  const value = probe(fn.props, "role");
  if (typeof value === "string") {
    const hit = structureOf(resources).roleByIdentifier.get(value);
    if (hit) {
      return hit;
    }
  }
  const pd = (fn.propertyDependencies?.role ?? []).filter(isRole);
  if (pd.length === 1) {
    return pd[0];
  }
  return value === UNKNOWN ? UNKNOWN : undefined;
}

/** Every policy document the stack attaches to each role (by role URN); UNKNOWN entries are preview-unknown documents. */
function documentsByRole(resources: readonly PolicyResource[]): Map<string, unknown[]> {
  const byRole = new Map<string, unknown[]>();
  const roles = structureOf(resources).roleByIdentifier;
  const roleFor = (from: PolicyResource, value: unknown): PolicyResource | undefined => {
    if (typeof value === "string" && roles.has(value)) {
      return roles.get(value);
    }
    const pd = (from.propertyDependencies?.role ?? []).filter(isRole);
    return pd.length === 1 ? pd[0] : undefined;
  };
  const add = (role: PolicyResource | undefined, doc: unknown) => {
    if (!role) {
      return;
    }
    const docs = byRole.get(role.urn) ?? [];
    docs.push(doc);
    byRole.set(role.urn, docs);
  };
  const policies = new Map<string, PolicyResource>();
  for (const r of resources) {
    if (r.type === T.iamPolicy) {
      for (const id of identifiers(r).known) {
        policies.set(id, r);
      }
    }
  }
  for (const r of resources) {
    if (r.type === T.iamRole) {
      // Customer-managed policies of the stack listed on the role itself.
      for (const arn of list(probe(r.props, "managedPolicyArns"))) {
        const attached = typeof arn === "string" ? policies.get(arn) : undefined;
        if (attached) {
          add(r, probe(attached.props, "policy"));
        }
      }
      const inline = probe(r.props, "inlinePolicies");
      if (inline === UNKNOWN) {
        add(r, UNKNOWN);
      } else {
        for (const p of list(inline)) {
          add(r, probe(p, "policy"));
        }
      }
    } else if (r.type === T.iamRolePolicy) {
      add(roleFor(r, probe(r.props, "role")), probe(r.props, "policy"));
    } else if (r.type === T.iamRolePolicyAttachment) {
      const arn = probe(r.props, "policyArn");
      const attached =
        typeof arn === "string" ? policies.get(arn) : (r.propertyDependencies?.policyArn ?? []).find((d) => d.type === T.iamPolicy);
      if (attached) {
        add(roleFor(r, probe(r.props, "role")), probe(attached.props, "policy"));
      } else if (arn === UNKNOWN) {
        add(roleFor(r, probe(r.props, "role")), UNKNOWN);
      }
    }
  }
  return byRole;
}

/** PHI buckets by bucket name, for the grants that name them. */
interface BucketIndex {
  byName: Map<string, PolicyResource>;
  all: { bucket: PolicyResource; arns: string[] }[];
}

const S3_OBJECT_PATTERN = /^arn:aws[a-z-]*:s3:::([^/]*)\/(.*)$/;
const regexCache = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = globToRegExp(pattern);
    regexCache.set(pattern, re);
  }
  return re;
}

/**
 * The PHI buckets whose objects a Resource pattern of an s3:GetObject grant covers. A pattern that
 * names its bucket (`arn:aws:s3:::name/...`) is looked up by name; only a pattern with a wildcard in
 * the bucket name (`*`, `arn:aws:s3:::hcp-*` ...) is matched against every PHI bucket, so the join
 * stays linear in the number of grants.
 */
function bucketsCovered(pattern: string, index: BucketIndex): PolicyResource[] {
  if (pattern === "*") {
    return index.all.map((b) => b.bucket);
  }
  const m = pattern.match(S3_OBJECT_PATTERN);
  if (m && !/[*?]/.test(m[1]) && !/[*?]/.test(pattern.slice(0, pattern.indexOf(":::")))) {
    const hit = index.byName.get(m[1]);
    return hit ? [hit] : [];
  }
  if (!/[*?]/.test(pattern)) {
    return [];
  }
  const re = compiled(pattern);
  return index.all.filter((b) => b.arns.some((arn) => re.test(`${arn}/object`))).map((b) => b.bucket);
}

/** Which PHI buckets a document lets its holder read objects of; "maybe" flags an unknown document. */
function readable(doc: unknown, index: BucketIndex): { read: PolicyResource[]; maybe: boolean } {
  if (doc === UNKNOWN) {
    return { read: [], maybe: true };
  }
  const statements = statementsOf(doc) ?? [];
  const read = new Set<PolicyResource>();
  for (const st of statements) {
    if (!isAllow(st) || !grants(st, "s3:GetObject")) {
      continue;
    }
    // NotResource grants everything but the listed resources: every PHI bucket, conservatively.
    for (const b of st.notResource ? index.all.map((x) => x.bucket) : st.resources.flatMap((res) => bucketsCovered(res, index))) {
      read.add(b);
    }
  }
  return { read: [...read], maybe: false };
}

function cached<T>(
  cache: WeakMap<readonly PolicyResource[], Map<string, T>>,
  resources: readonly PolicyResource[],
  classes: string[],
  make: () => T,
): T {
  let perClasses = cache.get(resources);
  if (!perClasses) {
    perClasses = new Map();
    cache.set(resources, perClasses);
  }
  const key = classes.map((c) => c.toLowerCase()).join("\u0000");
  let out = perClasses.get(key);
  if (out === undefined) {
    out = make();
    perClasses.set(key, out);
  }
  return out;
}

const bucketCache = new WeakMap<readonly PolicyResource[], Map<string, PolicyResource[]>>();
const readerCache = new WeakMap<readonly PolicyResource[], Map<string, PhiReader[]>>();

/** The stack's PHI buckets (cached per resources array and classification list). */
export function phiBuckets(resources: readonly PolicyResource[], tagsOf: (r: PolicyResource) => Tags, classes: string[]): PolicyResource[] {
  return cached(bucketCache, resources, classes, () =>
    resources.filter((r) => isBucket(r) && isPhiBucket(resources, r, isClassifiedAs(tagsOf(r), classes))),
  );
}

/** The stack's functions that read (or, preview hiding it, may read) a PHI bucket (cached like phiBuckets). */
export function phiReaders(resources: readonly PolicyResource[], tagsOf: (r: PolicyResource) => Tags, classes: string[]): PhiReader[] {
  return cached(readerCache, resources, classes, () => {
    const buckets = phiBuckets(resources, tagsOf, classes);
    const index: BucketIndex = { byName: new Map(), all: [] };
    for (const b of buckets) {
      const arns = [...identifiers(b).known].filter((id) => id.startsWith("arn:"));
      index.all.push({ bucket: b, arns });
      for (const arn of arns) {
        index.byName.set(bucketNameOf(arn), b);
      }
    }
    const docs = documentsByRole(resources);
    const readers: PhiReader[] = [];
    for (const fn of resources) {
      if (fn.type !== T.lambdaFunction) {
        continue;
      }
      const role = roleOf(resources, fn);
      if (role === UNKNOWN) {
        if (buckets.length > 0) {
          readers.push({ fn, buckets: [], reads: "maybe" });
        }
        continue;
      }
      if (!role) {
        continue;
      }
      const read = new Set<PolicyResource>();
      let maybe = false;
      for (const doc of docs.get(role.urn) ?? []) {
        const r = readable(doc, index);
        r.read.forEach((b) => read.add(b));
        maybe = maybe || r.maybe;
      }
      if (read.size > 0) {
        readers.push({ fn, buckets: [...read], reads: "yes" });
      } else if (maybe && buckets.length > 0) {
        readers.push({ fn, buckets: [], reads: "maybe" });
      }
    }
    return readers;
  });
}

/** The `phiClassifications` config property shared by the PHI-path policies. */
export const PHI_CLASSIFICATIONS_SCHEMA = phiClassificationsSchema(
  "DataClassification values of PHI buckets (an untagged bucket counts as PHI; the structure adds buckets whatever their tag).",
);

/** A bucket's name and URN, for messages and config matching. */
export function bucketName(b: PolicyResource): string | undefined {
  const name = probe(b.props, "bucket");
  return typeof name === "string" ? name : undefined;
}
