import { PolicyResource } from "@pulumi/policy";
import { CITES, hipaa } from "../lib/hipaa";
import { StackCtx, stackPolicy, phiClassificationsSchema } from "../lib/define";
import { BUCKET_TYPES, T } from "../lib/types";
import { get, isFalse, isRec, list, probe, UNKNOWN } from "../lib/util";
import { isBucket, phiBuckets } from "./lib";

type Tri = "yes" | "no" | "maybe";

function or(a: Tri, b: Tri): Tri {
  if (a === "yes" || b === "yes") {
    return "yes";
  }
  return a === "maybe" || b === "maybe" ? "maybe" : "no";
}

/** "arn:aws:s3:::<bucket>/" for the bucket, or UNKNOWN. */
function objectRoot(b: PolicyResource): string | typeof UNKNOWN {
  const arn = probe(b.props, "arn");
  if (typeof arn === "string" && arn.startsWith("arn:")) {
    return `${arn}/`;
  }
  const name = probe(b.props, "bucket");
  if (typeof name === "string" && name !== "") {
    return `arn:aws:s3:::${name}/`;
  }
  return UNKNOWN;
}

/** Does a selector value (known or not) cover every object of bucket `b`? */
function valueCovers(v: unknown, b: PolicyResource, trail: PolicyResource, pdKey: string): Tri {
  if (v === UNKNOWN || v === undefined) {
    const pd = (trail.propertyDependencies ?? {})[pdKey] ?? [];
    const buckets = pd.filter(isBucket);
    if (!buckets.some((x) => x.urn === b.urn)) {
      return "no";
    }
    return buckets.length === 1 ? "yes" : "maybe";
  }
  if (typeof v !== "string") {
    return "no";
  }
  if (v === "arn:aws:s3" || v === "arn:aws:s3:::") {
    return "yes";
  }
  const root = objectRoot(b);
  if (root === UNKNOWN) {
    return v.startsWith("arn:aws:s3:::") ? "maybe" : "no";
  }
  return root.startsWith(v) || `${v}/` === root ? "yes" : "no";
}

function valuesOf(container: unknown, key: string): unknown[] {
  const raw = probe(container, key);
  if (raw === UNKNOWN) {
    return [UNKNOWN];
  }
  if (!Array.isArray(raw)) {
    return raw === undefined ? [] : [raw];
  }
  const out: unknown[] = [];
  for (let i = 0; i < raw.length; i++) {
    out.push(probe(raw, i));
  }
  return out;
}

interface Coverage {
  read: Tri;
  write: Tri;
}

function basicCoverage(trail: PolicyResource, b: PolicyResource): Coverage {
  const cov: Coverage = { read: "no", write: "no" };
  for (const sel of list(get(trail.props, "eventSelectors"))) {
    const rw = (get(sel, "readWriteType") as string | undefined) ?? "All";
    let covers: Tri = "no";
    for (const dr of list(get(sel, "dataResources"))) {
      if (get(dr, "type") !== "AWS::S3::Object") {
        continue;
      }
      for (const v of valuesOf(dr, "values")) {
        covers = or(covers, valueCovers(v, b, trail, "eventSelectors"));
      }
    }
    if (rw === "All" || rw === "ReadOnly") {
      cov.read = or(cov.read, covers);
    }
    if (rw === "All" || rw === "WriteOnly") {
      cov.write = or(cov.write, covers);
    }
  }
  return cov;
}

const NEUTRAL_FIELDS = new Set(["eventCategory", "resources.type", "readOnly", "resources.ARN", "eventSource"]);

