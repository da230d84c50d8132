// npm run docs:architecture [-- <plan-prod.json>]: regenerates docs/architecture.svg from the prod plan (the picture in the
// README). test/evidence/ regenerates it the same way and fails when the committed file differs.

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { LoadedDeployment } from "../../policy-pack/checker/deployment";
import { parseDeployment } from "../../policy-pack/checker/deployment";
import { buildArchitecture, renderSvg, toDot } from "./architecture";

export const ROOT = path.resolve(__dirname, "../..");
export const DOC_SVG = path.join(ROOT, "docs/architecture.svg");

/** The README picture of a deployment: the architecture alone, titled without the source file. */
export async function architectureSvg(deployment: LoadedDeployment): Promise<string> {
  const stack = deployment.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
  const [, name = "", project = ""] = /^urn:pulumi:([^:]*)::([^:]*)::/.exec(stack) ?? [];
  return renderSvg(toDot(buildArchitecture(deployment), `${project} / ${name}: components, PHI and audit paths, trust boundaries`));
}

async function main(given?: string): Promise<void> {
  if (given) {
    fs.writeFileSync(DOC_SVG, await architectureSvg(parseDeployment(fs.readFileSync(given, "utf8"), given)));
    process.stdout.write(`Wrote ${path.relative(ROOT, DOC_SVG)} from ${given}\n`);
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
    fs.mkdirSync(path.dirname(DOC_SVG), { recursive: true });
    fs.writeFileSync(DOC_SVG, svg);
    process.stdout.write(`Wrote ${path.relative(ROOT, DOC_SVG)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv[2]).catch((e) => {
    process.stderr.write(`docs:architecture: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
