// Create-time value constraints that AWS documents and the provider does not check: a value that
// breaks them passes `pulumi preview` and fails half-way through `pulumi up`. Only known strings are
// judged; a value unknown during preview (another resource's output) stays silent, since the engine
// would otherwise report "can't run" for every computed name.

import { probe, UNKNOWN } from "./util";

export interface ValueRule {
  /** What the value is, for messages ("the security group's description"). */
  what: string;
  /** One allowed character. */
  char: RegExp;
  /** AWS's pattern over the whole value (positions included). */
  pattern: RegExp;
  /** The allowed set in AWS's words, for messages. */
  allowed: string;
  minLength: number;
  maxLength: number;
}

/** The known string at `path`, or undefined when it is absent, not a string or unknown during preview. */
export function knownString(obj: unknown, ...path: (string | number)[]): string | undefined {
  const v = probe(obj, ...path);
  return v === UNKNOWN || typeof v !== "string" ? undefined : v;
}

/** Why `value` breaks `rule`, or undefined when AWS accepts it. */
export function valueProblem(value: string, rule: ValueRule): string | undefined {
  if (value.length < rule.minLength || value.length > rule.maxLength) {
    return `${rule.what} is ${value.length} characters long; AWS accepts ${rule.minLength} to ${rule.maxLength}.`;
  }
  if (!rule.pattern.test(value)) {
    const bad = [...new Set([...value].filter((c) => !rule.char.test(c)))];
    const why =
      bad.length > 0 ? `has characters AWS refuses: ${bad.map((c) => JSON.stringify(c)).join(", ")}` : "does not match AWS's pattern";
    return `${rule.what} ${JSON.stringify(value)} ${why} (${rule.allowed}).`;
  }
  return undefined;
}
