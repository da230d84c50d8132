/**
 * The mock cloud: a realistic stand-in for the Pulumi engine and the AWS provider, shared by the
 * offline plan (`npm run plan`) and every component test (through test/mocks.ts).
 *
 * - Resources get well-formed, deterministic ids and ARNs for their type (a VPC id is `vpc-` and 17
 *   hex digits, a role ARN is `arn:aws:iam::<account>:role/<name>`, ...), derived from the URN so
 *   two runs of the same program produce the same plan.
 * - Invokes return what the provider would: caller identity, region, partition, the region's real
 *   availability zones and AZ IDs ({@link REGION_ZONES}), VPC endpoint services with the zones they
 *   are offered in ({@link ENDPOINT_SERVICE_ZONE_GAPS}), and `aws.iam.getPolicyDocument` rendered to
 *   real IAM JSON. An invoke, region or endpoint service it does not know is an error, never a
 *   silent `{}` or a guess.
 * - Every registration is recorded with what the engine would store: parent, provider,
 *   dependencies, property dependencies, protect and retainOnDelete, taken from the SDK's own
 *   RegisterResourceRequest.
 */
import * as pulumi from "@pulumi/pulumi";
import { autoName } from "./ids";
import { INVOKES } from "./invokes";
import { ACCOUNT_ID, ENDPOINT_SERVICE_ZONE_GAPS, PARTITION, REGION, regionZones } from "./regions";
import { patchMonitor, RecordedResource, recordOf, recordedOutputs, resolveAssets } from "./registration";
import { RESOURCE_TYPES, serviceOf, str, TypeContext } from "./resources";

export { hexId } from "./ids";
export { renderPolicyDocument } from "./invokes";
export {
  ACCOUNT_ID,
  AVAILABILITY_ZONES,
  availabilityZones,
  ENDPOINT_SERVICE_ZONE_GAPS,
  MOCK_GATEWAY_ENDPOINT_SERVICES,
  MOCK_INTERFACE_ENDPOINT_SERVICES,
  type MockZone,
  offlinePlanProblems,
  PARTITION,
  REGION,
  REGION_ZONES,
  regionZones,
  vpcEndpointService,
  zoneIdPrefix,
} from "./regions";
export type { RecordedResource } from "./registration";

/** The engine's sentinel for a value unknown during preview. */
export const UNKNOWN = pulumi.runtime.unknownValue;

export interface MockCloudOptions {
  readonly project: string;
  readonly stack: string;
  /** Run as `pulumi preview`: computed outputs of resources are unknown. */
  readonly preview?: boolean;
}

/**
 * Installs the mocks into the Pulumi runtime of this process and records what registers.
 * Only one mock cloud exists per process (the runtime has one monitor).
 */
export class MockCloud {
  readonly resources: RecordedResource[] = [];
  private readonly pendingAssets = new Set<Promise<void>>();
  private readonly byUrn = new Map<string, RecordedResource>();
  readonly options: MockCloudOptions;

  constructor(options: MockCloudOptions) {
    this.options = options;
    const mocks: pulumi.runtime.Mocks = {
      newResource: (args) => this.newResource(args),
      call: (args) => {
        const handler = INVOKES[args.token];
        try {
          if (!handler) {
            throw new Error(
              `mock-cloud: no mock for invoke ${args.token}; add a realistic result to INVOKES in tools/mock-cloud/invokes.ts`,
            );
          }
          return handler(args.inputs as Record<string, unknown>, this.regionOf(args.provider), {
            endpointServiceZoneGaps: this.endpointServiceZoneGaps,
          });
        } catch (err) {
          // The SDK reports an invoke failure by the gRPC error's `details`, so carry the message there.
          throw Object.assign(err instanceof Error ? err : new Error(String(err)), { details: String((err as Error).message ?? err) });
        }
      },
    };
    // setMocks is async in its signature only: it does all its work before returning, and a constructor cannot await.
    void pulumi.runtime.setMocks(mocks, options.project, options.stack, options.preview ?? false);
    this.wrapMonitor();
    // A resource whose inputs fail (an apply that throws, an invoke that errs) never registers: the
    // SDK leaves the error as an unhandled rejection (`pulumi up` prints it and fails) and its
    // registration pending forever. Record it, so settle() fails with it instead of hanging.
    process.on("unhandledRejection", (reason) => {
      const err = reason instanceof Error ? reason : new Error(String(reason));
      if (!String(err.stack).includes("@pulumi")) return;
      this.failures.push(err);
      for (const notify of this.failureListeners.splice(0)) notify(err);
    });
  }

  /**
   * {@link ENDPOINT_SERVICE_ZONE_GAPS} plus what a test withheld with {@link withholdEndpointService}
   * (until reset()).
   */
  private endpointServiceZoneGaps: Record<string, Record<string, readonly string[]>> = structuredClone(ENDPOINT_SERVICE_ZONE_GAPS);

  /**
   * Makes `getVpcEndpointService` leave the interface endpoint service out of these zones (by AZ ID)
   * of `region` until reset(), e.g. to see what a network does with a service offered in none of its zones.
   */
  withholdEndpointService(region: string, service: string, zoneIds: readonly string[]): void {
    const known = regionZones(region).map((z) => z.zoneId);
    const unknown = zoneIds.filter((id) => !known.includes(id));
    if (unknown.length > 0) throw new Error(`mock-cloud: ${unknown.join(", ")} is not a zone of ${region} (${known.join(", ")})`);
    this.endpointServiceZoneGaps[region] = { ...this.endpointServiceZoneGaps[region], [service]: [...zoneIds] };
  }

