/**
 * authorizer: the Firehose data-transformation Lambda of the security-event stream. Each record
 * carries CloudTrail S3 data events (a CloudWatch Logs subscription message, gzip-compressed, which
 * firehose.ts decodes: no Firehose processor runs before this one); every event is checked against the grants table and
 * annotated, every record comes back `Ok` as one JSON document, and a denied access starts the
 * incident state machine. See contract.ts for the deployment contract and firehose.ts for the
 * transformation format (with the AWS documentation).
 *
 * Order: decode all records -> distinct (principal, bucket) keys -> one cached, chunked
 * BatchGetItem lookup -> decide per event -> incidents (throttled, never failing the batch) ->
 * encode -> keep the response under 6 MB. The invocation throws (Firehose retries the batch) only
 * for a request that is not a transformation request or when the grants cannot be read.
 */
import { AuthorizerClients, createAuthorizerClients } from "./aws";
import { isCanaryAccess } from "./canary";
import { eventFacts, EventFacts } from "./cloudtrail";
import {
  AccessCheck,
  ANNOTATION_FIELD,
  AuthorizerEnvironment,
  CanaryTarget,
  Decision,
  EventAnnotation,
  FAILURE_REASONS,
  FailureReason,
  Grant,
  INCIDENT_DECISIONS,
  IncidentInput,
  IncidentStatus,
  MAX_RESPONSE_BYTES,
  OUTPUT_VERSION,
  OutputDocument,
  readAuthorizerEnvironment,
} from "./contract";
import {
  decodeRecord,
  DecodedRecord,
  encodeDocument,
  enforceBudget,
  FirehoseResponseRecord,
  FirehoseTransformationResponse,
  parseFirehoseEvent,
} from "./firehose";
import { BatchGetClient, checkAccess, GrantKey, grantKeyId, GrantStore } from "./grants";
import { IncidentClients, startIncidents } from "./incidents";
import { jsonLogger, Logger, sha256Hex } from "./log";

export interface HandlerDependencies {
  readonly dynamodb: AuthorizerClients["dynamodb"];
  readonly sfn: IncidentClients["sfn"];
  readonly sqs: IncidentClients["sqs"];
  /** The client BatchGetItem goes through. @default `dynamodb` (tests wrap it to inject UnprocessedKeys) */
  readonly grantsClient?: BatchGetClient;
  /** Read once, at the first invocation. @default the process environment */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** @default JSON lines on stdout / stderr */
  readonly log?: Logger;
  /** @default Date.now */
  readonly now?: () => number;
  /** Backoff sleep for UnprocessedKeys. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default {@link MAX_RESPONSE_BYTES}; the bench raises it for batches larger than one invocation can carry */
  readonly maxResponseBytes?: number;
}

export interface InvocationContext {
  readonly awsRequestId?: string;
}

export type AuthorizerHandler = (event: unknown, context?: InvocationContext) => Promise<FirehoseTransformationResponse>;

const SEVERITY: Readonly<Record<Decision, number>> = { "not-applicable": 0, allowed: 1, denied: 2, "unknown-principal": 3 };

interface PreparedEvent {
  readonly object: Record<string, unknown>;
  readonly facts: EventFacts;
  readonly eventId: string;
}

