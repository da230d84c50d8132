import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { isLogBucket } from "../lib/structure";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { get, present } from "../lib/util";
import { companions, first, purposeIn } from "./lib";

export const s3BucketServerAccessLogging = stackPolicy<{ exemptPurposes: string[] }>({
  name: "s3-bucket-server-access-logging",
  description:
    "Every bucket except the log buckets themselves (whatever delivers into them: S3 server access logs, ELB access or " +
    "connection logs, CloudTrail, WAF, Firehose) writes server access logs to another bucket.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.audit),
  cdkNag: ["S3BucketLoggingEnabled"],
  awsConfig: ["s3-bucket-logging-enabled"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.logging],
  config: {
    exemptPurposes: {
      type: "array",
      items: { type: "string" },
      default: ["access-logs", "audit-logs", "audit-trail"],
      description: "Purpose tags of log buckets whose writers live elsewhere (a log bucket does not log its own accesses).",
    },
  },
  remediationSteps:
    "Add an aws.s3.BucketLogging for the bucket with `targetBucket` set to the access-logs bucket " +
    "(tagged Purpose=access-logs) and a per-bucket `targetPrefix`.",
  examines: [
    {
      // a log bucket (by structure, whichever service writes to it, or declared by tag when its writers live elsewhere) is not judged
      rule: "buckets that are not log buckets (by structure, or by a Purpose tag in exemptPurposes)",
      where: (b, ctx) => !isLogBucket(ctx.resources, b, purposeIn(ctx, b, ctx.config.exemptPurposes)),
    },
  ],
  validate: (ctx, report) => {
    ctx.each(ctx.subjects(), (b) => {
      const joined = companions(ctx, b, S3.logging);
      const inline = present(first(get(b.props, "logging")), "targetBucket");
      if (inline || joined.matched.some((l) => present(l.props, "targetBucket"))) {
        return;
      }
      if (joined.undecided) {
        ctx.undecided([b.type, b.name, "bucket"]);
        return;
      }
      report(b.urn, "The bucket has no BucketLogging: requests to it are not recorded.");
    });
  },
});
