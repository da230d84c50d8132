// The two ways this pack defines a policy. Both produce plain CrossGuard policy objects
// (ResourceValidationPolicy / StackValidationPolicy) that the PolicyPack in ../../index.ts serves unchanged
// and that the offline checker runs with validation args built the way the SDK's server builds
// them. On top of the SDK they add:
//  - HIPAA metadata (`hipaa`): category (PHI control or hygiene), the cdk-nag HIPAA.Security and
//    AWS Config rules the policy corresponds to, and the resource types it evaluates;
//  - the `exemptions` config property on every policy and the `environment` property on the
//    environment-aware ones, with schema defaults that `getConfig()` fills in;
//  - exemption handling at report time (a violation on an exempted resource is suppressed and
//    published to the exemption sink);
//  - for stack policies, deferral of preview-unknown values: definite violations are reported,
//    then the first UnknownValueError is re-thrown so that the engine reports the policy as
//    "can't run during preview" (advisory) instead of passing or failing it falsely.

import {
  EnforcementLevel,
  PolicyComplianceFramework,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { exemptionMatcher, publishExemption } from "./exemptions";
import { citationsOfFramework } from "./hipaa";
import { classificationOf, effectiveTags, environmentOf, environmentReason, isProdEnvironment, Tags } from "./tags";
import { unknownError } from "./unknown";
import { isUnknownError, Rec } from "./util";

export type Category = "phi" | "hygiene";

export interface HipaaInfo {
  /** "phi": a control that protects PHI (mandatory); "hygiene": advisory by default. */
  category: Category;
  /** cdk-nag HIPAA.Security rule ids (without the "HIPAA.Security-" prefix). */
  cdkNag: string[];
  /** AWS Config managed rule names from the HIPAA Security conformance pack. */
  awsConfig: string[];
  /** Resource type tokens the policy evaluates (primary first). */
  resourceTypes: string[];
  /** Whether the `environment` config property applies (prod-only or per-environment thresholds). */
  environmentAware: boolean;
  /**
   * An absence check: it reports what the stack does not contain (no trail, no catalog encryption),
   * which may live in another stack or account. Advisory by default (docs/design.md, "The policy pack's stance"); a
   * profile that requires the stack to contain it sets the policy mandatory.
   */
  absence: boolean;
  /** AWS documents a deploy failure or silent breakage for what the policy reports. */
  deployTrap: boolean;
  /**
   * What the policy examines, per citation: the resource types it judges for the property the
   * citations are about and, where it judges only some resources of a type, the rule in words. The
   * resources themselves come from `examined` (the same predicate the validation selects with).
   */
  examines: ExamineInfo[];
}

/** One entry of HipaaInfo.examines (plain data, for the metadata snapshot and the report). */
export interface ExamineInfo {
  citations: string[];
  types: string[];
  /** Which resources of `types` it examines; "every resource of the types" when it has no predicate. */
  rule: string;
}

/**
 * The resources a policy examines in a stack, per citation of the policy: the evidence a resource
 * gives for a safeguard (tools/evidence/model.ts). `resources` are the views the policy's validation
 * sees (a resource policy: inputs, as `analyze`; a stack policy: inputs with outputs, as
 * `analyzeStack`); `config` as getConfig() returns it. A predicate that needs a preview-unknown value
 * does not count the resource as examined.
 */
export type ExaminedFn = (resources: readonly PolicyResource[], config: Record<string, unknown>) => Map<string, Set<string>>;

interface ExamineBase {
  /** The citations this entry is evidence for; omitted: every citation of the policy. */
  citations?: string[];
  /** Types examined; omitted: the policy's resourceTypes; ["*"] (stack policies): every type. */
  types?: string[];
  /** The rule `where` implements, in words (required with `where`). */
  rule?: string;
}

/** A resource policy examines a resource of its types where `where` holds; validation runs only there. */
export interface ResourceExamine<C> extends ExamineBase {
  where?: (ctx: ResourceCtx<C>) => boolean;
}

/** A stack policy examines a resource where `where` holds; its validation iterates ctx.subjects(). */
export interface StackExamine<C> extends ExamineBase {
  where?: (r: PolicyResource, ctx: StackCtx<C>) => boolean;
}

export type HipaaResourcePolicy = ResourceValidationPolicy & { hipaa: HipaaInfo; examined: ExaminedFn };
export type HipaaStackPolicy = StackValidationPolicy & { hipaa: HipaaInfo; examined: ExaminedFn };
export type HipaaPolicy = HipaaResourcePolicy | HipaaStackPolicy;

interface BaseDef {
  name: string;
  description: string;
  severity: Severity;
  enforcementLevel: Extract<EnforcementLevel, "mandatory" | "advisory">;
  framework: PolicyComplianceFramework;
  remediationSteps: string;
  category: Category;
  cdkNag?: string[];
  awsConfig?: string[];
  /** Types evaluated; a resource policy is not applicable to any other type. */
  resourceTypes: string[];
  /** Other types read (companions, joined resources); documentation only. */
  relatedTypes?: string[];
  /** Config properties (choices, thresholds) with defaults. */
  config?: Record<string, PolicyConfigJSONSchema>;
  environmentAware?: boolean;
  /** See HipaaInfo.absence. */
  absence?: boolean;
  /** False for policies that must never be waived (the exemption checker itself). */
  exemptible?: boolean;
  tags?: string[];
}

export interface CommonCtx<C> {
  config: C & { environment?: string };
}

export interface ResourceCtx<C> extends CommonCtx<C> {
  args: ResourceValidationArgs;
  type: string;
  urn: string;
  name: string;
  props: Rec;
  /** Effective tags (provider defaults, tagsAll, tags). Throws when unknown during preview. */
  tags(): Tags;
  /** Environment tag, else config `environment`, else "prod". */
  env(): string;
  /** Why the resource counts as env() (its tag, or the config default), for messages. */
  envReason(): string;
  isProd(): boolean;
  /** DataClassification tag; PHI when missing. */
  classification(): string;
}

export interface StackCtx<C> extends CommonCtx<C> {
  args: StackValidationArgs;
  resources: PolicyResource[];
  /** URN of the pulumi:pulumi:Stack resource (violations without a resource go there). */
  stackUrn: string | undefined;
  /** Resources of `types`, in stack order; the same array for the same types (do not modify it). */
  ofType(types: readonly string[]): PolicyResource[];
  /** Runs fn per item; a preview-unknown value defers that item (see file comment). */
  each<T>(items: T[], fn: (item: T) => void): void;
  /**
   * Records an outcome that depends on a preview-unknown value (e.g. a join through an unknown id):
   * re-thrown as UnknownValueError after validation. `path` names the value for the message.
   */
  undecided(path: string[]): void;
  tags(r: PolicyResource): Tags;
  env(r: PolicyResource): string;
  envReason(r: PolicyResource): string;
  isProd(r: PolicyResource): boolean;
  classification(r: PolicyResource): string;
  /**
   * The resources of resourceTypes the policy examines (its `examines` predicates), in stack order:
   * what a policy with predicates iterates, so that what it validates and what it declares are one.
   */
  subjects(): PolicyResource[];
}

export type ResourceReport = (message: string) => void;
export type StackReport = (urn: string | undefined, message: string) => void;

export interface ResourceDef<C> extends BaseDef {
  /** What it examines; omitted: every resource of resourceTypes, for every citation. */
  examines?: ResourceExamine<C>[];
  validate(ctx: ResourceCtx<C>, report: ResourceReport): void;
}

export interface StackDef<C> extends BaseDef {
  /** Run even when no resource of `resourceTypes` exists (e.g. "a trail must exist"). */
  evaluateWhenAbsent?: boolean;
  /** What it examines; omitted: every resource of resourceTypes, for every citation. */
  examines?: StackExamine<C>[];
  validate(ctx: StackCtx<C>, report: StackReport): void;
}

const registry = new Map<string, HipaaPolicy>();

/** Names of every policy defined so far (used by `exemption-requires-reason`). */
export function registeredPolicyNames(): string[] {
  return [...registry.keys()];
}

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * The `phiClassifications` config property: the DataClassification tag values that mark PHI (default
 * ["PHI"]). One definition for every policy that has it; `description` says what the policy does with them.
 */
export function phiClassificationsSchema(description: string): PolicyConfigJSONSchema {
  return { type: "array", items: { type: "string" }, default: ["PHI"], description };
}

export const EXEMPTIONS_SCHEMA: PolicyConfigJSONSchema = {
  type: "array",
  description:
    "Resources exempted from this policy. Each needs a written reason (at least 10 characters); " +
    "an entry without one is ignored and reported as a violation.",
  items: {
    type: "object",
    properties: {
      urn: { type: "string", description: "URN of the resource, `*` matches any characters." },
      reason: { type: "string", description: "Why the resource is exempt (kept for auditors)." },
    },
    required: ["urn"],
    // An unknown key (e.g. "expires") would be silently ignored and the waiver made permanent:
    // refused here, by the offline checker and by the service's schema validation alike.
    additionalProperties: false,
  },
  default: [],
};

/** Environment names the pack knows; anything else in the config is an error, never "not prod". */
export const KNOWN_ENVIRONMENTS = ["prod", "production", "staging", "stage", "qa", "test", "dev", "development", "sandbox"];

export const ENVIRONMENT_SCHEMA: PolicyConfigJSONSchema = {
  type: "string",
  enum: KNOWN_ENVIRONMENTS,
  description:
    "Environment assumed for a resource without an `Environment` tag (prod-only checks and thresholds): prod and " +
    "production are prod; an unknown value is rejected by the schema instead of being treated as not prod.",
  default: "prod",
};

function schemaFor(def: BaseDef) {
  const properties: Record<string, PolicyConfigJSONSchema> = { ...(def.config ?? {}) };
  if (def.environmentAware) {
    properties.environment = ENVIRONMENT_SCHEMA;
  }
  if (def.exemptible !== false) {
    properties.exemptions = EXEMPTIONS_SCHEMA;
  }
  return { properties };
}

/** Config with schema defaults filled in, as the engine hands it to `getConfig()`. */
export function withDefaults(
  schema: { properties: Record<string, PolicyConfigJSONSchema> } | undefined,
  cfg: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...cfg };
  for (const [key, s] of Object.entries(schema?.properties ?? {})) {
    if (out[key] === undefined && typeof s === "object" && s.default !== undefined) {
      out[key] = JSON.parse(JSON.stringify(s.default));
    }
  }
  return out;
}

