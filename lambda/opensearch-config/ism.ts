/**
 * The event indices' mappings and lifecycle (issue 16 part 4). The index template (below) types the
 * event document. The lifecycle: an Index State Management policy that deletes a
 * daily `security-events-*` index once it is older than the stack's `eventIndexRetentionInDays`. The
 * index is a search copy; the S3 archive keeps every event for six years.
 *
 * Documentation each step relies on:
 * - `PUT _plugins/_ism/policies/<id>` creates a policy; updating an existing one needs the
 *   `if_seq_no` and `if_primary_term` query parameters of its current version ("If these numbers don't
 *   match the existing policy or the policy doesn't exist, ISM throws an error"), which
 *   `GET _plugins/_ism/policies/<id>` returns as `_seq_no` and `_primary_term`
 *   (https://docs.opensearch.org/latest/im-plugin/ism/api/#create-policy, #update-policy, #get-policy).
 * - `ism_template` attaches the policy to indices created afterwards whose names match its
 *   `index_patterns` (Firehose's next daily index); AWS no longer applies ISM policies through index
 *   templates (https://docs.opensearch.org/latest/im-plugin/ism/index/,
 *   https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ism.html).
 * - `min_index_age` counts from the index's creation; the ISM job checks every 5 to 8 minutes
 *   (https://docs.opensearch.org/latest/im-plugin/ism/policies/#transitions, ism.html above).
 * - An index keeps the policy version it was enrolled with: an update reaches indices created after
 *   it, not those already managed (https://docs.opensearch.org/latest/im-plugin/ism/api/#update-managed-index-policy).
 *
 * This module has no runtime imports (contract.ts imports it, and the Pulumi program imports that).
 */
import type { OpenSearchClient, StepOutcome } from "./client";
import type { Logger } from "./log";

/**
 * The index template of the event indices (`PUT _index_template/<name>` creates or replaces it; it
 * applies to indices created afterwards, such as Firehose's next daily index):
 * https://docs.opensearch.org/latest/api-reference/index-apis/create-index-template/.
 */
export const INDEX_TEMPLATE_API = "/_index_template/";

/** The template's name: the index pattern without its trailing `*` and separators (`security-events-*` -> `security-events`). */
export function indexTemplateName(indexPattern: string): string {
  return indexPattern.replace(/\*$/, "").replace(/[-_.+]+$/, "");
}

/**
 * Mappings of an event document (lambda/authorizer/contract.ts OutputDocument). `events` is `nested`:
 * with the default object mapping its array is flattened, so one query could match a field of one
 * event and another field of a different event of the same record
 * (https://docs.opensearch.org/latest/field-types/supported-field-types/nested/). Priority 100 wins
 * over OpenSearch's own low-priority templates.
 */
export function indexTemplateBody(indexPattern: string): Record<string, unknown> {
  return {
    index_patterns: [indexPattern],
    priority: 100,
    template: {
      mappings: {
        properties: {
          authorizerVersion: { type: "integer" },
          decision: { type: "keyword" },
          eventCount: { type: "integer" },
          events: { type: "nested" },
        },
      },
    },
  };
}

/** The ISM policy API, relative to the domain endpoint. */
export const ISM_POLICIES_API = "/_plugins/_ism/policies/";
/** The `ism_template` priority: higher than any template a person might add for the same pattern by accident. */
export const ISM_TEMPLATE_PRIORITY = 100;
/** Retention bounds the function accepts (the stack config has the same: components/config/). */
export const MIN_RETENTION_DAYS = 1;
export const MAX_RETENTION_DAYS = 2192;
/** Conflicts (HTTP 409: another writer changed the policy between our GET and PUT) answered with a fresh GET and one more PUT. */
export const ISM_CONFLICT_ROUNDS = 2;

/** The policy's id: the index pattern without its trailing `*` and separators, then `-retention` (`security-events-retention`). */
export function ismPolicyId(indexPattern: string): string {
  return `${indexTemplateName(indexPattern)}-retention`;
}

/** The policy's path (no query string): also the IAM resource of the GET and the PUT. */
export function ismPolicyPath(indexPattern: string): string {
  return `${ISM_POLICIES_API}${encodeURIComponent(ismPolicyId(indexPattern))}`;
}

export interface IsmPolicy {
  readonly description: string;
  readonly default_state: string;
  readonly states: readonly {
    readonly name: string;
    readonly actions: readonly Record<string, unknown>[];
    readonly transitions: readonly { readonly state_name: string; readonly conditions?: { readonly min_index_age: string } }[];
  }[];
  readonly ism_template: readonly { readonly index_patterns: readonly string[]; readonly priority: number }[];
}

