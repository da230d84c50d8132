/**
 * The plans test/aws/ evaluates, generated once per test run and shared by every spec of test/aws/
 * (and the handler replay): `tools/plan.ts --stack <name>` in a child process, as
 * test/tools/plan.spec.ts runs it, cached in this module.
 *
 * Besides the shipped dev and prod stacks, a variant plans prod with keys the shipped stack files
 * leave off (AWS Config is only built with `enableAccountGuardrails`): its stack file is a temporary
 * copy of Pulumi.prod.yaml with those keys changed, passed with `--config-file`.
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

export interface PlanSpec {
  /** Names the plan in test titles. */
  readonly label: string;
  readonly stack: Stack;
  /** Keys of `Pulumi.<stack>.yaml` set to other values (each must be present in the file). */
  readonly overrides?: Readonly<Record<string, string>>;
  /** Row ids the plan must produce (a variant that lost what it exists for fails instead of passing empty). */
  readonly expectRows?: readonly string[];
}

export const PLANS: readonly PlanSpec[] = [
  { label: "dev", stack: "dev" },
  { label: "prod", stack: "prod" },
  {
    label: "prod with enableAccountGuardrails",
    stack: "prod",
    overrides: { "healthcare-platform:enableAccountGuardrails": "true" },
    expectRows: [
      "config:assume-role",
      "config role:s3:PutObject",
      "config service:s3:PutObject",
      "config role:s3:ListBucket (HeadBucket before delivery)",
    ],
  },
];

const ROOT = path.resolve(__dirname, "../..");
const cache = new Map<string, PolicyIndex>();
let tmp: string | undefined;

/** A copy of `Pulumi.<stack>.yaml` with `overrides` applied; throws when a key is not in the file exactly once. */
export function stackFileWith(stack: Stack, overrides: Readonly<Record<string, string>>, dir: string): string {
  let text = fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
  for (const [key, value] of Object.entries(overrides)) {
    const line = new RegExp(`^(\\s*${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:)[^\\n]*$`, "gm");
    const found = text.match(line)?.length ?? 0;
    if (found !== 1) throw new Error(`Pulumi.${stack}.yaml sets ${key} ${found} times; the variant plan needs it exactly once`);
    text = text.replace(line, `$1 ${value}`);
  }
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  fs.writeFileSync(file, text);
  return file;
}

/** The plan of `spec` (generated on first use), indexed for policy look-ups. */
export function planIndexOf(spec: PlanSpec): PolicyIndex {
  const cached = cache.get(spec.label);
  if (cached) return cached;
  tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), "hcp-aws-"));
  const dir = fs.mkdtempSync(path.join(tmp, "plan-"));
  const out = path.join(dir, "plan.json");
  const configArgs = spec.overrides ? ["--config-file", stackFileWith(spec.stack, spec.overrides, dir)] : [];
  const r = spawnSync(
    process.execPath,
    ["-r", "ts-node/register", path.join(ROOT, "tools/plan.ts"), "--stack", spec.stack, ...configArgs, "--out", out],
    {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
      encoding: "utf8",
      timeout: 300_000,
    },
  );
  assert.strictEqual(r.status, 0, `plan ${spec.label} failed:\n${r.stderr}\n${r.stdout}`);
  const index = new PolicyIndex(spec.stack, JSON.parse(fs.readFileSync(out, "utf8")) as Deployment);
  cache.set(spec.label, index);
  return index;
}

/** The plan of a shipped stack. */
export function planIndex(stack: Stack): PolicyIndex {
  return planIndexOf(PLANS.find((p) => p.label === stack)!);
}
