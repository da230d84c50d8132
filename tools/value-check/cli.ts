/**
 * `npm run value-check -- <plan.json> [--unchecked]`: the value check of test/values/ against any
 * plan or `pulumi stack export` file. Prints the counts and each value AWS would refuse (exit 1),
 * and with --unchecked every input left unchecked with its reason.
 */
import * as fs from "fs";
import type { Deployment } from "../deployment";
import { checkValues } from "./check";
import { loadConstraints } from "./extract";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
if (!file || args.includes("--help")) {
  console.log("usage: npm run value-check -- <plan.json> [--unchecked]");
  process.exit(file ? 0 : 2);
}
const plan = JSON.parse(fs.readFileSync(file, "utf8")) as Deployment;
const started = Date.now();
const result = checkValues(plan.deployment.resources, loadConstraints());
console.log(
  `${result.checked} values checked (${result.constrained} against a pattern, length, range or enum) in ${Date.now() - started} ms`,
);
for (const t of result.unmappedTypes) console.log(`unmapped type: ${t}`);
for (const p of result.unaccounted) console.log(`unaccounted input: ${p}`);
if (args.includes("--unchecked")) for (const u of [...result.unchecked].sort()) console.log(`unchecked: ${u}`);
for (const v of result.violations)
  console.log(`REFUSED ${v.type} ${v.resource} ${v.path} = ${JSON.stringify(v.value)}: ${v.shape} ${v.rule}`);
process.exit(result.violations.length + result.unmappedTypes.size + result.unaccounted.size > 0 ? 1 : 0);