/** The body of the PUT: searchable until `retentionDays` old, then deleted. */
export function ismPolicyBody(indexPattern: string, retentionDays: number): { readonly policy: IsmPolicy } {
  return {
    policy: {
      description:
        `Deletes ${indexPattern} indices ${retentionDays} days after creation; the S3 archive keeps the events for six years. ` +
        "Managed by the platform's opensearch-config function (Pulumi); edits are replaced on the next deployment.",
      default_state: "searchable",
      states: [
        {
          name: "searchable",
          actions: [],
          transitions: [{ state_name: "delete", conditions: { min_index_age: `${retentionDays}d` } }],
        },
        { name: "delete", actions: [{ delete: {} }], transitions: [] },
      ],
      ism_template: [{ index_patterns: [indexPattern], priority: ISM_TEMPLATE_PRIORITY }],
    },
  };
}

/**
 * Whether the stored policy already is the desired one. The GET answers with fields ISM adds
 * (`policy_id`, `last_updated_time`, `schema_version`, `error_notification`, an action's default
 * `retry`, the template's `last_updated_time`), so the desired policy must be contained in the stored
 * one: every key we set has our value, and every array has exactly our elements in our order.
 */
export function containsPolicy(desired: unknown, stored: unknown): boolean {
  if (Array.isArray(desired)) {
    return Array.isArray(stored) && stored.length === desired.length && desired.every((d, i) => containsPolicy(d, stored[i]));
  }
  if (typeof desired === "object" && desired !== null) {
    if (typeof stored !== "object" || stored === null || Array.isArray(stored)) return false;
    const s = stored as Record<string, unknown>;
    return Object.entries(desired).every(([k, v]) => containsPolicy(v, s[k]));
  }
  return desired === stored;
}

/** The version of the stored policy a GET returned, or undefined when its body lacks one. */
export function storedVersion(body: unknown): { seqNo: number; primaryTerm: number; policy: unknown } | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const seqNo = b._seq_no;
  const primaryTerm = b._primary_term;
  if (!Number.isSafeInteger(seqNo) || !Number.isSafeInteger(primaryTerm) || typeof b.policy !== "object" || b.policy === null)
    return undefined;
  return { seqNo: seqNo as number, primaryTerm: primaryTerm as number, policy: b.policy };
}

/** The ISM step's outcome: `created` (404 before), `updated` (different before) or `unchanged` (no PUT). */
export interface IsmOutcome extends StepOutcome {
  readonly action: "created" | "updated" | "unchanged";
}

/** The ISM step failed in a way a retry of the same request cannot fix; names the step and the reason, never a body. */
export class IsmPolicyError extends Error {
  constructor(readonly reason: string) {
    super(`opensearch-config step "ism policy" failed: ${reason}`);
    this.name = "IsmPolicyError";
  }
}

/**
 * GET, then create (404), update with the stored `_seq_no`/`_primary_term` (different), or nothing
 * (equal). A 409 means someone changed the policy between the GET and the PUT: read it again and try
 * once more; a second 409 fails the deployment with an error saying so.
 */
export async function applyIsmPolicy(
  client: Pick<OpenSearchClient, "send">,
  indexPattern: string,
  retentionDays: number,
  log: Logger,
  requestId: string,
): Promise<IsmOutcome> {
  const path = ismPolicyPath(indexPattern);
  const desired = ismPolicyBody(indexPattern, retentionDays);
  let attempts = 0;
  for (let round = 1; round <= ISM_CONFLICT_ROUNDS; round++) {
    const read = await client.send({ step: "ism policy read", method: "GET", path, body: undefined }, [404]);
    attempts += read.attempts;
    let action: "created" | "updated";
    let target = path;
    if (read.status === 404) {
      action = "created";
    } else {
      const stored = storedVersion(read.body);
      if (stored === undefined)
        throw new IsmPolicyError(
          `GET ${path} answered ${read.status} without _seq_no, _primary_term and policy (check the engine's ISM API)`,
        );
      if (containsPolicy(desired.policy, stored.policy)) return { step: "ism policy", status: read.status, attempts, action: "unchanged" };
      action = "updated";
      target = `${path}?if_seq_no=${stored.seqNo}&if_primary_term=${stored.primaryTerm}`;
    }
    const write = await client.send({ step: "ism policy", method: "PUT", path: target, body: desired }, [409]);
    attempts += write.attempts;
    if (write.status !== 409) return { step: "ism policy", status: write.status, attempts, action };
    log("WARN", "ism.conflict", { requestId, round, action });
  }
  throw new IsmPolicyError(
    `PUT ${path} conflicted (HTTP 409) ${ISM_CONFLICT_ROUNDS} times: another writer keeps changing the policy; stop it, then run the deployment again`,
  );
}
