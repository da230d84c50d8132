/**
 * policy-pack: evaluates every policy of the pack (the offline checker's runner, the same policy
 * objects the service runs) on synthetic deployments of 500, 2,000 and 10,000 state entries under
 * `policy-pack/config/prod.json`, and reports the milliseconds of one run of each.
 *
 * The deployments are the prod plan (`npm run plan -- --stack prod`, run once in a child process)
 * replicated: copy k of every resource except the stack and the providers gets `-r<k>` appended to
 * its URN name and to every id, name and ARN of the plan that embeds one of them (string values
 * only; property names are left alone), so each copy is a second, consistent platform whose joins
 * (bucket <-> companions, trail <-> PHI buckets, role <-> attachments) stay inside the copy. The
 * last copy is cut to reach the exact size. The growth from 2,000 to 10,000 (x5 entries) shows
 * whether any cross-resource join scans the whole stack once per resource: linear or n log n work
 * grows about x5 to x6, a quadratic join x25.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseConfig } from "../policy-pack/checker/config";
import { LoadedDeployment, parseDeployment, StateResource } from "../policy-pack/checker/deployment";
import { runPolicies } from "../policy-pack/checker/run";
import { allPolicies } from "../policy-pack/policies";
import type { Bench, Measurement } from "./run";

const REPO_ROOT = path.resolve(__dirname, "..");
export const SIZES = [500, 2000, 10000];
const RUNS: Record<number, number> = { 500: 5, 2000: 3, 10000: 1 };

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function urnName(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i >= 0 ? urn.slice(i + 2) : urn;
}

function mapStrings(v: unknown, fn: (s: string) => string): unknown {
  if (typeof v === "string") return fn(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, fn));
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = mapStrings(x, fn);
    return out;
  }
  return v;
}

/**
 * The deployment grown to `size` entries by renamed copies of its resources (see the file comment).
 * Tokens renamed: URN names, ids and the `name`/`bucket`/`domainName`/... values of 6 characters or
 * more, longest first, so that an ARN or a physical name built from a resource name follows it.
 */
export function replicate(base: LoadedDeployment, size: number): LoadedDeployment {
  const shared = base.resources.filter((r) => r.type === "pulumi:pulumi:Stack" || r.type.startsWith("pulumi:providers:"));
  const copied = base.resources.filter((r) => !shared.includes(r));
  const tokens = new Set<string>();
  for (const r of copied) {
    tokens.add(urnName(r.urn));
    if (r.id) tokens.add(r.id);
    for (const key of ["name", "bucket", "domainName", "identifier", "functionName", "roleName", "arn"]) {
      const v = r.outputs[key] ?? r.inputs[key];
      if (typeof v === "string") tokens.add(v);
    }
  }
  const sorted = [...tokens].filter((t) => t.length >= 6).sort((a, b) => b.length - a.length);
  const re = new RegExp(sorted.map(escape).join("|"), "g");
  const resources: StateResource[] = [...shared];
  for (let k = 0; resources.length < size; k++) {
    const rename = (s: string) => (k === 0 ? s : s.replace(re, (m) => `${m}-r${k}`));
    for (const r of copied) {
      if (resources.length >= size) break;
      const renamedUrn = (u: string) => {
        const i = u.lastIndexOf("::");
        return shared.some((x) => x.urn === u) || i < 0 ? u : `${u.slice(0, i + 2)}${rename(u.slice(i + 2))}`;
      };
      resources.push({
        ...r,
        urn: renamedUrn(r.urn),
        id: r.id === undefined ? undefined : rename(r.id),
        parent: r.parent === undefined ? undefined : renamedUrn(r.parent),
        inputs: mapStrings(r.inputs, rename) as Record<string, unknown>,
        outputs: mapStrings(r.outputs, rename) as Record<string, unknown>,
        dependencies: r.dependencies.map(renamedUrn),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([p, us]) => [p, us.map(renamedUrn)])),
      });
    }
  }
  return { version: base.version, resources, encryptedSecrets: base.encryptedSecrets };
}

/** The prod plan, written by `npm run plan` into a temporary directory. */
export function prodPlan(): LoadedDeployment {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-bench-"));
  try {
    const out = path.join(dir, "prod.json");
    const r = spawnSync("npx", ["ts-node", "tools/plan.ts", "--stack", "prod", "--out", out], {
      cwd: REPO_ROOT,
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`npm run plan failed: ${r.stderr || r.stdout}`);
    return parseDeployment(fs.readFileSync(out, "utf8"), out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const bench: Bench = {
  name: "policy-pack",
  description: `every policy of the pack under config/prod.json on replicated prod plans of ${SIZES.join(", ")} state entries`,
  async run(): Promise<Measurement[]> {
    const base = prodPlan();
    const config = parseConfig(
      fs.readFileSync(path.join(REPO_ROOT, "policy-pack", "config", "prod.json"), "utf8"),
      allPolicies,
      "prod.json",
    );
    const out: Measurement[] = [];
    const perRun: number[] = [];
    // Warm-up: the first run pays for compiling the policies' code paths.
    await runPolicies(replicate(base, SIZES[0]), { policies: allPolicies, config });
    for (const size of SIZES) {
      const deployment = replicate(base, size);
      const times: number[] = [];
      let mandatory = 0;
      for (let i = 0; i < RUNS[size]; i++) {
        const started = process.hrtime.bigint();
        const result = await runPolicies(deployment, { policies: allPolicies, config });
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
        mandatory = result.summary.mandatory;
      }
      const ms = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
      perRun.push(ms);
      out.push({
        name: `${size.toLocaleString("en-US")} state entries`,
        value: ms,
        unit: "ms/run",
        note: `median of ${times.length}; ${allPolicies.length} policies; ${mandatory} mandatory violations (the cut last copy may lack companions)`,
      });
    }
    for (let i = 1; i < SIZES.length; i++) {
      const ratio = perRun[i] / perRun[i - 1];
      const n = SIZES[i] / SIZES[i - 1];
      out.push({
        name: `growth ${SIZES[i - 1]} -> ${SIZES[i]}`,
        value: ratio,
        unit: "x",
        note: `entries x${n}; n log n would be about x${((n * Math.log(SIZES[i])) / Math.log(SIZES[i - 1])).toFixed(1)}, quadratic x${n * n}`,
      });
    }
    return out;
  },
};
