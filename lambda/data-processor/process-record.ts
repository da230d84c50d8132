/**
 * Processes one intake object. Order of operations, chosen so that a failure leaves no partial
 * audit item and a retry (Lambda's, then the DLQ) repeats the work safely:
 *
 * 1. skip events other than ObjectCreated and keys outside the intake prefix (log line);
 * 2. consistent GetItem on the audit key: an audited version is a redelivery, skipped whole
 *    (no copy, no second alert);
 * 3. read the object (bounded) and classify it;
 * 4. server-side copy to the processed or quarantine prefix (quarantine copies tagged in the same
 *    request), pinned to the event's version or to the ETag of the bytes validated;
 * 5. quarantine only: publish the alert (bucket, key, reason code);
 * 6. conditional PutItem of the audit item, LAST. `ConditionalCheckFailed` means a concurrent
 *    delivery of the same version won the race: success, nothing more to do.
 *
 * Any S3, SNS or DynamoDB failure throws (naming the step and the object), so the invocation fails
 * and is retried. The alert is sent before the audit write so that a failure between the two
 * repeats the alert rather than losing it: alerts are at-least-once (a duplicate needs a failure
 * at step 6 or two concurrent deliveries), the audit item exactly-once.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import {
  AUDIT_TABLE_KEY_SCHEMA,
  AuditItem,
  DataProcessorEnvironment,
  ProcessorConfig,
  QUARANTINE_ALERT_SUBJECT,
  QUARANTINE_TAG_KEY,
  QuarantineAlert,
  REASON_CODES,
} from "./contract";
import type { S3ObjectRef } from "./event";
import { Classification, classifyDocument } from "./fhir/classify";
import type { Logger } from "./log";
import { copyObject, readBounded } from "./s3-object";

export interface RecordContext {
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBDocumentClient;
  readonly sns: SNSClient;
  readonly env: DataProcessorEnvironment;
  readonly config: ProcessorConfig;
  readonly log: Logger;
  readonly now: () => Date;
  readonly requestId: string;
}

export type RecordDecision = "PROCESSED" | "QUARANTINED" | "DUPLICATE" | "IGNORED";

/** Thrown when an AWS call fails; names the step and the object, keeps the SDK error as `cause`. */
export class RecordProcessingError extends Error {
  constructor(
    readonly step: string,
    readonly ref: S3ObjectRef,
    cause: unknown,
  ) {
    const err = cause as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = err.$metadata?.httpStatusCode === undefined ? "" : ` HTTP ${err.$metadata.httpStatusCode}`;
    super(`${step} failed for s3://${ref.bucket}/${ref.key} (version ${ref.auditVersion}): ${err.name ?? "Error"}${status}: ${err.message ?? String(cause)}`, { cause });
    this.name = "RecordProcessingError";
  }
}

async function step<T>(name: string, ref: S3ObjectRef, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw new RecordProcessingError(name, ref, e);
  }
}

