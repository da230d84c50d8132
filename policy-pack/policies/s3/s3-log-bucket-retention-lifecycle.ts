import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { purposeOf } from "../lib/tags";
import { isLogBucket, LOG_ROLES, rolesOf } from "../lib/structure";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { get, isFalse, list, num, str } from "../lib/util";
import { companions, first, purposeIn } from "./lib";

interface ExpiryProblem {
  text: string;
}

/** Lifecycle rules that delete current or noncurrent objects sooner than `floor` days. */
function expiryProblems(rules: unknown[], floor: number, inline: boolean, noncurrent: boolean): ExpiryProblem[] {
  const out: ExpiryProblem[] = [];
  rules.forEach((rule, i) => {
    const enabled = inline ? !isFalse(get(rule, "enabled")) : str(get(rule, "status")) !== "Disabled";
    if (!enabled) {
      return;
    }
    const id = str(get(rule, "id")) ?? `#${i}`;
    const expiration = first(get(rule, "expiration"));
    const days = num(get(expiration, "days"));
    if (days !== undefined && days > 0 && days < floor) {
      out.push({ text: `rule ${id} expires objects after ${days} days` });
    }
    if (str(get(expiration, "date"))) {
      out.push({ text: `rule ${id} expires objects on a fixed date` });
    }
    const nc = first(get(rule, "noncurrentVersionExpiration"));
    const ncDays = num(get(nc, inline ? "days" : "noncurrentDays"));
    if (noncurrent && ncDays !== undefined && ncDays > 0 && ncDays < floor) {
      out.push({ text: `rule ${id} purges noncurrent versions after ${ncDays} days (a deleted or overwritten log is lost for good then)` });
    }
  });
  return out;
}

export const s3LogBucketRetentionLifecycle = stackPolicy<{
  logPurposes: string[];
  minRetentionDaysProd: number;
  minRetentionDays: number;
  checkNoncurrentVersions: boolean;
}>({
  name: "s3-log-bucket-retention-lifecycle",
  description: "Lifecycle rules of log buckets never delete objects before the retention floor (six years in prod).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.retention, "164.316(b)(1)"),
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.lifecycle],
  environmentAware: true,
  config: {
    logPurposes: {
      type: "array",
      items: { type: "string" },
      default: ["access-logs", "audit-logs", "audit-trail"],
      description: "Purpose tags of log buckets.",
    },
    minRetentionDaysProd: { type: "integer", minimum: 1, default: 2192, description: "Retention floor in prod (2192 days = six years)." },
    minRetentionDays: { type: "integer", minimum: 1, default: 1, description: "Retention floor in other environments." },
    checkNoncurrentVersions: {
      type: "boolean",
      default: true,
      description:
        "Also hold noncurrent versions to the floor: with versioning, a deleted log survives only as a noncurrent version " +
        "(set false when Object Lock protects the bucket).",
    },
  },
  remediationSteps:
    "Transition old logs to Glacier instead of expiring them; set any `expiration.days` and " +
    "`noncurrentVersionExpiration.noncurrentDays` to at least the floor (2192 in prod), never a fixed date.",
  examines: [
    {
      rule: "log buckets (by structure, or by a Purpose tag in logPurposes)",
      where: (b, ctx) => isLogBucket(ctx.resources, b, purposeIn(ctx, b, ctx.config.logPurposes)),
    },
  ],
  validate: (ctx, report) => {
    ctx.each(ctx.subjects(), (b) => {
      const floor = ctx.isProd(b) ? ctx.config.minRetentionDaysProd : ctx.config.minRetentionDays;
      const joined = companions(ctx, b, S3.lifecycle);
      const problems = [
        ...joined.matched.flatMap((l) => expiryProblems(list(get(l.props, "rules")), floor, false, ctx.config.checkNoncurrentVersions)),
        ...expiryProblems(list(get(b.props, "lifecycleRules")), floor, true, ctx.config.checkNoncurrentVersions),
      ];
      if (problems.length > 0) {
        report(
          b.urn,
          `This ${purposeOf(ctx.tags(b)) ?? [...rolesOf(ctx.resources, b)].filter((r) => LOG_ROLES.includes(r)).join("/")} bucket loses logs before the ${floor}-day floor of ${ctx.env(b)}: ` +
            `${problems.map((p) => p.text).join("; ")}.`,
        );
      } else if (joined.undecided) {
        ctx.undecided([b.type, b.name, "bucket"]);
      }
    });
  },
});
