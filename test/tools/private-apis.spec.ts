/**
 * The private APIs of the offline tools, checked against the installed packages (tools/README.md,
 * "Private APIs"). Upgrading @pulumi/pulumi or @pulumi/policy: run this spec first; a failure here
 * names what the mock cloud or the checker reads that the new version no longer has.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { installMocks } from "../mocks";

const cloud = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const pulumi: typeof import("@pulumi/pulumi") = require("@pulumi/pulumi");
const aws: typeof import("@pulumi/aws") = require("@pulumi/aws");
type Message = (abstract new (...args: never[]) => object) & Record<string, { prototype: object }>;
const resourcePb = require("@pulumi/pulumi/proto/resource_pb") as Record<string, Message>;
/* eslint-enable @typescript-eslint/no-require-imports */

const ROOT = path.resolve(__dirname, "../..");
const PINNED = "3.248.0";

function manifest(file: string): { version?: string; dependencies?: Record<string, string> } {
  return JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8")) as { version?: string; dependencies?: Record<string, string> };
}

function methods(proto: object, names: readonly string[]): string[] {
  return names.filter((n) => typeof (proto as Record<string, unknown>)[n] !== "function");
}

describe("private APIs the offline tools rely on (tools/README.md)", () => {
  beforeEach(() => cloud.reset());

  it(`@pulumi/pulumi is exactly ${PINNED}, installed and pinned alike by the root, tools/ and policy-pack/`, () => {
    assert.strictEqual(manifest("node_modules/@pulumi/pulumi/package.json").version, PINNED);
    for (const file of ["package.json", "tools/package.json", "policy-pack/package.json"]) {
      assert.strictEqual(manifest(file).dependencies?.["@pulumi/pulumi"], PINNED, `${file} pins @pulumi/pulumi to ${PINNED}`);
    }
  });

  it("RegisterResourceRequest, its response and RegisterResourceOutputsRequest have every getter tools/mock-cloud/registration.ts reads", () => {
    const request = [
      "getType",
      "getName",
      "getParent",
      "getCustom",
      "getProvider",
      "getDependenciesList",
      "getPropertydependenciesMap",
      "getProtect",
      "getRetainondelete",
      "getObject",
    ];
    assert.deepStrictEqual(methods(resourcePb.RegisterResourceRequest.prototype, request), []);
    assert.deepStrictEqual(methods(resourcePb.RegisterResourceRequest.PropertyDependencies.prototype, ["getUrnsList"]), []);
    assert.deepStrictEqual(methods(resourcePb.RegisterResourceResponse.prototype, ["getUrn", "getId", "getObject"]), []);
    assert.deepStrictEqual(methods(resourcePb.RegisterResourceOutputsRequest.prototype, ["getUrn", "getOutputs"]), []);
  });

  it("the mocked runtime's monitor takes RegisterResourceRequest messages through registerResource and registerResourceOutputs", async () => {
    const monitor = pulumi.runtime.getMonitor() as unknown as Record<string, (req: unknown, cb: unknown) => unknown>;
    assert.strictEqual(typeof monitor.registerResource, "function");
    assert.strictEqual(typeof monitor.registerResourceOutputs, "function");
    const seen: unknown[] = [];
    const patched = monitor.registerResource;
    monitor.registerResource = (req, cb) => {
      seen.push(req);
      return patched(req, cb);
    };
    try {
      new aws.iam.Role("private-api-probe", { assumeRolePolicy: "{}" }, { protect: true });
      await cloud.settle();
    } finally {
      monitor.registerResource = patched;
    }
    assert.ok(
      seen.length > 0 && seen.every((req) => req instanceof resourcePb.RegisterResourceRequest),
      "requests are the protobuf messages",
    );
    const role = cloud.one("aws:iam/role:Role", "private-api-probe");
    assert.strictEqual(role.protect, true, "the registration patch still reads the request");
  });

  it("runtime/settings waitForRPCs and runtime/state's store (rpcDone, leakCandidates), which MockCloud.settle() and reset() use", () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs?: unknown };
    const state = require("@pulumi/pulumi/runtime/state") as {
      getStore?: () => { settings?: { rpcDone?: unknown }; leakCandidates?: unknown };
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
    assert.strictEqual(typeof settings.waitForRPCs, "function");
    assert.strictEqual(typeof state.getStore, "function");
    const store = state.getStore!();
    assert.ok(store.settings?.rpcDone instanceof Promise, "store.settings.rpcDone is a promise");
    assert.ok(store.leakCandidates instanceof Set, "store.leakCandidates is a set");
  });

  it("@pulumi/policy's unknownCheckingProxy (the checker's props) throws on a preview-unknown value and passes known ones", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const policy = require("@pulumi/policy") as {
      unknownCheckingProxy?: <T extends object>(v: T) => T;
      UnknownValueError: new () => Error;
    };
    assert.strictEqual(typeof policy.unknownCheckingProxy, "function");
    const props = policy.unknownCheckingProxy!({ known: { a: 1 }, unknown: pulumi.runtime.unknownValue });
    assert.strictEqual(props.known.a, 1);
    assert.throws(() => props.unknown, policy.UnknownValueError);
  });
});
