// Value helpers that work on the engine's `unknownCheckingProxy` props.
//
// Reading a property whose value is unknown during `pulumi preview` throws the SDK's
// UnknownValueError. Each policy decides what unknown means for the value it reads:
//  - `get` lets the error propagate: the engine then reports "can't run policy during preview"
//    as an advisory diagnostic (neither a pass nor a failure). Used for values that decide the
//    outcome (a runtime name, a retention period, a policy document).
//  - `probe` turns the error into the UNKNOWN marker so that the caller can decide. Used where
//    "unknown" has a definite meaning, e.g. a KMS key id that is the output of another resource:
//    it is unknown during preview precisely because it is set.

import { UnknownValueError } from "@pulumi/policy";

export type Rec = Record<string, unknown>;

/** Marker returned by `probe` for a value that is unknown during preview. */
export const UNKNOWN: unique symbol = Symbol("unknown-during-preview");
export type Unknown = typeof UNKNOWN;

export function isUnknownError(e: unknown): e is UnknownValueError {
  return (
    e instanceof UnknownValueError ||
    (typeof e === "object" && e !== null && (e as { constructor?: { name?: string } }).constructor?.name === "UnknownValueError")
  );
}

export function isRec(v: unknown): v is Rec {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads a nested value; unknown values throw UnknownValueError (through the proxy). */
export function get(obj: unknown, ...path: (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || cur === undefined || typeof cur !== "object") {
      return undefined;
    }
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/** Reads a nested value, returning UNKNOWN instead of throwing for a preview-unknown value. */
export function probe(obj: unknown, ...path: (string | number)[]): unknown {
  try {
    return get(obj, ...path);
  } catch (e) {
    if (isUnknownError(e)) {
      return UNKNOWN;
    }
    throw e;
  }
}

/** Runs `fn`; returns UNKNOWN when it reads a preview-unknown value. */
export function attempt<T>(fn: () => T): T | Unknown {
  try {
    return fn();
  } catch (e) {
    if (isUnknownError(e)) {
      return UNKNOWN;
    }
    throw e;
  }
}

/** True for `true` and `"true"` (launch templates carry booleans as strings). */
export function isTrue(v: unknown): boolean {
  return v === true || (typeof v === "string" && v.toLowerCase() === "true");
}

export function isFalse(v: unknown): boolean {
  return v === false || (typeof v === "string" && v.toLowerCase() === "false");
}

/** A non-empty string, array or object. */
export function nonEmpty(v: unknown): boolean {
  if (v === undefined || v === null) {
    return false;
  }
  if (typeof v === "string") {
    return v.trim().length > 0;
  }
  if (Array.isArray(v)) {
    return v.length > 0;
  }
  if (typeof v === "object") {
    return Object.keys(v).length > 0;
  }
  return true;
}

/** Set, or unknown during preview (which means: an output of another resource goes there). */
export function present(obj: unknown, ...path: (string | number)[]): boolean {
  const v = probe(obj, ...path);
  return v === UNKNOWN || nonEmpty(v);
}

/** The elements of an array value (reading each: an unknown element throws). */
export function list(v: unknown): unknown[] {
  if (v === undefined || v === null) {
    return [];
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) {
      out.push(v[i]);
    }
    return out;
  }
  return [v];
}

/**
 * A property value as String() prints it. Props are untyped JSON from the engine or a plan, so the
 * value is shown or compared as given (an object prints as "[object Object]", an array joined).
 */
export function asString(v: unknown): string {
  return String(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) {
    return v;
  }
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) {
    return Number(v);
  }
  return undefined;
}

/** Parses a JSON document given as a string or as an object; undefined when absent or invalid. */
export function parseDoc(v: unknown): Rec | undefined {
  if (typeof v === "string") {
    if (v.trim() === "") {
      return undefined;
    }
    try {
      const parsed: unknown = JSON.parse(v);
      return isRec(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return isRec(v) ? v : undefined;
}

/** Glob with `*` wildcards, anchored, case-sensitive. */
export function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

/** The last segment of a URN: the resource's name. */
export function urnName(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i >= 0 ? urn.slice(i + 2) : urn;
}

/** Plural helper for messages. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
