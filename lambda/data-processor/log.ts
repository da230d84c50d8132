/**
 * Structured logs: one JSON object per line on stdout (stderr for errors), which CloudWatch Logs
 * Insights parses as-is. Lambda passes direct stdout writes through unchanged in both its Text and
 * JSON log formats (only `console.*` output gets wrapped), so each line carries its own level,
 * time and request id.
 *
 * Only identifiers, hashes, counts and decisions are logged. The field type admits scalars only, and
 * callers pass version ids, request ids, codes and numbers: never a value read from a record, never
 * an object key (keys can hold patient identifiers: `intake/MRN-0012345/Smith-John.json`), and never
 * an error message that could quote one. An object is named by {@link objectIds}: its bucket, the
 * SHA-256 of its key and its audit version; the audit table (encrypted) maps the hash back to the key.
 */
import { sha256Hex } from "../shared/log";
import type { S3ObjectRef } from "./event";

export { jsonLogger, type LogFields, type LogLevel, type Logger, type LogValue } from "../shared/log";

/**
 * Hex SHA-256 of an object key (its UTF-8 bytes, as decoded from the event): the only form in which a
 * key leaves the function (log lines, error messages, alerts). The audit item stores it next to the key.
 */
export function objectKeySha256(key: string): string {
  return sha256Hex(key);
}

/** How one record is named outside the function: enough to find its audit item, nothing of its key. */
export interface ObjectIds {
  /** Position in the event's `Records`. */
  readonly record: number;
  readonly bucket: string;
  readonly objectKeySha256: string;
  /** The audit item's sort key: the S3 version id, or `null#<sequencer>`. */
  readonly versionId: string;
}

export function objectIds(ref: S3ObjectRef): ObjectIds {
  return { record: ref.index, bucket: ref.bucket, objectKeySha256: objectKeySha256(ref.key), versionId: ref.auditVersion };
}

/**
 * Replaces the key in `text` by `<objectKeySha256:…>`, for the messages of errors from AWS calls,
 * which may name the resource (an S3 AccessDenied message quotes the object's ARN). Replaced: the key
 * and every run of its `/`-separated segments (so the copy's destination key, `<prefix><rest>`, a
 * folder or a bare file name go too), each as is, URL-encoded whole or per segment, and with `+` for
 * spaces, wherever it stands between non-alphanumerics. Over-redaction (a segment such as `intake`
 * elsewhere in the text) is accepted.
 */
export function redactObjectKey(text: string, key: string): string {
  const parts = key.split("/");
  const forms = new Set<string>();
  for (let i = 0; i < parts.length; i++) {
    for (let j = i + 1; j <= parts.length; j++) {
      const run = parts.slice(i, j).join("/");
      if (run === "") continue;
      const segments = run.split("/").map(encodeURIComponent).join("/");
      for (const form of [run, encodeURIComponent(run), segments, segments.replace(/%20/g, "+"), run.replace(/ /g, "+")]) forms.add(form);
    }
  }
  // One pass, longest form first, so a replaced part is never searched again. A form counts only
  // between non-alphanumerics (the segment `fail` of `intake/fail/x.json` leaves `failed` alone).
  const alternatives = [...forms].sort((a, b) => b.length - a.length).map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp(`(?<![A-Za-z0-9])(?:${alternatives.join("|")})(?![A-Za-z0-9])`, "g");
  const marker = `<objectKeySha256:${objectKeySha256(key)}>`;
  return text.replace(pattern, () => marker);
}
