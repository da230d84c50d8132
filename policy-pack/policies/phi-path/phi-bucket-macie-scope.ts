// Every PHI bucket is in the scope of a Macie classification job of the stack, or declared excluded.

import { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/define";
import { hipaa } from "../lib/hipaa";
import { bucketName, PHI_CLASSIFICATIONS_SCHEMA, phiBuckets } from "../lib/phi-path";
import { BUCKET_TYPES } from "../lib/types";
import { globToRegExp, isRec, list, nonEmpty, probe, UNKNOWN } from "../lib/util";

export const MACIE_CLASSIFICATION_JOB = "aws:macie2/classificationJob:ClassificationJob";

function first(v: unknown): unknown {
  return Array.isArray(v) ? probe(v, 0) : v;
}

interface MacieScope {
  /** Bucket names that a job's bucketDefinitions list. */
  named: Set<string>;
  /** A job selects buckets by criteria (evaluated by Macie at run time) or names a preview-unknown bucket. */
  criteria: boolean;
  unknown: boolean;
}

/**
 * The buckets the stack's classification jobs name, indexed once per validation. A job lists
 * buckets in s3JobDefinition.bucketDefinitions[].buckets or selects them by s3JobDefinition.bucketCriteria
 * (https://docs.aws.amazon.com/macie/latest/APIReference/jobs.html#jobs-model-s3jobdefinition); a
 * CANCELLED job scans nothing more (https://docs.aws.amazon.com/macie/latest/user/discovery-jobs-manage.html).
 */
function scopeOf(jobs: PolicyResource[]): MacieScope {
  const out: MacieScope = { named: new Set(), criteria: false, unknown: false };
  for (const job of jobs) {
    const status = probe(job.props, "jobStatus");
    if (status === "CANCELLED") {
      continue;
    }
    const def = first(probe(job.props, "s3JobDefinition"));
    if (def === UNKNOWN) {
      out.unknown = true;
      continue;
    }
    const criteria = probe(def, "bucketCriteria");
    // A state's outputs may carry an empty criteria object beside bucketDefinitions: only includes/excludes select.
    const crit = first(criteria);
    if (criteria === UNKNOWN || (isRec(crit) && (nonEmpty(probe(crit, "includes")) || nonEmpty(probe(crit, "excludes"))))) {
      out.criteria = true;
    }
    const defs = probe(def, "bucketDefinitions");
    if (defs === UNKNOWN) {
      out.unknown = true;
      continue;
    }
    for (const d of list(defs)) {
      const buckets = probe(d, "buckets");
      if (buckets === UNKNOWN) {
        out.unknown = true;
        continue;
      }
      for (let i = 0; i < list(buckets).length; i++) {
        const name = probe(buckets, i);
        if (name === UNKNOWN) {
          out.unknown = true;
        } else if (typeof name === "string") {
          out.named.add(name);
        }
      }
    }
  }
  return out;
}

export const phiBucketMacieScope = stackPolicy<{
  phiClassifications: string[];
  macieScopeOutsideStack: boolean;
  macieExcludedBuckets: string[];
}>({
  name: "phi-bucket-macie-scope",
  description:
    "Every PHI bucket is in the scope of an Amazon Macie classification job of the stack (named in its bucket definitions, or " +
    "a job that selects buckets by criteria), or is declared excluded in this policy's config (an absence check: advisory by " +
    "default, since Macie automated discovery or a job outside the stack may cover it).",
  severity: "medium",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.308(a)(1)(ii)(B)", "164.308(a)(1)(ii)(D)"),
  awsConfig: [],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [MACIE_CLASSIFICATION_JOB],
  absence: true,
  config: {
    phiClassifications: PHI_CLASSIFICATIONS_SCHEMA,
    macieScopeOutsideStack: {
      type: "boolean",
      default: false,
      description:
        "Macie covers this stack's PHI buckets from outside the stack (automated sensitive data discovery, or jobs of another " +
        "stack or the delegated administrator account).",
    },
    macieExcludedBuckets: {
      type: "array",
      items: { type: "string" },
      default: [],
      description: "PHI buckets deliberately left out of Macie's scope: bucket names or URNs, `*` matches any characters.",
    },
  },
  remediationSteps:
    "Add an aws.macie2.ClassificationJob whose `s3JobDefinition.bucketDefinitions` list the bucket " +
    "(https://docs.aws.amazon.com/macie/latest/user/discovery-jobs.html); if Macie covers it from elsewhere set " +
    "`macieScopeOutsideStack: true`, or name the bucket in `macieExcludedBuckets` in this policy's config.",
  examines: [
    {
      rule: "PHI buckets not named in macieExcludedBuckets, unless macieScopeOutsideStack says a job elsewhere covers them",
      where: (b, ctx) => {
        if (
          ctx.config.macieScopeOutsideStack ||
          !phiBuckets(ctx.resources, (r) => ctx.tags(r), ctx.config.phiClassifications).includes(b)
        ) {
          return false;
        }
        const name = bucketName(b);
        return !ctx.config.macieExcludedBuckets.map(globToRegExp).some((re) => re.test(b.urn) || (name !== undefined && re.test(name)));
      },
    },
  ],
  validate: (ctx, report) => {
    const scope = scopeOf(ctx.ofType([MACIE_CLASSIFICATION_JOB]));
    ctx.each(ctx.subjects(), (b) => {
      const name = bucketName(b);
      if (scope.criteria || (name !== undefined && scope.named.has(name))) {
        return;
      }
      if (scope.unknown || (scope.named.size > 0 && probe(b.props, "bucket") === UNKNOWN)) {
        ctx.undecided([b.type, b.name, "bucket"]);
        return;
      }
      report(
        b.urn,
        "No Macie classification job of the stack has this PHI bucket in its scope. Add one; if Macie covers it outside " +
          "the stack, set macieScopeOutsideStack: true, or name it in macieExcludedBuckets in this policy's config.",
      );
    });
  },
});