/** Builds a handler over the given clients (tests and the bench inject theirs). */
export function createHandler(deps: HandlerDependencies): AuthorizerHandler {
  const log = deps.log ?? jsonLogger;
  const now = deps.now ?? Date.now;
  let env: AuthorizerEnvironment | undefined;
  let store: GrantStore | undefined;

  return async (rawEvent, context) => {
    const started = process.hrtime.bigint();
    const requestId = context?.awsRequestId ?? "local";
    env ??= readAuthorizerEnvironment(deps.environment ?? process.env);
    store ??= new GrantStore({
      client: deps.grantsClient ?? deps.dynamodb,
      tableName: env.grantsTableName,
      ttlMs: env.grantCacheTtlSeconds * 1000,
      now,
      sleep: deps.sleep,
    });

    let event;
    try {
      event = parseFirehoseEvent(rawEvent);
    } catch (e) {
      log("ERROR", "invocation.malformed", { requestId, error: (e as Error).name });
      throw e;
    }
    const records = event.records;

    // 1. Decode every record; read each event's principal and accesses.
    const decoded: DecodedRecord[] = records.map((r) => decodeRecord(r.data));
    const prepared: (PreparedEvent[] | undefined)[] = decoded.map((d) =>
      d.ok
        ? d.objects.map((object, i) => {
            const facts = eventFacts(object);
            return { object, facts, eventId: facts.eventId ?? `sha256-${sha256Hex(d.lines[i])}` };
          })
        : undefined,
    );

    // 2. One lookup for the distinct (principal, bucket) keys.
    const keys: GrantKey[] = [];
    const seen = new Set<string>();
    for (const events of prepared) {
      for (const e of events ?? []) {
        if (!e.facts.applicable || e.facts.principal === undefined) continue;
        for (const a of e.facts.accesses) {
          const id = grantKeyId(e.facts.principal, a.bucket);
          if (!seen.has(id)) {
            seen.add(id);
            keys.push({ principal: e.facts.principal, bucket: a.bucket });
          }
        }
      }
    }
    let lookup;
    try {
      lookup = await store.lookup(keys);
    } catch (e) {
      log("ERROR", "grants.unavailable", { requestId, records: records.length, keys: keys.length, error: (e as Error).name });
      throw e;
    }

    // 3. Decide per event; collect incident candidates in record order.
    const nowMs = now();
    const canary = env.canary;
    const annotations: (EventAnnotation[] | undefined)[] = [];
    const candidates: IncidentInput[] = [];
    for (const events of prepared) {
      if (events === undefined) {
        annotations.push(undefined);
        continue;
      }
      annotations.push(
        events.map((e) => {
          const annotation = decide(e.facts, lookup.grants, nowMs);
          if (INCIDENT_DECISIONS.includes(annotation.decision)) candidates.push(incidentInput(e, annotation, nowMs, canary));
          return annotation;
        }),
      );
    }

    // 4. Incidents: never fail the batch.
    const incidents = await startIncidents(
      candidates,
      { dynamodb: deps.dynamodb, sfn: deps.sfn, sqs: deps.sqs },
      {
        throttleTableName: env.throttleTableName,
        stateMachineArn: env.incidentStateMachineArn,
        dlqUrl: env.incidentDlqUrl,
        throttleSeconds: env.incidentThrottleSeconds,
      },
      { log, requestId, nowMs },
    );

    // 5. Encode: one document per record, every recordId once, in order.
    const decisions: Record<Decision, number> = { allowed: 0, denied: 0, "unknown-principal": 0, "not-applicable": 0 };
    const failures = new Map<FailureReason, number>();
    const incidentSeen = new Set<string>();
    let dropped = 0;
    const out: FirehoseResponseRecord[] = records.map((record, i) => {
      const d = decoded[i];
      const events = prepared[i];
      if (!d.ok && d.control) {
        // CloudWatch Logs checking that the destination is reachable: nothing to index or archive.
        dropped++;
        return { recordId: record.recordId, result: "Dropped", data: "" };
      }
      if (!d.ok || events === undefined) {
        const reason = d.ok ? FAILURE_REASONS.notObject : d.reason;
        failures.set(reason, (failures.get(reason) ?? 0) + 1);
        log("WARN", "record.failed", { requestId, recordId: record.recordId, reason });
        return { recordId: record.recordId, result: "ProcessingFailed", data: record.data };
      }
      let worst: Decision = "not-applicable";
      const annotated = events.map((e, j) => {
        let annotation = annotations[i]![j];
        if (INCIDENT_DECISIONS.includes(annotation.decision)) {
          const status: IncidentStatus = incidentSeen.has(e.eventId) ? "duplicate" : (incidents.statuses.get(e.eventId) ?? "lost");
          incidentSeen.add(e.eventId);
          annotation = { ...annotation, incident: status };
        }
        decisions[annotation.decision]++;
        if (SEVERITY[annotation.decision] > SEVERITY[worst]) worst = annotation.decision;
        // The parsed object is ours: annotate it in place rather than copy 1 KB per event.
        e.object[ANNOTATION_FIELD] = annotation;
        return e.object;
      });
      const document: OutputDocument = {
        authorizerVersion: OUTPUT_VERSION,
        decision: worst,
        eventCount: annotated.length,
        events: annotated,
      };
      return { recordId: record.recordId, result: "Ok", data: encodeDocument(document) };
    });

    // 6. Stay under Lambda's 6 MB response limit; nothing is dropped.
    const overBudget = enforceBudget(
      out,
      records.map((r) => r.data),
      deps.maxResponseBytes ?? MAX_RESPONSE_BYTES,
    );
    for (const i of overBudget)
      log("WARN", "record.failed", { requestId, recordId: records[i].recordId, reason: FAILURE_REASONS.responseBudget });
    if (overBudget.length > 0) failures.set(FAILURE_REASONS.responseBudget, overBudget.length);

    const ok = out.filter((r) => r.result === "Ok").length;
    log("INFO", "invocation.done", {
      requestId,
      records: records.length,
      ok,
      processingFailed: records.length - ok - dropped,
      dropped,
      ...Object.fromEntries([...failures].map(([reason, n]) => [`failed.${reason}`, n])),
      events: Object.values(decisions).reduce((a, b) => a + b, 0),
      allowed: decisions.allowed,
      denied: decisions.denied,
      unknownPrincipal: decisions["unknown-principal"],
      notApplicable: decisions["not-applicable"],
      grantKeys: lookup.stats.keys,
      grantCacheHits: lookup.stats.cacheHits,
      dynamodbRequests: lookup.stats.requests,
      unprocessedRetries: lookup.stats.unprocessedRetries,
      malformedGrants: lookup.stats.malformedGrants,
      ...Object.fromEntries(Object.entries(incidents.counts).map(([status, n]) => [`incidents.${status}`, n])),
      durationMs: Number(process.hrtime.bigint() - started) / 1e6,
    });
    return { records: out };
  };
}

