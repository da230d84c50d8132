import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { get, isTrue, str } from "../lib/util";
import { buckets, companions, first } from "./lib";

export const s3BucketVersioning = stackPolicy({
  name: "s3-bucket-versioning",
  description: "Every S3 bucket has versioning enabled.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.backup, ...CITES.integrity),
  cdkNag: ["S3BucketVersioningEnabled"],
  awsConfig: ["s3-bucket-versioning-enabled"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.versioning],
  remediationSteps: 'Add an aws.s3.BucketVersioning with `versioningConfiguration: { status: "Enabled" }` for the bucket.',
  validate: (ctx, report) => {
    ctx.each(buckets(ctx), (b) => {
      if (isTrue(get(b.props, "objectLockEnabled"))) {
        return; // Object Lock turns versioning on and it cannot be suspended
      }
      const joined = companions(ctx, b, S3.versioning);
      const statuses = joined.matched.map((v) => str(get(v.props, "versioningConfiguration", "status")));
      if (statuses.includes("Enabled") || isTrue(get(first(get(b.props, "versioning")), "enabled"))) {
        return;
      }
      if (joined.undecided) {
        ctx.undecided([b.type, b.name, "bucket"]);
        return;
      }
      report(
        b.urn,
        statuses.length === 0
          ? "The bucket has no BucketVersioning with status Enabled."
          : `The bucket's versioning status is ${statuses.join(", ")}, not Enabled.`,
      );
    });
  },
});
