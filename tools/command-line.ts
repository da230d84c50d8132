/**
 * What every command of the project that takes flags or writes files shares: flags parsed by
 * node:util parseArgs with messages a user can act on, and the one check that a command never writes
 * over a file git tracks or over something that is not its own earlier output (plan --out,
 * evidence --out, docs:architecture --out).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";

/** The flags a command takes: each a string value or a switch. `--help`/`-h` is always known. */
export type FlagSpec = Record<string, "string" | "boolean">;

export type ParsedFlags<S extends FlagSpec> = {
  help: boolean;
  values: { [K in keyof S]?: S[K] extends "string" ? string : boolean };
  positionals: string[];
};

/** A usage problem: the message names the flag and ends with the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * `--flag value` and `--flag=value` alike. Throws UsageError for an unknown flag, a missing or empty
 * value, a value given to a switch, or more positionals than `maxPositionals`. `--help` anywhere wins.
 */
export function parseFlags<S extends FlagSpec>(argv: readonly string[], spec: S, usage: string, maxPositionals = 0): ParsedFlags<S> {
  if (argv.includes("--help") || argv.includes("-h")) return { help: true, values: {}, positionals: [] };
  const options = Object.fromEntries(Object.entries(spec).map(([name, type]) => [name, { type }]));
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const flag = /'(--?[A-Za-z0-9-]+)/.exec((e as Error).message)?.[1] ?? "an option";
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`unknown option ${flag}\n${usage}`);
    if (/does not take an argument/.test((e as Error).message)) throw new UsageError(`${flag} takes no value\n${usage}`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") throw new UsageError(`${flag} needs a value\n${usage}`);
    throw new UsageError(`${(e as Error).message}\n${usage}`);
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === "") throw new UsageError(`--${name} needs a value\n${usage}`);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument ${parsed.positionals[maxPositionals]}\n${usage}`);
  }
  return { help: false, values: parsed.values as ParsedFlags<S>["values"], positionals: parsed.positionals };
}

/** The files git tracks at `target` (the file itself, or inside it when a directory); none outside a git work tree or without git. */
export function trackedFiles(target: string): string[] {
  const abs = path.resolve(target);
  let cwd = abs;
  while (!fs.existsSync(cwd) || !fs.statSync(cwd).isDirectory()) {
    const up = path.dirname(cwd);
    if (up === cwd) return [];
    cwd = up;
  }
  const r = spawnSync("git", ["ls-files", "-z", "--full-name", "--", abs], { cwd, encoding: "utf8" });
  if (r.status !== 0 || typeof r.stdout !== "string") return [];
  return r.stdout.split("\0").filter((f) => f !== "");
}

/**
 * Why `out` must not be written, or undefined: it holds (or is) a file git tracks, or it exists and
 * `isOwnOutput` does not recognise it as this command's earlier output. `flag` and `what` word the message.
 */
export function refuseOverwrite(flag: string, out: string, what: string, isOwnOutput: (abs: string) => boolean): string | undefined {
  const abs = path.resolve(out);
  const tracked = trackedFiles(abs);
  if (tracked.length > 0) {
    const shown = tracked.slice(0, 3).join(", ") + (tracked.length > 3 ? `, and ${tracked.length - 3} more` : "");
    return `${flag} ${out} would overwrite ${tracked.length === 1 ? "a file" : "files"} git tracks (${shown}); write the ${what} elsewhere`;
  }
  if (fs.existsSync(abs) && !isOwnOutput(abs)) {
    return `${flag} ${out} exists and does not hold a previous ${what}; choose a new path so nothing of yours is overwritten`;
  }
  return undefined;
}
