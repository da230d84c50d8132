/**
 * `npm run value-check -- <plan.json> [--unchecked]`: the value check of test/values/ against any
 * plan or `pulumi stack export` file. Prints the counts and each value AWS would refuse (exit 1),
 * and with --unchecked every input left unchecked with its reason. A usage problem exits 2.
 */
import * as fs from "fs";
import type { Deployment } from "../deployment";
import { parseFlags, UsageError } from "../command-line";
import { checkValues } from "./check";
import { loadConstraints } from "./extract";

export const USAGE = [
  "usage: npm run value-check -- <plan.json> [--unchecked]",
  "",
  "  <plan.json>   an offline plan (npm run plan) or a `pulumi stack export`",
  "  --unchecked   also list every input left unchecked, with its reason",
  "  --help        print this and exit",
  "",
  "Exit codes: 0 every value passes, 1 a value AWS would refuse (or an unmapped type or input), 2 a usage problem.",
].join("\n");

export interface ValueCheckArgs {
  file: string;
  unchecked: boolean;
}

/** The command line (node:util parseArgs): one plan file and --unchecked; throws UsageError. */
export function parseValueCheckArgs(argv: readonly string[]): ValueCheckArgs | { help: true } {
  const flags = parseFlags(argv, { unchecked: "boolean" } as const, USAGE, 1);
  if (flags.help) return { help: true };
  const [file] = flags.positionals;
  if (file === undefined) throw new UsageError(`no plan file given\n${USAGE}`);
  return { file, unchecked: flags.values.unchecked === true };
}

export function main(argv: readonly string[]): number {
  let args: ValueCheckArgs | { help: true };
  try {
    args = parseValueCheckArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`value-check: ${e.message}`);
    return 2;
  }
  if ("help" in args) {
    console.log(USAGE);
    return 0;
  }
  const plan = JSON.parse(fs.readFileSync(args.file, "utf8")) as Deployment;
  const started = Date.now();
  const result = checkValues(plan.deployment.resources, loadConstraints());
  console.log(
    `${result.checked} values checked (${result.constrained} against a pattern, length, range or enum) in ${Date.now() - started} ms`,
  );
  for (const t of result.unmappedTypes) console.log(`unmapped type: ${t}`);
  for (const p of result.unaccounted) console.log(`unaccounted input: ${p}`);
  if (args.unchecked) for (const u of [...result.unchecked].sort()) console.log(`unchecked: ${u}`);
  for (const v of result.violations)
    console.log(`REFUSED ${v.type} ${v.resource} ${v.path} = ${JSON.stringify(v.value)}: ${v.shape} ${v.rule}`);
  return result.violations.length + result.unmappedTypes.size + result.unaccounted.size > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
