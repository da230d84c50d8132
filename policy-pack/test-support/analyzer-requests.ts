// The analyzer protocol's requests for a deployment, built as the engine builds them (one
// `AnalyzeRequest` per resource with its inputs, one `AnalyzeStackRequest` with inputs overlaid by
// outputs), and the diagnostics they return as comparable "policy|urn|level|message" lines. Shared
// by server-parity.spec.ts (the SDK's RPC handlers in-process) and runtime.spec.ts (the published
// pack in Pulumi's own policy runtime, over gRPC).

import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { LoadedDeployment, StateResource } from "../checker/deployment";
import { resourceProps, stackProps } from "../checker/run";

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const pb = require("@pulumi/pulumi/proto/analyzer_pb");

export interface Diagnostic {
  getPolicyname(): string;
  getMessage(): string;
  getUrn(): string;
  getEnforcementlevel(): number;
}

/** The proto's EnforcementLevel enum, by number. */
export const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

const struct = (v: Record<string, unknown>) => structproto.Struct.fromJavaScript(v as Record<string, structproto.JavaScriptValue>);
const nameOf = (urn: string) => urn.split("::").pop();

function options(r: StateResource) {
  const o = new pb.AnalyzerResourceOptions();
  o.setProtect(r.protect);
  if (r.parent) {
    o.setParent(r.parent);
  }
  return o;
}

function provider(byUrn: Map<string, StateResource>, r: StateResource) {
  if (!r.provider) {
    return undefined;
  }
  const p = byUrn.get(r.provider.slice(0, r.provider.lastIndexOf("::")));
  if (!p) {
    return undefined;
  }
  const msg = new pb.AnalyzerProviderResource();
  msg.setType(p.type);
  msg.setProperties(struct(resourceProps(p)));
  msg.setUrn(p.urn);
  msg.setName(nameOf(p.urn));
  return msg;
}

/** One `AnalyzeRequest` per resource, as the engine sends them. */
export function analyzeRequests(d: LoadedDeployment): unknown[] {
  const byUrn = new Map(d.resources.map((r) => [r.urn, r]));
  return d.resources.map((r) => {
    const req = new pb.AnalyzeRequest();
    req.setType(r.type);
    req.setProperties(struct(resourceProps(r)));
    req.setUrn(r.urn);
    req.setName(nameOf(r.urn));
    req.setOptions(options(r));
    const prov = provider(byUrn, r);
    if (prov) {
      req.setProvider(prov);
    }
    return req;
  });
}

/** The `AnalyzeStackRequest` of the whole deployment. */
export function analyzeStackRequest(d: LoadedDeployment): unknown {
  const byUrn = new Map(d.resources.map((r) => [r.urn, r]));
  const stackReq = new pb.AnalyzeStackRequest();
  stackReq.setResourcesList(
    d.resources.map((r) => {
      const m = new pb.AnalyzerResource();
      m.setType(r.type);
      m.setProperties(struct(stackProps(r)));
      m.setUrn(r.urn);
      m.setName(nameOf(r.urn));
      m.setOptions(options(r));
      const prov = provider(byUrn, r);
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
  return stackReq;
}

/** A diagnostic as a "policy|urn|level|message" line (the server prefixes the policy's description). */
export function diagnosticLine(x: Diagnostic, fallbackUrn: string): string {
  const raw = x.getMessage();
  const message = raw.includes("during preview: ")
    ? `during preview: ${raw.split("during preview: ")[1]}`
    : raw.split("\n").slice(1).join("\n");
  return `${x.getPolicyname()}|${x.getUrn() || fallbackUrn}|${LEVELS[x.getEnforcementlevel()]}|${message}`;
}

/** A checker violation as the same line. */
export function violationLine(v: { policy: string; urn: string; enforcementLevel: string; message: string }): string {
  const message = v.message.includes("during preview: ") ? `during preview: ${v.message.split("during preview: ")[1]}` : v.message;
  return `${v.policy}|${v.urn}|${v.enforcementLevel}|${message}`;
}
