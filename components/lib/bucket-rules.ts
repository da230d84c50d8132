/**
 * SecureBucket's pure planning and validation (exported and tested with tables): where load
 * balancers deliver logs, the lifecycle's tiers and expirations, and every check of the arguments.
 */
import type { ObjectLockSettings, SecureBucketArgs } from "./secure-bucket";

/** Where an Application Load Balancer writes its access logs in a {@link SecureBucket}. */
export interface LoadBalancerLogTarget {
  /** Key prefix the load balancer writes under (its `accessLogs.prefix`); ELB appends `/AWSLogs/<account>/...`. */
  readonly prefix: string;
}

/**
 * Elastic Load Balancing's log-delivery account per Region, for the Regions that became available
 * before August 2022: the bucket policy grants this account's root; every later Region uses the
 * service principal `logdelivery.elasticloadbalancing.amazonaws.com` instead
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html,
 * "Step 2: Attach a policy to your S3 bucket").
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = Object.freeze({
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-south-1": "718504428378",
  "ap-northeast-1": "582318560864",
  "ap-northeast-2": "600734575887",
  "ap-northeast-3": "383597477331",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-west-3": "009996457667",
  "eu-south-1": "635631232127",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-gov-west-1": "048591011584",
  "us-gov-east-1": "190560391635",
});

/** The service principal of ELB log delivery in the Regions available since August 2022. */
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/** Who delivers a load balancer's access logs in `region`: the Region's ELB account, or the log-delivery service. */
export function elbLogDeliveryPrincipal(region: string, partition: string): { type: string; identifiers: string[] } {
  const account = ELB_LOG_DELIVERY_ACCOUNTS[region];
  return account === undefined
    ? { type: "Service", identifiers: [ELB_LOG_DELIVERY_SERVICE] }
    : { type: "AWS", identifiers: [`arn:${partition}:iam::${account}:root`] };
}

/** A load balancer's log prefix: no leading or trailing '/', no `AWSLogs` (ELB adds it), S3-safe characters. */
export function validateLoadBalancerLogPrefix(prefix: string): string | undefined {
  if (!/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/.test(prefix) || prefix.includes("AWSLogs")) {
    return (
      `loadBalancerLogs.prefix must be a key prefix without a leading or trailing "/" and without "AWSLogs" (ELB adds AWSLogs/<account>/ itself), ` +
      `got ${JSON.stringify(prefix)}`
    );
  }
  return undefined;
}

/** Abort incomplete multipart uploads after this many days (their parts are billed but invisible). */
export const ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS = 7;
/** Default for {@link SecureBucketArgs.noncurrentVersionExpirationInDays}. */
export const DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS = 90;
/** Floor for noncurrent-version expiration: a month to notice and undo an overwrite or delete. */
export const MIN_NONCURRENT_VERSION_EXPIRATION_DAYS = 30;

/**
 * Tiering of current objects. S3 refuses a STANDARD_IA transition earlier than 30 days, and bills
 * STANDARD_IA for at least 30 and GLACIER_IR for at least 90 days of storage; an expiration must
 * also come after every transition. So a tier is used only when objects stay in it for its minimum
 * storage duration before they expire.
 */
export const STORAGE_TIERS: readonly { storageClass: string; days: number; minimumStorageDays: number }[] = [
  { storageClass: "STANDARD_IA", days: 30, minimumStorageDays: 30 },
  { storageClass: "GLACIER_IR", days: 90, minimumStorageDays: 90 },
];

/** The transitions of current objects that fit before `expireCurrentObjectsAfterDays` (none: all). */
export function currentObjectTransitions(expireCurrentObjectsAfterDays?: number): { days: number; storageClass: string }[] {
  return STORAGE_TIERS.filter(
    (t) => expireCurrentObjectsAfterDays === undefined || t.days + t.minimumStorageDays <= expireCurrentObjectsAfterDays,
  ).map((t) => ({ days: t.days, storageClass: t.storageClass }));
}

const isWholeNumber = (n: number): boolean => Number.isInteger(n);

/**
 * Days noncurrent versions are kept: as asked, else 90 days, but in a log bucket never less than
 * the data retention (there a deleted or overwritten log survives only as a noncurrent version).
 */
export function noncurrentVersionDays(requested: number | undefined, holdsLogs: boolean, dataRetentionInDays: number): number {
  if (requested !== undefined) return requested;
  return holdsLogs ? Math.max(DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS, dataRetentionInDays) : DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS;
}

/** Problems with the noncurrent-version expiration, or undefined. */
export function validateNoncurrentVersionExpiration(days: number, holdsLogs = false, dataRetentionInDays = 0): string | undefined {
  if (!isWholeNumber(days) || days < MIN_NONCURRENT_VERSION_EXPIRATION_DAYS) {
    return `noncurrentVersionExpirationInDays must be a whole number of at least ${MIN_NONCURRENT_VERSION_EXPIRATION_DAYS}, got ${days}`;
  }
  if (holdsLogs && days < dataRetentionInDays) {
    return (
      `noncurrentVersionExpirationInDays of a log bucket must be at least dataRetentionInDays (${dataRetentionInDays}), got ${days}: ` +
      "a deleted log survives only as a noncurrent version (omit the arg to keep them for the retention)"
    );
  }
  return undefined;
}

/** Current objects may expire only once the data retention has passed. */
export function validateExpireCurrentObjects(days: number | undefined, dataRetentionInDays: number): string | undefined {
  if (days === undefined) return undefined;
  if (!isWholeNumber(days) || days < dataRetentionInDays) {
    return `expireCurrentObjectsAfterDays must be at least dataRetentionInDays (${dataRetentionInDays}), got ${days}`;
  }
  return undefined;
}

