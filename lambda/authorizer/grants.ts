/**
 * Grants lookup: distinct (principal, bucket) keys, a warm per-instance cache with a short TTL,
 * and BatchGetItem in chunks of 100 for the rest. `UnprocessedKeys` are retried with exponential
 * backoff (full jitter) up to a bound; past it, or on any DynamoDB error, the lookup throws, the
 * invocation fails and Firehose retries the whole batch (nothing is dropped).
 * BatchGetItem: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
 *
 * Matching is in memory: a grant matches an access when its `access` is the one needed, the
 * object key starts with its `prefix` (a call naming no key needs prefix ""), and it has not
 * expired at the event's time. The longest matching prefix is reported.
 */
import { BatchGetCommand, BatchGetCommandInput, BatchGetCommandOutput } from "@aws-sdk/lib-dynamodb";
import {
  AccessCheck,
  BATCH_GET_MAX_KEYS,
  Grant,
  GRANT_CACHE_MAX_ENTRIES,
  GRANTS_ATTRIBUTE,
  GRANTS_TABLE_KEY_SCHEMA,
  parseGrants,
  UNPROCESSED_KEYS_BASE_DELAY_MS,
  UNPROCESSED_KEYS_MAX_DELAY_MS,
  UNPROCESSED_KEYS_MAX_RETRIES,
} from "./contract";
import type { ObjectAccess } from "./cloudtrail";

/** The part of the document client the store uses (tests wrap it to inject UnprocessedKeys). */
export interface BatchGetClient {
  send(command: BatchGetCommand): Promise<BatchGetCommandOutput>;
}

export interface GrantKey {
  readonly principal: string;
  readonly bucket: string;
}

/** `null`: no item for (principal, bucket). */
export type GrantLookup = ReadonlyMap<string, readonly Grant[] | null>;

export const grantKeyId = (principal: string, bucket: string) => `${principal}\u0000${bucket}`;

export class UnprocessedKeysError extends Error {
  constructor(readonly remaining: number) {
    super(
      `BatchGetItem left ${remaining} key(s) unprocessed after ${UNPROCESSED_KEYS_MAX_RETRIES} retries; failing the invocation so Firehose retries it`,
    );
    this.name = "UnprocessedKeysError";
  }
}

export interface GrantStoreOptions {
  readonly client: BatchGetClient;
  readonly tableName: string;
  readonly ttlMs: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Chunks requested at the same time. @default 4 */
  readonly concurrency?: number;
}

export interface LookupStats {
  readonly keys: number;
  readonly cacheHits: number;
  readonly requests: number;
  readonly unprocessedRetries: number;
  readonly malformedGrants: number;
}

export class GrantStore {
  private readonly cache = new Map<string, { grants: readonly Grant[] | null; at: number }>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: GrantStoreOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  /** Looks up every key (deduplicated); throws when DynamoDB cannot answer for all of them. */
  async lookup(keys: readonly GrantKey[]): Promise<{ grants: GrantLookup; stats: LookupStats }> {
    const result = new Map<string, readonly Grant[] | null>();
    const missing: GrantKey[] = [];
    const now = this.now();
    let cacheHits = 0;
    for (const k of keys) {
      const id = grantKeyId(k.principal, k.bucket);
      if (result.has(id)) continue;
      const cached = this.cache.get(id);
      if (cached && now - cached.at < this.options.ttlMs) {
        result.set(id, cached.grants);
        cacheHits++;
      } else {
        result.set(id, null);
        missing.push(k);
      }
    }
    const counters = { requests: 0, unprocessedRetries: 0, malformedGrants: 0 };
    const chunks: GrantKey[][] = [];
    for (let i = 0; i < missing.length; i += BATCH_GET_MAX_KEYS) chunks.push(missing.slice(i, i + BATCH_GET_MAX_KEYS));
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++];
        await this.fetchChunk(chunk, result, counters);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 4, chunks.length) }, worker));

    const fetchedAt = this.now();
    for (const k of missing) {
      const id = grantKeyId(k.principal, k.bucket);
      this.cache.delete(id);
      this.cache.set(id, { grants: result.get(id) ?? null, at: fetchedAt });
    }
    while (this.cache.size > GRANT_CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    return { grants: result, stats: { keys: result.size, cacheHits, ...counters } };
  }

  private async fetchChunk(
    chunk: readonly GrantKey[],
    result: Map<string, readonly Grant[] | null>,
    counters: { requests: number; unprocessedRetries: number; malformedGrants: number },
  ): Promise<void> {
    const { tableName } = this.options;
    const pk = GRANTS_TABLE_KEY_SCHEMA.partitionKey.name;
    const sk = GRANTS_TABLE_KEY_SCHEMA.sortKey.name;
    let pending: Record<string, unknown>[] = chunk.map((k) => ({ [pk]: k.principal, [sk]: k.bucket }));
    for (let attempt = 0; ; attempt++) {
      const input: BatchGetCommandInput = {
        RequestItems: {
          [tableName]: {
            Keys: pending,
            ProjectionExpression: "#p, #b, #g",
            ExpressionAttributeNames: { "#p": pk, "#b": sk, "#g": GRANTS_ATTRIBUTE },
          },
        },
      };
      counters.requests++;
      const out = await this.options.client.send(new BatchGetCommand(input));
      for (const item of out.Responses?.[tableName] ?? []) {
        const principal: unknown = item[pk];
        const bucket: unknown = item[sk];
        if (typeof principal !== "string" || typeof bucket !== "string") continue;
        const { grants, malformed } = parseGrants(item[GRANTS_ATTRIBUTE]);
        counters.malformedGrants += malformed;
        result.set(grantKeyId(principal, bucket), grants);
      }
      pending = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
      if (pending.length === 0) return;
      if (attempt >= UNPROCESSED_KEYS_MAX_RETRIES) throw new UnprocessedKeysError(pending.length);
      counters.unprocessedRetries++;
      const cap = Math.min(UNPROCESSED_KEYS_MAX_DELAY_MS, UNPROCESSED_KEYS_BASE_DELAY_MS * 2 ** attempt);
      await this.sleep(Math.floor(this.random() * cap));
    }
  }
}

/** Checks one access against the grants of its (principal, bucket); `eventTimeMs` decides expiry. */
export function checkAccess(access: ObjectAccess, grants: readonly Grant[] | null, eventTimeMs: number, keySha256?: string): AccessCheck {
  const base =
    keySha256 === undefined
      ? { bucket: access.bucket, access: access.access }
      : { bucket: access.bucket, access: access.access, keySha256 };
  if (grants === null) return { ...base, result: "no-item" };
  let best: Grant | undefined;
  let expired = false;
  for (const g of grants) {
    if (g.access !== access.access) continue;
    if (access.key === undefined ? g.prefix !== "" : !access.key.startsWith(g.prefix)) continue;
    if (g.expiresAt !== undefined && Date.parse(g.expiresAt) <= eventTimeMs) {
      expired = true;
      continue;
    }
    if (best === undefined || g.prefix.length > best.prefix.length) best = g;
  }
  if (best) return { ...base, grant: best, result: "granted" };
  return { ...base, result: expired ? "expired" : "no-matching-grant" };
}
