/**
 * Structured logs: one JSON object per line on stdout (stderr for errors), which CloudWatch Logs
 * Insights parses as-is (Lambda passes direct stdout writes through unchanged).
 *
 * No PHI and no principal names: object keys may hold patient identifiers, so lines carry counts,
 * decisions, record ids, CloudTrail eventIDs, error names and hashes ({@link hashId}) only. The
 * field type admits scalars, and callers never pass a key, an ARN, a record's data or an error
 * message (a message could quote any of those).
 */
import { sha256Hex } from "../shared/log";

export { jsonLogger, sha256Hex, type LogFields, type LogLevel, type Logger, type LogValue } from "../shared/log";

/** A short, stable hash for log lines (16 hex digits of SHA-256): correlates a principal across lines without naming it. */
export function hashId(value: string): string {
  return sha256Hex(value).slice(0, 16);
}
