/**
 * The prod plan's evidence report, as `npm run evidence -- <prod plan> --policy-config policy-pack/config/prod.json
 * --out <dir>` writes it: built once per mocha process and shared by the specs that only read it (the report, its
 * appendix files, its manifest). A spec that writes reports of its own writes them to its own directory.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main as evidence } from "../../tools/evidence/cli";
import { planFile, planSpec } from "./plans";

export const PROD_POLICY_CONFIG = path.resolve(__dirname, "../../policy-pack/config/prod.json");

export interface ProdReport {
  /** A copy of the run's prod plan, named as a user's would be (`plan-prod.json`). */
  readonly plan: string;
  /** The report's directory. */
  readonly report: string;
}

let built: Promise<ProdReport> | undefined;

export function prodReport(): Promise<ProdReport> {
  built ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hcp-prod-report-"));
    process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    const plan = path.join(dir, "plan-prod.json");
    fs.copyFileSync(await planFile(planSpec("prod")), plan);
    const report = path.join(dir, "report");
    const err: string[] = [];
    const code = await evidence([plan, "--policy-config", PROD_POLICY_CONFIG, "--out", report], {
      stdout: () => undefined,
      stderr: (t) => void err.push(t),
    });
    if (code !== 0) throw new Error(`npm run evidence on the prod plan exited ${code}: ${err.join("")}`);
    return { plan, report };
  })();
  return built;
}
