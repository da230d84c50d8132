/**
 * Reads an S3 event notification (delivered to Lambda directly by S3) into object references.
 * The whole event is checked before any record is processed; a malformed event throws one error
 * naming every missing or wrong field.
 */
import { unversionedSortKey } from "./contract";

export interface S3ObjectRef {
  /** Position in `Records`, for log lines. */
  readonly index: number;
  readonly eventName: string;
  readonly bucket: string;
  /** The decoded key (S3 URL-encodes keys in events, with `+` for a space). */
  readonly key: string;
  /** The S3 version id, when the bucket is versioned (the literal `null` counts as none). */
  readonly versionId?: string;
  readonly sequencer?: string;
  readonly sizeBytes: number;
  /** Sort key of the audit item: the version id, or `null#<sequencer>`. */
  readonly auditVersion: string;
}

export class MalformedEventError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `data-processor received a malformed event; it accepts S3 ObjectCreated notifications ` +
        `({"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":...},"object":{"key":...,"size":...,"sequencer":...}}}]}):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "MalformedEventError";
  }
}

/** Decodes an event key: `+` is a space, then percent-decoding. Undefined when the encoding is broken. */
export function decodeS3Key(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): v is string => typeof v === "string" && v.length > 0;

/** Validates the event and returns one reference per record, or throws {@link MalformedEventError}. */
export function parseS3Event(event: unknown): S3ObjectRef[] {
  if (!isObject(event) || !Array.isArray(event.Records)) {
    throw new MalformedEventError(["Records is missing or not an array: this is not an S3 event notification"]);
  }
  if (event.Records.length === 0) throw new MalformedEventError(["Records is empty: an S3 notification has at least one record"]);

  const problems: string[] = [];
  const refs: S3ObjectRef[] = [];
  event.Records.forEach((record: unknown, index) => {
    const at = `Records[${index}]`;
    const before = problems.length;
    if (!isObject(record)) {
      problems.push(`${at} is not an object`);
      return;
    }
    if (record.eventSource !== "aws:s3") problems.push(`${at}.eventSource must be "aws:s3", got ${JSON.stringify(record.eventSource)}`);
    if (!nonEmptyString(record.eventName)) problems.push(`${at}.eventName is missing`);
    const s3 = isObject(record.s3) ? record.s3 : undefined;
    if (!s3) {
      problems.push(`${at}.s3 is missing`);
      return;
    }
    const bucket = isObject(s3.bucket) ? s3.bucket.name : undefined;
    if (!nonEmptyString(bucket)) problems.push(`${at}.s3.bucket.name is missing`);
    const object = isObject(s3.object) ? s3.object : undefined;
    if (!object) {
      problems.push(`${at}.s3.object is missing`);
      return;
    }
    let key: string | undefined;
    if (!nonEmptyString(object.key)) {
      problems.push(`${at}.s3.object.key is missing`);
    } else {
      key = decodeS3Key(object.key);
      if (key === undefined || key === "") problems.push(`${at}.s3.object.key is not a valid URL-encoded S3 key`);
    }
    const size = object.size;
    if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
      problems.push(`${at}.s3.object.size must be a whole number of bytes, got ${JSON.stringify(size)}`);
    }
    const versionId = nonEmptyString(object.versionId) && object.versionId !== "null" ? object.versionId : undefined;
    if (object.versionId !== undefined && typeof object.versionId !== "string") problems.push(`${at}.s3.object.versionId must be a string`);
    const sequencer = nonEmptyString(object.sequencer) ? object.sequencer : undefined;
    if (versionId === undefined && sequencer === undefined) {
      problems.push(`${at}.s3.object.versionId or .sequencer is required to tell object versions apart`);
    }
    if (problems.length > before) return;
    refs.push({
      index,
      eventName: record.eventName as string,
      bucket: bucket as string,
      key: key as string,
      versionId,
      sequencer,
      sizeBytes: size as number,
      auditVersion: versionId ?? unversionedSortKey(sequencer as string),
    });
  });
  if (problems.length > 0) throw new MalformedEventError(problems);
  return refs;
}