/** Object Lock needs a known mode and a retention of at least one whole day. */
export function validateObjectLock(objectLock: ObjectLockSettings | undefined): string | undefined {
  if (objectLock === undefined) return undefined;
  if (objectLock.mode !== "GOVERNANCE" && objectLock.mode !== "COMPLIANCE") {
    return `objectLock.mode must be GOVERNANCE or COMPLIANCE, got ${String(objectLock.mode)}`;
  }
  if (!isWholeNumber(objectLock.retentionInDays) || objectLock.retentionInDays < 1) {
    return `objectLock.retentionInDays must be a whole number of at least 1, got ${objectLock.retentionInDays}`;
  }
  return undefined;
}

/** The purpose becomes part of the bucket name and the log prefix: lowercase letters, digits, '-'. */
export function validatePurpose(purpose: string): string | undefined {
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(purpose)) {
    return `purpose must be lowercase letters, digits and inner hyphens (e.g. "phi-data"), got ${JSON.stringify(purpose)}`;
  }
  return undefined;
}

/** Every bucket logs its access, except the access-log bucket itself (which must not log to itself). */
export function validateAccessLogging(hasAccessLogBucket: boolean, isAccessLogTarget: boolean): string | undefined {
  if (isAccessLogTarget && hasAccessLogBucket) {
    return "accessLogBucket must not be set when isAccessLogTarget is true (the access-log bucket would log to itself)";
  }
  if (!isAccessLogTarget && !hasAccessLogBucket) {
    return "accessLogBucket is required: pass the access-log bucket's name (or set isAccessLogTarget: true for that bucket itself)";
  }
  return undefined;
}

/** Whether the bucket keeps logs (explicitly, or because it is a log target). */
export function holdsLogs(args: SecureBucketArgs): boolean {
  return args.isAccessLogTarget === true || args.loadBalancerLogs !== undefined || args.holdsLogs === true;
}

/** The access-log bucket holds logs by definition: it cannot opt out of keeping them. */
export function validateHoldsLogs(holdsLogsArg: boolean | undefined, isAccessLogTarget: boolean): string | undefined {
  if (isAccessLogTarget && holdsLogsArg === false) {
    return "holdsLogs cannot be false for the access-log bucket (isAccessLogTarget): its logs must outlive the retention; remove the arg";
  }
  return undefined;
}

/**
 * A data bucket is SSE-KMS under the caller's key; a log-target bucket is SSE-S3 and takes no key
 * (S3 server access logging cannot write into an SSE-KMS bucket).
 */
export function validateEncryptionKey(hasKmsKey: boolean, isAccessLogTarget: boolean): string | undefined {
  if (isAccessLogTarget && hasKmsKey) {
    return (
      "kmsKeyArn must not be set when isAccessLogTarget is true: S3 server access logs can only be delivered into an SSE-S3 bucket " +
      "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html); remove kmsKeyArn"
    );
  }
  if (!isAccessLogTarget && !hasKmsKey) {
    return "kmsKeyArn is required: pass the customer-managed key that encrypts the bucket's objects (only the access-log bucket goes without)";
  }
  return undefined;
}

/** Every problem with the args of a SecureBucket (empty when valid). */
export function secureBucketArgProblems(args: SecureBucketArgs): string[] {
  return [
    validatePurpose(args.purpose),
    args.loadBalancerLogs === undefined
      ? validateEncryptionKey(args.kmsKeyArn !== undefined, args.isAccessLogTarget === true)
      : args.kmsKeyArn !== undefined
        ? "kmsKeyArn must not be set with loadBalancerLogs: ELB access logs can only be delivered into an SSE-S3 bucket " +
          "(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html); remove kmsKeyArn"
        : undefined,
    args.loadBalancerLogs !== undefined && args.isAccessLogTarget === true
      ? "loadBalancerLogs and isAccessLogTarget are two kinds of log target: give each its own bucket"
      : undefined,
    args.loadBalancerLogs !== undefined && args.replicateTo !== undefined
      ? "replicateTo must not be set with loadBalancerLogs: load balancer logs stay in their region (the replication role uses KMS keys)"
      : undefined,
    args.loadBalancerLogs === undefined ? undefined : validateLoadBalancerLogPrefix(args.loadBalancerLogs.prefix),
    args.loadBalancerLogs !== undefined && args.holdsLogs === false
      ? "holdsLogs cannot be false for a load-balancer log bucket: its logs must outlive the retention; remove the arg"
      : undefined,
    args.isAccessLogTarget === true && args.replicateTo !== undefined
      ? "replicateTo must not be set when isAccessLogTarget is true: each region keeps its own access logs (S3 delivers them only within a region)"
      : undefined,
    validateAccessLogging(args.accessLogBucket !== undefined, args.isAccessLogTarget === true),
    validateHoldsLogs(args.holdsLogs, args.isAccessLogTarget === true),
    validateNoncurrentVersionExpiration(
      noncurrentVersionDays(args.noncurrentVersionExpirationInDays, holdsLogs(args), args.config.dataRetentionInDays),
      holdsLogs(args),
      args.config.dataRetentionInDays,
    ),
    validateExpireCurrentObjects(args.expireCurrentObjectsAfterDays, args.config.dataRetentionInDays),
    validateObjectLock(args.objectLock),
  ].filter((p): p is string => p !== undefined);
}
