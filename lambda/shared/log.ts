/**
 * The structured logger every handler of this program uses: one JSON object per line on stdout
 * (stderr for errors), which CloudWatch Logs Insights parses as-is. Lambda passes direct stdout
 * writes through unchanged in both its Text and JSON log formats (only `console.*` output gets
 * wrapped), so each line carries its own level and time.
 *
 * The field type admits scalars only: callers pass ids, hashes, counts, codes and decisions, never a
 * value read from a record, an object key (keys can hold patient identifiers), an ARN of a person's
 * role, a header or an error message that could quote any of those. Each handler's own log module
 * says what it logs and adds the hashes it needs ({@link sha256Hex}).
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

/** Hex SHA-256 of a string's UTF-8 bytes. */
export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}
