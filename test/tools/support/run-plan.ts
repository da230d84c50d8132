/**
 * What the plan specs share: `npm run plan` as a user runs it (a child process from the repository
 * root), and in-process with its output captured. Not a spec: specs import it, never each other.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { main } from "../../../tools/plan";

export const ROOT = path.resolve(__dirname, "../../..");

export interface PlanRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run plan -- <args>` in a child process, from the repository root. */
export function runPlan(args: string[]): PlanRun {
  const r = spawnSync(process.execPath, ["-r", "ts-node/register", path.join(ROOT, "tools/plan.ts"), ...args], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
    encoding: "utf8",
    timeout: 300_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The same command in this process, for the paths that end before the program runs (help, usage,
 * stack-file, output-path and config refusals): a run that validated would install the mock cloud
 * here. Relative paths resolve against the working directory, as for the child process; mocha runs
 * from the repository root.
 */
export async function planInProcess(args: string[]): Promise<PlanRun> {
  if (path.resolve(process.cwd()) !== ROOT) throw new Error(`run the specs from the repository root (${ROOT}), not ${process.cwd()}`);
  let stdout = "";
  let stderr = "";
  const status = await main(args, { stdout: (t) => (stdout += `${t}\n`), stderr: (t) => (stderr += `${t}\n`) });
  return { status, stdout, stderr };
}
