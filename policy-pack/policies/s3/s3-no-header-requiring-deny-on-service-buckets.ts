import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { isDeny, statementsOf, Statement } from "../lib/iamdoc";
import { BucketRole, hasRole, LOG_ROLES, rolesOf, SERVICE_WRITTEN_ROLES } from "../lib/structure";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { get, isRec, list } from "../lib/util";
import { companions } from "./lib";

const SSE_HEADER_KEYS = ["s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id"];

const NEGATED_STRING_OPS = /^(ForAnyValue:|ForAllValues:)?String(Not)(Equals|Like)(IgnoreCase)?(IfExists)?$/;

/**
 * Header keys on which a Deny statement denies a request that carries no header at all: a negated
 * string operator with IfExists, a negated operator without `Null: false` on the key, or `Null: true`.
 */
function headerRequiringKeys(s: Statement): string[] {
  const cond = s.condition ?? {};
  const nullFalse = new Set<string>();
  const out = new Set<string>();
  const nul = cond.Null;
  if (isRec(nul)) {
    for (const [k, v] of Object.entries(nul)) {
      const lk = k.toLowerCase();
      if (!SSE_HEADER_KEYS.includes(lk)) {
        continue;
      }
      const vals = list(v).map((x) => String(x).toLowerCase());
      if (vals.includes("false")) {
        nullFalse.add(lk);
      }
      if (vals.includes("true")) {
        out.add(lk);
      }
    }
  }
  // A positive string test on a header (StringEquals, no IfExists) is false when the header is absent:
  // the statement then never denies a request without headers, whatever its Null: true says of another key.
  const requiresPresentHeader = Object.entries(cond).some(
    ([op, body]) =>
      /^String(Equals|Like)(IgnoreCase)?$/.test(op) &&
      isRec(body) &&
      Object.keys(body).some((k) => SSE_HEADER_KEYS.includes(k.toLowerCase())),
  );
  if (requiresPresentHeader) {
    out.clear();
  }
  for (const [op, body] of Object.entries(cond)) {
    if (!NEGATED_STRING_OPS.test(op) || !isRec(body)) {
      continue;
    }
    for (const k of Object.keys(body)) {
      const lk = k.toLowerCase();
      if (SSE_HEADER_KEYS.includes(lk) && (op.endsWith("IfExists") || !nullFalse.has(lk))) {
        out.add(lk);
      }
    }
  }
  return [...out];
}

function excludesServicePrincipals(s: Statement): boolean {
  const b = s.condition?.Bool;
  if (!isRec(b)) {
    return false;
  }
  const k = Object.keys(b).find((x) => x.toLowerCase() === "aws:principalisawsservice");
  return (
    k !== undefined &&
    list(b[k])
      .map((x) => String(x).toLowerCase())
      .includes("false")
  );
}

/** Service-principal writers (CloudTrail, log delivery) are excluded by `aws:PrincipalIsAWSService false`; role-based writers are not. */
const ROLE_WRITTEN: readonly BucketRole[] = ["firehose-destination", "replication-destination"];

export const s3NoHeaderRequiringDenyOnServiceBuckets = stackPolicy({
  name: "s3-no-header-requiring-deny-on-service-buckets",
  description:
    "Buckets that AWS services write to (trail, access-log, load balancer log, Firehose and replication destinations) have no " +
    "bucket-policy Deny that requires an encryption header: these writers send none and rely on default encryption, so the " +
    "deny drops their writes (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms, " +
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.audit, ...CITES.integrity),
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.policy],
  tags: ["deploy-trap"],
  remediationSteps:
    "Rely on the bucket's default encryption, or deny only a wrong header: pair the negated condition with " +
    '`Null: { "s3:x-amz-server-side-encryption": "false" }` (a request without the header is then not denied) and never use ' +
    "`StringNotEqualsIfExists` on the header (an absent key makes ...IfExists true). See " +
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists.",
  examines: [
    {
      // the audit citations are about logs arriving: a replica of data is no log (a replica of a log bucket is)
      citations: CITES.audit,
      rule: "log buckets an AWS service writes to (server access logs, trail, load balancer logs, Firehose destination, log replicas)",
      where: (b, ctx) => hasRole(ctx.resources, b, SERVICE_WRITTEN_ROLES) && hasRole(ctx.resources, b, LOG_ROLES),
    },
    {
      citations: CITES.integrity,
      rule: "buckets an AWS service writes to (the log targets above and replication destinations)",
      where: (b, ctx) => hasRole(ctx.resources, b, SERVICE_WRITTEN_ROLES),
    },
  ],
  validate: (ctx, report) => {
    ctx.each(ctx.subjects(), (b) => {
      const joined = companions(ctx, b, S3.policy);
      const roles = rolesOf(ctx.resources, b);
      const roleWritten = ROLE_WRITTEN.some((r) => roles.has(r));
      for (const p of joined.matched) {
        const statements = statementsOf(get(p.props, "policy")) ?? [];
        for (const s of statements) {
          if (!isDeny(s) || !s.actions.some((a) => ["*", "s3:*", "s3:putobject", "s3:put*"].includes(a.toLowerCase()))) {
            continue;
          }
          const keys = headerRequiringKeys(s);
          if (keys.length === 0 || (excludesServicePrincipals(s) && !roleWritten)) {
            continue;
          }
          report(
            b.urn,
            `${s.sid ? `Statement "${s.sid}"` : "A Deny statement"} of this bucket's policy denies PutObject without ` +
              `${keys.join(" / ")}, but ${[...roles].filter((r) => SERVICE_WRITTEN_ROLES.includes(r)).join(", ")} writes send no such header: ` +
              'those writes would be denied. Add Null "false" on the key or rely on default encryption.',
          );
        }
      }
      if (joined.undecided) {
        ctx.undecided([b.type, b.name, "bucket"]);
      }
    });
  },
});
