/**
 * Checks every input value of a plan's resources against AWS's own constraints: the API model's
 * pattern, length/range and enum of the shape `mapping.ts` maps it to (`aws-constraints.json`),
 * plus the constraints AWS documents outside the model (`documented.ts`). Patterns follow Smithy:
 * not anchored, so a value must contain a match (java-regex.ts translates them); string lengths
 * count code points, list lengths items, numbers their value.
 */
import type { DeploymentResource } from "../deployment";
import { DOCUMENTED } from "./documented";
import { javaPattern } from "./java-regex";
import { MAPPING, TAG_SHAPES, type TypeMapping } from "./mapping";
import type { Constraints, Shape } from "./model";

export interface Violation {
  readonly resource: string;
  readonly type: string;
  readonly path: string;
  readonly value: unknown;
  readonly shape: string;
  readonly rule: string;
}

export interface CheckResult {
  /** Scalar values compared with a shape. */
  checked: number;
  /** Of those, values whose shape carries a pattern, length/range or enum. */
  constrained: number;
  readonly violations: Violation[];
  /** Resource types the mapping does not know. */
  readonly unmappedTypes: Set<string>;
  /** `type path`: top-level inputs neither matched, mapped nor skipped (the spec fails on these). */
  readonly unaccounted: Set<string>;
  /** `type path: reason`: values left unchecked (skips, nested inputs with no member, shape mismatches). */
  readonly unchecked: Set<string>;
}

/** Pulumi's secret wrapper in a state file. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

function unwrap(value: unknown): unknown {
  if (value && typeof value === "object" && !Array.isArray(value) && SECRET_SIG in value) return (value as { value?: unknown }).value;
  return value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

/** Why a scalar fails its shape, or undefined. */
export function scalarViolation(shape: Shape, value: unknown): string | undefined {
  if (shape.type === "string") {
    const s = typeof value === "string" ? value : String(value);
    if (shape.enum && !shape.enum.includes(s)) return `not one of ${shape.enum.join(", ")}`;
    const length = [...s].length;
    if (shape.min !== undefined && length < shape.min) return `length ${length} < min ${shape.min}`;
    if (shape.max !== undefined && length > shape.max) return `length ${length} > max ${shape.max}`;
    if (shape.pattern !== undefined && !javaPattern(shape.pattern).test(s)) return `does not match pattern ${shape.pattern}`;
    return undefined;
  }
  if (["integer", "long", "double", "float"].includes(shape.type)) {
    const n = typeof value === "number" ? value : Number(value);
    if (!Number.isFinite(n)) return `not a number`;
    if (shape.min !== undefined && n < shape.min) return `${n} < min ${shape.min}`;
    if (shape.max !== undefined && n > shape.max) return `${n} > max ${shape.max}`;
    return undefined;
  }
  if (shape.type === "boolean") {
    return typeof value === "boolean" || value === "true" || value === "false" ? undefined : "not a boolean";
  }
  return undefined;
}

function constrains(shape: Shape): boolean {
  return shape.pattern !== undefined || shape.min !== undefined || shape.max !== undefined || shape.enum !== undefined;
}

class Walker {
  constructor(
    private readonly constraints: Constraints,
    private readonly result: CheckResult,
    private readonly resource: DeploymentResource,
    private readonly mapping: TypeMapping,
  ) {}

  private shape(name: string): Shape {
    if (name.startsWith("doc:")) {
      const doc = DOCUMENTED[name.slice(4)];
      if (!doc) throw new Error(`documented.ts has no ${name}`);
      return doc;
    }
    const s = this.constraints.services[this.mapping.service]?.shapes[name];
    if (!s) throw new Error(`aws-constraints.json has no ${this.mapping.service} shape ${name}: run npm run value-check:extract`);
    return s;
  }

  private note(path: string, why: string): void {
    this.result.unchecked.add(`${this.resource.type} ${path}: ${why}`);
  }

