import { UNKNOWN_BOOLEAN, UNKNOWN_NUMBER, UNKNOWN_STRING } from "../../policy-pack/policies/lib/unknown";
import {
  s3BucketAclsDisabled,
  s3BucketEncryption,
  s3BucketNoPublicAcl,
  s3BucketPolicyNoPublicAccess,
  s3BucketPublicAccessBlock,
  s3BucketServerAccessLogging,
  s3BucketSslRequestsOnly,
  s3BucketVersioning,
  s3IncidentReportObjectLock,
  s3LogBucketRetentionLifecycle,
  s3PhiBucketKmsEncryption,
  s3PhiBucketReplication,
  s3VersionedBucketLifecycle,
} from "../../policy-pack/policies/s3";
import { StateResource } from "../../policy-pack/checker/deployment";
import { set } from "../../policy-pack/test-support/builder";
import { BucketSet, Platform } from "../../policy-pack/test-support/platform";
import { policySuite } from "../../policy-pack/test-support/suite";

const BV2 = "aws:s3/bucketV2:BucketV2";

/** Turns the PHI bucket into the deprecated BucketV2 alias and its companions into the ...V2 aliases. */
function toV2(p: Platform, s: BucketSet): void {
  const rename = (r: StateResource, to: string) => {
    const from = r.type;
    r.type = to;
    r.urn = r.urn.replace(from, to);
    for (const other of p.resources) {
      other.dependencies = other.dependencies.map((d) => d.replace(`${from}::`, `${to}::`));
      for (const k of Object.keys(other.propertyDependencies)) {
        other.propertyDependencies[k] = other.propertyDependencies[k].map((d) => (d === r.urn.replace(to, from) ? r.urn : d));
      }
    }
  };
  rename(s.bucket, BV2);
  rename(s.sse, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2");
  rename(s.versioning, "aws:s3/bucketVersioningV2:BucketVersioningV2");
}

const phi = (p: Platform) => p.phiData;
const doc = (...statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const unlink = (r: StateResource) => {
  r.propertyDependencies = {};
  r.dependencies = [];
};

describe("s3", () => {
  policySuite(s3BucketEncryption, {
    cases: [
      {
        name: "no encryption companion",
        mutate: (p) => p.remove(phi(p).sse),
        expect: { violation: "phi-data-bucket", message: /no BucketServerSideEncryptionConfiguration/ },
      },
      {
        name: "a companion of another bucket does not count",
        mutate: (p) => {
          set(phi(p).sse, "bucket", "other-bucket");
          unlink(phi(p).sse);
        },
        expect: { violation: "phi-data-bucket" },
      },
      { name: "BucketV2 with V2 companions is judged the same (compliant)", mutate: (p) => toV2(p, phi(p)), expect: "clean" },
      {
        name: "BucketV2 without encryption fails like Bucket",
        mutate: (p) => {
          toV2(p, phi(p));
          p.remove(phi(p).sse);
        },
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "deprecated inline serverSideEncryptionConfiguration is accepted",
        mutate: (p) => {
          p.remove(phi(p).sse);
          set(phi(p).bucket, "serverSideEncryptionConfiguration", {
            rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } },
          });
        },
        expect: "clean",
      },
      {
        name: "joined by bucket name when propertyDependencies are missing",
        mutate: (p) => {
          phi(p).sse.propertyDependencies = {};
        },
        expect: "clean",
      },
      {
        name: "preview: bucket name unknown, joined through propertyDependencies -> passes",
        mutate: (p) => set(phi(p).sse, "bucket", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: bucket name unknown and no propertyDependencies -> can't run",
        mutate: (p) => {
          set(phi(p).sse, "bucket", UNKNOWN_STRING);
          phi(p).sse.propertyDependencies = { rules: [] };
        },
        expect: "unknown",
      },
    ],
  });
  policySuite(s3PhiBucketKmsEncryption, {
    cases: [
      {
        name: "PHI bucket with SSE-S3",
        mutate: (p) => set(phi(p).sse, "rules", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]),
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "PHI bucket with the AWS-managed key",
        mutate: (p) => set(phi(p).sse, "rules", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }]),
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "alias/aws/s3 is the AWS-managed key",
        mutate: (p) =>
          set(phi(p).sse, "rules", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" } }]),
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "access-log buckets may use SSE-S3 even when untagged (Purpose)",
        mutate: (p) => set(p.accessLogs.bucket, "tags", { Purpose: "access-logs" }),
        expect: "clean",
      },
      {
        name: "preview: kmsMasterKeyId unknown -> passes (key being created)",
        mutate: (p) =>
          set(phi(p).sse, "rules", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN_STRING } }]),
        expect: "clean",
      },
      {
        name: "preview: algorithm unknown -> can't run",
        mutate: (p) => set(phi(p).sse, "rules", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: UNKNOWN_STRING } }]),
        expect: "unknown",
      },
    ],
  });
  policySuite(s3BucketVersioning, {
    cases: [
      {
        name: "no versioning",
        mutate: (p) => p.remove(phi(p).versioning),
        expect: { violation: "phi-data-bucket", message: /no BucketVersioning/ },
      },
      {
        name: "suspended",
        mutate: (p) => set(phi(p).versioning, "versioningConfiguration.status", "Suspended"),
        expect: { violation: "phi-data-bucket", message: /Suspended/ },
      },
      { name: "Object Lock buckets are versioned by construction", mutate: (p) => p.remove(p.incidentReports.versioning), expect: "clean" },
      { name: "BucketVersioningV2 alias counts", mutate: (p) => toV2(p, phi(p)), expect: "clean" },
      {
        name: "preview: status unknown -> can't run",
        mutate: (p) => set(phi(p).versioning, "versioningConfiguration.status", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
  policySuite(s3BucketPublicAccessBlock, {
    cases: [
      { name: "no public access block", mutate: (p) => p.remove(phi(p).pab), expect: { violation: "phi-data-bucket" } },
      {
        name: "one flag off",
        mutate: (p) => set(phi(p).pab, "restrictPublicBuckets", false),
        expect: { violation: "phi-data-bucket", message: /restrictPublicBuckets/ },
      },
      {
        name: "account-level block with a flag off",
        mutate: (p) =>
          p.add("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "account-pab", {
            blockPublicAcls: true,
            blockPublicPolicy: false,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
          }),
        expect: { violation: "account-pab" },
      },
      {
        name: "preview: flag unknown -> can't run",
        mutate: (p) => set(phi(p).pab, "blockPublicPolicy", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
  policySuite(s3BucketNoPublicAcl, {
    otherType: (b) => b.add("aws:s3/bucketObject:BucketObject", "obj", { bucket: "b", key: "k", acl: "public-read" }),
    cases: [
      {
        name: "BucketAcl public-read",
        mutate: (p) => p.add("aws:s3/bucketAcl:BucketAcl", "acl", { bucket: "b", acl: "public-read" }),
        expect: { violation: "acl" },
      },
      {
        name: "BucketAclV2 alias public-read-write",
        mutate: (p) => p.add("aws:s3/bucketAclV2:BucketAclV2", "acl2", { bucket: "b", acl: "public-read-write" }),
        expect: { violation: "acl2" },
      },
      {
        name: "grant to AllUsers",
        mutate: (p) =>
          p.add("aws:s3/bucketAcl:BucketAcl", "grant", {
            bucket: "b",
            accessControlPolicy: {
              owner: { id: "o" },
              grants: [{ permission: "READ", grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" } }],
            },
          }),
        expect: { violation: "grant", message: /AllUsers/ },
      },
      {
        name: "inline acl on the bucket",
        mutate: (p) => set(phi(p).bucket, "acl", "authenticated-read"),
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "private ACL passes",
        mutate: (p) => p.add("aws:s3/bucketAcl:BucketAcl", "acl", { bucket: "b", acl: "private" }),
        expect: "clean",
      },
      {
        name: "preview: acl unknown -> can't run",
        mutate: (p) => p.add("aws:s3/bucketAcl:BucketAcl", "acl", { bucket: "b", acl: UNKNOWN_STRING }),
        expect: "unknown",
      },
    ],
  });
  policySuite(s3BucketPolicyNoPublicAccess, {
    cases: [
      {
        name: "public read statement",
        mutate: (p) =>
          set(phi(p).policy, "policy", doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::x/*" })),
        expect: { violation: "phi-data-policy", message: /to anyone/ },
      },
      {
        name: "a SecureTransport condition does not restrict who",
        mutate: (p) =>
          set(
            phi(p).policy,
            "policy",
            doc({
              Effect: "Allow",
              Principal: { AWS: "*" },
              Action: "s3:GetObject",
              Resource: "*",
              Condition: { Bool: { "aws:SecureTransport": "true" } },
            }),
          ),
        expect: { violation: "phi-data-policy" },
      },
      {
        name: "scoped to the organization passes",
        mutate: (p) =>
          set(
            phi(p).policy,
            "policy",
            doc({
              Effect: "Allow",
              Principal: "*",
              Action: "s3:GetObject",
              Resource: "*",
              Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } },
            }),
          ),
        expect: "clean",
      },
      {
        name: "inline bucket policy is judged",
        mutate: (p) => set(phi(p).bucket, "policy", doc({ Effect: "Allow", Principal: "*", Action: "s3:PutObject", Resource: "*" })),
        expect: { violation: "phi-data-bucket" },
      },
      { name: "preview: policy unknown -> can't run", mutate: (p) => set(phi(p).policy, "policy", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
  policySuite(s3BucketSslRequestsOnly, {
    cases: [
      {
        name: "no bucket policy",
        mutate: (p) => p.remove(phi(p).policy),
        expect: { violation: "phi-data-bucket", message: /no bucket policy/ },
      },
      {
        name: "policy without the TLS deny",
        mutate: (p) => set(phi(p).policy, "policy", doc({ Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: "*" })),
        expect: { violation: "phi-data-bucket", message: /SecureTransport/ },
      },
      {
        name: "deny that misses the objects",
        mutate: (p) => {
          const arn = String(phi(p).bucket.outputs.arn);
          set(
            phi(p).policy,
            "policy",
            doc({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: arn, Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          );
        },
        expect: { violation: "phi-data-bucket" },
      },
      { name: "preview: policy unknown -> can't run", mutate: (p) => set(phi(p).policy, "policy", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
  policySuite(s3BucketAclsDisabled, {
    cases: [
      {
        name: "ObjectWriter ownership",
        mutate: (p) => set(phi(p).ownership, "rule.objectOwnership", "ObjectWriter"),
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "a BucketAcl companion",
        mutate: (p) =>
          p.add(
            "aws:s3/bucketAcl:BucketAcl",
            "acl",
            { bucket: phi(p).bucket.inputs.bucket, acl: "private" },
            { pd: { bucket: [phi(p).bucket] } },
          ),
        expect: { violation: "phi-data-bucket" },
      },
      { name: "no ownership controls means the default BucketOwnerEnforced", mutate: (p) => p.remove(phi(p).ownership), expect: "clean" },
      {
        name: "preview: ownership unknown -> can't run",
        mutate: (p) => set(phi(p).ownership, "rule.objectOwnership", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
  policySuite(s3BucketServerAccessLogging, {
    cases: [
      { name: "no logging", mutate: (p) => p.remove(phi(p).logging as StateResource), expect: { violation: "phi-data-bucket" } },
      { name: "the access-log bucket itself is exempt by Purpose", expect: "clean" },
      // Stance change (issue 12): the target of server access logs is recognised by structure, whatever its tags.
      {
        name: "an untagged access-log target is exempt by structure",
        mutate: (p) => set(p.accessLogs.bucket, "tags", { DataClassification: "Internal" }),
        expect: "clean",
      },
      {
        name: "preview: target bucket unknown -> passes (bucket being created)",
        mutate: (p) => set(phi(p).logging as StateResource, "targetBucket", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: companion's bucket unknown without dependencies -> can't run",
        mutate: (p) => {
          const l = phi(p).logging as StateResource;
          set(l, "bucket", UNKNOWN_STRING);
          unlink(l);
        },
        expect: "unknown",
      },
    ],
  });
  policySuite(s3LogBucketRetentionLifecycle, {
    env: "prod",
    cases: [
      {
        name: "audit logs expire after 90 days in prod",
        mutate: (p) => set(p.auditLogs.lifecycle, "rules.0.expiration", { days: 90 }),
        expect: { violation: "audit-logs-bucket", message: /90 days/ },
      },
      {
        name: "a CloudTrail bucket (Purpose audit-trail) is a log bucket too",
        mutate: (p) => {
          set(p.auditLogs.bucket, "tags.Purpose", "audit-trail");
          set(p.auditLogs.lifecycle, "rules.0.noncurrentVersionExpiration", { noncurrentDays: 90 });
        },
        expect: { violation: "audit-logs-bucket", message: /audit-trail bucket .*noncurrent versions after 90 days/ },
      },
      {
        name: "noncurrent versions deleted after 30 days",
        mutate: (p) => set(p.accessLogs.lifecycle, "rules.0.noncurrentVersionExpiration", { noncurrentDays: 30 }),
        expect: { violation: "access-logs-bucket", message: /noncurrent/ },
      },
      {
        name: "noncurrent versions are not checked when configured off",
        config: { "s3-log-bucket-retention-lifecycle": { checkNoncurrentVersions: false } },
        mutate: (p) => set(p.accessLogs.lifecycle, "rules.0.noncurrentVersionExpiration", { noncurrentDays: 30 }),
        expect: "clean",
      },
      {
        name: "fixed expiration date",
        mutate: (p) => set(p.auditLogs.lifecycle, "rules.0.expiration", { date: "2026-01-01T00:00:00Z" }),
        expect: { violation: "audit-logs-bucket", message: /fixed date/ },
      },
      {
        name: "a disabled rule does not count",
        mutate: (p) => {
          set(p.auditLogs.lifecycle, "rules.0.expiration", { days: 90 });
          set(p.auditLogs.lifecycle, "rules.0.status", "Disabled");
        },
        expect: "clean",
      },
      {
        name: "90 days is fine in dev",
        env: "dev",
        mutate: (p) => set(p.auditLogs.lifecycle, "rules.0.expiration", { days: 90 }),
        expect: "clean",
      },
      {
        name: "a dev floor from config",
        env: "dev",
        config: { "s3-log-bucket-retention-lifecycle": { minRetentionDays: 365 } },
        mutate: (p) => set(p.auditLogs.lifecycle, "rules.0.expiration", { days: 90 }),
        expect: { violation: "audit-logs-bucket" },
      },
      {
        name: "non-log buckets are not checked",
        mutate: (p) => set(phi(p).lifecycle, "rules.0.expiration", { days: 30 }),
        expect: "clean",
      },
      {
        name: "preview: expiration days unknown -> can't run",
        mutate: (p) => set(p.auditLogs.lifecycle, "rules.0.expiration", { days: UNKNOWN_NUMBER }),
        expect: "unknown",
      },
    ],
  });
  policySuite(s3IncidentReportObjectLock, {
    env: "prod",
    cases: [
      {
        name: "GOVERNANCE in prod",
        mutate: (p) => set(p.incidentReports.lock as StateResource, "rule.defaultRetention", { mode: "GOVERNANCE", years: 6 }),
        expect: { violation: "incident-reports-bucket", message: /COMPLIANCE/ },
      },
      {
        name: "one year of retention in prod",
        mutate: (p) => set(p.incidentReports.lock as StateResource, "rule.defaultRetention", { mode: "COMPLIANCE", years: 1 }),
        expect: { violation: "incident-reports-bucket", message: /2192/ },
      },
      { name: "GOVERNANCE is allowed in dev", env: "dev", expect: "clean" },
      {
        name: "Object Lock not enabled on the bucket",
        mutate: (p) => set(p.incidentReports.bucket, "objectLockEnabled", undefined),
        expect: { violation: "incident-reports-bucket", message: /not enabled/ },
      },
      {
        name: "no default retention",
        mutate: (p) => p.remove(p.incidentReports.lock as StateResource),
        expect: { violation: "incident-reports-bucket" },
      },
      {
        name: "preview: mode unknown -> can't run",
        mutate: (p) => set(p.incidentReports.lock as StateResource, "rule.defaultRetention.mode", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
  policySuite(s3PhiBucketReplication, {
    cases: [
      { name: "no replication", mutate: (p) => p.remove(phi(p).replication as StateResource), expect: { violation: "phi-data-bucket" } },
      {
        name: "the destination of an enabled rule is the second copy",
        mutate: (p) => {
          const archive = p.archive.bucket;
          p.remove(p.archive.replication as StateResource);
          set(phi(p).replication as StateResource, "rules.0.destination.bucket", `arn:aws:s3:::${archive.inputs.bucket as string}`);
        },
        expect: "clean",
      },
      {
        name: "a disabled rule does not make its destination a replica",
        mutate: (p) => {
          const archive = p.archive.bucket;
          p.remove(p.archive.replication as StateResource);
          set(phi(p).replication as StateResource, "rules", [
            { id: "dr", status: "Enabled", destination: { bucket: "arn:aws:s3:::elsewhere-dr" } },
            { id: "old", status: "Disabled", destination: { bucket: `arn:aws:s3:::${archive.inputs.bucket as string}` } },
          ]);
        },
        expect: { violation: "event-archive-bucket" },
      },
      {
        name: "preview: rule status unknown -> can't run",
        mutate: (p) => set(phi(p).replication as StateResource, "rules.0.status", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
  policySuite(s3VersionedBucketLifecycle, {
    cases: [
      { name: "versioned bucket without lifecycle", mutate: (p) => p.remove(phi(p).lifecycle), expect: { violation: "phi-data-bucket" } },
      {
        name: "preview: lifecycle's bucket unknown without dependencies -> can't run",
        mutate: (p) => {
          set(phi(p).lifecycle, "bucket", UNKNOWN_STRING);
          unlink(phi(p).lifecycle);
        },
        expect: "unknown",
      },
    ],
  });
});
