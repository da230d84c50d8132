/**
 * The registration patch: the SDK's mock monitor is wrapped so every RegisterResource and
 * RegisterResourceOutputs request is recorded with what the engine would store. The requests are
 * the SDK's protobuf messages (@pulumi/pulumi/proto/resource_pb), read through the getters below:
 * a private API, pinned by the exact @pulumi/pulumi version (tools/README.md, test/tools/private-apis.spec.ts).
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";

/** One registered resource, shaped like an entry of `pulumi stack export`. */
export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  id?: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  parent?: string;
  provider?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
  retainOnDelete: boolean;
}

/** Strips the SDK's secret wrappers, keeping the plain values (the plan records inputs as data). */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (pulumi.asset.AssetArchive.isInstance(value) || pulumi.asset.Asset.isInstance(value)) {
    // Filled in asynchronously by describeAssets(); a placeholder keeps the key's position.
    return { [ASSET_PLACEHOLDER]: value };
  }
  if (value && typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (v[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return plain(v.value);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = plain(x);
    return out;
  }
  return value;
}

const ASSET_PLACEHOLDER = "__pendingAsset";

function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * An asset or archive as the plan records it: its kind, content hash and size per entry, never
 * the content itself (a Lambda bundle is large and is tested on its own).
 */
async function describeAsset(value: unknown): Promise<unknown> {
  if (pulumi.asset.AssetArchive.isInstance(value)) {
    const assets = (await (value as unknown as { assets: Promise<Record<string, unknown>> }).assets) ?? {};
    const entries: Record<string, unknown> = {};
    for (const [name, a] of Object.entries(assets).sort(([x], [y]) => x.localeCompare(y))) entries[name] = await describeAsset(a);
    return { __pulumiArchive: "AssetArchive", hash: sha256(JSON.stringify(entries)), assets: entries };
  }
  if (pulumi.asset.StringAsset.isInstance(value)) {
    const text = (await (value as unknown as { text: Promise<string> }).text) ?? "";
    return { __pulumiAsset: "StringAsset", hash: sha256(text), size: Buffer.byteLength(text) };
  }
  if (pulumi.asset.FileAsset.isInstance(value)) {
    return { __pulumiAsset: "FileAsset", path: await (value as unknown as { path: Promise<string> }).path };
  }
  if (pulumi.asset.FileArchive.isInstance(value)) {
    return { __pulumiArchive: "FileArchive", path: await (value as unknown as { path: Promise<string> }).path };
  }
  return { __pulumiAsset: "unknown" };
}

/** Replaces asset placeholders left by plain() with their descriptions, in place. */
export async function resolveAssets(value: unknown): Promise<void> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v && typeof v === "object" && ASSET_PLACEHOLDER in v)
        value[i] = await describeAsset((v as Record<string, unknown>)[ASSET_PLACEHOLDER]);
      else await resolveAssets(v);
    }
  } else if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (v && typeof v === "object" && ASSET_PLACEHOLDER in v)
        o[k] = await describeAsset((v as Record<string, unknown>)[ASSET_PLACEHOLDER]);
      else await resolveAssets(v);
    }
  }
}

interface ProtoPropertyDependencies {
  getUrnsList(): string[];
}
interface ProtoRegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (value: ProtoPropertyDependencies, key: string) => void): void };
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getObject(): unknown;
}
interface ProtoRegisterResponse {
  getUrn(): string;
  getId(): string;
  getObject(): unknown;
}
type Callback<T> = (err: Error | null, resp?: T) => void;
interface ProtoRegisterOutputsRequest {
  getUrn(): string;
  getOutputs(): unknown;
}
interface MonitorLike {
  registerResource(req: ProtoRegisterRequest, cb: Callback<ProtoRegisterResponse>): Promise<void> | void;
  registerResourceOutputs(req: ProtoRegisterOutputsRequest, cb: Callback<unknown>): void;
}

/** Wraps the runtime's (mock) monitor: `registered` sees every successful registration, `outputs` every registerOutputs. */
export function patchMonitor(hooks: {
  registered(req: ProtoRegisterRequest, resp: ProtoRegisterResponse): void;
  outputs(req: ProtoRegisterOutputsRequest): void;
}): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) =>
    register(req, (err, resp) => {
      if (!err && resp) hooks.registered(req, resp);
      cb(err, resp);
    });
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, cb) => {
    hooks.outputs(req);
    registerOutputs(req, cb);
  };
}

/** A component's registered outputs, as data. */
export function recordedOutputs(req: ProtoRegisterOutputsRequest): Record<string, unknown> {
  return plain(pulumi.runtime.deserializeProperties(req.getOutputs() as never)) as Record<string, unknown>;
}

/** The state entry the engine would store for a registration and its response. */
export function recordOf(req: ProtoRegisterRequest, resp: ProtoRegisterResponse): RecordedResource {
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((value, key) => {
    const urns = value.getUrnsList();
    if (urns.length > 0) propertyDependencies[key] = [...urns];
  });
  const custom = req.getCustom();
  return {
    urn: resp.getUrn(),
    type: req.getType(),
    name: req.getName(),
    custom,
    id: custom ? resp.getId() || undefined : undefined,
    inputs: plain(pulumi.runtime.deserializeProperties(req.getObject() as never, true)) as Record<string, unknown>,
    outputs: custom ? (plain(pulumi.runtime.deserializeProperties(resp.getObject() as never, true)) as Record<string, unknown>) : {},
    parent: req.getParent() || undefined,
    provider: req.getProvider() || undefined,
    dependencies: [...new Set(req.getDependenciesList())],
    propertyDependencies,
    protect: req.getProtect() === true,
    retainOnDelete: req.getRetainondelete() === true,
  };
}
