// Runs the pack's policy objects against a deployment, building the validation args the way the
// policy SDK's analyzer server does (node_modules/@pulumi/policy/server.js):
//  - props wrapped in `unknownCheckingProxy`; a read of a preview-unknown value throws
//    UnknownValueError, reported as an advisory "can't run policy during preview" diagnostic;
//  - `notApplicable()` throws, and is caught per validation function;
//  - `getConfig()` returns the policy's config with schema defaults (the enforcement level removed);
//  - enforcement level: config ("all" or per policy) > policy > pack default (advisory);
//    "disabled" skips the policy, "remediate" is reported as mandatory;
//  - resource policies see each resource's inputs (its outputs when it has no inputs), its URN,
//    name, options and provider (with the provider's inputs, e.g. defaultTags);
//  - stack policies see every resource with parent, dependencies and propertyDependencies resolved
//    to resource objects; their props are the outputs over the inputs (the engine passes outputs),
//    with the resource id added when the outputs lack it, so joins by id work on plans too.
// Any other exception from a policy is what the engine turns into a failed deployment: here it is a
// mandatory violation "policy failed".

import {
  EnforcementLevel,
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  Severity,
  StackValidationArgs,
} from "@pulumi/policy";
import { HipaaPolicy } from "../policies";
import { configExemptions, ExemptionRecord, hasValidReason, setExemptionSink } from "../policies/lib/exemptions";
import { unknownCheckingProxy } from "../policies/lib/unknown";
import { globToRegExp, isUnknownError, urnName } from "../policies/lib/util";
import { ResolvedConfig, resolveConfig } from "./config";
import { LoadedDeployment, StateResource } from "./deployment";

export const PACK_NAME = "healthcare-hipaa-policies";
const PACK_DEFAULT_LEVEL: EnforcementLevel = "advisory";

export interface Violation {
  policy: string;
  enforcementLevel: "mandatory" | "advisory";
  severity: Severity;
  urn: string;
  message: string;
}

/** A pack-config exemption whose URN pattern matches no resource of the deployment (a stale exemption). */
export interface UnmatchedExemption {
  policy: string;
  /** The pattern as written in the config. */
  urn: string;
  reason?: string;
  /** Whether the entry has a valid written reason (an entry without one is never honoured). */
  validReason: boolean;
}

export interface Summary {
  resources: number;
  policies: number;
  mandatory: number;
  advisory: number;
  exemptions: { count: number; list: ExemptionRecord[]; unmatched: UnmatchedExemption[] };
}

export interface CheckResult {
  violations: Violation[];
  summary: Summary;
}

export class NotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
    this.name = "NotApplicableError";
  }
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicableError(reason);
}

type ResourceClass = { new (...rest: never[]): unknown; isInstance?: (o: unknown) => boolean };

function pulumiTypeOf(o: unknown): string | undefined {
  const t = (o as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof t === "string" && t.length > 0 ? t : undefined;
}

/** The server's isTypeOf: the class's __pulumiType, else its isInstance. */
function isTypeOf(type: string, resourceClass: ResourceClass): boolean {
  const t = pulumiTypeOf(resourceClass);
  if (t) {
    return type === t;
  }
  return typeof resourceClass.isInstance === "function" && resourceClass.isInstance({ __pulumiType: type }) === true;
}

function optionsOf(r: StateResource): PolicyResourceOptions {
  const opts: PolicyResourceOptions = {
    protect: r.protect,
    ignoreChanges: [...r.ignoreChanges],
    aliases: [...r.aliases],
    customTimeouts: { ...r.customTimeouts },
    additionalSecretOutputs: [...r.additionalSecretOutputs],
  };
  if (r.deleteBeforeReplace !== undefined) {
    opts.deleteBeforeReplace = r.deleteBeforeReplace;
  }
  if (r.parent) {
    opts.parent = r.parent;
  }
  return opts;
}

/** The properties the engine sends `analyze` for a resource: its inputs (outputs when it has none). */
export function resourceProps(r: StateResource): Record<string, unknown> {
  return Object.keys(r.inputs).length > 0 ? r.inputs : r.outputs;
}

/** The properties the engine sends `analyzeStack`: inputs overlaid with the known outputs and the id. */
export function stackProps(r: StateResource): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...r.inputs };
  for (const [k, v] of Object.entries(r.outputs)) {
    if (v !== undefined && v !== null) {
      merged[k] = v;
    }
  }
  if (merged.id === undefined && r.id) {
    merged.id = r.id;
  }
  return merged;
}

