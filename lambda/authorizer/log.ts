/**
 * Structured logs: one JSON object per line on stdout (stderr for errors), which CloudWatch Logs
 * Insights parses as-is (Lambda passes direct stdout writes through unchanged).
 *
 * No PHI and no principal names: object keys may hold patient identifiers, so lines carry counts,
 * decisions, record ids, CloudTrail eventIDs, error names and hashes ({@link hashId}) only. The
 * field type admits scalars, and callers never pass a key, an ARN, a record's data or an error
 * message (a message could quote any of those).
 */
import { createHash } from "crypto";

export type LogValue = string | number | boolean | undefined;
export type LogFields = Readonly<Record<string, LogValue>>;
export type LogLevel = "INFO" | "WARN" | "ERROR";

export interface Logger {
  (level: LogLevel, message: string, fields?: LogFields): void;
}

/** Writes one JSON line; `undefined` fields are left out. */
export const jsonLogger: Logger = (level, message, fields = {}) => {
  const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...fields }) + "\n";
  (level === "ERROR" ? process.stderr : process.stdout).write(line);
};

/** Hex SHA-256. */
export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/** A short, stable hash for log lines (16 hex digits of SHA-256): correlates a principal across lines without naming it. */
export function hashId(value: string): string {
  return sha256Hex(value).slice(0, 16);
}