function register(p: HipaaPolicy): void {
  if (!KEBAB.test(p.name)) {
    throw new Error(`policy name must be kebab-case, got "${p.name}"`);
  }
  if (registry.has(p.name)) {
    throw new Error(`duplicate policy name "${p.name}"`);
  }
  registry.set(p.name, p);
}

/** The examines entries with defaults filled in; every citation of a declared entry must be the policy's. */
function examinesOf<E extends ExamineBase>(def: BaseDef & { examines?: E[] }): (E & { citations: string[]; types: string[] })[] {
  const cited = citationsOfFramework(def.framework);
  const entries = def.examines ?? [{} as E];
  if (entries.length === 0) {
    throw new Error(`${def.name}: examines must have at least one entry (omit it to examine every resource of resourceTypes)`);
  }
  return entries.map((e) => {
    for (const c of e.citations ?? []) {
      if (!cited.includes(c)) {
        throw new Error(`${def.name}: examines cites ${c}, which the policy's framework does not`);
      }
    }
    if ((e as { where?: unknown }).where && !e.rule) {
      throw new Error(`${def.name}: an examines entry with a predicate needs its rule in words`);
    }
    return { ...e, citations: e.citations ?? cited, types: e.types ?? def.resourceTypes };
  });
}

const EVERY = "every resource of the types";