/** Per-run index of the deployment: resources by URN and provider references. */
class Index {
  readonly byUrn: Map<string, StateResource>;
  readonly stackUrn: string;

  constructor(readonly resources: StateResource[]) {
    this.byUrn = new Map(resources.map((r) => [r.urn, r]));
    this.stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? resources[0].urn;
  }

  provider(r: StateResource): PolicyProviderResource | undefined {
    if (!r.provider) {
      return undefined;
    }
    const i = r.provider.lastIndexOf("::");
    const urn = i > 0 ? r.provider.slice(0, i) : r.provider;
    const p = this.byUrn.get(urn);
    if (!p) {
      return undefined;
    }
    return { type: p.type, props: unknownCheckingProxy(resourceProps(p)), urn: p.urn, name: urnName(p.urn) };
  }
}

/**
 * What resource and stack validation args share for one resource, as the policy server builds
 * them: type, the unknown-checking props, URN, name, options, isType/asType and the provider.
 */
function resourceView(r: StateResource, props: Record<string, unknown>, index: Index) {
  const view = {
    type: r.type,
    props,
    urn: r.urn,
    name: urnName(r.urn),
    opts: optionsOf(r),
    isType: (cls: ResourceClass) => isTypeOf(r.type, cls),
    asType: (cls: ResourceClass) => (isTypeOf(r.type, cls) ? props : undefined),
  };
  const provider = index.provider(r);
  return provider ? { ...view, provider } : view;
}

/** The resources as `analyzeStack` sends them: stack props, parents and dependencies as objects. */
function stackResources(index: Index): PolicyResource[] {
  const objects = new Map<string, PolicyResource>();
  for (const r of index.resources) {
    const view = resourceView(r, unknownCheckingProxy(stackProps(r)), index);
    objects.set(r.urn, { ...view, dependencies: [], propertyDependencies: {} } as unknown as PolicyResource);
  }
  for (const r of index.resources) {
    const o = objects.get(r.urn) as PolicyResource;
    if (r.parent && objects.has(r.parent)) {
      o.parent = objects.get(r.parent);
    }
    o.dependencies = r.dependencies.map((d) => objects.get(d)).filter((d): d is PolicyResource => !!d);
    for (const [k, urns] of Object.entries(r.propertyDependencies)) {
      o.propertyDependencies[k] = urns.map((d) => objects.get(d)).filter((d): d is PolicyResource => !!d);
    }
  }
  return [...objects.values()];
}

/**
 * What each policy examines in the deployment, per citation (policy name -> citation -> URNs): each
 * policy's `examined` over the views its validation sees (resource policies the resource's props as
 * `analyze` sends them, stack policies as `analyzeStack` does), with its config. Disabled policies
 * included; the caller decides what a disabled policy's examination is worth.
 */
export function examinedResources(
  deployment: LoadedDeployment,
  policies: HipaaPolicy[],
  config: ResolvedConfig,
): Map<string, Map<string, Set<string>>> {
  const index = new Index(deployment.resources);
  const asResource = deployment.resources.map(
    (r) =>
      ({
        ...resourceView(r, unknownCheckingProxy(resourceProps(r)), index),
        dependencies: [],
        propertyDependencies: {},
      }) as unknown as PolicyResource,
  );
  const asStack = stackResources(index);
  return new Map(
    policies.map((p) => {
      const cfg = JSON.parse(JSON.stringify(config.properties(p))) as Record<string, unknown>;
      return [p.name, p.examined(isStackPolicy(p) ? asStack : asResource, cfg)];
    }),
  );
}

export interface RunOptions {
  policies: HipaaPolicy[];
  config?: ResolvedConfig;
  /** Stack tags (the engine's configureStack); empty by default. */
  stackTags?: ReadonlyMap<string, string>;
}

function effectiveLevel(p: HipaaPolicy, config: ResolvedConfig): "mandatory" | "advisory" | "disabled" {
  const level = config.level(p.name) ?? p.enforcementLevel ?? PACK_DEFAULT_LEVEL;
  return level === "remediate" ? "mandatory" : level;
}

function isStackPolicy(p: HipaaPolicy): p is HipaaPolicy & { validateStack: (a: StackValidationArgs, r: ReportViolation) => unknown } {
  return typeof (p as { validateStack?: unknown }).validateStack === "function";
}

