/** `accessGrants`: who may access PHI, declared in stack config and reviewed as code. */
import type { Report } from "./errors";
import { parseJsonOrUndefined } from "./values";

/** The kinds of access a grant gives, as CloudTrail data events imply them. */
export const ACCESS_KINDS = ["read", "write", "delete"] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

/** The PHI buckets a grant may name, by purpose (the platform's SecureBucket purposes that hold PHI). */
export const PHI_BUCKET_PURPOSES = [
  "phi-data",
  "phi-replica",
  "security-events",
  "security-events-replica",
  // The incident reports name principals and key hashes (components/security-events/incident-workflow.ts).
  "incident-reports",
  "incident-reports-replica",
] as const;
export type PhiBucketPurpose = (typeof PHI_BUCKET_PURPOSES)[number];

/** One declared access to PHI. */
export interface AccessGrant {
  /** IAM role or user ARN (never a wildcard, an account root or a session). */
  readonly principal: string;
  /** The PHI bucket, by purpose. */
  readonly bucket: PhiBucketPurpose;
  /** Key prefix the grant covers ("" for the whole bucket). */
  readonly prefix: string;
  readonly access: readonly AccessKind[];
  /** ISO date (UTC) after which the grant no longer holds. */
  readonly expiresAt?: string;
}

/** An IAM role or user ARN, with an optional path; no wildcard, no root, no assumed-role session. */
const GRANT_PRINCIPAL = /^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const GRANT_PREFIX = /^(?!\/)[^*?]{0,1024}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?Z)?$/;

export function parseAccessGrants(value: string | undefined, problem: Report, now: Date): AccessGrant[] {
  if (value === undefined) return [];
  const entries = parseJsonOrUndefined(value);
  if (!Array.isArray(entries)) {
    problem(
      "accessGrants",
      value,
      'must be a list of { principal, bucket, prefix, access, expiresAt? }, e.g. [{"principal": "arn:aws:iam::123456789012:role/analyst", "bucket": "phi-data", "prefix": "processed/", "access": ["read"]}]',
    );
    return [];
  }
  const grants: AccessGrant[] = [];
  const seen = new Set<string>();
  entries.forEach((entry: unknown, i) => {
    const at = `accessGrants[${i}]`;
    const text = JSON.stringify(entry);
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      problem(at, text, "must be an object { principal, bucket, prefix, access, expiresAt? }");
      return;
    }
    const e = entry as Record<string, unknown>;
    const before = grantProblems.length;
    for (const key of Object.keys(e)) {
      if (!["principal", "bucket", "prefix", "access", "expiresAt"].includes(key))
        grantProblem(`${at}.${key}`, "is not a grant field (principal, bucket, prefix, access, expiresAt)");
    }
    if (typeof e.principal !== "string" || !GRANT_PRINCIPAL.test(e.principal)) {
      grantProblem(
        `${at}.principal`,
        "must be the ARN of an IAM role or user, such as arn:aws:iam::123456789012:role/analyst (no wildcard, no account root; an assumed-role session is granted through its role)",
      );
    }
    if (typeof e.bucket !== "string" || !(PHI_BUCKET_PURPOSES as readonly string[]).includes(e.bucket)) {
      grantProblem(`${at}.bucket`, `must be a PHI bucket of the platform: ${PHI_BUCKET_PURPOSES.join(", ")}`);
    }
    // Required: a grant without a prefix would cover the whole PHI bucket by omission; "" says so on purpose.
    const prefix = e.prefix;
    if (prefix === undefined) {
      grantProblem(`${at}.prefix`, 'is required: a key prefix such as "processed/", or "" to grant the whole bucket on purpose');
    } else if (typeof prefix !== "string" || !GRANT_PREFIX.test(prefix)) {
      grantProblem(`${at}.prefix`, 'must be a key prefix without a leading "/" or wildcards ("" for the whole bucket)');
    }
    const access = e.access;
    if (
      !Array.isArray(access) ||
      access.length === 0 ||
      !access.every((a) => (ACCESS_KINDS as readonly unknown[]).includes(a)) ||
      new Set(access).size !== access.length
    ) {
      grantProblem(`${at}.access`, `must be a non-empty list of distinct ${ACCESS_KINDS.join(", ")}`);
    }
    if (e.expiresAt !== undefined) {
      const expiresAt = e.expiresAt;
      const when = typeof expiresAt === "string" && ISO_DATE.test(expiresAt) ? new Date(expiresAt) : undefined;
      if (typeof expiresAt !== "string" || when === undefined || Number.isNaN(when.getTime())) {
        grantProblem(`${at}.expiresAt`, "must be an ISO date such as 2027-06-30 (or 2027-06-30T12:00Z)");
      } else if (when.getTime() <= now.getTime()) {
        grantProblem(`${at}.expiresAt`, `is in the past (${expiresAt}): remove the expired grant`);
      }
    }
    if (grantProblems.length > before) {
      for (const p of grantProblems.splice(before)) problem(p.key, text, p.message);
      return;
    }
    const grant: AccessGrant = {
      principal: e.principal as string,
      bucket: e.bucket as PhiBucketPurpose,
      prefix: prefix as string,
      access: Object.freeze([...(access as AccessKind[])]),
      ...(e.expiresAt === undefined ? {} : { expiresAt: e.expiresAt as string }),
    };
    const identity = `${grant.principal} ${grant.bucket} ${grant.prefix}`;
    if (seen.has(identity)) {
      problem(at, text, `repeats the grant of ${grant.principal} on ${grant.bucket}/${grant.prefix}: merge their access lists`);
      return;
    }
    seen.add(identity);
    grants.push(Object.freeze(grant));
  });
  return grants;
}

const grantProblems: { key: string; message: string }[] = [];
function grantProblem(key: string, message: string): void {
  grantProblems.push({ key, message });
}
