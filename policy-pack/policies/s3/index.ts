// S3. In @pulumi/aws v7 a bucket's settings are companion resources (BucketVersioning,
// BucketServerSideEncryptionConfiguration, BucketPublicAccessBlock, BucketLogging,
// BucketLifecycleConfiguration, BucketPolicy, BucketObjectLockConfiguration, BucketAcl, ...), so
// most checks are stack policies that join each bucket to its companions (lib/join.ts) and report
// a missing or wrong companion on the bucket's URN. The deprecated aliases (BucketV2, the ...V2
// companions) are judged exactly like the current types. The deprecated inline arguments of
// Bucket (versioning, serverSideEncryptionConfiguration, ...) still configure the bucket and are
// accepted as equivalent.

import { s3BucketEncryption } from "./s3-bucket-encryption";
import { s3BucketKeyEnabled } from "./s3-bucket-key-enabled";
import { s3PhiBucketKmsEncryption } from "./s3-phi-bucket-kms-encryption";
import { s3BucketVersioning } from "./s3-bucket-versioning";
import { s3BucketPublicAccessBlock } from "./s3-bucket-public-access-block";
import { s3BucketNoPublicAcl } from "./s3-bucket-no-public-acl";
import { s3BucketPolicyNoPublicAccess } from "./s3-bucket-policy-no-public-access";
import { s3BucketSslRequestsOnly } from "./s3-bucket-ssl-requests-only";
import { s3BucketAclsDisabled } from "./s3-bucket-acls-disabled";
import { s3BucketServerAccessLogging } from "./s3-bucket-server-access-logging";
import { s3LogBucketRetentionLifecycle } from "./s3-log-bucket-retention-lifecycle";
import { s3IncidentReportObjectLock } from "./s3-incident-report-object-lock";
import { replicaOf, s3PhiBucketReplication } from "./s3-phi-bucket-replication";
import { s3VersionedBucketLifecycle } from "./s3-versioned-bucket-lifecycle";
import { s3LogTargetSseS3 } from "./s3-log-target-sse-s3";
import { s3NoHeaderRequiringDenyOnServiceBuckets } from "./s3-no-header-requiring-deny-on-service-buckets";
import { s3ObjectLockAtCreation } from "./s3-object-lock-at-creation";

export {
  s3BucketEncryption,
  s3BucketKeyEnabled,
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
  replicaOf,
  s3PhiBucketReplication,
  s3VersionedBucketLifecycle,
  s3LogTargetSseS3,
  s3NoHeaderRequiringDenyOnServiceBuckets,
  s3ObjectLockAtCreation,
};

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
