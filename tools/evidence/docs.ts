// npm run docs:architecture [-- <plan-prod.json>] [--out <file.svg>]: regenerates docs/architecture.svg from the prod
// plan (the picture in the README). test/evidence/ regenerates it the same way and fails when the committed file differs.
// Input that is not this project's offline prod plan is refused (a dev plan or another project's export would replace
// the README picture with the wrong one); --out elsewhere never overwrites a file git tracks.

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { LoadedDeployment } from "../../policy-pack/checker/deployment";
import { InputError, parseDeployment } from "../../policy-pack/checker/deployment";
import { buildArchitecture } from "./architecture";
import { overviewFigure, titleOf } from "./architecture-figures";
import { parseFlags, refuseOverwrite, UsageError } from "../command-line";

export const ROOT = path.resolve(__dirname, "../..");
export const DOC_SVG = path.join(ROOT, "docs/architecture.svg");

export const USAGE = [
  "usage: npm run docs:architecture [-- <plan-prod.json>] [--out <file.svg>]",
  "",
  "  <plan-prod.json>  this project's offline prod plan (npm run plan -- --stack prod --out plan-prod.json);",
  "                    without it the prod plan is made in a temporary folder",
  "  --out <file.svg>  where to write the picture (default docs/architecture.svg, the README's); elsewhere never a",
  "                    file git tracks or an existing file that is not an SVG",
  "  --help            print this and exit",
  "",
  "Exit codes: 0 written, 1 bad arguments, input that is not the prod plan, or a failed plan.",
].join("\n");

const PROJECT = "healthcare-platform";

export interface DocsArgs {
  help: boolean;
  plan?: string;
  out: string;
}

/** The command line (node:util parseArgs); throws UsageError naming the problem. */
export function parseDocsArgs(argv: readonly string[]): DocsArgs {
  const flags = parseFlags(argv, { out: "string" } as const, USAGE, 1);
  const out = path.resolve(flags.values.out ?? DOC_SVG);
  if (out !== DOC_SVG) {
    const refused = refuseOverwrite(
      "--out",
      flags.values.out ?? out,
      "architecture picture",
      (f) => f.endsWith(".svg") && fs.statSync(f).isFile(),
    );
    if (refused !== undefined) throw new UsageError(refused);
  }
  return { help: flags.help, plan: flags.positionals[0], out };
}

/** Why `deployment` is not the picture's source (this project's offline prod plan), or undefined. */
export function notTheProdPlan(text: string, deployment: LoadedDeployment, source: string, project = PROJECT): string | undefined {
  const urn = deployment.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
  const [, stack, name] = /^urn:pulumi:([^:]*)::([^:]*)::/.exec(urn) ?? [];
  const magic = (JSON.parse(text) as { deployment?: { manifest?: { magic?: unknown } } }).deployment?.manifest?.magic;
  const what =
    stack === undefined
      ? "no stack resource"
      : `stack ${name}/${stack}${magic === "offline-plan" ? " (offline plan)" : " (not an offline plan)"}`;
  if (stack === "prod" && name === project && magic === "offline-plan") return undefined;
  return (
    `${source} is not the ${project} prod plan (it holds ${what}); the README picture is drawn from ` +
    "`npm run plan -- --stack prod --out plan-prod.json`, or run `npm run docs:architecture` with no file to make it."
  );
}

/** The README picture of a deployment: the overview (architecture-figures.ts), titled without the source file. */
export async function architectureSvg(deployment: LoadedDeployment): Promise<string> {
  const { project, stack } = titleOf(deployment);
  return (await overviewFigure(buildArchitecture(deployment), project, stack)).svg;
}

async function main(argv: readonly string[]): Promise<void> {
  const args = parseDocsArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const given = args.plan;
  if (given) {
    const text = fs.readFileSync(given, "utf8");
    const deployment = parseDeployment(text, given);
    const refused = notTheProdPlan(text, deployment, given);
    if (refused !== undefined) throw new UsageError(refused);
    fs.writeFileSync(args.out, await architectureSvg(deployment));
    process.stdout.write(`Wrote ${path.relative(ROOT, args.out)} from ${given}\n`);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hcp-docs-"));
  try {
    const out = path.join(dir, "plan-prod.json");
    const r = spawnSync(process.execPath, ["-r", "ts-node/register", path.join(ROOT, "tools/plan.ts"), "--stack", "prod", "--out", out], {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`npm run plan failed:\n${r.stderr}`);
    const svg = await architectureSvg(parseDeployment(fs.readFileSync(out, "utf8"), out));
    fs.mkdirSync(path.dirname(args.out), { recursive: true });
    fs.writeFileSync(args.out, svg);
    process.stdout.write(`Wrote ${path.relative(ROOT, args.out)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    const known = e instanceof UsageError || e instanceof InputError || (e as NodeJS.ErrnoException)?.code === "ENOENT";
    process.stderr.write(`docs:architecture: ${known ? (e as Error).message : ((e as Error)?.stack ?? String(e))}\n`);
    process.exitCode = 1;
  });
}
