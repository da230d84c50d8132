/**
 * The worst-case duration of a States-language definition, from its own values (pure): the incident
 * workflow refuses a definition whose worst case exceeds its TimeoutSeconds
 * (incident-workflow.ts, `incidentDefinitionProblems`).
 */
import type { AslDefinition, AslState } from "./incident-definition";

/**
 * Defaults of the States language where a field is absent: a Retrier's MaxAttempts 3, IntervalSeconds 1,
 * BackoffRate 2.0 (https://states-language.net/spec.html#retrying-after-error,
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html), a Task's
 * TimeoutSeconds 99999999 (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html).
 */
export const ASL_DEFAULTS = { maxAttempts: 3, intervalSeconds: 1, backoffRate: 2, taskTimeoutSeconds: 99_999_999 } as const;

interface AslRetrier {
  readonly MaxAttempts?: number;
  readonly IntervalSeconds?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
}

/**
 * The longest a Task state can run: every retrier exhausts its MaxAttempts (each retrier counts its
 * own attempts), every attempt runs to the state's TimeoutSeconds, and every delay is the full
 * IntervalSeconds x BackoffRate^(n-1), capped at MaxDelaySeconds (JitterStrategy FULL only shortens it).
 */
export function worstCaseTaskSeconds(state: AslState): number {
  const timeout = typeof state.TimeoutSeconds === "number" ? state.TimeoutSeconds : ASL_DEFAULTS.taskTimeoutSeconds;
  let attempts = 1;
  let delays = 0;
  for (const r of (state.Retry as readonly AslRetrier[] | undefined) ?? []) {
    const n = r.MaxAttempts ?? ASL_DEFAULTS.maxAttempts;
    attempts += n;
    for (let k = 0; k < n; k++) {
      const d = (r.IntervalSeconds ?? ASL_DEFAULTS.intervalSeconds) * (r.BackoffRate ?? ASL_DEFAULTS.backoffRate) ** k;
      delays += r.MaxDelaySeconds === undefined ? d : Math.min(d, r.MaxDelaySeconds);
    }
  }
  return attempts * timeout + delays;
}

/**
 * The worst-case duration of an execution (pure, from the definition's own values): the longest path
 * from StartAt through Next, Default, Choices and Catch, each Task at {@link worstCaseTaskSeconds},
 * each Wait at its Seconds, Pass, Choice, Succeed and Fail at 0. Throws on a cycle or on a state
 * whose duration the definition does not fix (a Wait by path or timestamp, Parallel, Map).
 */
export function worstCaseSeconds(definition: Pick<AslDefinition, "StartAt" | "States">): number {
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const longest = (name: string): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) throw new Error(`worst case: the definition loops through ${name}`);
    const st = definition.States[name];
    if (!st) throw new Error(`worst case: no state ${name}`);
    visiting.add(name);
    let own: number;
    if (st.Type === "Task") own = worstCaseTaskSeconds(st);
    else if (st.Type === "Wait") {
      if (typeof st.Seconds !== "number") throw new Error(`worst case: ${name} waits for a time the definition does not fix`);
      own = st.Seconds;
    } else own = 0;
    const nexts = [
      st.Next,
      st.Default,
      ...((st.Choices as readonly { Next?: unknown }[] | undefined) ?? []).map((c) => c.Next),
      ...((st.Catch as readonly { Next?: unknown }[] | undefined) ?? []).map((c) => c.Next),
    ].filter((n): n is string => typeof n === "string");
    const result = own + Math.max(0, ...nexts.map(longest));
    visiting.delete(name);
    memo.set(name, result);
    return result;
  };
  return longest(definition.StartAt);
}
