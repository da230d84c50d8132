/**
 * Evaluates many calls against a plan and reports every one that AWS would decide otherwise, so a
 * single test covers a whole row source (or every probe of a plan) and its failure still names each
 * failing row, what it expected, what the plan's policies decided and why, and the AWS source.
 *
 * Repeats: a call whose iam-simulate input (principal, action, resource, context, and every policy
 * that decides it) and expectation are identical to one already evaluated against another plan is
 * decided identically (the simulation is a pure function of that input), so a plan variant is
 * evaluated only where it differs ({@link Evaluated.repeats}, {@link repeatsOf}).
 */
import { createHash } from "crypto";
import type { Row } from "../aws/behaviour";
import type { PolicyIndex } from "../aws/policy-index";
import type { Probe } from "../aws/probes";
import { describeCall, simulate, simulationFor, type Call } from "../aws/simulate";

/** A row (its documented decision) or a probe (never allowed). */
export type Check = { readonly kind: "row"; readonly row: Row } | { readonly kind: "probe"; readonly probe: Probe };

const callOf = (c: Check): Call & { id: string } => (c.kind === "row" ? c.row : c.probe);

/** What identifies a check's evaluation: its id, its expectation and its full simulation input. */
export function evaluationKey(ix: PolicyIndex, c: Check): string {
  const call = callOf(c);
  const expected = c.kind === "row" ? c.row.expected : "not Allowed";
  return JSON.stringify([call.id, expected, simulationFor(ix, call)]);
}

export interface Evaluated {
  /** Checks evaluated against this plan. */
  readonly evaluated: number;
  /** Checks left out as exact repeats of another plan's evaluation. */
  readonly repeats: number;
  /** One paragraph per check AWS would decide otherwise (or that iam-simulate refused). */
  readonly mismatches: string[];
}

function describeRow(row: Row, got: string): string {
  return [
    `- ${row.id}${row.settled ? "" : " (documentation silent: see its note)"}: expected ${row.expected}, got ${got}`,
    `    call: ${describeCall(row)}`,
    `    source: ${row.doc}`,
    ...(row.note ? [`    note: ${row.note}`] : []),
  ].join("\n");
}

/**
 * Evaluates `checks` against `ix`, except those `isRepeat` says another plan evaluated with the same
 * {@link evaluationKey}; every mismatch is reported, none stops the others.
 */
export async function evaluate(ix: PolicyIndex, checks: readonly Check[], isRepeat?: (key: string) => boolean): Promise<Evaluated> {
  const mismatches: string[] = [];
  let evaluated = 0;
  for (const c of checks) {
    if (isRepeat?.(evaluationKey(ix, c))) continue;
    evaluated++;
    const call = callOf(c);
    let decision: string;
    let explain: string;
    try {
      ({ decision, explain } = await simulate(ix, call));
    } catch (err) {
      mismatches.push(`- ${call.id}: ${(err as Error).message}`);
      continue;
    }
    if (c.kind === "row") {
      if ((decision === "Allowed" ? "Allowed" : "Denied") !== c.row.expected) mismatches.push(describeRow(c.row, explain));
    } else if (decision === "Allowed") {
      mismatches.push(`- ${call.id}: allowed, must be denied\n    call: ${describeCall(call)}\n    decided: ${explain}`);
    }
  }
  return { evaluated, repeats: checks.length - evaluated, mismatches };
}

/** The failure message of {@link evaluate}'s mismatches: how many of how many, then each. */
export function mismatchReport(what: string, result: Evaluated): string {
  return `${result.mismatches.length} of ${result.evaluated} ${what} decided otherwise than AWS documents:\n${result.mismatches.join("\n")}`;
}

const digest = (key: string) => createHash("sha256").update(key).digest("base64");

/** Whether a key is one of `checks`' evaluation keys on `ix` (kept as digests: the keys hold whole policies). */
export function repeatsOf(ix: PolicyIndex, checks: readonly Check[]): (key: string) => boolean {
  const keys = new Set(checks.map((c) => digest(evaluationKey(ix, c))));
  return (key) => keys.has(digest(key));
}
