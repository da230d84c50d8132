// S3. In @pulumi/aws v7 a bucket's settings are companion resources (BucketVersioning,
// BucketServerSideEncryptionConfiguration, BucketPublicAccessBlock, BucketLogging,
// BucketLifecycleConfiguration, BucketPolicy, BucketObjectLockConfiguration, BucketAcl, ...), so
// most checks are stack policies that join each bucket to its companions (lib/join.ts) and report
// a missing or wrong companion on the bucket's URN. The deprecated aliases (BucketV2, the ...V2
// companions) are judged exactly like the current types. The deprecated inline arguments of
// Bucket (versioning, serverSideEncryptionConfiguration, ...) still configure the bucket and are
// accepted as equivalent.

import { PolicyResource } from "@pulumi/policy";
import { CITES, hipaa } from "./lib/hipaa";
import { resourcePolicy, stackPolicy, StackCtx } from "./lib/define";
import { conditionKeys, isAllow, isAnyone, isDeny, statementsOf, Statement } from "./lib/iamdoc";
import { companionsOf, identifiers, JoinResult, ofTypes } from "./lib/join";
import { isClassifiedAs, purposeOf } from "./lib/tags";
import { BucketRole, hasRole, isLogBucket, isPhiBucket, LOG_ROLES, rolesOf, SERVICE_WRITTEN_ROLES } from "./lib/structure";
import { BUCKET_TYPES, S3 } from "./lib/types";
import { get, isFalse, isRec, isTrue, list, num, present, probe, str, UNKNOWN } from "./lib/util";

const isBucket = ofTypes(BUCKET_TYPES);

/** A one-element list or an object: the object. */
function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

/** Companions of `types` that name `bucket` in their `bucket` property. */
function companions<C>(ctx: StackCtx<C>, bucket: PolicyResource, types: readonly string[]) {
  return companionsOf(bucket, ctx.ofType(types), ["bucket"], isBucket);
}

function buckets<C>(ctx: StackCtx<C>): PolicyResource[] {
  return ctx.ofType(BUCKET_TYPES);
}

function purposeIn<C>(ctx: StackCtx<C>, b: PolicyResource, purposes: string[]): boolean {
  const p = purposeOf(ctx.tags(b));
  return p !== undefined && purposes.map((x) => x.toLowerCase()).includes(p.toLowerCase());
}

// ---- encryption -------------------------------------------------------------------------------

interface SseSetting {
  algorithm: string;
  kmsKeyId: unknown;
}

