/**
 * `npm test`: the type check, the linters and the specs on the machine's two cores. One core runs
 * mocha over most specs from the start, its report streaming; the other runs the checks one after
 * another and then mocha over the specs of {@link SECOND_SPECS} (the pack's and the handlers' pure
 * specs), so that neither core idles. Every output but the first mocha's is kept and printed after
 * it, under its name, so none interleave. Each mocha writes the full titles of its tests (RUN_TITLES_ENV,
 * test/suite.spec.ts), and a title two runs share fails like one repeated within a run. Exits 1 when
 * anything failed, naming what.
 *
 * `npm test -- <mocha arguments>` passes them on (e.g. `--grep "AWS behaviour"`); the checks still run.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
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

/**
 * The specs the checks' core runs after the checks: about a third of mocha's work (the pack's specs and
 * the handlers' and config's pure ones). The pack's runtime spec reads the run's prod plan, which the
 * first run has started by then. The suite's own spec runs in both.
 */
export const SECOND_SPECS = ["policy-pack/**/*.spec.ts", "test/{lambda,config,opensearch-config}/**/*.spec.ts"];
const SUITE_SPEC = "test/suite.spec.ts";

/** test/suite.spec.ts `RUN_TITLES_ENV`: where a mocha run writes the full titles of its tests. */
const RUN_TITLES_ENV = "HCP_RUN_TITLES_FILE";

interface Outcome {
  readonly name: string;
  readonly code: number;
  readonly seconds: number;
  readonly output: string;
}

function run(name: string, command: string, args: string[], stream: boolean, env: Record<string, string> = {}): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true", ...env },
      stdio: stream ? "inherit" : ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", (err) => resolve({ name, code: 1, seconds: (Date.now() - started) / 1000, output: String(err) }));
    child.on("close", (code, signal) => resolve({ name, code: code ?? (signal ? 1 : 0), seconds: (Date.now() - started) / 1000, output }));
  });
}

/** The checks, then the second mocha run, on one core. */
async function checksThenSpecs(extra: string[], titles: string): Promise<Outcome[]> {
  const done: Outcome[] = [];
  for (const c of CHECKS) done.push(await run(c.name, c.command, c.args, false));
  const args = ["--ignore", "**/node_modules/**", ...SECOND_SPECS, SUITE_SPEC, ...extra];
  done.push(await run("mocha (second core)", bin("mocha"), args, false, { [RUN_TITLES_ENV]: titles }));
  return done;
}

/** Full titles both runs hold, each with its spec files. */
function sharedTitles(first: string, second: string): string[] {
  const read = (f: string) =>
    fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, "utf8")) as { title: string; file: string }[]) : undefined;
  const [a, b] = [read(first), read(second)];
  if (!a || !b) return []; // a run that failed before writing its titles already fails npm test
  const inFirst = new Map(a.map((t) => [t.title, t.file]));
  return b.filter((t) => inFirst.has(t.title)).map((t) => `${t.title} (${inFirst.get(t.title)}, ${t.file})`);
}

async function main(): Promise<number> {
  const extra = process.argv.slice(2);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "hcp-test-"));
  const titles = [path.join(work, "first.json"), path.join(work, "second.json")];
  const firstArgs = ["--ignore", "**/node_modules/**", ...SECOND_SPECS.flatMap((g) => ["--ignore", g]), ...SPECS, ...extra];
  const [mocha, lint] = await Promise.all([
    run("mocha", bin("mocha"), firstArgs, true, { [RUN_TITLES_ENV]: titles[0] }),
    checksThenSpecs(extra, titles[1]),
  ]);
  const shared = sharedTitles(titles[0], titles[1]).filter((t) => !t.startsWith("the test suite "));
  fs.rmSync(work, { recursive: true, force: true });
  if (shared.length > 0) {
    lint.push({ name: "titles", code: 1, seconds: 0, output: `Tests of the two mocha runs share full titles:\n${shared.join("\n")}` });
  }
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
