/**
 * The offline plan: `npm run plan -- --stack <name> [--config-file <path>] [--out <file>]`.
 *
 * Runs index.ts under the mock cloud with the config of `Pulumi.<name>.yaml` (or the file given),
 * waits until every resource has registered, prints the component tree with counts and writes
 * the deployment (the shape of `pulumi stack export`) to `--out` (default `plan-<stack>.json`).
 * Invalid config: exit 1 with every bad key named, and nothing written.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { MockCloud, offlinePlanProblems } from "./mock-cloud";
import { describeCounts, toDeployment, renderTree } from "./deployment";
import { readProjectFile, readStackConfig, StackFileError } from "./stack-config";
import { ConfigProblem, parseStackConfig, PlatformConfig, PlatformConfigError } from "../components/config";
import { ParsedFlags, parseFlags, refuseOverwrite, UsageError } from "./command-line";

export interface PlanArgs {
  stack: string;
  configFile?: string;
  out?: string;
}

export const USAGE = [
  "usage: npm run plan -- --stack <name> [--config-file <path>] [--out <file>]",
  "",
  "  --stack <name>        the stack to plan: reads Pulumi.<name>.yaml (dev and prod ship with the project)",
  "  --config-file <path>  read the stack config from this file instead (same format as Pulumi.<name>.yaml)",
  "  --out <file>          where to write the deployment JSON (default plan-<stack>.json); never a Pulumi*.yaml,",
  "                        the config file in use, or a directory",
  "  --help                print this and exit",
  "",
  "Runs index.ts under the offline mock cloud, prints the component tree and writes a file shaped like",
  "`pulumi stack export`. Invalid config exits 1, naming every bad key, and writes nothing.",
].join("\n");

/** `--help` was asked for: print the usage and exit 0. */
export class HelpRequested extends Error {
  constructor() {
    super(USAGE);
    this.name = "HelpRequested";
  }
}

const PLAN_FLAGS = { stack: "string", "config-file": "string", out: "string" } as const;

/** Parses `--flag value` and `--flag=value` alike (node:util parseArgs); throws StackFileError naming the problem, or HelpRequested. */
export function parsePlanArgs(argv: readonly string[]): PlanArgs {
  let flags: ParsedFlags<typeof PLAN_FLAGS>;
  try {
    flags = parseFlags(argv, PLAN_FLAGS, USAGE);
  } catch (e) {
    throw e instanceof UsageError ? new StackFileError(e.message) : e;
  }
  if (flags.help) throw new HelpRequested();
  const { stack, "config-file": configFile, out } = flags.values;
  if (!stack) throw new StackFileError(`--stack is required\n${USAGE}`);
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new StackFileError(`--stack must be a stack name ([A-Za-z0-9_.-]), got ${stack}`);
  return { stack, ...(configFile === undefined ? {} : { configFile }), ...(out === undefined ? {} : { out }) };
}

/** The stacks that have a `Pulumi.<name>.yaml` in `root`. */
export function availableStacks(root: string): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** An earlier plan or stack export: JSON with a `deployment` object, the only file `--out` may replace. */
function isPlanFile(file: string): boolean {
  try {
    const doc: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    return typeof doc === "object" && doc !== null && "deployment" in doc && typeof doc.deployment === "object";
  } catch {
    return false;
  }
}

/**
 * Where the deployment may be written: never over the config file in use, a Pulumi project or stack
 * file, a directory, a file git tracks or any existing file that is not an earlier plan, and only
 * into a folder that exists. Checked before the program runs.
 */
export function checkOutputPath(out: string, configFile: string): string | undefined {
  const resolved = path.resolve(out);
  if (resolved === path.resolve(configFile)) {
    return `--out ${out} is the config file in use (${configFile}); write the plan elsewhere, e.g. --out plan.json`;
  }
  if (/^Pulumi(\..*)?\.ya?ml$/i.test(path.basename(resolved))) {
    return `--out ${out} would overwrite a Pulumi project or stack file; write the plan elsewhere, e.g. --out plan.json`;
  }
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(resolved);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) return `--out ${out} is a directory; give a file name, e.g. --out ${path.join(out, "plan.json")}`;
  const dir = path.dirname(resolved);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    return `--out ${out}: the folder ${dir} does not exist; create it or write elsewhere`;
  }
  const refused = refuseOverwrite("--out", out, "plan", isPlanFile);
  return refused === undefined ? undefined : `${refused}, e.g. --out plan.json (ignored by git)`;
}

