/**
 * The Firehose data-transformation contract.
 *
 * Request (https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html):
 *   { invocationId, deliveryStreamArn, region, records: [{ recordId, approximateArrivalTimestamp, data }] }
 * Response (https://docs.aws.amazon.com/firehose/latest/dev/data-transformation-status-model.html):
 *   { records: [{ recordId, result: "Ok" | "Dropped" | "ProcessingFailed", data }] }: every recordId of the
 *   request exactly once; `data` base64. Lambda caps request and response at 6 MB each.
 *
 * A record's data is what the CloudWatch Logs subscription sends: base64 of a gzip-compressed JSON
 * envelope `{ owner, logGroup, logStream, subscriptionFilters, messageType, logEvents: [{ id,
 * timestamp, message }] }`, several log events per record
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html#FirehoseExample).
 * The stream runs no Decompression / CloudWatchLogProcessing processor: Firehose's guide says it does
 * not support delivering CloudWatch Logs to an OpenSearch destination, because one record holds
 * several log events (https://docs.aws.amazon.com/firehose/latest/dev/writing-with-cloudwatch-logs.html),
 * and whether those processors are accepted on that destination is not documented. So this
 * function decodes each record itself, as AWS's CloudWatch Logs processor blueprint for Firehose
 * does: base64 -> gunzip -> envelope; `CONTROL_MESSAGE` (CloudWatch Logs checking the destination)
 * -> `Dropped`; `DATA_MESSAGE` -> its log events, each `message` one CloudTrail event JSON
 * (https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html, "Lambda blueprints").
 * A `ProcessingFailed` record is delivered with its original data under the stream's
 * `processing-failed` error prefix (https://docs.aws.amazon.com/firehose/latest/dev/data-transformation-failure-handling.html).
 */
import { gunzipSync } from "zlib";
import { FAILURE_REASONS, FailureReason } from "./contract";

export interface FirehoseRecord {
  readonly recordId: string;
  readonly data: string;
  readonly approximateArrivalTimestamp?: number;
}

export interface FirehoseTransformationEvent {
  readonly invocationId?: string;
  readonly deliveryStreamArn?: string;
  readonly region?: string;
  readonly records: readonly FirehoseRecord[];
}

export type FirehoseResult = "Ok" | "Dropped" | "ProcessingFailed";

export interface FirehoseResponseRecord {
  readonly recordId: string;
  readonly result: FirehoseResult;
  readonly data: string;
}

export interface FirehoseTransformationResponse {
  readonly records: FirehoseResponseRecord[];
}

/** Thrown for an invocation that is not a Firehose transformation request (the invocation fails). */
export class FirehoseEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FirehoseEventError";
  }
}

