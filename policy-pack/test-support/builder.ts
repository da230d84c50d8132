// Deployment builder for policy tests: resources in the shape the checker reads from a plan or a
// stack export (urn, type, id, inputs, outputs, dependencies, propertyDependencies, provider).

import { LoadedDeployment, StateResource } from "../checker/deployment";

export const PROJECT = "healthcare-platform";
export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";

export interface AddOptions {
  id?: string;
  outputs?: Record<string, unknown>;
  /** propertyDependencies: property -> resources it came from. */
  pd?: Record<string, StateResource[]>;
  deps?: StateResource[];
  parent?: StateResource;
  protect?: boolean;
  custom?: boolean;
  provider?: StateResource | null;
}

let counter = 0;

/** A deterministic hex id. */
export function hex(n: number): string {
  counter++;
  let s = "";
  let x = (counter * 2654435761) >>> 0;
  while (s.length < n) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += (x >>> 8).toString(16).padStart(6, "0");
  }
  return s.slice(0, n);
}

export class Builder {
  readonly resources: StateResource[] = [];
  readonly stack: StateResource;
  readonly provider: StateResource;

  constructor(
    readonly stackName = "dev",
    defaultTags?: Record<string, string>,
  ) {
    this.stack = this.raw({
      urn: `urn:pulumi:${stackName}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${stackName}`,
      custom: false,
      type: "pulumi:pulumi:Stack",
    });
    const tags = defaultTags ?? { Project: PROJECT, Environment: stackName, Compliance: "HIPAA" };
    const providerUrn = `urn:pulumi:${stackName}::${PROJECT}::pulumi:providers:aws::default_7_48_0`;
    this.provider = this.raw({
      urn: providerUrn,
      custom: true,
      type: "pulumi:providers:aws",
      id: "4e3f2a10-0c5d-4d1e-9b7a-1f2e3d4c5b6a",
      inputs: { region: REGION, version: "7.48.0", defaultTags: JSON.stringify({ tags }) },
      outputs: { region: REGION, version: "7.48.0", defaultTags: JSON.stringify({ tags }) },
    });
  }

  private raw(r: Partial<StateResource> & { urn: string; type: string; custom: boolean }): StateResource {
    const full: StateResource = {
      inputs: {},
      outputs: {},
      dependencies: [],
      propertyDependencies: {},
      protect: false,
      aliases: [],
      additionalSecretOutputs: [],
      ignoreChanges: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      ...r,
    };
    this.resources.push(full);
    return full;
  }

  urnFor(type: string, name: string, parent?: StateResource): string {
    const qualified = parent && parent.type !== "pulumi:pulumi:Stack" ? `${parent.type}$${type}` : type;
    return `urn:pulumi:${this.stackName}::${PROJECT}::${qualified}::${name}`;
  }

  add(type: string, name: string, inputs: Record<string, unknown>, opts: AddOptions = {}): StateResource {
    const custom = opts.custom ?? true;
    const pd: Record<string, string[]> = {};
    const deps = new Set<string>((opts.deps ?? []).map((d) => d.urn));
    for (const [k, v] of Object.entries(opts.pd ?? {})) {
      pd[k] = v.map((d) => d.urn);
      v.forEach((d) => deps.add(d.urn));
    }
    const id = opts.id ?? `${name}-${hex(7)}`;
    return this.raw({
      urn: this.urnFor(type, name, opts.parent),
      custom,
      type,
      id: custom ? id : undefined,
      parent: (opts.parent ?? this.stack).urn,
      provider:
        custom && opts.provider !== null && type.startsWith("aws:")
          ? `${(opts.provider ?? this.provider).urn}::${(opts.provider ?? this.provider).id}`
          : undefined,
      inputs,
      outputs: { ...inputs, ...(opts.outputs ?? {}) },
      dependencies: [...deps],
      propertyDependencies: pd,
      protect: opts.protect ?? false,
    });
  }

  find(type: string, name?: string): StateResource {
    const r = this.resources.find((x) => x.type === type && (name === undefined || x.urn.endsWith(`::${name}`)));
    if (!r) {
      throw new Error(`no ${type} ${name ?? ""} in the fixture`);
    }
    return r;
  }

  remove(r: StateResource): void {
    const i = this.resources.indexOf(r);
    if (i >= 0) {
      this.resources.splice(i, 1);
    }
  }

  deployment(): LoadedDeployment {
    return { version: 3, resources: this.resources, encryptedSecrets: 0 };
  }

  /** The deployment as `pulumi stack export` / plan JSON. */
  toJson(): unknown {
    return {
      version: 3,
      deployment: {
        manifest: { time: "2025-01-01T00:00:00.000Z", magic: "test-fixture", version: "v3.248.0" },
        resources: this.resources.map((r) => ({
          urn: r.urn,
          custom: r.custom,
          type: r.type,
          ...(r.id !== undefined ? { id: r.id } : {}),
          ...(r.parent ? { parent: r.parent } : {}),
          ...(r.provider ? { provider: r.provider } : {}),
          inputs: r.inputs,
          outputs: r.outputs,
          dependencies: r.dependencies,
          propertyDependencies: r.propertyDependencies,
          protect: r.protect,
        })),
      },
    };
  }
}

/** Sets a nested input (and the matching output) on a resource. */
export function set(r: StateResource, path: string, value: unknown): void {
  for (const target of [r.inputs, r.outputs]) {
    const keys = path.split(".");
    let cur: Record<string, unknown> = target;
    for (const k of keys.slice(0, -1)) {
      const next = cur[k];
      if (typeof next !== "object" || next === null) {
        cur[k] = /^\d+$/.test(k) ? [] : {};
      }
      cur = cur[k] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (value === undefined) {
      delete cur[last];
    } else {
      cur[last] = value;
    }
  }
}

export function kmsArn(id: string): string {
  return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
}
