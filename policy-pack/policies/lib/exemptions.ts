// Exemptions: a resource may be exempted from a named policy only with a written reason.
//
// Two ways to grant one:
//  - pack config: every policy's config has `exemptions: [{ urn: "<URN or * pattern>", reason }]`;
//  - a tag on the resource itself: `hipaa-exempt:<policy-name>` whose value is the reason
//    (provider default tags never grant exemptions).
// An exemption without a reason (fewer than MIN_REASON_LENGTH characters) is not honoured and is
// itself a violation: a config entry is reported by the policy it names, on each resource it
// matches; a tag is reported by `exemption-requires-reason`.
//
// Honoured exemptions suppress the violation and are published to the exemption sink, which the
// offline checker installs to count and list them for auditors.

import { EXEMPT_TAG_PREFIX, ownTags } from "./tags";
import { globToRegExp, isRec } from "./util";

export const MIN_REASON_LENGTH = 10;

export interface ConfigExemption {
  urn: string;
  reason?: string;
}

export interface ExemptionRecord {
  policy: string;
  urn: string;
  reason: string;
  source: "config" | "tag";
  /** The config pattern, or the tag key. */
  grantedBy: string;
}

type Sink = (e: ExemptionRecord) => void;
let sink: Sink | undefined;

/** Installs (or removes, with undefined) the listener that receives honoured exemptions. */
export function setExemptionSink(fn: Sink | undefined): void {
  sink = fn;
}

export function publishExemption(e: ExemptionRecord): void {
  if (sink) {
    sink(e);
  }
}

export function hasValidReason(reason: unknown): reason is string {
  return typeof reason === "string" && reason.trim().length >= MIN_REASON_LENGTH;
}

export function exemptionTagKey(policy: string): string {
  return `${EXEMPT_TAG_PREFIX}${policy}`;
}

/** Config exemption entries, tolerant of a malformed config (which schema validation reports). */
export function configExemptions(config: Record<string, unknown>): ConfigExemption[] {
  const raw = config.exemptions;
  if (!Array.isArray(raw)) {
    return [];
  }
  const out: ConfigExemption[] = [];
  for (const e of raw) {
    if (isRec(e) && typeof e.urn === "string") {
      out.push({ urn: e.urn, reason: typeof e.reason === "string" ? e.reason : undefined });
    }
  }
  return out;
}

export interface ExemptionMatcher {
  /** Config entries without a valid reason that match `urn`. */
  invalidFor(urn: string): ConfigExemption[];
  /** The honoured exemption for the resource, if any; reads the tags lazily. */
  grantFor(urn: string, props: Record<string, unknown> | undefined): ExemptionRecord | undefined;
}

export function exemptionMatcher(policy: string, config: Record<string, unknown>): ExemptionMatcher {
  const entries = configExemptions(config).map((e) => ({ ...e, re: globToRegExp(e.urn) }));
  return {
    invalidFor(urn) {
      return entries.filter((e) => e.re.test(urn) && !hasValidReason(e.reason));
    },
    grantFor(urn, props) {
      const fromConfig = entries.find((e) => e.re.test(urn) && hasValidReason(e.reason));
      if (fromConfig) {
        return { policy, urn, reason: (fromConfig.reason as string).trim(), source: "config", grantedBy: fromConfig.urn };
      }
      if (props) {
        const key = exemptionTagKey(policy);
        const reason = ownTags(props)[key];
        if (hasValidReason(reason)) {
          return { policy, urn, reason: reason.trim(), source: "tag", grantedBy: key };
        }
      }
      return undefined;
    },
  };
}
