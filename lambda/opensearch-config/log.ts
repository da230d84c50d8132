/**
 * Structured logs: one JSON object per line on stdout (stderr for errors), which CloudWatch Logs
 * Insights parses as-is (Lambda passes direct stdout writes through unchanged).
 *
 * Lines carry step names, HTTP statuses, error codes, attempt counts and durations only: never a
 * request or response header (the Authorization header and session token are credentials), never
 * a response body, never an ARN.
 */
export { jsonLogger, type LogFields, type LogLevel, type Logger, type LogValue } from "../shared/log";
