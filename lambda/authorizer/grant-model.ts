/**
 * The grant model: one set of rules for who may be granted what (principals, buckets, prefixes,
 * access, expiry), used by the stack config (`accessGrants`, components/config/grants.ts) and by the
 * grants-table items (groupGrants, re-exported by contract.ts), so a grant the config accepts is one
 * the authorizer accepts and matches at run time, and the reverse (test/config/grant-model.spec.ts).
 * Part of the authorizer's contract, dependency-free like it. The kinds of access and the grant types
 * stay in contract.ts, where the handler reads them; the handler uses this file's principal rules
 * for the canary principal ({@link isGrantablePrincipal}, {@link isSameGrantPrincipal}).
 */
import { ACCESS_LEVELS, type Access, type Grant, type GrantDeclaration } from "./contract";

/** The fields of a declared grant (stack config `accessGrants`: `access` is a list of {@link ACCESS_LEVELS}). */
export const GRANT_FIELDS = ["principal", "bucket", "prefix", "access", "expiresAt"] as const;
export type GrantField = (typeof GRANT_FIELDS)[number];

/**
 * The principals a grant may name. The authorizer looks grants up by the exact principal string
 * it reads from the event (cloudtrail.ts), so a grant names one of those keys:
 * - an IAM role or user ARN as CloudTrail writes it, with its path; a role or user name has at most
 *   64 characters (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). An
 *   assumed-role session is looked up as its role (`sessionIssuer.arn`), never as the sts ARN;
 * - an AWS service principal, for calls CloudTrail records as `AWSService` (S3 replication writing
 *   the replica: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
 * Never a wildcard (the lookup is exact: nothing matches it) and never an account root: root use of
 * PHI, or an unnamed identity of another account (looked up as its root), always opens an incident.
 */
const IDENTITY_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const SERVICE_PRINCIPAL = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/;
/**
 * A key prefix, compared literally (`startsWith`) at run time: "*" and "?" are refused because they
 * would read as wildcards the authorizer does not apply; no leading "/" (S3 keys have none); at most
 * 1024 characters (an S3 key's limit: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html).
 */
const GRANT_PREFIX = /^(?!\/)[^*?]{0,1024}$/;
/** A date (the grant holds through that day, UTC) or a UTC time to the minute, second or millisecond. */
const GRANT_EXPIRY = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?Z)?$/;

/** True for a principal a grant may name: an IAM role or user ARN, or an AWS service principal. */
export function isGrantablePrincipal(value: string): boolean {
  return IDENTITY_ARN.test(value) || SERVICE_PRINCIPAL.test(value);
}

/**
 * Whether an event's principal, as the authorizer reads it from CloudTrail (cloudtrail.ts: an
 * assumed-role session is its role, `sessionContext.sessionIssuer.arn`), is the principal a grant
 * names. Grants are looked up by that exact string (the grants table's partition key), so this is the
 * same comparison: exact, case-sensitive, a session ARN (`arn:aws:sts::...:assumed-role/...`) or a
 * wildcard never equal to a role. The canary's principal is compared with it, so "the canary's
 * access" means exactly what "the canary's grant" would.
 */
export function isSameGrantPrincipal(granted: string, eventPrincipal: string | undefined): boolean {
  return eventPrincipal !== undefined && isGrantablePrincipal(granted) && eventPrincipal === granted;
}

/** The instant a grant's `expiresAt` stops holding, as the authorizer compares it (a date holds through its last second); undefined when malformed. */
export function grantExpiryInstant(value: string): string | undefined {
  const m = GRANT_EXPIRY.exec(value);
  if (!m) return undefined;
  const parts = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  const date = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]));
  // A real calendar time: Date.UTC rolls 2027-02-30 over into March, which no reviewer meant.
  const back = [
    date.getUTCFullYear(),
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
  ];
  if (back.some((v, i) => v !== parts[i])) return undefined;
  return m[4] === undefined ? `${value}T23:59:59Z` : value;
}

/**
 * What is wrong with one field of a grant, or undefined. `buckets`: the buckets a grant may name (PHI
 * bucket purposes in config, bucket names in the table). `now`: when given, an expiry at or before it
 * is refused (the authorizer would treat the grant as expired). `access` is one level or, in config, a
 * non-empty list of distinct levels.
 */
