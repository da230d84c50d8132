import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { get, isTrue, num, str } from "../lib/util";
import { companions, first, purposeIn } from "./lib";

interface LockConfig {
  requiredModeProd: string;
  allowedModes: string[];
  lockPurposes: string[];
  minRetentionDaysProd: number;
  minRetentionDays: number;
}

export const s3IncidentReportObjectLock = stackPolicy<LockConfig>({
  name: "s3-incident-report-object-lock",
  description: "Incident-report buckets have Object Lock with a default retention: COMPLIANCE mode and six years in prod.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.integrity, "164.316(b)(2)(i)", "164.308(a)(6)(ii)"),
  awsConfig: ["s3-bucket-default-lock-enabled"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.objectLock],
  environmentAware: true,
  config: {
    lockPurposes: {
      type: "array",
      items: { type: "string" },
      default: ["incident-reports"],
      description: "Purpose tags of buckets that need Object Lock.",
    },
    requiredModeProd: {
      type: "string",
      enum: ["COMPLIANCE", "GOVERNANCE"],
      default: "COMPLIANCE",
      description: "Object Lock mode required in prod.",
    },
    allowedModes: {
      type: "array",
      items: { type: "string", enum: ["COMPLIANCE", "GOVERNANCE"] },
      default: ["GOVERNANCE", "COMPLIANCE"],
      description: "Modes accepted in other environments.",
    },
    minRetentionDaysProd: { type: "integer", minimum: 1, default: 2192, description: "Minimum default retention in prod." },
    minRetentionDays: { type: "integer", minimum: 1, default: 1, description: "Minimum default retention elsewhere." },
  },
  remediationSteps:
    "Create the bucket with `objectLockEnabled: true` and add an aws.s3.BucketObjectLockConfiguration with " +
    '`rule: { defaultRetention: { mode: "COMPLIANCE", years: 6 } }` in prod (GOVERNANCE is allowed in dev).',
  examines: [{ rule: "buckets whose Purpose tag is one of lockPurposes", where: (b, ctx) => purposeIn(ctx, b, ctx.config.lockPurposes) }],
  validate: (ctx, report) => {
    ctx.each(ctx.subjects(), (b) => {
      const prod = ctx.isProd(b);
      if (
        !isTrue(get(b.props, "objectLockEnabled")) &&
        !isTrue(get(first(get(b.props, "objectLockConfiguration")), "objectLockEnabled")) &&
        str(get(first(get(b.props, "objectLockConfiguration")), "objectLockEnabled")) !== "Enabled"
      ) {
        report(b.urn, "Object Lock is not enabled on this incident-report bucket (objectLockEnabled: true at creation).");
        return;
      }
      const joined = companions(ctx, b, S3.objectLock);
      const retentions = [
        ...joined.matched.map((c) => first(get(c.props, "rule"))),
        first(get(first(get(b.props, "objectLockConfiguration")), "rule")),
      ]
        .filter((r) => r !== undefined)
        .map((r) => first(get(r, "defaultRetention")));
      if (retentions.length === 0) {
        if (joined.undecided) {
          ctx.undecided([b.type, b.name, "bucket"]);
        } else {
          report(b.urn, "The incident-report bucket has no default Object Lock retention (BucketObjectLockConfiguration).");
        }
        return;
      }
      const modes = prod ? [ctx.config.requiredModeProd] : ctx.config.allowedModes;
      const floor = prod ? ctx.config.minRetentionDaysProd : ctx.config.minRetentionDays;
      const ok = retentions.some((r) => {
        const mode = str(get(r, "mode")) ?? "";
        // a year counts as 366 days so that "years: 6" meets the 2192-day (six-year) floor
        const days = (num(get(r, "days")) ?? 0) + (num(get(r, "years")) ?? 0) * 366;
        return modes.includes(mode) && days >= floor;
      });
      if (!ok) {
        const found = retentions.map(
          (r) =>
            `${str(get(r, "mode")) ?? "no mode"} ${num(get(r, "years")) !== undefined ? `${num(get(r, "years"))} years` : `${num(get(r, "days")) ?? 0} days`}`,
        );
        report(
          b.urn,
          `Object Lock default retention is ${found.join(", ")}; ${ctx.env(b)} requires ${modes.join(" or ")} ` +
            `for at least ${floor} days.`,
        );
      }
    });
  },
});
