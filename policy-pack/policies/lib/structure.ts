// What the stack's structure says a resource is, whatever its tags.
//
// A bucket is a log bucket when something in the stack delivers logs to it: the target of a
// BucketLogging (server access logs), a trail's `s3BucketName`, a load balancer's
// `accessLogs.bucket` or `connectionLogs.bucket`, a WAF logging configuration's S3 destination, a
// Firehose stream's S3 destination or backup. A bucket is a PHI bucket by
// structure when a trail records its object-level data events or when it is the source of a
// replication configuration. Tags refine (a DataClassification or Purpose tag can add a bucket that
// the structure does not show, e.g. a log bucket whose sources live in other stacks); they never
// remove what the structure shows.
//
// The roles are computed once per stack (one pass over the resources, with an index from every
// name, id and ARN to its bucket), so a policy that asks for the roles of every bucket stays linear.

import { PolicyResource } from "@pulumi/policy";
import { identifiers, ofTypes } from "./join";
import { BUCKET_TYPES, LB_TYPES, S3, T } from "./types";
import { isRec, probe, UNKNOWN } from "./util";

export type BucketRole =
  | "access-log-target"
  | "trail-target"
  | "elb-log-target"
  | "waf-log-target"
  | "firehose-destination"
  | "data-events"
  | "replication-source"
  | "replication-destination"
  | "log-replica";

/** Roles that make a bucket a log bucket. */
export const LOG_ROLES: readonly BucketRole[] = [
  "access-log-target",
  "trail-target",
  "elb-log-target",
  "waf-log-target",
  "firehose-destination",
  "log-replica",
];

/** Roles whose writer is an AWS service that sends no encryption header (it relies on default encryption). */
export const SERVICE_WRITTEN_ROLES: readonly BucketRole[] = [
  "access-log-target",
  "trail-target",
  "elb-log-target",
  "firehose-destination",
  "replication-destination",
];

export interface Structure {
  /** Bucket URN -> the roles the stack gives it. */
  bucketRoles: Map<string, Set<BucketRole>>;
  /** Any name, id or ARN -> the bucket it identifies. */
  bucketByIdentifier: Map<string, PolicyResource>;
  /** Role ARN/name/id -> role. */
  roleByIdentifier: Map<string, PolicyResource>;
}

const cache = new WeakMap<readonly PolicyResource[], Structure>();
const isBucket = ofTypes(BUCKET_TYPES);

/** The bucket named by an S3 ARN (`arn:aws:s3:::name[/key...]`) or a plain name. */
export function bucketNameOf(ref: string): string {
  const m = ref.match(/^arn:aws[a-z-]*:s3:::([^/]+)/);
  return m ? m[1] : ref;
}

function resolve(
  index: Map<string, PolicyResource>,
  from: PolicyResource,
  pdKey: string,
  value: unknown,
  isKind: (r: PolicyResource) => boolean,
): PolicyResource | undefined {
  if (typeof value === "string" && value !== "") {
    const hit = index.get(value) ?? index.get(bucketNameOf(value));
    if (hit) {
      return hit;
    }
  }
  // Unknown during preview, or a value that differs from every literal: let the engine's record
  // of where the input came from decide when it names exactly one resource of the kind.
  const pd = (from.propertyDependencies?.[pdKey] ?? []).filter(isKind);
  return pd.length === 1 ? pd[0] : undefined;
}

function strings(v: unknown): unknown[] {
  if (v === UNKNOWN) {
    return [UNKNOWN];
  }
  if (Array.isArray(v)) {
    return Array.from({ length: v.length }, (_, i) => probe(v, i));
  }
  return v === undefined || v === null ? [] : [v];
}

function first(v: unknown): unknown {
  return Array.isArray(v) ? probe(v, 0) : v;
}

const FIREHOSE_DESTINATIONS = [
  "extendedS3Configuration",
  "opensearchConfiguration",
  "opensearchserverlessConfiguration",
  "elasticsearchConfiguration",
  "httpEndpointConfiguration",
  "splunkConfiguration",
  "redshiftConfiguration",
  "snowflakeConfiguration",
  "icebergConfiguration",
];

