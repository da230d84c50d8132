/**
 * `npm test`: the type check, the linters and the specs, the checks on one core and mocha on the
 * other. Mocha's report streams as it runs; each check's output is kept and printed after it, under
 * the check's name, so the two never interleave. Exits 1 when any of them failed, naming which.
 *
 * `npm test -- <mocha arguments>` passes them on (e.g. `--grep "AWS behaviour"`); the checks still run.
 */
import { spawn } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

const CACHE = path.join(ROOT, "node_modules", ".cache");

/**
 * The checks, in order, one at a time. tsc keeps its incremental state and prettier its per-file
 * results (by content) in node_modules/.cache, both invalidated by their own tools; eslint's
 * type-aware rules read other files' types, so it runs without a cache.
 */
const CHECKS: readonly { name: string; command: string; args: string[] }[] = [
  {
    name: "tsc",
    command: bin("tsc"),
    args: ["--noEmit", "-p", "tsconfig.json", "--incremental", "--tsBuildInfoFile", path.join(CACHE, "tsc", "tsconfig.tsbuildinfo")],
  },
  { name: "eslint", command: bin("eslint"), args: ["."] },
  {
    name: "prettier",
    command: bin("prettier"),
    args: ["--check", ".", "--cache", "--cache-strategy", "content", "--cache-location", path.join(CACHE, "prettier", "cache.json")],
  },
];

/** Every spec of the project: test/ and the policy pack's own. */
const SPECS = ["test/**/*.spec.ts", "policy-pack/**/*.spec.ts"];

interface Outcome {
  readonly name: string;
  readonly code: number;
  readonly seconds: number;
  readonly output: string;
}

function run(name: string, command: string, args: string[], stream: boolean): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
      stdio: stream ? "inherit" : ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", (err) => resolve({ name, code: 1, seconds: (Date.now() - started) / 1000, output: String(err) }));
    child.on("close", (code, signal) => resolve({ name, code: code ?? (signal ? 1 : 0), seconds: (Date.now() - started) / 1000, output }));
  });
}

async function checks(): Promise<Outcome[]> {
  const done: Outcome[] = [];
  for (const c of CHECKS) done.push(await run(c.name, c.command, c.args, false));
  return done;
}

async function main(): Promise<number> {
  const mochaArgs = ["--ignore", "**/node_modules/**", ...SPECS, ...process.argv.slice(2)];
  const [mocha, lint] = await Promise.all([run("mocha", bin("mocha"), mochaArgs, true), checks()]);
  for (const c of lint) {
    console.log(`\n── ${c.name} (${c.seconds.toFixed(1)} s): ${c.code === 0 ? "ok" : `FAILED (exit ${c.code})`}`);
    if (c.output.trim()) console.log(c.output.trimEnd());
  }
  const all = [...lint, mocha];
  console.log(`\n── ${all.map((o) => `${o.name} ${o.seconds.toFixed(1)} s${o.code === 0 ? "" : " FAILED"}`).join(", ")}`);
  const failed = all.filter((o) => o.code !== 0).map((o) => o.name);
  if (failed.length > 0) console.log(`npm test failed: ${failed.join(", ")}`);
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
