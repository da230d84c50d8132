// Shared code of the s3 policies.

import { PolicyResource } from "@pulumi/policy";
import { StackCtx } from "../lib/define";
import { companionsOf, ofTypes } from "../lib/join";
import { purposeOf } from "../lib/tags";
import { BUCKET_TYPES } from "../lib/types";
import { get, list, probe, str } from "../lib/util";

export const isBucket = ofTypes(BUCKET_TYPES);

/** A one-element list or an object: the object. */
export function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

/** Companions of `types` that name `bucket` in their `bucket` property. */
export function companions<C>(ctx: StackCtx<C>, bucket: PolicyResource, types: readonly string[]) {
  return companionsOf(bucket, ctx.ofType(types), ["bucket"], isBucket);
}

export function buckets<C>(ctx: StackCtx<C>): PolicyResource[] {
  return ctx.ofType(BUCKET_TYPES);
}

export function purposeIn<C>(ctx: StackCtx<C>, b: PolicyResource, purposes: string[]): boolean {
  const p = purposeOf(ctx.tags(b));
  return p !== undefined && purposes.map((x) => x.toLowerCase()).includes(p.toLowerCase());
}

export interface SseSetting {
  algorithm: string;
  kmsKeyId: unknown;
}

export function sseSettings(companion: PolicyResource): SseSetting[] {
  return list(get(companion.props, "rules")).map((rule) => ({
    algorithm: str(get(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm")) ?? "",
    kmsKeyId: probe(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"),
  }));
}

export function inlineSse(bucket: PolicyResource): SseSetting[] {
  const cfg = first(get(bucket.props, "serverSideEncryptionConfiguration"));
  if (cfg === undefined || cfg === null) {
    return [];
  }
  const rule = first(get(cfg, "rule"));
  if (rule === undefined) {
    return [];
  }
  return [
    {
      algorithm: str(get(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm")) ?? "",
      kmsKeyId: probe(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"),
    },
  ];
}