function meta(def: BaseDef & { examines?: ExamineBase[] }) {
  return {
    name: def.name,
    description: def.description,
    severity: def.severity,
    enforcementLevel: def.enforcementLevel,
    framework: def.framework,
    remediationSteps: def.remediationSteps,
    configSchema: schemaFor(def),
    tags: ["hipaa", def.category === "phi" ? "phi-control" : "hygiene", ...(def.tags ?? [])],
    hipaa: {
      category: def.category,
      cdkNag: def.cdkNag ?? [],
      awsConfig: def.awsConfig ?? [],
      resourceTypes: [...def.resourceTypes, ...(def.relatedTypes ?? [])],
      environmentAware: !!def.environmentAware,
      absence: !!def.absence,
      deployTrap: (def.tags ?? []).includes("deploy-trap"),
      examines: examinesOf(def).map((e) => ({ citations: [...e.citations], types: [...e.types], rule: e.rule ?? EVERY })),
    } satisfies HipaaInfo,
  };
}

type Config<C> = C & { environment?: string };

function resourceCtx<C>(args: ResourceValidationArgs, config: Config<C>): ResourceCtx<C> {
  let tagsCache: Tags | undefined;
  const tags = () => (tagsCache ??= effectiveTags(args.props, args.provider));
  return {
    args,
    config,
    type: args.type,
    urn: args.urn,
    name: args.name,
    props: args.props,
    tags,
    env: () => environmentOf(tags(), config.environment),
    envReason: () => environmentReason(tags(), config.environment),
    isProd: () => isProdEnvironment(environmentOf(tags(), config.environment)),
    classification: () => classificationOf(tags()),
  };
}

