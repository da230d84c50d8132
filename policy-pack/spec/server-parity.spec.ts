// The checker must judge a deployment exactly as the engine does with the published pack. This
// spec feeds the same resources to the policy SDK's own analyzer server (the `analyze` and
// `analyzeStack` RPC handlers of @pulumi/policy/server, with protobuf requests as the engine sends
// them) and compares its diagnostics with the checker's violations.

import { strict as assert } from "assert";
import { LoadedDeployment } from "../checker/deployment";
import { runPolicies } from "../checker/run";
import { allPolicies } from "../policies";
import { UNKNOWN_BOOLEAN, UNKNOWN_STRING } from "../policies/lib/unknown";
import { analyzeRequests, analyzeStackRequest, Diagnostic, diagnosticLine, violationLine } from "../test-support/analyzer-requests";
import { set } from "../test-support/builder";
import { violationsPlatform } from "../test-support/generate-fixtures";
import { Platform } from "../test-support/platform";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require("@pulumi/policy/server") as {
  makeAnalyzeRpcFun: (
    name: string,
    version: string,
    level: string,
    policies: unknown[],
  ) => (call: unknown, cb: (err: unknown, resp: unknown) => void) => Promise<void>;
  makeAnalyzeStackRpcFun: (
    name: string,
    version: string,
    level: string,
    policies: unknown[],
  ) => (call: unknown, cb: (err: unknown, resp: unknown) => void) => Promise<void>;
};

type Rpc = (call: unknown, cb: (err: unknown, resp: unknown) => void) => Promise<void>;

function call<T>(fn: Rpc, request: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    void fn({ request }, (err, resp) =>
      err ? reject(err instanceof Error ? err : new Error(`analyzer call failed: ${JSON.stringify(err)}`)) : resolve(resp as T),
    );
  });
}

/** What the engine would report: "policy|urn|level|message" lines. */
async function viaServer(d: LoadedDeployment): Promise<string[]> {
  const analyze = server.makeAnalyzeRpcFun("healthcare-hipaa-policies", "0.1.0", "advisory", allPolicies);
  const analyzeStack = server.makeAnalyzeStackRpcFun("healthcare-hipaa-policies", "0.1.0", "advisory", allPolicies);
  const stackUrn = d.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn as string;
  const out: string[] = [];
  const requests = analyzeRequests(d);
  for (let i = 0; i < requests.length; i++) {
    const resp = await call<{ getDiagnosticsList(): Diagnostic[] }>(analyze, requests[i]);
    out.push(...resp.getDiagnosticsList().map((x) => diagnosticLine(x, d.resources[i].urn)));
  }
  const resp = await call<{ getDiagnosticsList(): Diagnostic[] }>(analyzeStack, analyzeStackRequest(d));
  out.push(...resp.getDiagnosticsList().map((x) => diagnosticLine(x, stackUrn)));
  return out.sort();
}

async function viaChecker(d: LoadedDeployment): Promise<string[]> {
  const result = await runPolicies(d, { policies: allPolicies });
  return result.violations.map(violationLine).sort();
}

describe("checker parity with the policy SDK's analyzer server", () => {
  it("the violations fixture: identical diagnostics", async () => {
    const d = violationsPlatform().deployment();
    const expected = await viaServer(d);
    assert.ok(expected.length >= 6);
    assert.deepEqual(await viaChecker(d), expected);
  });

  it("preview-unknown values: identical can't-run diagnostics and verdicts", async () => {
    const p = new Platform("prod");
    set(p.lambda, "runtime", UNKNOWN_STRING);
    set(p.trail, "enableLogFileValidation", UNKNOWN_BOOLEAN);
    set(p.phiData.sse, "bucket", UNKNOWN_STRING);
    set(p.find("aws:kms/key:Key", "data-key"), "kmsKeyId", UNKNOWN_STRING);
    set(p.find("aws:ec2/flowLog:FlowLog"), "trafficType", UNKNOWN_STRING);
    const d = p.deployment();
    const expected = await viaServer(d);
    assert.ok(expected.some((e) => e.includes("|advisory|during preview:")));
    assert.deepEqual(await viaChecker(d), expected);
  });

  it("the compliant platform in prod: nothing from either", async () => {
    const d = new Platform("prod").deployment();
    assert.deepEqual(await viaServer(d), []);
    assert.deepEqual(await viaChecker(d), []);
  });
});
