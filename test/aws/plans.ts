/**
 * The dev and prod plans, generated once per test run and shared by every spec of test/aws/ (and
 * the handler replay): `tools/plan.ts --stack <name>` in a child process, as test/tools/plan.spec.ts
 * runs it, cached in this module.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Deployment } from "../../tools/deployment";
import { PolicyIndex } from "./policy-index";

export const STACKS = ["dev", "prod"] as const;
export type Stack = (typeof STACKS)[number];

const ROOT = path.resolve(__dirname, "../..");
const cache = new Map<Stack, PolicyIndex>();
let tmp: string | undefined;

/** The plan of `stack` (generated on first use), indexed for policy look-ups. */
export function planIndex(stack: Stack): PolicyIndex {
  const cached = cache.get(stack);
  if (cached) return cached;
  tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), "hcp-aws-"));
  const out = path.join(tmp, `plan-${stack}.json`);
  const r = spawnSync(process.execPath, ["-r", "ts-node/register", path.join(ROOT, "tools/plan.ts"), "--stack", stack, "--out", out], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
    encoding: "utf8",
    timeout: 300_000,
  });
  assert.strictEqual(r.status, 0, `plan --stack ${stack} failed:\n${r.stderr}\n${r.stdout}`);
  const index = new PolicyIndex(stack, JSON.parse(fs.readFileSync(out, "utf8")) as Deployment);
  cache.set(stack, index);
  return index;
}
