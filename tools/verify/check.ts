/** What every check of verify is and returns, and the runner that turns its errors into statuses. */
import { Aws, Missing, Unreachable, withTimeout } from "./aws";
import { MissingOutput, type Outputs } from "./outputs";

export type Status = "pass" | "fail" | "unreachable" | "skipped";

/** A measured value a check reports beside its detail (the canary's objectives), for the evidence report. */
export interface Measurement {
  readonly name: string;
  readonly value: number;
  readonly unit: "Seconds";
  /** The most the value may be. */
  readonly objective: number;
  /** The data point's time (its period's start). */
  readonly at: string;
}

export interface Outcome {
  readonly status: "pass" | "fail" | "skipped";
  /** Ids, counts and times only: never an object key or a record's content. */
  readonly detail: string;
  /** For a failure: where to look. */
  readonly lookAt?: string;
  readonly measurements?: readonly Measurement[];
}

export interface CheckContext {
  readonly stack: string;
  readonly outputs: Outputs;
  readonly aws: Aws;
  readonly account: string;
  readonly region: string;
  readonly now: Date;
  /** Start of the window (`--since`). */
  readonly since: Date;
}

export interface Check {
  readonly id: string;
  readonly title: string;
  /** The HIPAA Security Rule citation the check gives evidence for. */
  readonly citation: string;
  /**
   * Behaviour-table rows (test/aws) a pass settles in the account: row ids, where `<stack>` stands for
   * the stack's name and `*` for any text ({@link rowMatches}).
   */
  readonly rows: readonly string[];
  run(ctx: CheckContext): Promise<Outcome>;
}

export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly citation: string;
  readonly rows: readonly string[];
  readonly status: Status;
  readonly detail: string;
  readonly lookAt?: string;
  readonly measurements?: readonly Measurement[];
  readonly seconds: number;
}

/** Runs `check`, bounded by `boundMs` as a whole; never throws. */
export async function runCheck(check: Check, ctx: CheckContext, boundMs: number): Promise<CheckResult> {
  const started = Date.now();
  const base = { id: check.id, title: check.title, citation: check.citation, rows: check.rows };
  const done = (r: { status: Status; detail: string; lookAt?: string; measurements?: readonly Measurement[] }): CheckResult => ({
    ...base,
    ...r,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  });
  try {
    return done(await withTimeout(check.run(ctx), boundMs));
  } catch (e) {
    if (e instanceof MissingOutput) return done({ status: "fail", detail: e.message, lookAt: "the stack's outputs" });
    if (e instanceof Missing) return done({ status: "fail", detail: e.message, lookAt: "the stack's resources" });
    if (e instanceof Unreachable) return done({ status: "unreachable", detail: e.message });
    if ((e as Error | undefined)?.name === "VerifyTimeout")
      return done({ status: "unreachable", detail: `no result within ${boundMs / 1000} s` });
    return done({ status: "unreachable", detail: `internal error ${(e as Error | undefined)?.name ?? "unknown"} (report it)` });
  }
}

/** Whether the row id `id` of stack `stack` is one the pattern (an entry of Check.rows) names. */
export function rowMatches(pattern: string, id: string, stack: string): boolean {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const source = pattern
    .split("*")
    .map((part) => part.split("<stack>").map(escape).join(escape(stack)))
    .join(".*");
  return new RegExp(`^${source}$`).test(id);
}

/** `n` things, worded. */
export function count(n: number, thing: string): string {
  return `${n} ${thing}${n === 1 ? "" : "s"}`;
}

export function hoursAgo(now: Date, then: Date): string {
  return `${Math.round(((now.getTime() - then.getTime()) / 3_600_000) * 10) / 10} h ago`;
}
