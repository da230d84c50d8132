/** `accessGrants`: who may access PHI, declared in stack config and reviewed as code. */
import { ACCESS_LEVELS, type Access } from "../../lambda/authorizer/contract";
import { GRANT_FIELDS, type GrantField, grantFieldProblem } from "../../lambda/authorizer/grant-model";
import { physicalName } from "../lib/naming";
import type { ConfigProblem } from "./errors";
import { parseJsonOrUndefined } from "./values";

/** The kinds of access a grant gives, as CloudTrail data events imply them: the authorizer's {@link ACCESS_LEVELS}. */
export const ACCESS_KINDS = ACCESS_LEVELS;
export type AccessKind = Access;

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
  /** IAM role or user ARN, or an AWS service principal (never a wildcard, an account root or a session). */
  readonly principal: string;
  /** The PHI bucket, by purpose. */
  readonly bucket: PhiBucketPurpose;
  /** Key prefix the grant covers ("" for the whole bucket). */
  readonly prefix: string;
  readonly access: readonly AccessKind[];
  /** ISO date (the grant holds through that day, UTC) or UTC time after which the grant no longer holds. */
  readonly expiresAt?: string;
}

/**
 * The physical name of the canary's probe role (components/canary/): deliberately never granted, so that
 * each of its reads of `canary/` is a denied access that becomes a canary incident.
 */
export function canaryProbeRoleName(stack: string): string {
  return physicalName(stack, "iamRole", "canary-probe");
}

/** The role name of an IAM role ARN (after its path), lowercased (IAM role names are unique case-insensitively); undefined: not a role. */
function roleNameOf(principal: string): string | undefined {
  return /^arn:[^:]+:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(principal)?.[1]?.toLowerCase();
}

/**
 * `accessGrants`, validated with the authorizer's grant model (lambda/authorizer/grant-model.ts, through
 * the contract): the fields of each entry, then what only a list can get wrong (a repeated grant).
 * Pure: the grants and the problems (keys without the namespace) are returned, nothing is kept.
 */
export function parseAccessGrants(
  value: string | undefined,
  now: Date,
  /** The stack: a grant to its canary probe role is refused. @default no stack: not checked */
  stack?: string,
): { grants: AccessGrant[]; problems: ConfigProblem[] } {
  const probeRole = stack === undefined ? undefined : canaryProbeRoleName(stack);
  const problems: ConfigProblem[] = [];
  if (value === undefined) return { grants: [], problems };
  const entries = parseJsonOrUndefined(value);
  if (!Array.isArray(entries)) {
    problems.push({
      key: "accessGrants",
      value,
      message:
        'must be a list of { principal, bucket, prefix, access, expiresAt? }, e.g. [{"principal": "arn:aws:iam::123456789012:role/analyst", "bucket": "phi-data", "prefix": "processed/", "access": ["read"]}]',
    });
    return { grants: [], problems };
  }
  const grants: AccessGrant[] = [];
  const seen = new Set<string>();
  entries.forEach((entry: unknown, i) => {
    const at = `accessGrants[${i}]`;
    const text = JSON.stringify(entry);
    const entryProblems = accessGrantProblems(entry, now);
    if (entryProblems.length > 0) {
      for (const p of entryProblems)
        problems.push({ key: p.field === undefined ? at : `${at}.${p.field}`, value: text, message: p.message });
      return;
    }
    const e = entry as Record<GrantField, unknown>;
    const grant: AccessGrant = {
      principal: e.principal as string,
      bucket: e.bucket as PhiBucketPurpose,
      prefix: e.prefix as string,
      access: Object.freeze([...(e.access as AccessKind[])]),
      ...(e.expiresAt === undefined ? {} : { expiresAt: e.expiresAt as string }),
    };
    if (probeRole !== undefined && roleNameOf(grant.principal) === probeRole.toLowerCase()) {
      problems.push({
        key: `${at}.principal`,
        value: text,
        message:
          `is the canary's probe role ${probeRole}, which must stay ungranted: each of its reads of canary/ must be denied and ` +
          "become a canary incident; granted, canary incidents stop and the canary's detection alarm fires. Remove this grant",
      });
      return;
    }
    const identity = `${grant.principal} ${grant.bucket} ${grant.prefix}`;
    if (seen.has(identity)) {
      problems.push({
        key: at,
        value: text,
        message: `repeats the grant of ${grant.principal} on ${grant.bucket}/${grant.prefix}: merge their access lists`,
      });
      return;
    }
    seen.add(identity);
    grants.push(Object.freeze(grant));
  });
  return { grants, problems };
}

/** The problems of one `accessGrants` entry: its shape, unknown fields, then each field by the grant model. */
function accessGrantProblems(entry: unknown, now: Date): { field?: string; message: string }[] {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry))
    return [{ message: "must be an object { principal, bucket, prefix, access, expiresAt? }" }];
  const e = entry as Record<string, unknown>;
  const problems: { field?: string; message: string }[] = [];
  for (const key of Object.keys(e)) {
    if (!(GRANT_FIELDS as readonly string[]).includes(key))
      problems.push({ field: key, message: `is not a grant field (${GRANT_FIELDS.join(", ")})` });
  }
  for (const field of GRANT_FIELDS) {
    const message = grantFieldProblem(field, e[field], { buckets: PHI_BUCKET_PURPOSES, now });
    if (message !== undefined) problems.push({ field, message });
  }
  return problems;
}
