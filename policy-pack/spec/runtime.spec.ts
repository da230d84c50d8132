// The published pack in Pulumi's own policy runtime. `npm pack` of policy-pack/, installed with only
// its declared dependencies (support/install-pack.ts), started exactly as the Pulumi CLI's analyzer
// host starts a Node.js policy pack: `node node_modules/@pulumi/pulumi/cmd/run-policy-pack
// <engine-address> <pack-dir>` (it registers Pulumi's TypeScript loader, with the pack's own
// `typescript` when it declares one and otherwise a vendored TypeScript 3.8 that rejects our
// tsconfig's ES2022 target; the runtime drops the engine address before loading the pack and never
// dials it: nothing listens on the address given here). The runtime prints the port of its gRPC
// analyzer server; a client of the analyzer service generated from Pulumi's analyzer.proto
// (@pulumi/pulumi/proto) then asks it what the engine asks: GetAnalyzerInfo, and Analyze /
// AnalyzeStack on the prod plan, whose diagnostics must be exactly what `policy:check` reports.
// `npm run check` inside the packed pack is run on the same plan.

import { strict as assert } from "assert";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { main } from "../checker/cli";
import { allPolicies } from "../policies";
import { analyzeRequests, analyzeStackRequest, Diagnostic, diagnosticLine, LEVELS, violationLine } from "../test-support/analyzer-requests";
import { packAndInstall, PackedPack } from "../test-support/install-pack";
import { parseDeployment } from "../checker/deployment";
import { planFile as sharedPlanFile, planSpec } from "../../test/support/plans";

/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const services = require("@pulumi/pulumi/proto/analyzer_grpc_pb") as {
  AnalyzerClient: new (address: string, credentials: unknown) => AnalyzerClient;
};
const { Empty } = require("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => unknown };
/* eslint-enable @typescript-eslint/no-require-imports */

type Callback<T> = (err: Error | null, resp: T) => void;
interface AnalyzerClient {
  getAnalyzerInfo(req: unknown, cb: Callback<AnalyzerInfo>): void;
  analyze(req: unknown, cb: Callback<DiagnosticsResponse>): void;
  analyzeStack(req: unknown, cb: Callback<DiagnosticsResponse>): void;
  close(): void;
}
interface AnalyzerInfo {
  getName(): string;
  getVersion(): string;
  getPoliciesList(): { getName(): string; getEnforcementlevel(): number }[];
}
interface DiagnosticsResponse {
  getDiagnosticsList(): Diagnostic[];
}

/** An address nothing listens on: the runtime must not need an engine to load and serve the pack. */
const ENGINE_ADDRESS = "127.0.0.1:9";

function rpc<T>(fn: (req: unknown, cb: Callback<T>) => void, req: unknown): Promise<T> {
  return new Promise((resolve, reject) => fn(req, (err, resp) => (err ? reject(err) : resolve(resp))));
}

/** Starts the runtime in `dir`; resolves with the port it prints, rejects with its output if it exits first. */
function startRuntime(dir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["node_modules/@pulumi/pulumi/cmd/run-policy-pack", ENGINE_ADDRESS, "."], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (b: Buffer) => {
      stdout += b.toString();
      const m = /^(\d+)\s*$/m.exec(stdout);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("exit", (code) => reject(new Error(`run-policy-pack exited with ${code} before serving:\n${stdout}\n${stderr}`)));
  });
}

/** The prod plan (`tools/plan.ts --stack prod`, shared by the run's specs through test/support/plans), copied to `file`. */
async function prodPlan(file: string): Promise<void> {
  fs.copyFileSync(await sharedPlanFile(planSpec("prod")), file);
}

describe("the published pack in Pulumi's policy runtime (run-policy-pack + analyzer gRPC)", function () {
  this.timeout(300_000);
  let packed: PackedPack;
  let runtime: ChildProcess | undefined;
  let client: AnalyzerClient;
  let planFile: string;

  before(async () => {
    packed = packAndInstall("policy-pack-runtime-");
    planFile = path.join(packed.work, "prod-plan.json");
    // The plan and the runtime's start-up (it type-checks the pack) run side by side.
    const [started] = await Promise.all([startRuntime(packed.dir), prodPlan(planFile)]);
    runtime = started.child;
    client = new services.AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
  });

  after(() => {
    client?.close();
    runtime?.kill();
    if (packed) fs.rmSync(packed.work, { recursive: true, force: true });
  });

  it("installs no package the pack does not declare (no typescript unless declared)", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(packed.dir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    for (const dep of ["typescript", "@types/node"]) {
      assert.ok(dep in manifest.dependencies, `package.json must declare ${dep}: Pulumi's loader type-checks the pack with it`);
    }
    assert.ok(!fs.existsSync(path.join(packed.dir, "node_modules", "mocha")), "a dev dependency of the repository was installed");
  });

  it("GetAnalyzerInfo lists every policy with its enforcement level", async () => {
    const info = await rpc<AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
    assert.equal(info.getName(), "healthcare-hipaa-policies");
    const served = info
      .getPoliciesList()
      .map((p) => `${p.getName()}=${LEVELS[p.getEnforcementlevel()]}`)
      .sort();
    assert.deepEqual(served, allPolicies.map((p) => `${p.name}=${p.enforcementLevel ?? "advisory"}`).sort());
  });

  it("Analyze and AnalyzeStack on the prod plan return exactly what policy:check reports", async () => {
    const d = parseDeployment(fs.readFileSync(planFile, "utf8"), planFile);
    const stackUrn = d.resources.find((r) => r.type === "pulumi:pulumi:Stack")!.urn;
    const served: string[] = [];
    const requests = analyzeRequests(d);
    for (let i = 0; i < requests.length; i++) {
      const resp = await rpc<DiagnosticsResponse>(client.analyze.bind(client), requests[i]);
      served.push(...resp.getDiagnosticsList().map((x) => diagnosticLine(x, d.resources[i].urn)));
    }
    const stack = await rpc<DiagnosticsResponse>(client.analyzeStack.bind(client), analyzeStackRequest(d));
    served.push(...stack.getDiagnosticsList().map((x) => diagnosticLine(x, stackUrn)));

    let out = "";
    const code = await main([planFile, "--format", "json"], {
      stdout: (t) => (out += t),
      stderr: () => undefined,
      readFile: (f) => fs.readFileSync(f, "utf8"),
    });
    assert.equal(code, 0, "policy:check reports a mandatory violation on the prod plan");
    const report = JSON.parse(out) as { violations: { policy: string; urn: string; enforcementLevel: string; message: string }[] };
    assert.ok(d.resources.length > 100, "the prod plan is the whole platform");
    assert.deepEqual(served.sort(), report.violations.map(violationLine).sort());
    assert.ok(!served.some((s) => s.split("|")[2] === "mandatory"));
  });

  it("`npm run check` inside the packed pack runs its checker on the plan", () => {
    const r = spawnSync("npm", ["run", "-s", "check", "--", planFile, "--format", "json"], {
      cwd: packed.dir,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", npm_config_update_notifier: "false" },
    });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { summary: { policies: number; mandatory: number } };
    assert.equal(report.summary.policies, allPolicies.length);
    assert.equal(report.summary.mandatory, 0);
  });
});