export function grantFieldProblem(
  field: GrantField,
  value: unknown,
  options: { readonly buckets: readonly string[]; readonly now?: Date },
): string | undefined {
  switch (field) {
    case "principal":
      return typeof value === "string" && isGrantablePrincipal(value)
        ? undefined
        : "must be the ARN of an IAM role or user, such as arn:aws:iam::123456789012:role/analyst, or an AWS service principal such as s3.amazonaws.com " +
            "(no wildcard, no account root; an assumed-role session is granted through its role)";
    case "bucket":
      return typeof value === "string" && options.buckets.includes(value)
        ? undefined
        : `must be a PHI bucket of the platform: ${options.buckets.join(", ")}`;
    case "prefix":
      if (value === undefined) return 'is required: a key prefix such as "processed/", or "" to grant the whole bucket on purpose';
      return typeof value === "string" && GRANT_PREFIX.test(value)
        ? undefined
        : 'must be a key prefix without a leading "/" or wildcards ("" for the whole bucket)';
    case "access": {
      const levels = ACCESS_LEVELS.join(", ");
      if (!Array.isArray(value)) return isAccess(value) ? undefined : `must be one of ${levels}`;
      const distinct = value.length > 0 && value.every(isAccess) && new Set(value).size === value.length;
      return distinct ? undefined : `must be a non-empty list of distinct ${levels}`;
    }
    case "expiresAt": {
      if (value === undefined) return undefined;
      const instant = typeof value === "string" ? grantExpiryInstant(value) : undefined;
      if (typeof value !== "string" || instant === undefined) return "must be an ISO date such as 2027-06-30 (or 2027-06-30T12:00Z)";
      if (options.now !== undefined && Date.parse(instant) <= options.now.getTime())
        return `is in the past (${value}): remove the expired grant`;
      return undefined;
    }
  }
}

function isAccess(value: unknown): value is Access {
  return (ACCESS_LEVELS as readonly unknown[]).includes(value);
}

/** Thrown for grant declarations that cannot be used; lists every problem. */
export class GrantDeclarationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`grant declarations are invalid (${problems.length}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "GrantDeclarationError";
  }
}

/**
 * Validates grant declarations with the grant model (`knownBuckets`: the platform's bucket names; a
 * grant on another bucket is an error). Returns one item per (principal, bucket), grants sorted,
 * duplicates removed, a date-only expiry stored as the instant it ends.
 */
export function groupGrants(
  declarations: readonly GrantDeclaration[],
  knownBuckets: readonly string[],
): { principal: string; bucket: string; grants: Grant[] }[] {
  const problems: string[] = [];
  const items = new Map<string, { principal: string; bucket: string; grants: Grant[] }>();
  declarations.forEach((d, i) => {
    for (const field of GRANT_FIELDS) {
      const problem = grantFieldProblem(field, d[field], { buckets: knownBuckets });
      if (problem !== undefined) problems.push(`grants[${i}].${field} ${problem}, got ${JSON.stringify(d[field])}`);
    }
    const id = `${d.principal}\u0000${d.bucket}`;
    const item = items.get(id) ?? { principal: d.principal, bucket: d.bucket, grants: [] };
    const expiresAt = d.expiresAt === undefined ? undefined : (grantExpiryInstant(d.expiresAt) ?? d.expiresAt);
    const grant: Grant =
      expiresAt === undefined ? { prefix: d.prefix, access: d.access } : { prefix: d.prefix, access: d.access, expiresAt };
    if (!item.grants.some((g) => g.prefix === grant.prefix && g.access === grant.access && g.expiresAt === grant.expiresAt))
      item.grants.push(grant);
    items.set(id, item);
  });
  if (problems.length > 0) throw new GrantDeclarationError(problems);
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const order = (a: Grant, b: Grant) =>
    compare(a.prefix, b.prefix) || compare(a.access, b.access) || compare(a.expiresAt ?? "", b.expiresAt ?? "");
  return [...items.values()]
    .map((item) => ({ ...item, grants: item.grants.sort(order) }))
    .sort((a, b) => compare(a.principal, b.principal) || compare(a.bucket, b.bucket));
}
