import { PolicyResource } from "@pulumi/policy";
import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy, phiClassificationsSchema } from "../lib/define";
import { identifiers, JoinResult } from "../lib/join";
import { isClassifiedAs } from "../lib/tags";
import { isPhiBucket } from "../lib/structure";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { get, list, present, probe, str, UNKNOWN } from "../lib/util";
import { companions, first } from "./lib";

/**
 * Whether `bucket` is the destination of an enabled replication rule: by the rule's literal
 * `destination.bucket` ARN, or, when that is unknown in preview, by the configuration's
 * `rules` property dependency on the bucket.
 */
export function replicaOf(replications: PolicyResource[], bucket: PolicyResource): JoinResult {
  const ids = identifiers(bucket);
  let maybe = false;
  for (const r of replications) {
    const dependsOnBucket = (r.propertyDependencies?.rules ?? []).some((d) => d.urn === bucket.urn);
    for (const rule of list(get(r.props, "rules"))) {
      const status = probe(rule, "status");
      const target = probe(rule, "destination");
      const destination = target === UNKNOWN ? UNKNOWN : probe(first(target), "bucket");
      if (status === UNKNOWN || destination === UNKNOWN) {
        maybe = maybe || dependsOnBucket || ids.unknown;
        continue;
      }
      if (status !== "Enabled" || typeof destination !== "string") {
        continue;
      }
      if (ids.known.has(destination)) {
        return "yes";
      }
      maybe = maybe || (ids.unknown && dependsOnBucket);
    }
  }
  return maybe ? "maybe" : "no";
}

export const s3PhiBucketReplication = stackPolicy<{ phiClassifications: string[] }>({
  name: "s3-phi-bucket-replication",
  description: "PHI buckets replicate to a second bucket (ideally in another region) for disaster recovery.",
  severity: "medium",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.backup),
  cdkNag: ["S3BucketReplicationEnabled"],
  awsConfig: ["s3-bucket-replication-enabled"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.replication],
  config: {
    phiClassifications: phiClassificationsSchema("Classifications that need replication."),
  },
  remediationSteps:
    "Add an aws.s3.BucketReplicationConfig with an Enabled rule to a versioned, KMS-encrypted bucket in the recovery region " +
    "(the destination bucket is the second copy and needs no replica of its own).",
  examines: [
    { rule: "PHI buckets", where: (b, ctx) => isPhiBucket(ctx.resources, b, isClassifiedAs(ctx.tags(b), ctx.config.phiClassifications)) },
  ],
  validate: (ctx, report) => {
    ctx.each(ctx.subjects(), (b) => {
      const joined = companions(ctx, b, S3.replication);
      const enabled =
        joined.matched.some((r) => list(get(r.props, "rules")).some((rule) => str(get(rule, "status")) === "Enabled")) ||
        present(b.props, "replicationConfiguration");
      if (enabled) {
        return;
      }
      // The destination of an enabled rule is itself the second copy: it needs no replica.
      const replica = replicaOf(ctx.ofType(S3.replication), b);
      if (replica === "yes") {
        return;
      }
      if (joined.undecided || replica === "maybe") {
        ctx.undecided([b.type, b.name, "bucket"]);
        return;
      }
      report(b.urn, "The PHI bucket is not replicated.");
    });
  },
});
