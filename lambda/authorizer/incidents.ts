/**
 * Incident starts for denied accesses, behind a per-principal throttle.
 *
 * For each principal, the first denied event of the batch (in record order) claims the window with
 * a conditional PutItem on the throttle table; the others of the batch are throttled in memory.
 * A canary incident claims its own item, per minute of its access (contract.ts `throttleClaim`,
 * `CANARY_INCIDENT_THROTTLE_SECONDS`, which states why), apart from its principal's real incidents.
 * The claim records the eventID, so a Firehose retry of the same batch passes again for that event
 * and Step Functions deduplicates the start by execution name (`ExecutionAlreadyExists` is success).
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 *
 * Failures never fail the batch: throttle table unavailable -> start anyway (fail open; the
 * execution name still deduplicates); start failed -> the input goes to the DLQ; DLQ failed too
 * -> an ERROR line with the eventID (the incident is `lost`, visible in the annotation).
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import {
  executionName,
  IncidentDeadLetter,
  IncidentInput,
  IncidentStatus,
  THROTTLE_EVENT_ATTRIBUTE,
  THROTTLE_TABLE_KEY_SCHEMA,
  THROTTLE_TTL_ATTRIBUTE,
  throttleClaim,
} from "./contract";
import { hashId, Logger, sha256Hex } from "./log";

/** The parts of the clients used here. */
export interface IncidentClients {
  readonly dynamodb: { send(command: PutCommand): Promise<unknown> };
  readonly sfn: Pick<SFNClient, "send">;
  readonly sqs: Pick<SQSClient, "send">;
}

export interface IncidentSettings {
  readonly throttleTableName: string;
  readonly stateMachineArn: string;
  readonly dlqUrl: string;
  readonly throttleSeconds: number;
}

/** Principals handled at the same time. */
const CONCURRENCY = 8;

const errorName = (e: unknown) => (e instanceof Error ? e.name : "UnknownError");

export interface IncidentOutcome {
  /** By eventId. */
  readonly statuses: ReadonlyMap<string, IncidentStatus>;
  readonly counts: Readonly<Record<IncidentStatus, number>>;
}

export async function startIncidents(
  candidates: readonly IncidentInput[],
  clients: IncidentClients,
  settings: IncidentSettings,
  context: { readonly log: Logger; readonly requestId: string; readonly nowMs: number },
): Promise<IncidentOutcome> {
  const statuses = new Map<string, IncidentStatus>();
  // One group per throttle item: a principal's real incidents, or one minute of its canary incidents.
  const byClaim = new Map<string, IncidentInput[]>();
  for (const c of candidates) {
    const key = throttleClaim(c, settings.throttleSeconds, context.nowMs).key;
    if (statuses.has(c.eventId) || byClaim.get(key)?.some((o) => o.eventId === c.eventId)) continue;
    const list = byClaim.get(key) ?? [];
    list.push(c);
    byClaim.set(key, list);
  }
  const groups = [...byClaim.values()];
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const [first, ...rest] = groups[next++];
      for (const r of rest) statuses.set(r.eventId, "throttled");
      statuses.set(first.eventId, await startOne(first, clients, settings, context));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, groups.length) }, worker));

  const counts: Record<IncidentStatus, number> = {
    started: 0,
    "already-started": 0,
    duplicate: 0,
    throttled: 0,
    "dead-lettered": 0,
    lost: 0,
  };
  const seen = new Set<string>();
  for (const c of candidates) {
    // A second occurrence of an eventID in the batch is a duplicate delivery of the same event.
    if (seen.has(c.eventId)) counts.duplicate++;
    else counts[statuses.get(c.eventId)!]++;
    seen.add(c.eventId);
  }
  return { statuses, counts };
}

async function startOne(
  input: IncidentInput,
  clients: IncidentClients,
  settings: IncidentSettings,
  context: { readonly log: Logger; readonly requestId: string; readonly nowMs: number },
): Promise<IncidentStatus> {
  const { log, requestId } = context;
  const principalHash = hashId(input.principalArn);
  const nowSeconds = Math.floor(context.nowMs / 1000);
  const claim = throttleClaim(input, settings.throttleSeconds, context.nowMs);
  try {
    await clients.dynamodb.send(
      new PutCommand({
        TableName: settings.throttleTableName,
        Item: {
          [THROTTLE_TABLE_KEY_SCHEMA.partitionKey.name]: claim.key,
          [THROTTLE_TTL_ATTRIBUTE]: nowSeconds + claim.windowSeconds,
          [THROTTLE_EVENT_ATTRIBUTE]: input.eventId,
        },
        ConditionExpression: "attribute_not_exists(#p) OR #t < :now OR #e = :event",
        ExpressionAttributeNames: {
          "#p": THROTTLE_TABLE_KEY_SCHEMA.partitionKey.name,
          "#t": THROTTLE_TTL_ATTRIBUTE,
          "#e": THROTTLE_EVENT_ATTRIBUTE,
        },
        ExpressionAttributeValues: { ":now": nowSeconds, ":event": input.eventId },
      }),
    );
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException || errorName(e) === "ConditionalCheckFailedException") {
      log("INFO", "incident.throttled", { requestId, eventId: input.eventId, principalHash, canary: input.canary === true });
      return "throttled";
    }
    log("WARN", "incident.throttle-unavailable", { requestId, eventId: input.eventId, principalHash, error: errorName(e) });
  }

  const name = executionName(input.eventId, sha256Hex);
  try {
    await clients.sfn.send(new StartExecutionCommand({ stateMachineArn: settings.stateMachineArn, name, input: JSON.stringify(input) }));
    log("INFO", "incident.started", {
      requestId,
      eventId: input.eventId,
      principalHash,
      decision: input.decision,
      canary: input.canary === true,
    });
    return "started";
  } catch (e) {
    if (e instanceof ExecutionAlreadyExists || errorName(e) === "ExecutionAlreadyExists") {
      log("INFO", "incident.already-started", { requestId, eventId: input.eventId, principalHash });
      return "already-started";
    }
    const letter: IncidentDeadLetter = { stateMachineArn: settings.stateMachineArn, executionName: name, input, error: errorName(e) };
    try {
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: settings.dlqUrl, MessageBody: JSON.stringify(letter) }));
      log("WARN", "incident.dead-lettered", { requestId, eventId: input.eventId, principalHash, error: errorName(e) });
      return "dead-lettered";
    } catch (dlqError) {
      log("ERROR", "incident.lost", {
        requestId,
        eventId: input.eventId,
        principalHash,
        error: errorName(e),
        dlqError: errorName(dlqError),
      });
      return "lost";
    }
  }
}