export async function processRecord(ref: S3ObjectRef, ctx: RecordContext): Promise<RecordDecision> {
  const { config, env, log } = ctx;
  const ids = { requestId: ctx.requestId, record: ref.index, bucket: ref.bucket, objectKey: ref.key, versionId: ref.auditVersion };
  const started = Date.now();

  if (!ref.eventName.startsWith("ObjectCreated:")) {
    log("INFO", "record.ignored", { ...ids, reason: "not an ObjectCreated event", eventName: ref.eventName });
    return "IGNORED";
  }
  const relativeKey = ref.key.startsWith(config.intakePrefix) ? ref.key.slice(config.intakePrefix.length) : undefined;
  if (relativeKey === undefined || relativeKey === "" || relativeKey.endsWith("/")) {
    log("INFO", "record.ignored", { ...ids, reason: relativeKey === undefined ? "outside the intake prefix" : "folder marker", intakePrefix: config.intakePrefix });
    return "IGNORED";
  }

  const key = { [AUDIT_TABLE_KEY_SCHEMA.partitionKey.name]: ref.key, [AUDIT_TABLE_KEY_SCHEMA.sortKey.name]: ref.auditVersion };
  const existing = await step("DynamoDB GetItem (audit table)", ref, () =>
    ctx.dynamodb.send(new GetCommand({ TableName: env.auditTableName, Key: key, ConsistentRead: true, ProjectionExpression: "#o", ExpressionAttributeNames: { "#o": "outcome" } })),
  );
  if (existing.Item) {
    log("INFO", "record.duplicate", { ...ids, reason: "version already audited", outcome: existing.Item.outcome as string });
    return "DUPLICATE";
  }

  const read = await step("S3 GetObject", ref, () => readBounded(ctx.s3, ref, config.maxObjectBytes));
  const verdict: Classification =
    read.kind === "tooLarge" ? { valid: false, reasonCode: REASON_CODES.tooLarge } : classifyDocument(read.bytes, config.acceptedResourceTypes);
  const destinationKey = (verdict.valid ? config.processedPrefix : config.quarantinePrefix) + relativeKey;

  const destinationVersionId = await step(`S3 CopyObject to ${destinationKey}`, ref, () =>
    copyObject(ctx.s3, {
      ref,
      destinationKey,
      ifMatch: read.kind === "read" && ref.versionId === undefined ? read.eTag : undefined,
      tags: verdict.valid ? {} : { [QUARANTINE_TAG_KEY]: verdict.reasonCode },
    }),
  );

  if (!verdict.valid) {
    const alert: QuarantineAlert = { alert: "DATA_PROCESSOR_QUARANTINE", bucket: ref.bucket, objectKey: ref.key, reasonCode: verdict.reasonCode };
    await step("SNS Publish (quarantine alert)", ref, () =>
      ctx.sns.send(
        new PublishCommand({
          TopicArn: env.alertTopicArn,
          Subject: QUARANTINE_ALERT_SUBJECT,
          Message: JSON.stringify(alert),
          MessageAttributes: { reasonCode: { DataType: "String", StringValue: verdict.reasonCode } },
        }),
      ),
    );
  }

  const item: AuditItem = {
    objectKey: ref.key,
    versionId: ref.auditVersion,
    bucket: ref.bucket,
    outcome: verdict.valid ? "PROCESSED" : "QUARANTINED",
    destinationKey,
    destinationVersionId,
    sha256: read.kind === "read" ? read.sha256 : undefined,
    sizeBytes: read.sizeBytes,
    resourceType: verdict.resourceType,
    reasonCode: verdict.valid ? undefined : verdict.reasonCode,
    schemaErrors: verdict.valid ? undefined : verdict.schemaErrors,
    schemaErrorCount: verdict.valid ? undefined : verdict.schemaErrorCount,
    processedAt: ctx.now().toISOString(),
    requestId: ctx.requestId,
  };
  try {
    await ctx.dynamodb.send(
      new PutCommand({
        TableName: env.auditTableName,
        Item: item,
        ConditionExpression: "attribute_not_exists(#pk)",
        ExpressionAttributeNames: { "#pk": AUDIT_TABLE_KEY_SCHEMA.partitionKey.name },
      }),
    );
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException || (e as Error).name === "ConditionalCheckFailedException") {
      log("INFO", "record.duplicate", { ...ids, reason: "a concurrent delivery wrote the audit item first" });
      return "DUPLICATE";
    }
    throw new RecordProcessingError("DynamoDB PutItem (audit table)", ref, e);
  }

  log("INFO", verdict.valid ? "record.processed" : "record.quarantined", {
    ...ids,
    outcome: item.outcome,
    reasonCode: item.reasonCode,
    resourceType: item.resourceType,
    sizeBytes: item.sizeBytes,
    schemaErrorCount: item.schemaErrorCount,
    destinationKey,
    durationMs: Date.now() - started,
  });
  return item.outcome;
}