/** Adds each examined resource to the sets of the entry's citations. */
function collect(out: Map<string, Set<string>>, citations: string[], urn: string): void {
  for (const c of citations) {
    const set = out.get(c) ?? new Set<string>();
    set.add(urn);
    out.set(c, set);
  }
}

/** Whether the predicate holds; a preview-unknown value it needs means "not known to be examined". */
function holds(fn: () => boolean): boolean {
  try {
    return fn();
  } catch (e) {
    if (isUnknownError(e)) {
      return false;
    }
    throw e;
  }
}

export function resourcePolicy<C extends object>(def: ResourceDef<C>): HipaaResourcePolicy {
  const types = new Set(def.resourceTypes);
  const m = meta(def);
  const entries = examinesOf(def);
  for (const e of entries) {
    const other = e.types.filter((t) => !types.has(t));
    if (other.length > 0) {
      throw new Error(`${def.name}: a resource policy examines only its resourceTypes, not ${other.join(", ")}`);
    }
  }
  const configOf = (args: Pick<ResourceValidationArgs, "getConfig">) =>
    withDefaults(m.configSchema, args.getConfig<Record<string, unknown>>()) as Config<C>;
  /** The entries that examine the resource; validation runs only where there is one. */
  const examining = (ctx: ResourceCtx<C>) => entries.filter((e) => e.types.includes(ctx.type) && (!e.where || e.where(ctx)));
  const validate = (args: ResourceValidationArgs, reportViolation: ReportViolation): void => {
    if (!types.has(args.type)) {
      args.notApplicable(`Policy only applies to resources of type ${def.resourceTypes.map((t) => `'${t}'`).join(", ")}`);
    }
    const config = configOf(args);
    const exemptions = exemptionMatcher(def.name, config);
    for (const bad of exemptions.invalidFor(args.urn)) {
      reportViolation(
        `The exemption "${bad.urn}" in the pack config of ${def.name} has no written reason ` +
          "(at least 10 characters), so it is ignored; give the reason or remove the exemption.",
      );
    }
    const ctx = resourceCtx(args, config);
    if (examining(ctx).length === 0) {
      return;
    }
    const report: ResourceReport = (message) => {
      const grant = def.exemptible === false ? undefined : exemptions.grantFor(args.urn, args.props);
      if (grant) {
        publishExemption(grant);
        return;
      }
      reportViolation(message);
    };
    def.validate(ctx, report);
  };
  if (def.resourceTypes.length === 1) {
    // Lets the engine skip other types without a call, as validateResourceOfType does.
    (validate as unknown as { __pulumiType: string }).__pulumiType = def.resourceTypes[0];
  }
  const examined: ExaminedFn = (resources, cfg) => {
    const out = new Map<string, Set<string>>();
    const config = withDefaults(m.configSchema, cfg) as Config<C>;
    for (const r of resources) {
      if (!types.has(r.type)) {
        continue;
      }
      const args = { ...r, getConfig: () => cfg } as unknown as ResourceValidationArgs;
      const ctx = resourceCtx(args, config);
      for (const e of entries) {
        if (e.types.includes(r.type) && holds(() => !e.where || e.where(ctx))) {
          collect(out, e.citations, r.urn);
        }
      }
    }
    return out;
  };
  const policy: HipaaResourcePolicy = { ...m, validateResource: validate, examined };
  register(policy);
  return policy;
}

/**
 * The stack validation context over `resources`. `deferred` collects preview-unknown errors
 * (ctx.each, ctx.undecided, subjects() over an unknown predicate value).
 */
