import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { hasRole, rolesOf } from "../lib/structure";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { companions, inlineSse, sseSettings } from "./lib";

const DOC_ACCESS_LOG_SSE = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html";

const DOC_ELB_LOG_SSE = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html";

export const s3LogTargetSseS3 = stackPolicy({
  name: "s3-log-target-sse-s3",
  description:
    "Buckets that receive S3 server access logs or load balancer access logs use SSE-S3 (AES256) default encryption: " +
    "AWS documents SSE-KMS as unsupported for both destinations, and delivery then fails silently " +
    `(${DOC_ACCESS_LOG_SSE}, ${DOC_ELB_LOG_SSE}).`,
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.audit),
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.encryption, ...S3.logging, "aws:lb/loadBalancer:LoadBalancer"],
  tags: ["deploy-trap"],
  remediationSteps:
    'Give the log-target bucket `applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }` (no kmsMasterKeyId); ' +
    `see ${DOC_ACCESS_LOG_SSE} ("only SSE-S3") and ${DOC_ELB_LOG_SSE}. Keep PHI out of these buckets instead of encrypting them with a CMK.`,
  examines: [
    {
      rule: "targets of S3 server access logs and of load balancer access logs",
      where: (b, ctx) => hasRole(ctx.resources, b, ["access-log-target", "elb-log-target"]),
    },
  ],
  validate: (ctx, report) => {
    ctx.each(ctx.subjects(), (b) => {
      const joined = companions(ctx, b, S3.encryption);
      const settings = [...joined.matched.flatMap(sseSettings), ...inlineSse(b)];
      if (settings.length === 0) {
        if (joined.undecided) {
          ctx.undecided([b.type, b.name, "bucket"]);
        }
        return; // no default encryption: S3 applies SSE-S3 (s3-bucket-encryption reports the missing configuration)
      }
      const kms = settings.filter((s) => s.algorithm !== "AES256");
      if (kms.length > 0) {
        const roles = [...rolesOf(ctx.resources, b)].filter((r) => r === "access-log-target" || r === "elb-log-target");
        report(
          b.urn,
          `This bucket receives ${roles.map((r) => (r === "access-log-target" ? "S3 server access logs" : "load balancer access logs")).join(" and ")} ` +
            `but its default encryption is ${kms.map((s) => s.algorithm || "none").join(", ")}: AWS delivers these logs only to SSE-S3 buckets, ` +
            "so no log would arrive. Use sseAlgorithm AES256.",
        );
      }
    });
  },
});
