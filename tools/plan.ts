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
import { MockCloud } from "./mock-cloud";
import { toDeployment, renderTree } from "./deployment";
import { readProjectFile, readStackConfig, projectKeys, StackFileError } from "./stack-config";
import { parsePlatformConfig, PlatformConfigError, readAwsRegion } from "../components/config";

export interface PlanArgs {
  stack: string;
  configFile?: string;
  out?: string;
}

const USAGE = "usage: npm run plan -- --stack <name> [--config-file <path>] [--out <file>]";

export function parsePlanArgs(argv: readonly string[]): PlanArgs {
  const args: Partial<PlanArgs> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const take = (): string => {
      if (value === undefined || value.startsWith("--")) throw new StackFileError(`${flag} needs a value\n${USAGE}`);
      i++;
      return value;
    };
    if (flag === "--stack") args.stack = take();
    else if (flag === "--config-file") args.configFile = take();
    else if (flag === "--out") args.out = take();
    else throw new StackFileError(`unknown argument ${flag}\n${USAGE}`);
  }
  if (!args.stack) throw new StackFileError(`--stack is required\n${USAGE}`);
  if (!/^[A-Za-z0-9_.-]+$/.test(args.stack)) throw new StackFileError(`--stack must be a stack name ([A-Za-z0-9_.-]), got ${args.stack}`);
  return args as PlanArgs;
}

async function main(): Promise<number> {
  const root = path.resolve(__dirname, "..");
  let args: PlanArgs;
  try {
    args = parsePlanArgs(process.argv.slice(2));
    const project = readProjectFile(path.join(root, "Pulumi.yaml"));
    const stackFile = args.configFile ? path.resolve(args.configFile) : path.join(root, `Pulumi.${args.stack}.yaml`);
    const { config, secretKeys } = readStackConfig(stackFile, project);
    // Validate before anything registers: the same parser the program runs.
    parsePlatformConfig(projectKeys(config, project.name), { stack: args.stack, project: project.name });
    readAwsRegion(config);

    const started = Date.now();
    pulumi.runtime.setAllConfig(config, secretKeys);
    const cloud = new MockCloud({ project: project.name, stack: args.stack });
    const program = path.join(root, "index.ts");
    // The program runs inside the root Stack resource, as `pulumi up` runs it; its exports become
    // the stack's outputs.
    await pulumi.runtime.runInPulumiStack(async () => import(program));
    await cloud.settle();

    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const awsVersion: string = require("@pulumi/aws/package.json").version;
    const deployment = toDeployment(cloud.resources, { project: project.name, stack: args.stack, awsVersion });
    const out = path.resolve(args.out ?? `plan-${args.stack}.json`);
    fs.writeFileSync(out, JSON.stringify(deployment, null, 2) + "\n");
    console.log(renderTree(deployment.deployment.resources));
    console.log(`\nWrote ${out} (${deployment.deployment.resources.length} entries) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return 0;
  } catch (err) {
    if (err instanceof PlatformConfigError || err instanceof StackFileError) {
      console.error(err.message);
      return 1;
    }
    console.error(`plan failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
