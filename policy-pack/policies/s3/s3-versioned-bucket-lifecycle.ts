import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { get, list, str } from "../lib/util";
import { companions } from "./lib";

export const s3VersionedBucketLifecycle = stackPolicy({
  name: "s3-versioned-bucket-lifecycle",
  description: "Versioned buckets have a lifecycle configuration that manages noncurrent versions.",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.backup),
  awsConfig: ["s3-version-lifecycle-policy-check"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.versioning, ...S3.lifecycle],
  remediationSteps: "Add an aws.s3.BucketLifecycleConfiguration (e.g. transition noncurrent versions to Glacier).",
  examines: [
    {
      rule: "buckets with a BucketVersioning of status Enabled",
      where: (b, ctx) =>
        companions(ctx, b, S3.versioning).matched.some((v) => str(get(v.props, "versioningConfiguration", "status")) === "Enabled"),
    },
  ],
  validate: (ctx, report) => {
    ctx.each(ctx.subjects(), (b) => {
      const lifecycle = companions(ctx, b, S3.lifecycle);
      if (lifecycle.matched.length > 0 || list(get(b.props, "lifecycleRules")).length > 0) {
        return;
      }
      if (lifecycle.undecided) {
        ctx.undecided([b.type, b.name, "bucket"]);
        return;
      }
      report(b.urn, "The versioned bucket has no lifecycle configuration.");
    });
  },
});