/** The structure of the stack whose resources are `resources` (cached per resources array). */
export function structureOf(resources: readonly PolicyResource[]): Structure {
  const cached = cache.get(resources);
  if (cached) {
    return cached;
  }
  const bucketByIdentifier = new Map<string, PolicyResource>();
  const roleByIdentifier = new Map<string, PolicyResource>();
  const bucketRoles = new Map<string, Set<BucketRole>>();
  for (const r of resources) {
    if (isBucket(r)) {
      bucketRoles.set(r.urn, new Set());
      for (const id of identifiers(r).known) {
        bucketByIdentifier.set(id, r);
      }
    } else if (r.type === T.iamRole) {
      for (const id of identifiers(r).known) {
        roleByIdentifier.set(id, r);
      }
    }
  }
  const mark = (b: PolicyResource | undefined, role: BucketRole) => {
    if (b) {
      bucketRoles.get(b.urn)?.add(role);
    }
  };
  const logging = new Set<string>(S3.logging);
  const replication = new Set<string>(S3.replication);
  const lbs = new Set<string>(LB_TYPES);
  for (const r of resources) {
    if (logging.has(r.type)) {
      mark(resolve(bucketByIdentifier, r, "targetBucket", probe(r.props, "targetBucket"), isBucket), "access-log-target");
    } else if (r.type === T.trail) {
      mark(resolve(bucketByIdentifier, r, "s3BucketName", probe(r.props, "s3BucketName"), isBucket), "trail-target");
      for (const sel of strings(probe(r.props, "advancedEventSelectors"))) {
        for (const f of strings(probe(sel, "fieldSelectors"))) {
          if (isRec(f) && probe(f, "field") === "resources.ARN") {
            for (const v of strings(probe(f, "startsWiths"))) {
              mark(typeof v === "string" ? bucketByIdentifier.get(bucketNameOf(v)) : undefined, "data-events");
            }
          }
        }
      }
      for (const sel of strings(probe(r.props, "eventSelectors"))) {
        for (const dr of strings(probe(sel, "dataResources"))) {
          if (probe(dr, "type") === "AWS::S3::Object") {
            for (const v of strings(probe(dr, "values"))) {
              mark(typeof v === "string" ? bucketByIdentifier.get(bucketNameOf(v)) : undefined, "data-events");
            }
          }
        }
      }
    } else if (lbs.has(r.type)) {
      // Access logs and connection logs are delivered alike, to a bucket with SSE-S3
      // (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-connection-logging.html).
      for (const key of ["accessLogs", "connectionLogs"]) {
        const logs = first(probe(r.props, key));
        if (logs !== undefined && logs !== UNKNOWN && probe(logs, "enabled") !== false) {
          mark(resolve(bucketByIdentifier, r, key, probe(logs, "bucket"), isBucket), "elb-log-target");
        }
      }
    } else if (r.type === T.webAclLogging) {
      // WAF logs straight to a bucket named aws-waf-logs-* (an S3 ARN among logDestinationConfigs)
      // https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html
      for (const arn of strings(probe(r.props, "logDestinationConfigs"))) {
        if (typeof arn === "string" && arn.startsWith("arn:aws:s3:::")) {
          mark(bucketByIdentifier.get(bucketNameOf(arn)), "waf-log-target");
        }
      }
    } else if (r.type === T.firehose) {
      for (const key of FIREHOSE_DESTINATIONS) {
        const cfg = first(probe(r.props, key));
        if (cfg === undefined || cfg === UNKNOWN) {
          continue;
        }
        const arns = [
          probe(cfg, "bucketArn"),
          probe(first(probe(cfg, "s3Configuration")), "bucketArn"),
          probe(first(probe(cfg, "s3BackupConfiguration")), "bucketArn"),
        ];
        for (const arn of arns) {
          if (arn !== undefined) {
            mark(resolve(bucketByIdentifier, r, key, arn, isBucket), "firehose-destination");
          }
        }
      }
    } else if (replication.has(r.type)) {
      mark(resolve(bucketByIdentifier, r, "bucket", probe(r.props, "bucket"), isBucket), "replication-source");
      for (const rule of strings(probe(r.props, "rules"))) {
        const dest = probe(first(probe(rule, "destination")), "bucket");
        mark(typeof dest === "string" ? bucketByIdentifier.get(bucketNameOf(dest)) : undefined, "replication-destination");
      }
    }
  }
  // A replica of a log bucket is a log bucket (kept as long, never PHI by structure).
  for (const r of resources) {
    if (!replication.has(r.type)) {
      continue;
    }
    const source = resolve(bucketByIdentifier, r, "bucket", probe(r.props, "bucket"), isBucket);
    const sourceRoles = source ? bucketRoles.get(source.urn) : undefined;
    if (!sourceRoles || !LOG_ROLES.some((x) => sourceRoles.has(x))) {
      continue;
    }
    for (const rule of strings(probe(r.props, "rules"))) {
      const dest = probe(first(probe(rule, "destination")), "bucket");
      mark(typeof dest === "string" ? bucketByIdentifier.get(bucketNameOf(dest)) : undefined, "log-replica");
    }
  }
  const out: Structure = { bucketRoles, bucketByIdentifier, roleByIdentifier };
  cache.set(resources, out);
  return out;
}

export function rolesOf(resources: readonly PolicyResource[], bucket: PolicyResource): ReadonlySet<BucketRole> {
  return structureOf(resources).bucketRoles.get(bucket.urn) ?? new Set();
}

export function hasRole(resources: readonly PolicyResource[], bucket: PolicyResource, roles: readonly BucketRole[]): boolean {
  const own = rolesOf(resources, bucket);
  return roles.some((r) => own.has(r));
}

/** Log-delivery targets that AWS writes only with SSE-S3 (never PHI, never a customer-managed key). */
export const SSE_S3_ONLY_ROLES: readonly BucketRole[] = ["access-log-target", "elb-log-target"];

/** Roles that make a bucket a PHI bucket whatever its classification tag. */
export const PHI_ROLES: readonly BucketRole[] = ["data-events", "replication-source"];

/**
 * A PHI bucket: the structure says so (a trail records its data events, it is a replication
 * source, and it is not a log bucket) or its classification tag does (`classifiedPhi`), unless it is an access-log or load
 * balancer log target (AWS writes those only with SSE-S3; they must not hold PHI).
 */
export function isPhiBucket(resources: readonly PolicyResource[], bucket: PolicyResource, classifiedPhi: boolean): boolean {
  if (hasRole(resources, bucket, SSE_S3_ONLY_ROLES)) {
    return false;
  }
  // Data events and replication of a log bucket guard the logs themselves: not a sign of PHI.
  return classifiedPhi || (hasRole(resources, bucket, PHI_ROLES) && !hasRole(resources, bucket, LOG_ROLES));
}

/** A log bucket: the structure says so, or a Purpose tag in `purposes` declares it (targets whose sources live elsewhere). */
export function isLogBucket(resources: readonly PolicyResource[], bucket: PolicyResource, taggedAsLog: boolean): boolean {
  return taggedAsLog || hasRole(resources, bucket, LOG_ROLES);
}
