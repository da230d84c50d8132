/** The keys whose values are more than a scalar: service-linked roles, extra tags, the event index retention. */
import { SERVICE_LINKED_ROLE_SERVICES, ServiceLinkedRoleService } from "../service-linked-roles";
import type { Report } from "./errors";
import { DEFAULT_EVENT_INDEX_RETENTION_DAYS, HIPAA_RETENTION_FLOOR_DAYS, MANDATORY_TAG_KEYS } from "./schema";

const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** `existingServiceLinkedRoles`: a list of distinct services of {@link SERVICE_LINKED_ROLE_SERVICES}. */
export function parseExistingServiceLinkedRoles(value: string | undefined, problem: Report): ServiceLinkedRoleService[] {
  if (value === undefined) return [];
  const entries = parseJsonOrUndefined(value);
  const allowed = SERVICE_LINKED_ROLE_SERVICES as readonly unknown[];
  if (!Array.isArray(entries) || entries.some((e) => !allowed.includes(e)) || new Set(entries).size !== entries.length) {
    problem(
      "existingServiceLinkedRoles",
      value,
      `must be a list of distinct services among ${SERVICE_LINKED_ROLE_SERVICES.join(", ")} (the account's service-linked roles the stack must not create)`,
    );
    return [];
  }
  return entries as ServiceLinkedRoleService[];
}

export function parseExtraTags(value: string | undefined, problem: Report): Record<string, string> {
  if (value === undefined) return {};
  const entries = parseJsonOrUndefined(value);
  if (!Array.isArray(entries)) {
    problem("tags", value, 'must be a list of "Key=Value" strings, e.g. ["CostCenter=1234"]');
    return {};
  }
  const tags: Record<string, string> = {};
  for (const entry of entries as unknown[]) {
    const text = typeof entry === "string" ? entry : JSON.stringify(entry);
    const eq = typeof entry === "string" ? entry.indexOf("=") : -1;
    if (typeof entry !== "string" || eq <= 0) {
      problem("tags", text, 'each entry must be "Key=Value" with a non-empty key');
      continue;
    }
    const key = entry.slice(0, eq).trim();
    const tagValue = entry.slice(eq + 1).trim();
    if ((MANDATORY_TAG_KEYS as readonly string[]).includes(key)) {
      problem("tags", text, `may not override the mandatory tag ${key}`);
    } else if (key.toLowerCase().startsWith("aws:")) {
      problem("tags", text, 'tag keys may not start with "aws:" (reserved by AWS)');
    } else if (!TAG_KEY.test(key) || !TAG_VALUE.test(tagValue)) {
      problem("tags", text, "tag keys are 1-128 and values 0-256 letters, digits, spaces or _ . : / = + - @");
    } else if (key in tags) {
      problem("tags", text, `duplicate tag key ${key}`);
    } else {
      tags[key] = tagValue;
    }
  }
  return tags;
}

/**
 * `eventIndexRetentionInDays`: whole days from 1 to six years. More than the archive's six years would
 * keep a search copy longer than the record itself; the ISM policy's `min_index_age` takes it as `<n>d`
 * (https://docs.opensearch.org/latest/im-plugin/ism/policies/#transitions).
 */
export function parseEventIndexRetention(value: string | undefined, problem: Report): number | undefined {
  if (value === undefined) return undefined;
  const fix = `set it with \`pulumi config set eventIndexRetentionInDays ${DEFAULT_EVENT_INDEX_RETENTION_DAYS}\` (or remove the key for the default)`;
  if (!/^\d+$/.test(value.trim())) {
    problem("eventIndexRetentionInDays", value, `must be a whole number of days from 1 to ${HIPAA_RETENTION_FLOOR_DAYS}: ${fix}`);
    return undefined;
  }
  const n = Number(value);
  if (n < 1 || n > HIPAA_RETENTION_FLOOR_DAYS) {
    problem(
      "eventIndexRetentionInDays",
      value,
      `must be from 1 to ${HIPAA_RETENTION_FLOOR_DAYS} days, got ${n} (the index is a search copy; the S3 archive keeps six years): ${fix}`,
    );
    return undefined;
  }
  return n;
}

/** A config value parsed as JSON, or undefined when it is not JSON (the caller reports the key). */
export function parseJsonOrUndefined(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