function decide(facts: EventFacts, grants: ReadonlyMap<string, readonly Grant[] | null>, nowMs: number): EventAnnotation {
  const who = {
    ...(facts.principal === undefined ? {} : { principal: facts.principal }),
    ...(facts.principalType === undefined ? {} : { principalType: facts.principalType }),
    ...(facts.crossAccount === undefined ? {} : { crossAccount: facts.crossAccount }),
    ...(facts.invokedBy === undefined ? {} : { invokedBy: facts.invokedBy }),
  };
  if (!facts.applicable) return { decision: "not-applicable", ...who, checks: [] };
  const at = facts.eventTimeMs ?? nowMs;
  const checks: AccessCheck[] = facts.accesses.map((a) => {
    const keySha256 = a.key === undefined ? undefined : sha256Hex(a.key);
    if (facts.principal === undefined)
      return { bucket: a.bucket, access: a.access, ...(keySha256 === undefined ? {} : { keySha256 }), result: "no-item" };
    return checkAccess(a, grants.get(grantKeyId(facts.principal, a.bucket)) ?? null, at, keySha256);
  });
  const failing = checks.filter((c) => c.result !== "granted");
  const decision: Decision =
    failing.length === 0 ? "allowed" : failing.some((c) => c.result === "no-item") ? "unknown-principal" : "denied";
  return { decision, ...who, checks };
}

function incidentInput(e: PreparedEvent, annotation: EventAnnotation, nowMs: number, canary: CanaryTarget | undefined): IncidentInput {
  const failing = annotation.checks.find((c) => c.result !== "granted") ?? annotation.checks[0];
  const principalArn = annotation.principal ?? "unidentified";
  return {
    eventId: e.eventId,
    principalArn,
    bucket: failing.bucket,
    ...(failing.keySha256 === undefined ? {} : { objectKeySha256: failing.keySha256 }),
    access: failing.access,
    decision: annotation.decision,
    eventTime: e.facts.eventTime ?? new Date(nowMs).toISOString(),
    ...(isCanaryAccess(e.facts, canary) ? { canary: true as const } : {}),
  };
}

const clients = createAuthorizerClients();

/** The Lambda entry point (`index.handler`). */
export const handler: AuthorizerHandler = createHandler(clients);
