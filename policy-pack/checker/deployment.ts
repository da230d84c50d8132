// Reads a deployment: the offline plan (`npm run plan -- --out plan.json`) or a real
// `pulumi stack export`, both `{ "version": 3, "deployment": { "resources": [...] } }`.
//
// Property values are deserialized the way the engine hands them to an analyzer: secrets are
// unwrapped (`{ "4dabf...": "1b47...", "plaintext": "<json>" }` from `--show-secrets`, or the
// runtime form with `value`); an encrypted secret (`ciphertext`) cannot be read offline and becomes
// an unknown value, so a policy that needs it reports "can't run" instead of guessing; resource
// references become their id (or URN); output values their value (or unknown).

import { UNKNOWN_STRING } from "../policies/lib/unknown";

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

export interface StateResource {
  urn: string;
  custom: boolean;
  type: string;
  id?: string;
  parent?: string;
  provider?: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
  aliases: string[];
  additionalSecretOutputs: string[];
  ignoreChanges: string[];
  customTimeouts: { createSeconds: number; updateSeconds: number; deleteSeconds: number };
  deleteBeforeReplace?: boolean;
}

export interface LoadedDeployment {
  version: number | undefined;
  resources: StateResource[];
  /** Number of resources holding encrypted secrets (read as unknown values). */
  encryptedSecrets: number;
}

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

class Deserializer {
  encryptedSecrets = 0;

  value(v: unknown): unknown {
    if (Array.isArray(v)) {
      return v.map((x) => this.value(x));
    }
    if (!isObject(v)) {
      return v;
    }
    const sig = v[SIG];
    if (sig === SECRET_SIG) {
      if ("value" in v) {
        return this.value(v.value);
      }
      if (typeof v.plaintext === "string") {
        try {
          return this.value(JSON.parse(v.plaintext));
        } catch {
          return v.plaintext;
        }
      }
      this.encryptedSecrets++;
      return UNKNOWN_STRING;
    }
    if (sig === RESOURCE_SIG) {
      return typeof v.id === "string" && v.id !== "" ? v.id : v.urn;
    }
    if (sig === OUTPUT_SIG) {
      return "value" in v ? this.value(v.value) : UNKNOWN_STRING;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x !== undefined) {
        out[k] = this.value(x);
      }
    }
    return out;
  }
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function seconds(v: unknown): number {
  if (typeof v === "number") {
    return v;
  }
  if (typeof v === "string") {
    // state stores durations such as "5m0s"; only whole seconds/minutes/hours matter here
    const m = v.match(/^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/);
    if (m) {
      return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
    }
  }
  return 0;
}

/** Parses and validates a deployment JSON document. Throws InputError with a clear message. */
export function parseDeployment(text: string, source: string): LoadedDeployment {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(
      `${source} is not JSON (${(e as Error).message}); expected the output of ` +
        "`npm run plan -- --out <file>` or `pulumi stack export`.",
    );
  }
  if (!isObject(doc)) {
    throw new InputError(`${source} is not a deployment: expected an object { "version": 3, "deployment": { "resources": [...] } }.`);
  }
  const version = doc.version;
  if (version !== undefined && (typeof version !== "number" || ![1, 2, 3].includes(version))) {
    throw new InputError(
      `${source} has deployment version ${JSON.stringify(version)}; this checker reads versions 1 to 3 (pulumi stack export writes 3).`,
    );
  }
  const deployment = doc.deployment;
  if (!isObject(deployment)) {
    throw new InputError(
      `${source} is not a deployment: it has no "deployment" object (expected { "version": 3, "deployment": { "resources": [...] } }).`,
    );
  }
  const raw = deployment.resources;
  if (raw === undefined || raw === null) {
    throw new InputError(`${source} has no resources: "deployment.resources" is missing (an empty stack, or not a stack export).`);
  }
  if (!Array.isArray(raw)) {
    throw new InputError(`${source} is not a deployment: "deployment.resources" must be an array.`);
  }
  if (raw.length === 0) {
    throw new InputError(`${source} has no resources: "deployment.resources" is empty.`);
  }
  const des = new Deserializer();
  let encrypted = 0;
  const resources: StateResource[] = raw.map((r, i) => {
    if (!isObject(r) || typeof r.urn !== "string" || r.urn === "" || typeof r.type !== "string" || r.type === "") {
      throw new InputError(`${source} is not a deployment: deployment.resources[${i}] has no "urn" and "type".`);
    }
    const timeouts = isObject(r.customTimeouts) ? r.customTimeouts : {};
    const before = des.encryptedSecrets;
    const inputs = isObject(r.inputs) ? (des.value(r.inputs) as Record<string, unknown>) : {};
    const outputs = isObject(r.outputs) ? (des.value(r.outputs) as Record<string, unknown>) : {};
    if (des.encryptedSecrets > before) {
      encrypted++;
    }
    const pd: Record<string, string[]> = {};
    if (isObject(r.propertyDependencies)) {
      for (const [k, v] of Object.entries(r.propertyDependencies)) {
        pd[k] = strings(v);
      }
    }
    return {
      urn: r.urn,
      custom: r.custom === true,
      type: r.type,
      id: typeof r.id === "string" ? r.id : undefined,
      parent: typeof r.parent === "string" && r.parent !== "" ? r.parent : undefined,
      provider: typeof r.provider === "string" && r.provider !== "" ? r.provider : undefined,
      inputs,
      outputs,
      dependencies: strings(r.dependencies),
      propertyDependencies: pd,
      protect: r.protect === true,
      aliases: strings(r.aliases),
      additionalSecretOutputs: strings(r.additionalSecretOutputs),
      ignoreChanges: strings(r.ignoreChanges),
      customTimeouts: {
        createSeconds: seconds(timeouts.create),
        updateSeconds: seconds(timeouts.update),
        deleteSeconds: seconds(timeouts.delete),
      },
      deleteBeforeReplace: typeof r.deleteBeforeReplace === "boolean" ? r.deleteBeforeReplace : undefined,
    };
  });
  return { version: typeof version === "number" ? version : undefined, resources, encryptedSecrets: encrypted };
}

/** `1 resource`, `2 resources`: every count the tools print is worded through this. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

/** The entries of a deployment by kind: cloud resources, providers, and components (the stack included). */
export function countEntries(resources: readonly { type: string; custom: boolean }[]): {
  entries: number;
  cloud: number;
  providers: number;
  components: number;
} {
  const providers = resources.filter((r) => r.custom && r.type.startsWith("pulumi:providers:")).length;
  const custom = resources.filter((r) => r.custom).length;
  return { entries: resources.length, cloud: custom - providers, providers, components: resources.length - custom };
}

/**
 * The one wording of a deployment's size, shared by `npm run plan` and `npm run policy:check`:
 * `168 state entries: 153 cloud resources, 2 providers, 13 components`.
 */
export function describeCounts(resources: readonly { type: string; custom: boolean }[]): string {
  const c = countEntries(resources);
  return (
    `${plural(c.entries, "state entry", "state entries")}: ${plural(c.cloud, "cloud resource")}, ` +
    `${plural(c.providers, "provider")}, ${plural(c.components, "component")}`
  );
}