  walk(value: unknown, shapeName: string, path: string): void {
    value = unwrap(value);
    if (value === undefined || value === null) return;
    const shape = this.shape(shapeName);
    if (shape.type === "structure") {
      if (Array.isArray(value)) return value.forEach((v) => this.walk(v, shapeName, path));
      if (!isObject(value)) return this.note(path, `a ${typeof value} where ${shapeName} is a structure`);
      this.members(value, shapeName, shape, path);
    } else if (shape.type === "list") {
      for (const v of Array.isArray(value) ? value : [value]) this.walk(v, shape.member!, path);
    } else if (shape.type === "map") {
      if (!isObject(value)) return this.note(path, `not a map where ${shapeName} is one`);
      for (const [k, v] of Object.entries(value)) {
        this.walk(k, shape.key!, `${path}{key}`);
        this.walk(v, shape.value!, `${path}.${k}`);
      }
    } else {
      if (typeof value === "object") return this.note(path, `an object where ${shapeName} is a ${shape.type}`);
      this.result.checked++;
      if (constrains(shape)) this.result.constrained++;
      const rule = scalarViolation(shape, value);
      if (rule) {
        this.result.violations.push({
          resource: this.resource.urn.split("::").at(-1)!,
          type: this.resource.type,
          path,
          value,
          shape: shapeName,
          rule,
        });
      }
    }
  }

  /** A map input sent as Name/Value (Key/Value) pairs: keys against one shape, values against the other. */
  private pairs(value: unknown, [keyShape, valueShape]: readonly [string, string], path: string): void {
    value = unwrap(value);
    if (!isObject(value)) return this.note(path, "not a map");
    for (const [k, v] of Object.entries(value)) {
      this.walk(k, keyShape, `${path}{key}`);
      this.walk(v, valueShape, `${path}.${k}`);
    }
  }

  /** Checks a resource's inputs against the mapping's request shape. */
  inputs(inputs: Record<string, unknown>): void {
    this.members(inputs, this.mapping.shape, this.shape(this.mapping.shape), "");
  }

  private members(value: Record<string, unknown>, shapeName: string, shape: Shape, path: string): void {
    const top = path === "";
    for (const [key, v] of Object.entries(value)) {
      if (key.startsWith("__")) continue;
      const here = top ? key : `${path}.${key}`;
      const target = this.mapping.props?.[here];
      if (typeof target === "object" && "pairs" in target) {
        this.pairs(v, target.pairs, here);
        continue;
      }
      if (typeof target === "object") {
        this.note(here, target.skip);
        continue;
      }
      if (typeof target === "string") {
        this.walk(v, target, here);
        continue;
      }
      const member = Object.keys(shape.members ?? {}).find((m) => m.toLowerCase() === key.toLowerCase());
      if (top && key === "tags") {
        const tags = TAG_SHAPES[this.mapping.service];
        if (tags && isObject(unwrap(v))) {
          this.pairs(v, tags, here);
        } else if (member) {
          // A list of Key/Value structures (Auto Scaling's tags with PropagateAtLaunch).
          this.walk(v, shape.members![member], here);
        } else {
          this.note(here, `${this.mapping.service}'s model gives tags no constraint`);
        }
      } else if (member) {
        this.walk(v, shape.members![member], here);
      } else if (top) {
        this.result.unaccounted.add(`${this.resource.type} ${here}`);
      } else {
        this.note(here, `no member of ${shapeName} by that name`);
      }
    }
  }
}

export function emptyResult(): CheckResult {
  return { checked: 0, constrained: 0, violations: [], unmappedTypes: new Set(), unaccounted: new Set(), unchecked: new Set() };
}

/** Checks the inputs of every AWS resource of a plan. */
export function checkValues(resources: readonly DeploymentResource[], constraints: Constraints): CheckResult {
  const result = emptyResult();
  for (const r of resources) {
    if (!r.custom || r.type.startsWith("pulumi:providers:")) continue;
    const mapping = MAPPING[r.type];
    if (!mapping) {
      result.unmappedTypes.add(r.type);
      continue;
    }
    const walker = new Walker(constraints, result, r, mapping);
    walker.inputs(r.inputs);
  }
  return result;
}