/**
 * Config exemptions of `policies` whose pattern matches no URN of the deployment: a resource renamed
 * or removed leaves its waiver behind, ready to exempt whatever later takes the name. Reported as a
 * warning (never a violation: a pack config is shared by many stacks, and a pattern may target
 * another one); disabled policies included, since their config still travels with the pack.
 */
export function unmatchedExemptions(
  resources: readonly { urn: string }[],
  policies: HipaaPolicy[],
  config: ResolvedConfig,
): UnmatchedExemption[] {
  const out: UnmatchedExemption[] = [];
  for (const p of policies) {
    for (const e of configExemptions(config.properties(p))) {
      const re = globToRegExp(e.urn);
      if (!resources.some((r) => re.test(r.urn))) {
        out.push({
          policy: p.name,
          urn: e.urn,
          ...(e.reason !== undefined ? { reason: e.reason } : {}),
          validReason: hasValidReason(e.reason),
        });
      }
    }
  }
  return out;
}

/** Runs every enabled policy against the deployment. */
export async function runPolicies(deployment: LoadedDeployment, options: RunOptions): Promise<CheckResult> {
  const config = options.config ?? resolveConfig(undefined, options.policies, "config");
  const stackTags = options.stackTags ?? new Map<string, string>();
  const index = new Index(deployment.resources);
  const violations: Violation[] = [];
  const exemptions: ExemptionRecord[] = [];
  const seenExemptions = new Set<string>();
  let enabled = 0;

  setExemptionSink((e) => {
    const key = `${e.policy}\u0000${e.urn}`;
    if (!seenExemptions.has(key)) {
      seenExemptions.add(key);
      exemptions.push(e);
    }
  });
  try {
    for (const p of options.policies) {
      const level = effectiveLevel(p, config);
      if (level === "disabled") {
        continue;
      }
      enabled++;
      const severity: Severity = p.severity ?? "low";
      const push = (urn: string, message: string, lvl: "mandatory" | "advisory") =>
        violations.push({ policy: p.name, enforcementLevel: lvl, severity, urn, message });
      const properties = config.properties(p);
      const getConfig = <T extends object>() => JSON.parse(JSON.stringify(properties)) as T;
      const failed = (urn: string, e: unknown) => {
        if (e instanceof NotApplicableError) {
          return;
        }
        if (isUnknownError(e)) {
          push(urn, `can't run policy '${p.name}' from policy pack '${PACK_NAME}' during preview: ${(e as Error).message}`, "advisory");
        } else {
          push(urn, `policy failed: ${(e as Error)?.stack ?? String(e)}`, "mandatory");
        }
      };

      if (isStackPolicy(p)) {
        const pulumiType = pulumiTypeOf(p.validateStack);
        if (pulumiType && !deployment.resources.some((r) => r.type === pulumiType)) {
          continue;
        }
        const args: StackValidationArgs = {
          resources: stackResources(index),
          getConfig,
          stackTags,
          notApplicable: throwNotApplicable,
        };
        const report: ReportViolation = (message, urn) => push(urn ?? index.stackUrn, message, level);
        try {
          await Promise.resolve(p.validateStack(args, report));
        } catch (e) {
          failed(index.stackUrn, e);
        }
        continue;
      }

      const validations = Array.isArray(p.validateResource) ? p.validateResource : p.validateResource ? [p.validateResource] : [];
      const fastType = validations.length === 1 ? pulumiTypeOf(validations[0]) : undefined;
      for (const r of deployment.resources) {
        if (fastType && r.type !== fastType) {
          continue;
        }
        const report: ReportViolation = (message) => push(r.urn, message, level);
        for (const validation of validations) {
          const args = {
            ...resourceView(r, unknownCheckingProxy(resourceProps(r)), index),
            stackTags,
            getConfig,
            notApplicable: throwNotApplicable,
          } as unknown as ResourceValidationArgs;
          try {
            await Promise.resolve(validation(args, report));
          } catch (e) {
            failed(r.urn, e);
          }
        }
      }
    }
  } finally {
    setExemptionSink(undefined);
  }
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  return {
    violations,
    summary: {
      resources: deployment.resources.length,
      policies: enabled,
      mandatory,
      advisory: violations.length - mandatory,
      exemptions: {
        count: exemptions.length,
        list: exemptions,
        unmatched: unmatchedExemptions(deployment.resources, options.policies, config),
      },
    },
  };
}