function sseSettings(companion: PolicyResource): SseSetting[] {
  return list(get(companion.props, "rules")).map((rule) => ({
    algorithm: str(get(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm")) ?? "",
    kmsKeyId: probe(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"),
  }));
}

function inlineSse(bucket: PolicyResource): SseSetting[] {
  const cfg = first(get(bucket.props, "serverSideEncryptionConfiguration"));
  if (cfg === undefined || cfg === null) {
    return [];
  }
  const rule = first(get(cfg, "rule"));
  if (rule === undefined) {
    return [];
  }
  return [
    {
      algorithm: str(get(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm")) ?? "",
      kmsKeyId: probe(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"),
    },
  ];
}

const SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

export const s3BucketEncryption = stackPolicy({
  name: "s3-bucket-encryption",
  description: "Every S3 bucket declares default server-side encryption.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.312(a)(2)(iv)", "164.312(c)(2)", "164.312(e)(2)(ii)"),
  cdkNag: ["S3BucketServerSideEncryptionEnabled"],
  awsConfig: ["s3-bucket-server-side-encryption-enabled"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.encryption],
  remediationSteps:
    "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with " +
    '`applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }` and `bucketKeyEnabled: true` ' +
    "(SSE-S3 `AES256` only where a service requires it, such as ALB access logs).",
  validate: (ctx, report) => {
    ctx.each(buckets(ctx), (b) => {
      const joined = companions(ctx, b, S3.encryption);
      const settings = [...joined.matched.flatMap(sseSettings), ...inlineSse(b)];
      if (settings.some((s) => SSE_ALGORITHMS.includes(s.algorithm))) {
        return;
      }
      if (joined.undecided) {
        ctx.undecided([b.type, b.name, "bucket"]);
        return;
      }
      report(
        b.urn,
        settings.length === 0
          ? "The bucket has no BucketServerSideEncryptionConfiguration."
          : `The bucket's encryption algorithm (${settings.map((s) => s.algorithm || "none").join(", ")}) is not AES256, aws:kms or aws:kms:dsse.`,
      );
    });
  },
});

export const s3BucketKeyEnabled = resourcePolicy({
  name: "s3-bucket-key-enabled",
  description: "SSE-KMS default encryption enables S3 Bucket Keys (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html).",
  severity: "medium",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.312(a)(2)(iv)", "164.308(a)(7)(ii)(C)"),
  resourceTypes: [...S3.encryption, ...BUCKET_TYPES],
  remediationSteps:
    'Set `bucketKeyEnabled: true` beside `applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }`. Without a ' +
    "Bucket Key every object request calls KMS (request quotas throttle a busy PHI bucket, and every call is billed); " +
    "DSSE-KMS (`aws:kms:dsse`) does not support Bucket Keys and is not judged.",
  validate: (ctx, report) => {
    const rules = BUCKET_TYPES.includes(ctx.type as (typeof BUCKET_TYPES)[number])
      ? list(get(first(get(ctx.props, "serverSideEncryptionConfiguration")), "rule"))
      : list(get(ctx.props, "rules"));
    for (const rule of rules) {
      const algorithm = str(get(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm"));
      if (algorithm === "aws:kms" && !isTrue(get(rule, "bucketKeyEnabled"))) {
        report("Default encryption is SSE-KMS without an S3 Bucket Key: every object request calls KMS (set bucketKeyEnabled: true).");
      }
    }
  },
});

export const s3PhiBucketKmsEncryption = stackPolicy<{ phiClassifications: string[]; exemptPurposes: string[] }>({
  name: "s3-phi-bucket-kms-encryption",
  description: "Buckets holding PHI are encrypted by default with a customer-managed KMS key.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  cdkNag: ["S3DefaultEncryptionKMS"],
  awsConfig: ["s3-default-encryption-kms"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.encryption],
  config: {
    phiClassifications: {
      type: "array",
      items: { type: "string" },
      default: ["PHI"],
      description: "DataClassification values that need a customer-managed key (an untagged bucket counts as PHI).",
    },
    exemptPurposes: {
      type: "array",
      items: { type: "string" },
      default: ["access-logs"],
      description: "Purpose tags of buckets that AWS services can only write with SSE-S3 (ALB and S3 server access logs).",
    },
  },
  remediationSteps: 'Use `sseAlgorithm: "aws:kms"` with `kmsMasterKeyId` set to a customer-managed key ARN (not alias/aws/s3).',
  validate: (ctx, report) => {
    ctx.each(buckets(ctx), (b) => {
      if (
        !isPhiBucket(ctx.resources, b, isClassifiedAs(ctx.tags(b), ctx.config.phiClassifications)) ||
        purposeIn(ctx, b, ctx.config.exemptPurposes)
      ) {
        return;
      }
      const joined = companions(ctx, b, S3.encryption);
      const settings = [...joined.matched.flatMap(sseSettings), ...inlineSse(b)];
      const cmk = settings.some(
        (s) =>
          KMS_ALGORITHMS.includes(s.algorithm) &&
          (s.kmsKeyId === UNKNOWN || (typeof s.kmsKeyId === "string" && s.kmsKeyId !== "" && !s.kmsKeyId.endsWith("alias/aws/s3"))),
      );
      if (cmk) {
        return;
      }
      if (joined.undecided) {
        ctx.undecided([b.type, b.name, "bucket"]);
        return;
      }
      report(b.urn, "This PHI bucket is not encrypted with a customer-managed KMS key (sseAlgorithm aws:kms with kmsMasterKeyId).");
    });
  },
});

// ---- versioning, public access, ACLs, policies ------------------------------------------------

export const s3BucketVersioning = stackPolicy({
  name: "s3-bucket-versioning",
  description: "Every S3 bucket has versioning enabled.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.backup, ...CITES.integrity),
  cdkNag: ["S3BucketVersioningEnabled"],
  awsConfig: ["s3-bucket-versioning-enabled"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.versioning],
  remediationSteps: 'Add an aws.s3.BucketVersioning with `versioningConfiguration: { status: "Enabled" }` for the bucket.',
  validate: (ctx, report) => {
    ctx.each(buckets(ctx), (b) => {
      if (isTrue(get(b.props, "objectLockEnabled"))) {
        return; // Object Lock turns versioning on and it cannot be suspended
      }
      const joined = companions(ctx, b, S3.versioning);
      const statuses = joined.matched.map((v) => str(get(v.props, "versioningConfiguration", "status")));
      if (statuses.includes("Enabled") || isTrue(get(first(get(b.props, "versioning")), "enabled"))) {
        return;
      }
      if (joined.undecided) {
        ctx.undecided([b.type, b.name, "bucket"]);
        return;
      }
      report(
        b.urn,
        statuses.length === 0
          ? "The bucket has no BucketVersioning with status Enabled."
          : `The bucket's versioning status is ${statuses.join(", ")}, not Enabled.`,
      );
    });
  },
});

const PAB_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

export const s3BucketPublicAccessBlock = stackPolicy({
  name: "s3-bucket-public-access-block",
  description: "Every S3 bucket (and any account-level block in the stack) blocks all four kinds of public access.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.publicAccess),
  cdkNag: ["S3BucketLevelPublicAccessProhibited", "S3BucketPublicReadProhibited", "S3BucketPublicWriteProhibited"],
  awsConfig: ["s3-bucket-level-public-access-prohibited", "s3-account-level-public-access-blocks-periodic"],
  resourceTypes: [...BUCKET_TYPES, ...S3.accountPublicAccessBlock],
  relatedTypes: [...S3.publicAccessBlock],
  remediationSteps:
    "Add an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, " +
    "ignorePublicAcls and restrictPublicBuckets all true.",
  validate: (ctx, report) => {
    ctx.each(ctx.ofType(S3.accountPublicAccessBlock), (a) => {
      const off = PAB_FLAGS.filter((f) => !isTrue(get(a.props, f)));
      if (off.length > 0) {
        report(a.urn, `The account-level public access block leaves ${off.join(", ")} off.`);
      }
    });
    ctx.each(buckets(ctx), (b) => {
      const joined = companions(ctx, b, S3.publicAccessBlock);
      let best: string[] | undefined;
      for (const pab of joined.matched) {
        const off = PAB_FLAGS.filter((f) => !isTrue(get(pab.props, f)));
        if (!best || off.length < best.length) {
          best = off;
        }
      }
      if (best && best.length === 0) {
        return;
      }
      if (joined.undecided) {
        ctx.undecided([b.type, b.name, "bucket"]);
        return;
      }
      report(
        b.urn,
        best === undefined
          ? "The bucket has no BucketPublicAccessBlock."
          : `The bucket's public access block leaves ${best.join(", ")} off.`,
      );
    });
  },
});

const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GRANTEES = ["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"];

export const s3BucketNoPublicAcl = resourcePolicy({
  name: "s3-bucket-no-public-acl",
  description: "No bucket ACL grants access to everyone or to all authenticated AWS users.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.publicAccess),
  cdkNag: ["S3BucketPublicReadProhibited", "S3BucketPublicWriteProhibited"],
  awsConfig: ["s3-bucket-public-read-prohibited", "s3-bucket-public-write-prohibited"],
  resourceTypes: [...BUCKET_TYPES, ...S3.acl],
  remediationSteps:
    "Remove the public canned ACL or grant (use `private`, or better, disable ACLs with BucketOwnershipControls " +
    "`BucketOwnerEnforced`) and grant access through IAM and bucket policies.",
  validate: (ctx, report) => {
    const acl = str(get(ctx.props, "acl"));
    if (acl && PUBLIC_ACLS.includes(acl)) {
      report(`The canned ACL "${acl}" makes the bucket public.`);
    }
    const grants = S3.acl.includes(ctx.type as (typeof S3.acl)[number])
      ? list(get(ctx.props, "accessControlPolicy", "grants")).map((g) => ({
          uri: str(get(g, "grantee", "uri")),
          perm: str(get(g, "permission")),
        }))
      : list(get(ctx.props, "grants")).map((g) => ({ uri: str(get(g, "uri")), perm: list(get(g, "permissions")).join("/") }));
    for (const g of grants) {
      if (g.uri && PUBLIC_GRANTEES.includes(g.uri)) {
        report(`The ACL grants ${g.perm ?? "access"} to ${g.uri.split("/").pop()}.`);
      }
    }
  },
});

const RESTRICTING_CONDITION_KEYS = [
  "aws:sourcearn",
  "aws:sourceaccount",
  "aws:sourceowner",
  "aws:principalorgid",
  "aws:principalaccount",
  "aws:principalarn",
  "aws:sourcevpce",
  "aws:sourcevpc",
  "aws:sourceip",
  "aws:vpcsourceip",
  "aws:principalorgpaths",
  "aws:userid",
];

function publicAllow(statements: Statement[]): Statement[] {
  return statements.filter(
    (s) =>
      isAllow(s) &&
      (s.notPrincipal || s.principals.some(isAnyone)) &&
      !conditionKeys(s).some((k) => RESTRICTING_CONDITION_KEYS.includes(k)),
  );
}

export const s3BucketPolicyNoPublicAccess = resourcePolicy({
  name: "s3-bucket-policy-no-public-access",
  description: "No bucket policy allows anyone (`*` principal) without a condition that restricts who the caller is.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.leastPrivilege, "164.312(e)(1)"),
  cdkNag: ["S3BucketPublicReadProhibited", "S3BucketPublicWriteProhibited"],
  awsConfig: ["s3-bucket-public-read-prohibited", "s3-bucket-public-write-prohibited", "s3-bucket-policy-grantee-check"],
  resourceTypes: [...S3.policy, ...BUCKET_TYPES],
  remediationSteps:
    "Name the principals (account roles, service principals) or add a condition such as aws:SourceArn, " +
    'aws:SourceAccount, aws:PrincipalOrgID or aws:SourceVpce to every Allow statement with Principal "*".',
  validate: (ctx, report) => {
    const raw = get(ctx.props, "policy");
    if (raw === undefined || raw === null || raw === "") {
      return;
    }
    const statements = statementsOf(raw);
    if (!statements) {
      report("The bucket policy is not a valid JSON policy document.");
      return;
    }
    for (const s of publicAllow(statements)) {
      report(`${s.sid ? `Statement "${s.sid}"` : "A statement"} allows ${s.actions.join(", ") || "actions"} to anyone.`);
    }
  },
});

function deniesInsecureTransport(s: Statement, bucket: PolicyResource): boolean | "maybe" {
  if (!isDeny(s) || !s.principals.some(isAnyone)) {
    return false;
  }
  if (!s.actions.some((a) => a === "*" || a === "s3:*")) {
    return false;
  }
  const cond = s.condition ?? {};
  const insecure = ["Bool", "BoolIfExists"].some((op) => {
    const c = cond[op];
    if (!isRec(c)) {
      return false;
    }
    const key = Object.keys(c).find((k) => k.toLowerCase() === "aws:securetransport");
    return (
      key !== undefined &&
      list(c[key])
        .map(String)
        .map((x) => x.toLowerCase())
        .includes("false")
    );
  });
  if (!insecure) {
    return false;
  }
  if (s.resources.includes("*") || s.resources.includes("arn:aws:s3:::*")) {
    return true;
  }
  const ids = identifiers(bucket);
  const arns = [...ids.known].filter((x) => x.startsWith("arn:aws:s3:::"));
  if (arns.length === 0) {
    return ids.unknown ? "maybe" : false;
  }
  return arns.some((arn) => s.resources.includes(arn)) && arns.some((arn) => s.resources.includes(`${arn}/*`));
}

export const s3BucketSslRequestsOnly = stackPolicy({
  name: "s3-bucket-ssl-requests-only",
  description: "Every bucket policy denies requests that do not use TLS (aws:SecureTransport = false).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.transmission, "164.312(c)(2)"),
  cdkNag: ["S3BucketSSLRequestsOnly"],
  awsConfig: ["s3-bucket-ssl-requests-only"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.policy],
  remediationSteps:
    'Add an aws.s3.BucketPolicy whose document has a statement: Effect Deny, Principal "*", Action s3:*, ' +
    'Resource [bucket ARN, bucket ARN + "/*"], Condition { Bool: { "aws:SecureTransport": "false" } }.',
  validate: (ctx, report) => {
    ctx.each(buckets(ctx), (b) => {
      const joined = companions(ctx, b, S3.policy);
      const docs = [...joined.matched.map((p) => get(p.props, "policy")), get(b.props, "policy")].filter(
        (d) => d !== undefined && d !== "",
      );
      let maybe = false;
      for (const doc of docs) {
        for (const s of statementsOf(doc) ?? []) {
          const r = deniesInsecureTransport(s, b);
          if (r === true) {
            return;
          }
          maybe = maybe || r === "maybe";
        }
      }
      if (maybe || joined.undecided) {
        ctx.undecided([b.type, b.name, "arn"]);
        return;
      }
      report(
        b.urn,
        docs.length === 0
          ? "The bucket has no bucket policy denying non-TLS requests."
          : "The bucket policy does not deny requests with aws:SecureTransport = false for the bucket and its objects.",
      );
    });
  },
});

export const s3BucketAclsDisabled = stackPolicy({
  name: "s3-bucket-acls-disabled",
  description: "Bucket ACLs stay disabled (object ownership BucketOwnerEnforced, no BucketAcl).",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.312(a)(1)", "164.308(a)(4)(ii)(C)"),
  awsConfig: ["s3-bucket-acl-prohibited"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.ownership, ...S3.acl],
  remediationSteps:
    'Remove BucketAcl resources and set BucketOwnershipControls `objectOwnership: "BucketOwnerEnforced"` ' +
    "(the default for new buckets); grant log delivery through the bucket policy.",
  validate: (ctx, report) => {
    ctx.each(buckets(ctx), (b) => {
      const own = companions(ctx, b, S3.ownership);
      for (const o of own.matched) {
        const mode = str(get(o.props, "rule", "objectOwnership")) ?? str(get(first(get(o.props, "rule")), "objectOwnership"));
        if (mode !== "BucketOwnerEnforced") {
          report(b.urn, `Object ownership is ${mode ?? "unset"}: ACLs remain active. Use BucketOwnerEnforced.`);
        }
      }
      const acls = companions(ctx, b, S3.acl);
      if (acls.matched.length > 0) {
        report(b.urn, "The bucket is managed with a BucketAcl: disable ACLs and use policies instead.");
      }
      const inlineAcl = probe(b.props, "acl");
      if (typeof inlineAcl === "string" && inlineAcl !== "" && inlineAcl !== "private") {
        report(b.urn, `The bucket sets the inline ACL "${inlineAcl}".`);
      }
    });
  },
});

// ---- logging, lifecycle, object lock, replication ------------------------------------------

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
  validate: (ctx, report) => {
    ctx.each(buckets(ctx), (b) => {
      if (isLogBucket(ctx.resources, b, purposeIn(ctx, b, ctx.config.exemptPurposes))) {
        return; // a log bucket (by structure, whichever service writes to it, or declared by tag when its writers live elsewhere)
      }
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
  validate: (ctx, report) => {
    ctx.each(buckets(ctx), (b) => {
      if (!isLogBucket(ctx.resources, b, purposeIn(ctx, b, ctx.config.logPurposes))) {
        return;
      }
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
  validate: (ctx, report) => {
    ctx.each(buckets(ctx), (b) => {
      if (!purposeIn(ctx, b, ctx.config.lockPurposes)) {
        return;
      }
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

/**
 * Whether `bucket` is the destination of an enabled replication rule: by the rule's literal
 * `destination.bucket` ARN, or, when that is unknown in preview, by the configuration's
 * `rules` property dependency on the bucket.
 */
export function replicaOf(replications: PolicyResource[], bucket: PolicyResource): JoinResult {
  const ids = identifiers(bucket);
  let maybe = false;
  for (const r of replications) {
    const dependsOnBucket = (r.propertyDependencies?.rules ?? []).some((d) => d.urn === bucket.urn);
    for (const rule of list(get(r.props, "rules"))) {
      const status = probe(rule, "status");
      const target = probe(rule, "destination");
      const destination = target === UNKNOWN ? UNKNOWN : probe(first(target), "bucket");
      if (status === UNKNOWN || destination === UNKNOWN) {
        maybe = maybe || dependsOnBucket || ids.unknown;
        continue;
      }
      if (status !== "Enabled" || typeof destination !== "string") {
        continue;
      }
      if (ids.known.has(destination)) {
        return "yes";
      }
      maybe = maybe || (ids.unknown && dependsOnBucket);
    }
  }
  return maybe ? "maybe" : "no";
}

export const s3PhiBucketReplication = stackPolicy<{ phiClassifications: string[] }>({
  name: "s3-phi-bucket-replication",
  description: "PHI buckets replicate to a second bucket (ideally in another region) for disaster recovery.",
  severity: "medium",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.backup),
  cdkNag: ["S3BucketReplicationEnabled"],
  awsConfig: ["s3-bucket-replication-enabled"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.replication],
  config: {
    phiClassifications: {
      type: "array",
      items: { type: "string" },
      default: ["PHI"],
      description: "Classifications that need replication.",
    },
  },
  remediationSteps:
    "Add an aws.s3.BucketReplicationConfig with an Enabled rule to a versioned, KMS-encrypted bucket in the recovery region " +
    "(the destination bucket is the second copy and needs no replica of its own).",
  validate: (ctx, report) => {
    ctx.each(buckets(ctx), (b) => {
      if (!isPhiBucket(ctx.resources, b, isClassifiedAs(ctx.tags(b), ctx.config.phiClassifications))) {
        return;
      }
      const joined = companions(ctx, b, S3.replication);
      const enabled =
        joined.matched.some((r) => list(get(r.props, "rules")).some((rule) => str(get(rule, "status")) === "Enabled")) ||
        present(b.props, "replicationConfiguration");
      if (enabled) {
        return;
      }
      // The destination of an enabled rule is itself the second copy: it needs no replica.
      const replica = replicaOf(ctx.ofType(S3.replication), b);
      if (replica === "yes") {
        return;
      }
      if (joined.undecided || replica === "maybe") {
        ctx.undecided([b.type, b.name, "bucket"]);
        return;
      }
      report(b.urn, "The PHI bucket is not replicated.");
    });
  },
});

export const s3VersionedBucketLifecycle = stackPolicy({
  name: "s3-versioned-bucket-lifecycle",
  description: "Versioned buckets have a lifecycle configuration that manages noncurrent versions.",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.backup),
  awsConfig: ["s3-version-lifecycle-policy-check"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.versioning, ...S3.lifecycle],
  remediationSteps: "Add an aws.s3.BucketLifecycleConfiguration (e.g. transition noncurrent versions to Glacier).",
  validate: (ctx, report) => {
    ctx.each(buckets(ctx), (b) => {
      const versioned = companions(ctx, b, S3.versioning).matched.some(
        (v) => str(get(v.props, "versioningConfiguration", "status")) === "Enabled",
      );
      if (!versioned) {
        return;
      }
      const lifecycle = companions(ctx, b, S3.lifecycle);
      if (lifecycle.matched.length > 0 || list(get(b.props, "lifecycleRules")).length > 0) {
        return;
      }
      if (lifecycle.undecided) {
        ctx.undecided([b.type, b.name, "bucket"]);
        return;
      }
      report(b.urn, "The versioned bucket has no lifecycle configuration.");
    });
  },
});

// ---- deploy traps: what AWS documents as unsupported for buckets that services write to ---------

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
  validate: (ctx, report) => {
    const targets = buckets(ctx).filter((b) => hasRole(ctx.resources, b, ["access-log-target", "elb-log-target"]));
    ctx.each(targets, (b) => {
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
  validate: (ctx, report) => {
    const written = buckets(ctx).filter((b) => hasRole(ctx.resources, b, SERVICE_WRITTEN_ROLES));
    ctx.each(written, (b) => {
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

export const s3Policies = [
  s3BucketKeyEnabled,
  s3BucketEncryption,
  s3PhiBucketKmsEncryption,
  s3BucketVersioning,
  s3BucketPublicAccessBlock,
  s3BucketNoPublicAcl,
  s3BucketPolicyNoPublicAccess,
  s3BucketSslRequestsOnly,
  s3BucketAclsDisabled,
  s3BucketServerAccessLogging,
  s3LogBucketRetentionLifecycle,
  s3IncidentReportObjectLock,
  s3PhiBucketReplication,
  s3VersionedBucketLifecycle,
  s3LogTargetSseS3,
  s3NoHeaderRequiringDenyOnServiceBuckets,
  s3ObjectLockAtCreation,
];
