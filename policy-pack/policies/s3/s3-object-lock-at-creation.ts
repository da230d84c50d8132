import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { companionsOf } from "../lib/join";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { get, isTrue, probe, str, UNKNOWN } from "../lib/util";
import { buckets, companions, isBucket } from "./lib";

const DOC_OBJECT_LOCK = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html";

export const s3ObjectLockAtCreation = stackPolicy({
  name: "s3-object-lock-at-creation",
  description:
    "An Object Lock configuration targets a bucket created with `objectLockEnabled: true`: enabling it on an existing bucket " +
    "needs versioning first and leaves the bucket's objectLockEnabled out of step (changing it replaces the bucket, which " +
    `protection or retainOnDelete then blocks) (${DOC_OBJECT_LOCK}).`,
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.integrity),
  resourceTypes: [...S3.objectLock],
  relatedTypes: [...BUCKET_TYPES, ...S3.versioning],
  tags: ["deploy-trap"],
  remediationSteps:
    `Create the bucket with \`objectLockEnabled: true\` (a new bucket; copy the data over) or, for an existing bucket, enable ` +
    `versioning first and set objectLockEnabled on the aws.s3.Bucket with ignoreChanges; see ${DOC_OBJECT_LOCK}.`,
  validate: (ctx, report) => {
    const all = buckets(ctx);
    ctx.each(ctx.ofType(S3.objectLock), (lock) => {
      for (const b of all) {
        if (companionsOf(b, [lock], ["bucket"], isBucket).matched.length === 0) {
          continue;
        }
        const enabled = probe(b.props, "objectLockEnabled");
        if (enabled === UNKNOWN) {
          ctx.undecided([b.type, b.name, "objectLockEnabled"]);
          continue;
        }
        if (isTrue(enabled)) {
          continue;
        }
        const versioned = companions(ctx, b, S3.versioning).matched.some(
          (v) => str(get(v.props, "versioningConfiguration", "status")) === "Enabled",
        );
        report(
          lock.urn,
          `This Object Lock configuration targets ${b.name}, which is not created with objectLockEnabled: true` +
            (versioned
              ? "; the bucket's objectLockEnabled then drifts and setting it later replaces the bucket."
              : " and has no enabled versioning: AWS rejects the configuration."),
        );
      }
    });
  },
});