/**
 * parseStackConfig's problems and the offline plan's own (offlinePlanProblems) in one report; throws
 * PlatformConfigError naming every key.
 */
export function validateForPlan(
  config: Readonly<Record<string, string>>,
  context: { stack: string; project: string; secretKeys?: readonly string[] },
): PlatformConfig {
  let parsed: PlatformConfig | undefined;
  let problems: readonly ConfigProblem[] = [];
  try {
    parsed = parseStackConfig(config, context);
  } catch (err) {
    if (!(err instanceof PlatformConfigError)) throw err;
    problems = err.problems;
  }
  const rawCount = config[`${context.project}:availabilityZoneCount`];
  const azCount = parsed?.availabilityZoneCount ?? (rawCount !== undefined && /^\d+$/.test(rawCount) ? Number(rawCount) : undefined);
  const offline = offlinePlanProblems(config["aws:region"], azCount, context.project).filter((p) => !problems.some((q) => q.key === p.key));
  if (problems.length > 0 || offline.length > 0) throw new PlatformConfigError([...problems, ...offline], "");
  return parsed!;
}

/** The one field of a package.json the plan reads. */
function hasVersion(manifest: unknown): manifest is { version: string } {
  return typeof manifest === "object" && manifest !== null && "version" in manifest && typeof manifest.version === "string";
}

/** Where the command writes: the console by default, a capture in tests. */
export interface PlanIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const consoleIo: PlanIo = { stdout: (t) => console.log(t), stderr: (t) => console.error(t) };

/**
 * The command: 0 when the plan is written, 1 for a usage, stack-file or config problem (named on
 * stderr, before the program runs, nothing written) or a failed run. Only a run that gets past
 * validation installs the mock cloud in this process, so tests call it in-process for the refusals.
 */
export async function main(argv: readonly string[], io: PlanIo = consoleIo): Promise<number> {
  const root = path.resolve(__dirname, "..");
  let args: PlanArgs;
  try {
    args = parsePlanArgs(argv);
    const project = readProjectFile(path.join(root, "Pulumi.yaml"));
    const stackFile = args.configFile ? path.resolve(args.configFile) : path.join(root, `Pulumi.${args.stack}.yaml`);
    if (!args.configFile && !fs.existsSync(stackFile)) {
      const stacks = availableStacks(root);
      throw new StackFileError(
        `no stack file for --stack ${args.stack}: ${stackFile} does not exist. Stacks here: ${stacks.join(", ") || "none"}. ` +
          `For another stack, copy one of them to Pulumi.${args.stack}.yaml, or pass --config-file <path>.`,
      );
    }
    const out = args.out ?? `plan-${args.stack}.json`;
    const outProblem = checkOutputPath(out, stackFile);
    if (outProblem !== undefined) throw new StackFileError(outProblem);
    const { config, secretKeys } = readStackConfig(stackFile, project);
    // Validate before anything registers, both namespaces in one report: the parser the program runs,
    // and what the offline plan itself cannot serve (a region it does not know, too many zones).
    validateForPlan(config, { stack: args.stack, project: project.name, secretKeys });

    const started = Date.now();
    pulumi.runtime.setAllConfig(config, secretKeys);
    const cloud = new MockCloud({ project: project.name, stack: args.stack });
    const program = path.join(root, "index.ts");
    // The program runs inside the root Stack resource, as `pulumi up` runs it; its exports become
    // the stack's outputs.
    await pulumi.runtime.runInPulumiStack((): Promise<unknown> => import(program));
    await cloud.settle();

    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const awsPackage: unknown = require("@pulumi/aws/package.json");
    if (!hasVersion(awsPackage)) throw new Error("@pulumi/aws/package.json has no version");
    const awsVersion = awsPackage.version;
    const deployment = toDeployment(cloud.resources, { project: project.name, stack: args.stack, awsVersion });
    const outPath = path.resolve(out);
    fs.writeFileSync(outPath, JSON.stringify(deployment, null, 2) + "\n");
    io.stdout(renderTree(deployment.deployment.resources));
    io.stdout(`\nWrote ${outPath} (${describeCounts(deployment.deployment.resources)}) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return 0;
  } catch (err) {
    if (err instanceof HelpRequested) {
      io.stdout(USAGE);
      return 0;
    }
    if (err instanceof PlatformConfigError || err instanceof StackFileError) {
      io.stderr(err.message);
      return 1;
    }
    io.stderr(`plan failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
