/**
 * Turns what the mock cloud recorded into the shape of `pulumi stack export` (deployment version
 * 3), recovering dependencies the registration did not carry from input values that are other
 * resources' ids or ARNs, and renders the plan's tree.
 */
import type { StateResource } from "../policy-pack/checker/deployment";
import { describeCounts, plural } from "../policy-pack/checker/deployment";

export { describeCounts };
import type { RecordedResource } from "./mock-cloud";
import { hexId } from "./mock-cloud";

/**
 * One resource of the export: the fields the policy checker reads from a real export (one shape
 * for both), without the engine bookkeeping the plan has no value for, plus `retainOnDelete`.
 */
export type DeploymentResource = Omit<
  StateResource,
  "aliases" | "additionalSecretOutputs" | "ignoreChanges" | "customTimeouts" | "deleteBeforeReplace"
> & { retainOnDelete?: boolean };

export interface Deployment {
  version: 3;
  deployment: {
    manifest: { time: string; magic: string; version: string };
    resources: DeploymentResource[];
  };
}

/** Strings that name another resource: ids with a known prefix, ARNs, KMS key ids. */
const REFERENCE =
  /arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[^"\s,\]}]+|\b(?:vpc|subnet|sg|rtb|igw|nat|eipalloc|vpce|acl|fl)-[0-9a-f]{17}\b|\b[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}\b/g;

function referencedTokens(value: unknown, out: Set<string>): void {
  if (typeof value === "string") {
    out.add(value);
    for (const m of value.matchAll(REFERENCE)) out.add(m[0].replace(/(\/\*|:\*)$/, ""));
  } else if (Array.isArray(value)) {
    for (const v of value) referencedTokens(v, out);
  } else if (value && typeof value === "object") {
    for (const v of Object.values(value)) referencedTokens(v, out);
  }
}

/**
 * Adds to each resource the dependencies its inputs imply: an input value equal to (or, in a JSON
 * document, containing) another resource's id or ARN. Registration-reported ones are kept.
 */
export function recoverDependencies(resources: DeploymentResource[]): void {
  const owner = new Map<string, string>();
  for (const r of resources) {
    if (!r.custom || r.type.startsWith("pulumi:providers:")) continue;
    for (const token of [r.id, r.outputs.arn]) {
      // First registration wins: S3 companions (versioning, lifecycle, notification, ...) take their
      // bucket's name as id, and a bucket always registers before the resources that name it.
      if (typeof token === "string" && token.length >= 8 && !owner.has(token)) owner.set(token, r.urn);
    }
  }
  for (const r of resources) {
    for (const [key, value] of Object.entries(r.inputs)) {
      const tokens = new Set<string>();
      referencedTokens(value, tokens);
      for (const token of tokens) {
        const urn = owner.get(token);
        if (!urn || urn === r.urn) continue;
        const deps = (r.propertyDependencies[key] ??= []);
        if (!deps.includes(urn)) deps.push(urn);
        if (!r.dependencies.includes(urn)) r.dependencies.push(urn);
      }
    }
  }
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * The engine's URN of every recorded resource. The SDK's mock monitor qualifies a type with its
 * parent's last type only (`SecureBucket$aws:s3/bucket:Bucket`) and keeps the root stack's type
 * (`pulumi:pulumi:Stack$...`); the engine qualifies it with the whole chain of parent types
 * without the root stack's: `healthcare:processing:Processing$healthcare:storage:SecureBucket$aws:s3/bucket:Bucket`.
 * Policy output and exemptions written against a plan then match a real `pulumi stack export`.
 */
export function engineUrns(recorded: readonly Pick<RecordedResource, "urn" | "type" | "parent">[]): Map<string, string> {
  const byUrn = new Map(recorded.map((r) => [r.urn, r]));
  const qualified = new Map<string, string>();
  const qualify = (urn: string): string => {
    const known = qualified.get(urn);
    if (known !== undefined) return known;
    const r = byUrn.get(urn);
    if (r === undefined) return urn.split("::")[2] ?? "";
    const parent = r.parent === undefined ? undefined : byUrn.get(r.parent);
    const chain = r.type === STACK_TYPE || parent === undefined || parent.type === STACK_TYPE ? r.type : `${qualify(parent.urn)}$${r.type}`;
    qualified.set(urn, chain);
    return chain;
  };
  const out = new Map<string, string>();
  for (const r of recorded) {
    const parts = r.urn.split("::");
    out.set(r.urn, [...parts.slice(0, 2), qualify(r.urn), ...parts.slice(3)].join("::"));
  }
  return out;
}

/** Builds the deployment; custom resources without an explicit provider get the default one. */
export function toDeployment(
  recorded: readonly RecordedResource[],
  ctx: { project: string; stack: string; awsVersion: string },
): Deployment {
  const urns = engineUrns(recorded);
  const urn = (u: string): string => urns.get(u) ?? u;
  // A provider reference is `<provider urn>::<provider id>`.
  const providerRef = (ref: string): string => {
    const cut = ref.lastIndexOf("::");
    return cut < 0 ? ref : `${urn(ref.slice(0, cut))}${ref.slice(cut)}`;
  };
  const resources: DeploymentResource[] = recorded.map((r) => ({
    urn: urn(r.urn),
    custom: r.custom,
    type: r.type,
    ...(r.custom ? { id: r.id ?? "" } : {}),
    ...(r.parent ? { parent: urn(r.parent) } : {}),
    ...(r.provider ? { provider: providerRef(r.provider) } : {}),
    inputs: r.inputs,
    outputs: r.outputs,
    dependencies: r.dependencies.map(urn),
    propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map(urn)])),
    protect: r.protect,
    ...(r.retainOnDelete ? { retainOnDelete: true } : {}),
  }));
  const needsDefault = resources.some((r) => r.custom && !r.provider && r.type.startsWith("aws:"));
  if (needsDefault) {
    const defaultUrn = `urn:pulumi:${ctx.stack}::${ctx.project}::pulumi:providers:aws::default_${ctx.awsVersion.replace(/\./g, "_")}`;
    const id = hexId(defaultUrn, 32);
    const provider: DeploymentResource = {
      urn: defaultUrn,
      custom: true,
      type: "pulumi:providers:aws",
      id,
      inputs: { version: ctx.awsVersion },
      outputs: { version: ctx.awsVersion },
      dependencies: [],
      propertyDependencies: {},
      protect: false,
    };
    for (const r of resources) if (r.custom && !r.provider && r.type.startsWith("aws:")) r.provider = `${defaultUrn}::${id}`;
    const at = resources.findIndex((r) => r.type !== "pulumi:pulumi:Stack");
    resources.splice(at < 0 ? resources.length : at, 0, provider);
  }
  recoverDependencies(resources);
  return {
    version: 3,
    deployment: {
      manifest: { time: new Date(0).toISOString(), magic: "offline-plan", version: "offline" },
      resources,
    },
  };
}

