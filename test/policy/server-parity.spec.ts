// The checker must judge a deployment exactly as the engine does with the published pack. This
// spec feeds the same resources to the policy SDK's own analyzer server (the `analyze` and
// `analyzeStack` RPC handlers of @pulumi/policy/server, with protobuf requests as the engine sends
// them) and compares its diagnostics with the checker's violations.

import { strict as assert } from "assert";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { LoadedDeployment, StateResource } from "../../policy-pack/checker/deployment";
import { resourceProps, runPolicies, stackProps } from "../../policy-pack/checker/run";
import { allPolicies } from "../../policy-pack/policies";
import { UNKNOWN_BOOLEAN, UNKNOWN_STRING } from "../../policy-pack/policies/lib/unknown";
import { set } from "./support/builder";
import { violationsPlatform } from "./support/generate-fixtures";
import { Platform } from "./support/platform";

/* eslint-disable @typescript-eslint/no-require-imports */
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
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

interface Diagnostic {
  getPolicyname(): string;
  getMessage(): string;
  getUrn(): string;
  getEnforcementlevel(): number;
}

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];
const byUrn = (d: LoadedDeployment) => new Map(d.resources.map((r) => [r.urn, r]));

function options(r: StateResource) {
  const o = new pb.AnalyzerResourceOptions();
  o.setProtect(r.protect);
  if (r.parent) {
    o.setParent(r.parent);
  }
  return o;
}

function provider(d: LoadedDeployment, r: StateResource) {
  if (!r.provider) {
    return undefined;
  }
  const p = byUrn(d).get(r.provider.slice(0, r.provider.lastIndexOf("::")));
  if (!p) {
    return undefined;
  }
  const msg = new pb.AnalyzerProviderResource();
  msg.setType(p.type);
  msg.setProperties(structproto.Struct.fromJavaScript(resourceProps(p) as Record<string, structproto.JavaScriptValue>));
  msg.setUrn(p.urn);
  msg.setName(p.urn.split("::").pop());
  return msg;
}

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
  const record = (diags: Diagnostic[], fallbackUrn: string) => {
    for (const x of diags) {
      const raw = x.getMessage();
      const message = raw.includes("during preview: ")
        ? `during preview: ${raw.split("during preview: ")[1]}`
        : raw.split("\n").slice(1).join("\n");
      out.push(`${x.getPolicyname()}|${x.getUrn() || fallbackUrn}|${LEVELS[x.getEnforcementlevel()]}|${message}`);
    }
  };
  for (const r of d.resources) {
    const req = new pb.AnalyzeRequest();
    req.setType(r.type);
    req.setProperties(structproto.Struct.fromJavaScript(resourceProps(r) as Record<string, structproto.JavaScriptValue>));
    req.setUrn(r.urn);
    req.setName(r.urn.split("::").pop());
    req.setOptions(options(r));
    const prov = provider(d, r);
    if (prov) {
      req.setProvider(prov);
    }
    const resp = await call<{ getDiagnosticsList(): Diagnostic[] }>(analyze, req);
    record(resp.getDiagnosticsList(), r.urn);
  }
  const stackReq = new pb.AnalyzeStackRequest();
  stackReq.setResourcesList(
    d.resources.map((r) => {
      const m = new pb.AnalyzerResource();
      m.setType(r.type);
      m.setProperties(structproto.Struct.fromJavaScript(stackProps(r) as Record<string, structproto.JavaScriptValue>));
      m.setUrn(r.urn);
      m.setName(r.urn.split("::").pop());
      m.setOptions(options(r));
      const prov = provider(d, r);
      if (prov) {
        m.setProvider(prov);
      }
      if (r.parent) {
        m.setParent(r.parent);
      }
      m.setDependenciesList(r.dependencies);
      for (const [k, urns] of Object.entries(r.propertyDependencies)) {
        const deps = new pb.AnalyzerPropertyDependencies();
        deps.setUrnsList(urns);
        m.getPropertydependenciesMap().set(k, deps);
      }
      return m;
    }),
  );
  const resp = await call<{ getDiagnosticsList(): Diagnostic[] }>(analyzeStack, stackReq);
  record(resp.getDiagnosticsList(), stackUrn);
  return out.sort();
}

async function viaChecker(d: LoadedDeployment): Promise<string[]> {
  const result = await runPolicies(d, { policies: allPolicies });
  return result.violations
    .map((v) => {
      const message = v.message.includes("during preview: ") ? `during preview: ${v.message.split("during preview: ")[1]}` : v.message;
      return `${v.policy}|${v.urn}|${v.enforcementLevel}|${message}`;
    })
    .sort();
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
