/**
 * Structured logs: one JSON object per line on stdout (stderr for errors), which CloudWatch Logs
 * Insights parses as-is (Lambda passes direct stdout writes through unchanged).
 *
 * Lines carry step names, HTTP statuses, error codes, attempt counts and durations only: never a
 * request or response header (the Authorization header and session token are credentials), never
 * a response body, never an ARN.
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