  /** Program errors since the last reset() (resources that could not register), first first. */
  readonly failures: Error[] = [];
  private readonly failureListeners: ((err: Error) => void)[] = [];

  /**
   * Region of each explicit AWS provider by its URN, recorded when the provider registers (a
   * resource's provider reference is `<provider urn>::<id>`, and the provider has registered by the
   * time anything refers to it).
   */
  private readonly providerRegions = new Map<string, string>();

  /** The region a provider reference stands for; the default provider's region otherwise. */
  private regionOf(providerRef: string | undefined): string {
    if (providerRef === undefined) return REGION;
    return this.providerRegions.get(providerRef.slice(0, providerRef.lastIndexOf("::"))) ?? REGION;
  }

  private newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    const seed = `${this.options.stack}/${args.type}/${args.name}`;
    const region = this.regionOf(args.provider);
    const arn: TypeContext["arn"] = (service, resource, o = {}) =>
      `arn:${PARTITION}:${service}:${o.region === false || service === "iam" ? "" : region}:${o.account === false ? "" : ACCOUNT_ID}:${resource}`;
    const computed = RESOURCE_TYPES[args.type];
    if (!args.custom) return { id: undefined, state: inputs };
    if (computed) {
      const { id, state } = computed({ seed, name: args.name, region, inputs, arn });
      if (this.options.preview) return { id: undefined, state: inputs };
      return { id: args.id || id, state: { ...inputs, ...state } };
    }
    const kind = (args.type.split(":")[2] ?? "resource").replace(/^./, (c) => c.toLowerCase());
    const physical = str(inputs.name) ?? autoName(args.name, seed);
    if (this.options.preview) return { id: undefined, state: inputs };
    return { id: args.id || physical, state: { ...inputs, arn: arn(serviceOf(args.type), `${kind}/${physical}`), id: physical } };
  }

  private wrapMonitor(): void {
    patchMonitor({
      registered: (req, resp) => this.record(recordOf(req, resp)),
      outputs: (req) => {
        const rec = this.byUrn.get(req.getUrn());
        if (rec) rec.outputs = recordedOutputs(req);
      },
    });
  }

  private record(rec: RecordedResource): void {
    this.resources.push(rec);
    this.byUrn.set(rec.urn, rec);
    if (rec.type === "pulumi:providers:aws" && typeof rec.inputs.region === "string") this.providerRegions.set(rec.urn, rec.inputs.region);
    const pending = Promise.all([resolveAssets(rec.inputs), resolveAssets(rec.outputs)]).then(() => undefined);
    this.pendingAssets.add(pending);
    void pending.finally(() => this.pendingAssets.delete(pending));
  }

  /**
   * Waits until every outstanding registration, invoke and apply has finished; rejects with the
   * program's error when a resource could not register (as `pulumi preview` fails), naming it.
   */
  async settle(): Promise<void> {
    const settings = (await import("@pulumi/pulumi/runtime/settings")) as unknown as { waitForRPCs(): Promise<void> };
    const failed = new Promise<never>((_, reject) => {
      if (this.failures.length > 0) reject(this.failures[0]);
      else this.failureListeners.push(reject);
    });
    try {
      await Promise.race([settings.waitForRPCs(), failed]);
      // Node reports an unhandled rejection only once the microtask queue is empty: let it.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (this.failures.length > 0) throw this.failures[0];
    } catch (err) {
      // Let the registrations that can still finish do so (they must not land in the next test).
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The SDK prefixes the cause with the property path it failed in; the cause is what matters.
      const message = (err as Error).message.replace(/^(error serializing property "[^"]*": )+/, "");
      throw new Error(message, { cause: err });
    }
    await Promise.all([...this.pendingAssets]);
  }

  /**
   * Forgets what was recorded (between tests). After a program error it also drops the runtime's
   * queue of pending registrations, which the failed ones would otherwise hold open for ever (the
   * runtime's internals, @pulumi/pulumi/runtime/state: a test harness's privilege).
   */
  reset(): void {
    this.resources.length = 0;
    this.byUrn.clear();
    this.providerRegions.clear();
    this.failureListeners.length = 0;
    this.endpointServiceZoneGaps = structuredClone(ENDPOINT_SERVICE_ZONE_GAPS);
    if (this.failures.length > 0) {
      this.failures.length = 0;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const state = require("@pulumi/pulumi/runtime/state") as {
        getStore(): { settings: { rpcDone: Promise<unknown> }; leakCandidates: Set<unknown> };
      };
      const store = state.getStore();
      store.settings.rpcDone = Promise.resolve();
      // ...and forgets their promises, which never settle, so the runtime does not report them as leaks at exit.
      store.leakCandidates = new Set();
    }
  }

  get(urn: string): RecordedResource | undefined {
    return this.byUrn.get(urn);
  }

  ofType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** Exactly one resource of `type` (whose logical name contains `nameIncludes`, if given). */
  one(type: string, nameIncludes?: string): RecordedResource {
    const found = this.ofType(type).filter((r) => nameIncludes === undefined || r.name.includes(nameIncludes));
    if (found.length !== 1) {
      throw new Error(
        `expected exactly one ${type}${nameIncludes ? ` named *${nameIncludes}*` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
      );
    }
    return found[0];
  }

  /** The resources whose parent is `urn`. */
  childrenOf(urn: string): RecordedResource[] {
    return this.resources.filter((r) => r.parent === urn);
  }
}