function advancedCoverage(trail: PolicyResource, b: PolicyResource): Coverage {
  const cov: Coverage = { read: "no", write: "no" };
  for (const sel of list(get(trail.props, "advancedEventSelectors"))) {
    const fields = list(get(sel, "fieldSelectors")).filter(isRec);
    const field = (name: string) => fields.find((f) => get(f, "field") === name);
    const equals = (name: string) => list(get(field(name), "equals"));
    if (!equals("eventCategory").includes("Data") || !equals("resources.type").includes("AWS::S3::Object")) {
      continue;
    }
    if (fields.some((f) => !NEUTRAL_FIELDS.has(String(get(f, "field"))))) {
      continue; // filtered by event name or similar: only part of the activity is recorded
    }
    const source = field("eventSource");
    if (source && !list(get(source, "equals")).includes("s3.amazonaws.com")) {
      continue;
    }
    let covers: Tri = "yes";
    const arnField = field("resources.ARN");
    if (arnField) {
      if (["notStartsWiths", "notEquals", "notEndsWiths", "endsWiths", "equals"].some((k) => list(get(arnField, k)).length > 0)) {
        covers = "no";
      } else {
        covers = "no";
        for (const v of valuesOf(arnField, "startsWiths")) {
          covers = or(covers, valueCovers(v, b, trail, "advancedEventSelectors"));
        }
      }
    }
    const readOnly = list(get(field("readOnly"), "equals"));
    const reads = readOnly.length === 0 || readOnly.includes("true");
    const writes = readOnly.length === 0 || readOnly.includes("false");
    if (reads) {
      cov.read = or(cov.read, covers);
    }
    if (writes) {
      cov.write = or(cov.write, covers);
    }
  }
  return cov;
}

/** The stack's trails that log (enableLogging not false). */
function loggingTrails(ctx: StackCtx<object>): PolicyResource[] {
  return ctx.ofType([T.trail]).filter((t) => !isFalse(probe(t.props, "enableLogging")));
}

export const cloudtrailPhiBucketDataEvents = stackPolicy<{ phiClassifications: string[]; dataEventsTrailOutsideStack: boolean }>({
  name: "cloudtrail-phi-bucket-data-events",
  description:
    "When the stack contains a logging trail, every PHI bucket of the stack is covered by its S3 data events for both reads " +
    "and writes (a stack without a trail is judged by cloudtrail-trail-in-stack).",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.audit, "164.308(a)(1)(ii)(D)", "164.312(c)(1)"),
  awsConfig: ["cloudtrail-s3-dataevents-enabled"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [T.trail],
  config: {
    phiClassifications: phiClassificationsSchema(
      "DataClassification values whose buckets need data events (an untagged bucket counts as PHI).",
    ),
    dataEventsTrailOutsideStack: {
      type: "boolean",
      default: false,
      description:
        "A trail in another stack or account (an organization trail) records the data events of this stack's PHI buckets; " +
        "trails in this stack are then not required to.",
    },
  },
  remediationSteps:
    "On a logging trail, add an advanced event selector with eventCategory = Data, resources.type = " +
    "AWS::S3::Object and resources.ARN startsWith `${bucket.arn}/` for each PHI bucket (no readOnly filter, so reads " +
    "and writes are both recorded), or a basic event selector with readWriteType All and a data resource of that ARN.",
  examines: [
    {
      // with no logging trail in the stack nothing is judged here: cloudtrail-trail-in-stack reports the absence
      rule: "PHI buckets, when the stack has a logging trail and dataEventsTrailOutsideStack is false",
      where: (b, ctx) =>
        !ctx.config.dataEventsTrailOutsideStack &&
        loggingTrails(ctx).length > 0 &&
        phiBuckets(ctx.resources, (r) => ctx.tags(r), ctx.config.phiClassifications).includes(b),
    },
  ],
  validate: (ctx, report) => {
    const trails = loggingTrails(ctx);
    ctx.each(ctx.subjects(), (b) => {
      let read: Tri = "no";
      let write: Tri = "no";
      for (const t of trails) {
        const basic = basicCoverage(t, b);
        const adv = advancedCoverage(t, b);
        read = or(read, or(basic.read, adv.read));
        write = or(write, or(basic.write, adv.write));
      }
      if (read === "yes" && write === "yes") {
        return;
      }
      if (read !== "no" && write !== "no") {
        ctx.undecided([b.type, b.name, "arn"]);
        return;
      }
      const missing = [read === "no" ? "reads" : "", write === "no" ? "writes" : ""].filter(Boolean).join(" and ");
      report(
        b.urn,
        `No CloudTrail trail of the stack records S3 data events (${missing}) for this PHI bucket; if an organization ` +
          "trail elsewhere records them, set dataEventsTrailOutsideStack: true in this policy's config.",
      );
    });
  },
});