function stackCtx<C>(
  args: StackValidationArgs,
  config: Config<C>,
  deferred: unknown[],
  subjectsOf: (ctx: StackCtx<C>) => PolicyResource[],
): StackCtx<C> {
  const byTypes = new Map<string, PolicyResource[]>();
  const tagCache = new Map<string, Tags>();
  const tagsOf = (r: PolicyResource): Tags => {
    let t = tagCache.get(r.urn);
    if (!t) {
      t = effectiveTags(r.props, r.provider);
      tagCache.set(r.urn, t);
    }
    return t;
  };
  let subjects: PolicyResource[] | undefined;
  const ctx: StackCtx<C> = {
    args,
    config,
    resources: args.resources,
    stackUrn: args.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn,
    ofType: (ts) => {
      // One array per list of types and validation: joins index it (lib/join.ts), and a
      // policy that asks once per resource does not scan the whole stack each time.
      const key = ts.join("\u0000");
      let found = byTypes.get(key);
      if (!found) {
        found = args.resources.filter((r) => ts.includes(r.type));
        byTypes.set(key, found);
      }
      return found;
    },
    each(items, fn) {
      for (const item of items) {
        try {
          fn(item);
        } catch (e) {
          if (isUnknownError(e)) {
            deferred.push(e);
          } else {
            throw e;
          }
        }
      }
    },
    undecided(path) {
      deferred.push(unknownError(path));
    },
    tags: tagsOf,
    env: (r) => environmentOf(tagsOf(r), config.environment),
    envReason: (r) => environmentReason(tagsOf(r), config.environment),
    isProd: (r) => isProdEnvironment(environmentOf(tagsOf(r), config.environment)),
    classification: (r) => classificationOf(tagsOf(r)),
    subjects: () => (subjects ??= subjectsOf(ctx)),
  };
  return ctx;
}

export function stackPolicy<C extends object>(def: StackDef<C>): HipaaStackPolicy {
  const types = new Set(def.resourceTypes);
  const m = meta(def);
  const entries = examinesOf(def);
  const configOf = (cfg: Record<string, unknown>) => withDefaults(m.configSchema, cfg) as Config<C>;
  /** Resources of resourceTypes some entry examines; a preview-unknown predicate value defers the resource. */
  const subjectsOf = (ctx: StackCtx<C>): PolicyResource[] => {
    const out: PolicyResource[] = [];
    ctx.each(ctx.ofType(def.resourceTypes), (r) => {
      if (entries.some((e) => e.types.includes(r.type) && (!e.where || e.where(r, ctx)))) {
        out.push(r);
      }
    });
    return out;
  };
  const validateStack = (args: StackValidationArgs, reportViolation: ReportViolation): void => {
    if (!def.evaluateWhenAbsent && !args.resources.some((r) => types.has(r.type))) {
      args.notApplicable(`No resources of type ${def.resourceTypes.map((t) => `'${t}'`).join(", ")}`);
    }
    const config = configOf(args.getConfig<Record<string, unknown>>());
    const exemptions = exemptionMatcher(def.name, config);
    const byUrn = new Map(args.resources.map((r) => [r.urn, r]));
    for (const r of args.resources) {
      for (const bad of exemptions.invalidFor(r.urn)) {
        reportViolation(
          `The exemption "${bad.urn}" in the pack config of ${def.name} has no written reason ` +
            "(at least 10 characters), so it is ignored; give the reason or remove the exemption.",
          r.urn,
        );
      }
    }
    const deferred: unknown[] = [];
    const ctx = stackCtx(args, config, deferred, subjectsOf);
    const report: StackReport = (urn, message) => {
      const target = urn ?? ctx.stackUrn;
      const resource = target ? byUrn.get(target) : undefined;
      if (target && def.exemptible !== false) {
        const grant = exemptions.grantFor(target, resource?.props);
        if (grant) {
          publishExemption(grant);
          return;
        }
      }
      reportViolation(message, target);
    };
    def.validate(ctx, report);
    if (deferred.length > 0) {
      throw deferred[0];
    }
  };
  const examined: ExaminedFn = (resources, cfg) => {
    const out = new Map<string, Set<string>>();
    const args = { resources: [...resources], getConfig: () => cfg } as unknown as StackValidationArgs;
    const ctx = stackCtx(args, configOf(cfg), [], subjectsOf);
    for (const e of entries) {
      for (const r of e.types.includes("*") ? ctx.resources : ctx.ofType(e.types)) {
        if (holds(() => !e.where || e.where(r, ctx))) {
          collect(out, e.citations, r.urn);
        }
      }
    }
    return out;
  };
  const policy: HipaaStackPolicy = { ...m, validateStack, examined };
  register(policy);
  return policy;
}
