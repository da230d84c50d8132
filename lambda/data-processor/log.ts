/**
 * Structured logs: one JSON object per line on stdout (stderr for errors), which CloudWatch Logs
 * Insights parses as-is. Lambda passes direct stdout writes through unchanged in both its Text and
 * JSON log formats (only `console.*` output gets wrapped), so each line carries its own level,
 * time and request id.
 *
 * Only identifiers, counts and decisions are logged. The field type admits scalars only, and
 * callers pass object keys, version ids, codes and numbers: never a value read from a record, and
 * never an error message that could quote one.
 */
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
