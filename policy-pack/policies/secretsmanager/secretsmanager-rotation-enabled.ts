import { hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { companionsOf, ofTypes } from "../lib/join";
import { T } from "../lib/types";
import { get, isFalse, num, str } from "../lib/util";

const isSecret = ofTypes([T.secret]);

/** Rotation interval in days from rotationRules, or undefined for a cron schedule. */
function intervalDays(rules: unknown): number | undefined {
  const after = num(get(rules, "automaticallyAfterDays"));
  if (after !== undefined) {
    return after;
  }
  const expr = str(get(rules, "scheduleExpression")) ?? "";
  const m = expr.match(/^rate\((\d+)\s+(day|days|hour|hours)\)$/);
  if (m) {
    return m[2].startsWith("hour") ? Number(m[1]) / 24 : Number(m[1]);
  }
  return undefined;
}

export const secretsmanagerRotationEnabled = stackPolicy<{ maxRotationDays: number }>({
  name: "secretsmanager-rotation-enabled",
  description: "Every secret rotates automatically at least every 90 days.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.308(a)(4)(ii)(B)", "164.308(a)(5)(ii)(D)"),
  cdkNag: ["SecretsManagerRotationEnabled"],
  awsConfig: ["secretsmanager-rotation-enabled-check", "secretsmanager-secret-periodic-rotation"],
  resourceTypes: [T.secret],
  relatedTypes: [T.secretRotation],
  config: {
    maxRotationDays: { type: "integer", minimum: 1, maximum: 365, default: 90, description: "Longest allowed rotation interval." },
  },
  remediationSteps:
    "Add an aws.secretsmanager.SecretRotation for the secret with a rotation Lambda and " +
    "`rotationRules: { automaticallyAfterDays: 30 }` (at most the maximum), or let RDS manage the master password " +
    "(`manageMasterUserPassword: true`). Secrets that cannot rotate need a written exemption.",
  validate: (ctx, report) => {
    const rotations = ctx.ofType([T.secretRotation]);
    ctx.each(ctx.ofType([T.secret]), (s) => {
      const joined = companionsOf(s, rotations, ["secretId"], isSecret);
      const active = joined.matched.filter((r) => !isFalse(get(r.props, "rotationEnabled")));
      if (active.length === 0) {
        if (joined.undecided) {
          ctx.undecided([s.type, s.name, "arn"]);
        } else {
          report(s.urn, "The secret has no automatic rotation (aws.secretsmanager.SecretRotation).");
        }
        return;
      }
      const intervals = active.map((r) => intervalDays(get(r.props, "rotationRules")));
      if (intervals.some((d) => d === undefined || d <= ctx.config.maxRotationDays)) {
        return;
      }
      report(
        s.urn,
        `The secret rotates every ${Math.min(...intervals.map((d) => d ?? 0))} days; the maximum is ${ctx.config.maxRotationDays}.`,
      );
    });
  },
});
