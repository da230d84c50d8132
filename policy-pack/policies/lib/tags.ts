// Tags, data classification and environment of a resource.
//
// A resource's effective tags are its provider's `defaultTags` overlaid with `tagsAll` (outputs)
// and its own `tags`. The aws provider sends `defaultTags` as a JSON string
// (`pulumi.output(args.defaultTags).apply(JSON.stringify)`); an object is accepted too.

import { asString, get, isRec, parseDoc, Rec } from "./util";

export type Tags = Record<string, string>;

interface ProviderLike {
  props: Record<string, unknown>;
}

export const TAG_CLASSIFICATION = "DataClassification";
export const TAG_ENVIRONMENT = "Environment";
export const TAG_PURPOSE = "Purpose";
export const EXEMPT_TAG_PREFIX = "hipaa-exempt:";

function toTags(v: unknown): Tags {
  const out: Tags = {};
  if (isRec(v)) {
    for (const k of Object.keys(v)) {
      const value = v[k];
      if (typeof value === "string") {
        out[k] = value;
      } else if (value !== undefined && value !== null) {
        out[k] = asString(value);
      }
    }
  }
  return out;
}

/** The provider's `defaultTags.tags` (throws UnknownValueError when unknown during preview). */
export function providerDefaultTags(provider: ProviderLike | undefined): Tags {
  if (!provider) {
    return {};
  }
  const raw = get(provider.props, "defaultTags");
  const doc: Rec | undefined = parseDoc(raw);
  return doc ? toTags(get(doc, "tags")) : {};
}

/** The resource's own `tags` only (no provider defaults). */
export function ownTags(props: Record<string, unknown>): Tags {
  const raw = get(props, "tags");
  if (Array.isArray(raw)) {
    // aws.autoscaling.Group carries tags as [{ key, value, propagateAtLaunch }].
    const out: Tags = {};
    for (const t of raw) {
      const key = get(t, "key");
      const value = get(t, "value");
      if (typeof key === "string") {
        out[key] = typeof value === "string" ? value : asString(value ?? "");
      }
    }
    return out;
  }
  return toTags(raw);
}

/** Provider default tags < tagsAll < tags. Throws UnknownValueError when tags are unknown. */
export function effectiveTags(props: Record<string, unknown>, provider?: ProviderLike): Tags {
  return { ...providerDefaultTags(provider), ...toTags(get(props, "tagsAll")), ...ownTags(props) };
}

/**
 * The data classification. A resource without the tag is treated as PHI: an unclassified data
 * store gets the strictest controls (and `required-tags` reports the missing tag).
 */
export function classificationOf(tags: Tags): string {
  const c = tags[TAG_CLASSIFICATION];
  return c && c.trim() !== "" ? c.trim() : "PHI";
}

export function isClassifiedAs(tags: Tags, classes: string[]): boolean {
  const c = classificationOf(tags).toLowerCase();
  return classes.some((x) => x.toLowerCase() === c);
}

export function purposeOf(tags: Tags): string | undefined {
  const p = tags[TAG_PURPOSE];
  return p && p.trim() !== "" ? p.trim() : undefined;
}

/** The resource's `Environment` tag, else the policy config's `environment`, else "prod". */
export function environmentOf(tags: Tags, configured?: string): string {
  const t = tags[TAG_ENVIRONMENT];
  if (t && t.trim() !== "") {
    return t.trim().toLowerCase();
  }
  return (configured ?? "prod").toLowerCase();
}

/**
 * Why a resource counts as the environment `environmentOf` returns, for messages: its Environment tag,
 * or (another project's stack, untagged) the policy config's `environment`, whose default is prod.
 */
export function environmentReason(tags: Tags, configured?: string): string {
  const t = tags[TAG_ENVIRONMENT];
  if (t && t.trim() !== "") {
    return `Environment tag "${t.trim()}"`;
  }
  return (
    `no Environment tag, so this policy's environment setting "${configured ?? "prod"}" applies (the default is prod: ` +
    "tag the resource Environment=<env> or set the policy's environment in the pack config if this stack is not prod)"
  );
}

export function isProdEnvironment(env: string, prodNames: string[] = ["prod", "production"]): boolean {
  return prodNames.map((n) => n.toLowerCase()).includes(env.toLowerCase());
}
