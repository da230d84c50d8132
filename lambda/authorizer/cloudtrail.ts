/**
 * Reads what the authorizer needs from one CloudTrail event: the principal the grants are looked
 * up for, and the object accesses the event implies (bucket, key, read/write/delete).
 *
 * Event shape: https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-understanding-s3-entries.html
 * userIdentity: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 * - IAMUser / Root: `arn`.
 * - AssumedRole: the session's role, `sessionContext.sessionIssuer.arn` (falling back to the role
 *   named in the `assumed-role/<role>/<session>` ARN); FederatedUser likewise its issuer.
 * - AWSService: the service principal in `invokedBy` (e.g. `s3.amazonaws.com` for replication).
 * - AWSAccount (a caller in another account whose identity is not shared): `arn` if present, else
 *   the account root `arn:<partition>:iam::<accountId>:root`.
 * `invokedBy` on other types names a service acting with the principal's credentials (Athena,
 * for example): the principal is still the identity whose credentials were used.
 */
import type { Access } from "./contract";

/** An access the event implies. `key` is absent when the call names no single key (DeleteObjects). */
export interface ObjectAccess {
  readonly bucket: string;
  readonly key?: string;
  readonly access: Access;
}

export interface EventFacts {
  readonly eventId?: string;
  readonly eventTime?: string;
  /** Milliseconds since the epoch of `eventTime`, or undefined when absent or unparseable. */
  readonly eventTimeMs?: number;
  /** False for anything that is not an S3 object-level (or key-listing) call. */
  readonly applicable: boolean;
  readonly principal?: string;
  readonly principalType?: string;
  readonly crossAccount?: boolean;
  readonly invokedBy?: string;
  readonly accesses: readonly ObjectAccess[];
}

/** S3 object-level API calls and the access each needs. CopyObject / UploadPartCopy also read their source. */
const OBJECT_EVENTS: Readonly<Record<string, Access>> = {
  GetObject: "read",
  HeadObject: "read",
  GetObjectAcl: "read",
  GetObjectAttributes: "read",
  GetObjectTagging: "read",
  GetObjectLegalHold: "read",
  GetObjectRetention: "read",
  GetObjectTorrent: "read",
  SelectObjectContent: "read",
  ListParts: "read",
  PutObject: "write",
  CopyObject: "write",
  CreateMultipartUpload: "write",
  UploadPart: "write",
  UploadPartCopy: "write",
  CompleteMultipartUpload: "write",
  AbortMultipartUpload: "write",
  PutObjectAcl: "write",
  PutObjectTagging: "write",
  DeleteObjectTagging: "write",
  PutObjectLegalHold: "write",
  PutObjectRetention: "write",
  RestoreObject: "write",
  DeleteObject: "delete",
  DeleteObjects: "delete",
};
/** Listing calls disclose key names (which may hold patient identifiers): a read of the listed prefix. */
const LIST_EVENTS = new Set(["ListObjects", "ListObjectsV2", "ListObjectVersions", "ListMultipartUploads"]);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** `arn:aws:sts::123456789012:assumed-role/Role/Session` -> `arn:aws:iam::123456789012:role/Role` (without the role's path). */
function roleOfSession(arn: string | undefined): string | undefined {
  const m = arn === undefined ? null : /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : undefined;
}

function partitionOf(event: Record<string, unknown>): string {
  const region = str(event.awsRegion) ?? "";
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

function principalOf(event: Record<string, unknown>): Pick<EventFacts, "principal" | "principalType" | "crossAccount" | "invokedBy"> {
  const ui = event.userIdentity;
  if (!isRecord(ui)) return {};
  const type = str(ui.type);
  const arn = str(ui.arn);
  const accountId = str(ui.accountId);
  const invokedBy = str(ui.invokedBy);
  const issuer =
    isRecord(ui.sessionContext) && isRecord(ui.sessionContext.sessionIssuer) ? str(ui.sessionContext.sessionIssuer.arn) : undefined;
  const recipient = str(event.recipientAccountId);
  let principal: string | undefined;
  switch (type) {
    case "AssumedRole":
      principal = issuer ?? roleOfSession(arn);
      break;
    case "FederatedUser":
      principal = issuer ?? arn;
      break;
    case "AWSService":
      principal = invokedBy;
      break;
    case "AWSAccount":
      principal = arn ?? (accountId && /^\d{12}$/.test(accountId) ? `arn:${partitionOf(event)}:iam::${accountId}:root` : undefined);
      break;
    default:
      principal = arn;
  }
  const crossAccount = accountId !== undefined && recipient !== undefined ? accountId !== recipient : undefined;
  return { principal, principalType: type, crossAccount, invokedBy };
}

/** `x-amz-copy-source`: `bucket/key`, `/bucket/key`, URL-encoded, maybe with `?versionId=`. */
function copySource(value: unknown): ObjectAccess | undefined {
  const raw = str(value);
  if (raw === undefined) return undefined;
  const path = raw.replace(/^\//, "").replace(/\?versionId=.*$/, "");
  const slash = path.indexOf("/");
  if (slash <= 0) return undefined;
  let key = path.slice(slash + 1);
  try {
    key = decodeURIComponent(key);
  } catch {
    // Not URL-encoded after all: keep it as written.
  }
  return { bucket: path.slice(0, slash), key, access: "read" };
}

/** The bucket and key from the `AWS::S3::Object` resource ARN, when requestParameters lack them. */
function objectFromResources(resources: unknown): { bucket?: string; key?: string } {
  if (!Array.isArray(resources)) return {};
  for (const r of resources) {
    if (!isRecord(r) || r.type !== "AWS::S3::Object") continue;
    const m = /^arn:aws[a-z-]*:s3:::([^/]+)\/(.+)$/.exec(str(r.ARN) ?? "");
    if (m) return { bucket: m[1], key: m[2] };
  }
  return {};
}

/** Reads one parsed JSON object (a CloudTrail event, or anything else: then `applicable` is false). */
export function eventFacts(event: Record<string, unknown>): EventFacts {
  const eventId = str(event.eventID);
  const eventTime = str(event.eventTime);
  const parsedTime = eventTime === undefined ? NaN : Date.parse(eventTime);
  const base = { eventId, eventTime, eventTimeMs: Number.isNaN(parsedTime) ? undefined : parsedTime };
  const name = str(event.eventName) ?? "";
  const isS3 = event.eventSource === "s3.amazonaws.com";
  const objectAccess = OBJECT_EVENTS[name] as Access | undefined;
  if (!isS3 || (objectAccess === undefined && !LIST_EVENTS.has(name))) return { ...base, applicable: false, accesses: [] };

  const params = isRecord(event.requestParameters) ? event.requestParameters : {};
  const fromResources = objectFromResources(event.resources);
  const bucket = str(params.bucketName) ?? fromResources.bucket;
  if (bucket === undefined) return { ...base, applicable: false, accesses: [] };

  const accesses: ObjectAccess[] = [];
  if (objectAccess === undefined) {
    // Listing: the prefix listed ("" = the whole bucket).
    accesses.push({ bucket, key: typeof params.prefix === "string" ? params.prefix : "", access: "read" });
  } else {
    const key = name === "DeleteObjects" ? undefined : typeof params.key === "string" ? params.key : fromResources.key;
    accesses.push(key === undefined ? { bucket, access: objectAccess } : { bucket, key, access: objectAccess });
    if (name === "CopyObject" || name === "UploadPartCopy") {
      const source = copySource(params["x-amz-copy-source"]);
      if (source) accesses.push(source);
    }
  }
  return { ...base, applicable: true, ...principalOf(event), accesses };
}
