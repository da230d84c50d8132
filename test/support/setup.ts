/**
 * The harness of every mocha run (.mocharc.json `require`), loaded before the specs:
 * - Pulumi's per-promise stack traces left unmapped (fast-stacks.js), here and in the node processes
 *   the specs start;
 * - a per-run directory for Lambda bundles (components/lib/lambda-bundle.ts `cachedLambdaBundle`):
 *   each handler is bundled once per run, for this process and the plan children alike, and reused
 *   only while every file esbuild read for it is unchanged;
 * - when a spec of the run uses the plans (test/support/plans.ts), the missing ones are started in
 *   the background before the first test, and whatever is still running is ended after the last.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** lambda-bundle.ts `BUNDLE_CACHE_ENV` (not imported: that would load @pulumi/pulumi into every run, the pure ones too). */
const BUNDLE_CACHE_ENV = "HCP_LAMBDA_BUNDLE_CACHE";

// eslint-disable-next-line @typescript-eslint/no-require-imports
require("./fast-stacks.js");
const FAST_STACKS = path.join(__dirname, "fast-stacks.js");
if (!(process.env.NODE_OPTIONS ?? "").includes(FAST_STACKS)) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --require ${JSON.stringify(FAST_STACKS)}`.trim();
}

if (!process.env[BUNDLE_CACHE_ENV]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hcp-bundles-"));
  process.env[BUNDLE_CACHE_ENV] = dir;
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
}

const PLANS_MODULE = path.join(__dirname, "plans.ts");
type Plans = typeof import("./plans");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const plans = (): Plans | undefined => (require.cache[PLANS_MODULE] ? (require(PLANS_MODULE) as Plans) : undefined);

export const mochaHooks = {
  beforeAll(): void {
    plans()?.startPlans();
  },
  afterAll(): void {
    plans()?.stopPlans();
  },
};
