// Policy pack configuration: the same JSON the service applies to a policy group
// (`pulumi policy enable <org>/healthcare-hipaa-policies latest --config prod.json`) and that
// `pulumi preview --policy-pack-config` reads:
//   { "all": "mandatory", "<policy>": "advisory" | { "enforcementLevel": "...", "<property>": <value> } }
// Properties are validated against each policy's configSchema and completed with its defaults,
// as the engine does before `getConfig()`.

import { EnforcementLevel } from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { HipaaPolicy } from "../policies";
import { withDefaults } from "../policies/lib/define";
import { InputError } from "./deployment";

export const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface PolicyConfig {
  [policy: string]: EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);
}

export interface ResolvedConfig {
  /** The enforcement level chosen by the config ("all" or per policy), if any. */
  level(policy: string): EnforcementLevel | undefined;
  /** Config properties with schema defaults (no enforcementLevel), as getConfig() returns them. */
  properties(policy: HipaaPolicy): Record<string, unknown>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeOf(v: unknown): string {
  if (v === null) {
    return "null";
  }
  if (Array.isArray(v)) {
    return "array";
  }
  if (typeof v === "number" && Number.isInteger(v)) {
    return "integer";
  }
  return typeof v;
}

/** A small JSON-schema validator for the keywords policy schemas use. Returns error messages. */
export function validateAgainstSchema(value: unknown, schema: PolicyConfigJSONSchema | boolean, path: string): string[] {
  if (schema === true) {
    return [];
  }
  if (schema === false) {
    return [`${path} is not allowed`];
  }
  const errors: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = typeOf(value);
    const ok = types.some((t) => t === actual || (t === "number" && actual === "integer"));
    if (!ok) {
      return [`${path} must be ${types.join(" or ")}, got ${actual === "integer" ? "number" : actual} ${JSON.stringify(value)}`];
    }
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push(`${path} must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}, got ${JSON.stringify(value)}`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) {
      errors.push(`${path} must be at least ${schema.minimum}, got ${value}`);
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      errors.push(`${path} must be at most ${schema.maximum}, got ${value}`);
    }
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      errors.push(`${path} must have at least ${schema.minLength} characters`);
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      errors.push(`${path} must have at most ${schema.maxLength} characters`);
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
      errors.push(`${path} must match ${schema.pattern}, got ${JSON.stringify(value)}`);
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      errors.push(`${path} must have at least ${schema.minItems} items`);
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      errors.push(`${path} must have at most ${schema.maxItems} items`);
    }
    if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
      errors.push(`${path} must not repeat items`);
    }
    if (schema.items !== undefined && !Array.isArray(schema.items)) {
      value.forEach((v, i) => errors.push(...validateAgainstSchema(v, schema.items as PolicyConfigJSONSchema | boolean, `${path}[${i}]`)));
    }
  }
  if (isObject(value)) {
    for (const key of schema.required ?? []) {
      if (value[key] === undefined) {
        errors.push(`${path}.${key} is required`);
      }
    }
    for (const [key, v] of Object.entries(value)) {
      const prop = schema.properties?.[key];
      if (prop !== undefined) {
        errors.push(...validateAgainstSchema(v, prop, `${path}.${key}`));
      } else if (schema.additionalProperties === false) {
        errors.push(`${path}.${key} is not a known key (known: ${Object.keys(schema.properties ?? {}).join(", ")})`);
      } else if (schema.additionalProperties !== undefined) {
        errors.push(...validateAgainstSchema(v, schema.additionalProperties, `${path}.${key}`));
      }
    }
  }
  return errors;
}

/** Validates a pack config document against the policies. Throws InputError listing every problem. */
export function resolveConfig(doc: unknown, policies: HipaaPolicy[], source: string): ResolvedConfig {
  const byName = new Map(policies.map((p) => [p.name, p]));
  const levels = new Map<string, EnforcementLevel>();
  const props = new Map<string, Record<string, unknown>>();
  const errors: string[] = [];
  if (doc !== undefined) {
    if (!isObject(doc)) {
      throw new InputError(`${source}: a policy config is a JSON object keyed by policy name.`);
    }
    for (const [name, entry] of Object.entries(doc)) {
      const policy = byName.get(name);
      if (name !== "all" && !policy) {
        errors.push(`"${name}" is not a policy of this pack`);
        continue;
      }
      if (typeof entry === "string") {
        if (!LEVELS.includes(entry as EnforcementLevel)) {
          errors.push(`${name}: enforcement level must be one of ${LEVELS.join(", ")}, got "${entry}"`);
        } else {
          levels.set(name, entry as EnforcementLevel);
        }
        continue;
      }
      if (!isObject(entry)) {
        errors.push(`${name}: expected an enforcement level or an object`);
        continue;
      }
      const { enforcementLevel, ...rest } = entry;
      if (enforcementLevel !== undefined) {
        if (!LEVELS.includes(enforcementLevel as EnforcementLevel)) {
          errors.push(`${name}.enforcementLevel must be one of ${LEVELS.join(", ")}, got ${JSON.stringify(enforcementLevel)}`);
        } else {
          levels.set(name, enforcementLevel as EnforcementLevel);
        }
      }
      if (name === "all") {
        if (Object.keys(rest).length > 0) {
          errors.push(`all: only "enforcementLevel" can be set for all policies`);
        }
        continue;
      }
      const schema = policy?.configSchema;
      for (const [key, value] of Object.entries(rest)) {
        const prop = schema?.properties[key];
        if (!prop) {
          errors.push(
            `${name}.${key} is not a config property of ${name}` +
              (schema ? ` (properties: ${Object.keys(schema.properties).join(", ")})` : ""),
          );
          continue;
        }
        errors.push(...validateAgainstSchema(value, prop, `${name}.${key}`));
      }
      props.set(name, rest);
    }
  }
  if (errors.length > 0) {
    throw new InputError(`${source} is not a valid policy config:\n  - ${errors.join("\n  - ")}`);
  }
  return {
    level: (policy) => levels.get(policy) ?? levels.get("all"),
    properties: (policy) => withDefaults(policy.configSchema, props.get(policy.name) ?? {}),
  };
}

export function parseConfig(text: string, policies: HipaaPolicy[], source: string): ResolvedConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${source} is not JSON (${(e as Error).message}).`);
  }
  return resolveConfig(doc, policies, source);
}
