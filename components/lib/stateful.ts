/**
 * The one way to say "protected and retained when the stack protects its data" (`protectData`,
 * true and required in prod): the resource options of a stateful resource, one that holds data or
 * audit records (buckets and their versioning and Object Lock, keys, tables, log groups, trails,
 * vaults).
 *
 * - `protect`: `pulumi destroy` and a replacing update refuse to delete it;
 * - `retainOnDelete`: removing it from the program leaves it in AWS instead of deleting it.
 *
 * Deletion protection of the resource itself (`deletionProtectionEnabled`, `deletionProtection`)
 * and `forceDestroy: false` are arguments of each resource, set from the same `protectData`.
 * With `protectData` false (dev), the resource follows the stack and is destroyed with it.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Options for a stateful child of `parent`: protected and retained on delete when `protectData`. */
export function statefulOptions(
  parent: pulumi.Resource,
  protectData: boolean,
  extra: Omit<pulumi.CustomResourceOptions, "parent" | "protect" | "retainOnDelete"> = {},
): pulumi.CustomResourceOptions {
  return statefulResourceOptions(protectData, { ...extra, parent });
}

/** {@link statefulOptions} for a resource created outside a component (the program's top level): `opts` plus the same two flags. */
export function statefulResourceOptions(
  protectData: boolean,
  opts: Omit<pulumi.CustomResourceOptions, "protect" | "retainOnDelete"> = {},
): pulumi.CustomResourceOptions {
  return { ...opts, protect: protectData, retainOnDelete: protectData };
}
