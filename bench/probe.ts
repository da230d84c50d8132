// Cold-start probes: a script run in a fresh Node.js process, timing its own body and printing
// {"ms": <milliseconds>} as its last line.

import { spawnSync } from "child_process";

/** A script that runs `body` and prints how long it took as `{"ms": …}`. */
export const timedScript = (body: string) =>
  `const t0 = process.hrtime.bigint(); ${body}; console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - t0) / 1e6 }));`;

/** What a probe prints on its last line. */
interface ProbeTiming {
  ms: number;
}

function isProbeTiming(v: unknown): v is ProbeTiming {
  return typeof v === "object" && v !== null && "ms" in v && typeof v.ms === "number";
}

/** Runs a {@link timedScript} in a fresh Node.js process (in `cwd`, with `env` if given) and returns the milliseconds it prints. */
export function freshProcessMs(script: string, cwd: string, env?: NodeJS.ProcessEnv): number {
  const out = spawnSync(process.execPath, ["--no-warnings", "-e", script], {
    cwd,
    encoding: "utf8",
    timeout: 60_000,
    ...(env ? { env } : {}),
  });
  if (out.status !== 0) throw new Error(`cold-start probe failed (exit ${out.status}): ${out.stderr}`);
  const timing: unknown = JSON.parse(out.stdout.trim().split("\n").pop()!);
  if (!isProbeTiming(timing)) throw new Error(`cold-start probe printed no {"ms": number}: ${out.stdout}`);
  return timing.ms;
}