/** The plan's human-readable tree: components nest, custom resources are counted by type. */
export function renderTree(resources: readonly DeploymentResource[]): string {
  const children = new Map<string, DeploymentResource[]>();
  for (const r of resources) {
    if (!r.parent) continue;
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const total = (urn: string): number =>
    (children.get(urn) ?? []).reduce((n, c) => n + (c.custom && !c.type.startsWith("pulumi:providers:") ? 1 : 0) + total(c.urn), 0);
  const nameOf = (urn: string) => urn.split("::").pop() ?? urn;
  const lines: string[] = [];
  const walk = (r: DeploymentResource, indent: string) => {
    lines.push(`${indent}${r.type} ${nameOf(r.urn)}  (${plural(total(r.urn), "cloud resource")})`);
    const kids = children.get(r.urn) ?? [];
    const counts = new Map<string, number>();
    for (const k of kids) if (k.custom) counts.set(k.type, (counts.get(k.type) ?? 0) + 1);
    for (const [type, n] of [...counts].sort()) lines.push(`${indent}    ${type} x${n}`);
    for (const k of kids) if (!k.custom) walk(k, `${indent}    `);
  };
  for (const root of resources.filter((r) => !r.parent && !r.custom)) walk(root, "");
  const orphans = resources.filter((r) => !r.parent && r.custom);
  if (orphans.length) lines.push(`(no parent) ${orphans.map((r) => `${r.type} ${nameOf(r.urn)}`).join(", ")}`);
  const byType = new Map<string, number>();
  for (const r of resources) if (r.custom) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  lines.push("", `Totals: ${describeCounts(resources)}; ${plural(byType.size, "type")} of custom resource`);
  for (const [type, n] of [...byType].sort()) lines.push(`  ${String(n).padStart(4)}  ${type}`);
  return lines.join("\n");
}