/** Checks the request's structure; says which record is bad (by index, never by content). */
export function parseFirehoseEvent(event: unknown): FirehoseTransformationEvent {
  const records = (event as { records?: unknown } | null)?.records;
  if (!Array.isArray(records)) throw new FirehoseEventError("not a Firehose transformation request: `records` must be an array");
  records.forEach((r, i) => {
    const rec = r as { recordId?: unknown; data?: unknown } | null;
    if (typeof rec?.recordId !== "string" || typeof rec.data !== "string") {
      throw new FirehoseEventError(`records[${i}] must have a string recordId and a string (base64) data`);
    }
  });
  return event as FirehoseTransformationEvent;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The most a record may decompress to. A subscription record is at most 1,000 KiB as Firehose takes it
 * (https://docs.aws.amazon.com/firehose/latest/dev/limits.html); its document must fit Lambda's 6 MB
 * response anyway, so anything larger (a gzip bomb) is refused before it is inflated further.
 */
export const MAX_DECOMPRESSED_BYTES = 6 * 1024 * 1024;

/** A record's outcome: its events (`lines` are the messages, for hashing), a control message to drop, or a failure reason. */
export type DecodedRecord =
  | { readonly ok: true; readonly objects: Record<string, unknown>[]; readonly lines: string[] }
  | { readonly ok: false; readonly control: true }
  | { readonly ok: false; readonly control?: undefined; readonly reason: FailureReason };

/**
 * base64 -> gunzip -> UTF-8 -> the subscription envelope. `CONTROL_MESSAGE` is dropped; a
 * `DATA_MESSAGE` yields each log event's `message` parsed as one JSON object. Anything else (not
 * gzip, not JSON, another message type, a message that is not a JSON object) fails the whole record.
 */
export function decodeRecord(data: string): DecodedRecord {
  if (data.length % 4 !== 0 || !BASE64.test(data)) return { ok: false, reason: FAILURE_REASONS.notBase64 };
  const bytes = Buffer.from(data, "base64");
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return { ok: false, reason: FAILURE_REASONS.notGzip };
  let inflated: Buffer;
  try {
    inflated = gunzipSync(bytes, { maxOutputLength: MAX_DECOMPRESSED_BYTES });
  } catch (e) {
    const tooLarge = (e as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE" || e instanceof RangeError;
    return { ok: false, reason: tooLarge ? FAILURE_REASONS.tooLarge : FAILURE_REASONS.notGzip };
  }
  let envelope: unknown;
  try {
    envelope = JSON.parse(utf8.decode(inflated));
  } catch (e) {
    return { ok: false, reason: e instanceof SyntaxError ? FAILURE_REASONS.notJson : FAILURE_REASONS.notUtf8 };
  }
  const { messageType, logEvents } = (typeof envelope === "object" && envelope !== null ? envelope : {}) as {
    messageType?: unknown;
    logEvents?: unknown;
  };
  if (messageType === "CONTROL_MESSAGE") return { ok: false, control: true };
  if (messageType !== "DATA_MESSAGE" || !Array.isArray(logEvents)) return { ok: false, reason: FAILURE_REASONS.notSubscription };
  const objects: Record<string, unknown>[] = [];
  const lines: string[] = [];
  for (const logEvent of logEvents) {
    const message = (logEvent as { message?: unknown } | null)?.message;
    if (typeof message !== "string") return { ok: false, reason: FAILURE_REASONS.notSubscription };
    if (message.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(message);
    } catch {
      return { ok: false, reason: FAILURE_REASONS.notJson };
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, reason: FAILURE_REASONS.notObject };
    objects.push(value as Record<string, unknown>);
    lines.push(message);
  }
  if (objects.length === 0) return { ok: false, reason: FAILURE_REASONS.empty };
  return { ok: true, objects, lines };
}

/** One JSON document, newline-terminated, base64. */
export function encodeDocument(document: unknown): string {
  return Buffer.from(JSON.stringify(document) + "\n", "utf8").toString("base64");
}

/**
 * Bytes of `{"recordId":…,"result":…,"data":"…"}` as Lambda serializes it. Our base64 needs no
 * escaping; data returned as received (ProcessingFailed) is measured as JSON, whatever it holds.
 */
export function entryBytes(entry: FirehoseResponseRecord): number {
  const data = entry.result === "Ok" ? entry.data.length : Buffer.byteLength(JSON.stringify(entry.data), "utf8") - 2;
  return Buffer.byteLength(JSON.stringify(entry.recordId), "utf8") + `{"recordId":,"result":"${entry.result}","data":""}`.length + data;
}

/** Bytes of the whole response. */
export function responseBytes(records: readonly FirehoseResponseRecord[]): number {
  return records.reduce((sum, r) => sum + entryBytes(r), `{"records":[]}`.length + Math.max(0, records.length - 1));
}

/**
 * Keeps the response within `budget`: from the last record backwards, an `Ok` record whose output
 * is larger than its input becomes `ProcessingFailed` with its original data (Firehose keeps it
 * under the error prefix), until the response fits. Since such a response is no larger than the
 * request, it always fits a request Lambda accepted; for anything larger, failed records finally
 * carry empty data (Firehose still keeps their original). Returns the indexes of the `Ok` records failed.
 */
export function enforceBudget(records: FirehoseResponseRecord[], originals: readonly string[], budget: number): number[] {
  let total = responseBytes(records);
  const changed: number[] = [];
  for (let i = records.length - 1; i >= 0 && total > budget; i--) {
    const r = records[i];
    if (r.result !== "Ok" || r.data.length <= originals[i].length) continue;
    const failed: FirehoseResponseRecord = { recordId: r.recordId, result: "ProcessingFailed", data: originals[i] };
    total += entryBytes(failed) - entryBytes(r);
    records[i] = failed;
    changed.push(i);
  }
  for (let i = records.length - 1; i >= 0 && total > budget; i--) {
    const r = records[i];
    if (r.data.length === 0) continue;
    const failed: FirehoseResponseRecord = { recordId: r.recordId, result: "ProcessingFailed", data: "" };
    total += entryBytes(failed) - entryBytes(r);
    if (r.result === "Ok") changed.push(i);
    records[i] = failed;
  }
  return changed.sort((a, b) => a - b);
}
