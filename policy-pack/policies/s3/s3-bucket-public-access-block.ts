import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { get, isTrue } from "../lib/util";
import { buckets, companions } from "./lib";

const PAB_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

export const s3BucketPublicAccessBlock = stackPolicy({
  name: "s3-bucket-public-access-block",
  description: "Every S3 bucket (and any account-level block in the stack) blocks all four kinds of public access.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.publicAccess),
  cdkNag: ["S3BucketLevelPublicAccessProhibited", "S3BucketPublicReadProhibited", "S3BucketPublicWriteProhibited"],
  awsConfig: ["s3-bucket-level-public-access-prohibited", "s3-account-level-public-access-blocks-periodic"],
  resourceTypes: [...BUCKET_TYPES, ...S3.accountPublicAccessBlock],
  relatedTypes: [...S3.publicAccessBlock],
  remediationSteps:
    "Add an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, " +
    "ignorePublicAcls and restrictPublicBuckets all true.",
  validate: (ctx, report) => {
    ctx.each(ctx.ofType(S3.accountPublicAccessBlock), (a) => {
      const off = PAB_FLAGS.filter((f) => !isTrue(get(a.props, f)));
      if (off.length > 0) {
        report(a.urn, `The account-level public access block leaves ${off.join(", ")} off.`);
      }
    });
    ctx.each(buckets(ctx), (b) => {
      const joined = companions(ctx, b, S3.publicAccessBlock);
      let best: string[] | undefined;
      for (const pab of joined.matched) {
        const off = PAB_FLAGS.filter((f) => !isTrue(get(pab.props, f)));
        if (!best || off.length < best.length) {
          best = off;
        }
      }
      if (best && best.length === 0) {
        return;
      }
      if (joined.undecided) {
        ctx.undecided([b.type, b.name, "bucket"]);
        return;
      }
      report(
        b.urn,
        best === undefined
          ? "The bucket has no BucketPublicAccessBlock."
          : `The bucket's public access block leaves ${best.join(", ")} off.`,
      );
    });
  },
});
