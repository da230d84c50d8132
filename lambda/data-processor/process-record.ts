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
 * 5. quarantine only: publish the alert (bucket, key hash, audit version, request id, reason code);
 * 6. conditional PutItem of the audit item, LAST. `ConditionalCheckFailed` means a concurrent
 *    delivery of the same version won the race: success, nothing more to do.
 *
 * Any S3, SNS or DynamoDB failure throws (naming the step and the object by its ids), so the
 * invocation fails and is retried. The alert is sent before the audit write so that a failure between the two
 * repeats the alert rather than losing it: alerts are at-least-once (a duplicate needs a failure
 * at step 6 or two concurrent deliveries), the audit item exactly-once.
 *
 * The object key can hold patient identifiers, so it never leaves the function: log lines, error
 * messages and the alert name the object by {@link objectIds} (bucket, key SHA-256, audit version,
 * record index) plus the request id. Only the audit item (encrypted) holds the key, with its hash.
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
import { type Logger, objectIds, type ObjectIds, redactObjectKey } from "./log";
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

/**
 * Thrown when an AWS call fails; names the step and the object by its ids (never its key). The SDK
 * error is not kept: its message (which may quote the key, as an S3 AccessDenied message quotes the
 * object's ARN) and its extra fields (S3 errors carry the `Key`) could reach the logs or Lambda's
 * error output. `cause` is an Error with its name, its message with the key redacted
 * ({@link redactObjectKey}), its `code` and its `$metadata`.
 */
export class RecordProcessingError extends Error {
  readonly ids: ObjectIds;

  constructor(
    readonly step: string,
    ref: S3ObjectRef,
    error: unknown,
  ) {
    type SdkError = { name?: string; message?: string; code?: unknown; $metadata?: { httpStatusCode?: number; requestId?: string } };
    const err = (typeof error === "object" && error !== null ? error : {}) as SdkError;
    const ids = objectIds(ref);
    const name = typeof err.name === "string" ? err.name : "Error";
    const message = redactObjectKey(typeof err.message === "string" ? err.message : String(error), ref.key);
    const status = err.$metadata?.httpStatusCode === undefined ? "" : ` HTTP ${err.$metadata.httpStatusCode}`;
    const code = typeof err.code === "string" ? err.code : undefined;
    const cause = Object.assign(new Error(message), { name, code, $metadata: err.$metadata });
    const object = `the object with key SHA-256 ${ids.objectKeySha256} in ${ids.bucket} (version ${ids.versionId}, record ${ids.record})`;
    super(`${step} failed for ${object}: ${name}${status}: ${message}`, { cause });
    this.name = "RecordProcessingError";
    this.ids = ids;
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
  const ids = { requestId: ctx.requestId, ...objectIds(ref) };
  const started = Date.now();

  if (!ref.eventName.startsWith("ObjectCreated:")) {
    log("INFO", "record.ignored", { ...ids, reason: "not an ObjectCreated event", eventName: ref.eventName });
    return "IGNORED";
  }
  const relativeKey = ref.key.startsWith(config.intakePrefix) ? ref.key.slice(config.intakePrefix.length) : undefined;
  if (relativeKey === undefined || relativeKey === "" || relativeKey.endsWith("/")) {
    log("INFO", "record.ignored", {
      ...ids,
      reason: relativeKey === undefined ? "outside the intake prefix" : "folder marker",
      intakePrefix: config.intakePrefix,
    });
    return "IGNORED";
  }

  const key = { [AUDIT_TABLE_KEY_SCHEMA.partitionKey.name]: ref.key, [AUDIT_TABLE_KEY_SCHEMA.sortKey.name]: ref.auditVersion };
  const existing = await step("DynamoDB GetItem (audit table)", ref, () =>
    ctx.dynamodb.send(
      new GetCommand({
        TableName: env.auditTableName,
        Key: key,
        ConsistentRead: true,
        ProjectionExpression: "#o",
        ExpressionAttributeNames: { "#o": "outcome" },
      }),
    ),
  );
  if (existing.Item) {
    log("INFO", "record.duplicate", { ...ids, reason: "version already audited", outcome: existing.Item.outcome as string });
    return "DUPLICATE";
  }

  const read = await step("S3 GetObject", ref, () => readBounded(ctx.s3, ref, config.maxObjectBytes));
  const verdict: Classification =
    read.kind === "tooLarge"
      ? { valid: false, reasonCode: REASON_CODES.tooLarge }
      : classifyDocument(read.bytes, config.acceptedResourceTypes);
  const destinationPrefix = verdict.valid ? config.processedPrefix : config.quarantinePrefix;
  const destinationKey = destinationPrefix + relativeKey;

  const destinationVersionId = await step(`S3 CopyObject to ${destinationPrefix}`, ref, () =>
    copyObject(ctx.s3, {
      ref,
      destinationKey,
      ifMatch: read.kind === "read" && ref.versionId === undefined ? read.eTag : undefined,
      tags: verdict.valid ? {} : { [QUARANTINE_TAG_KEY]: verdict.reasonCode },
    }),
  );

  if (!verdict.valid) {
    const alert: QuarantineAlert = {
      alert: "DATA_PROCESSOR_QUARANTINE",
      bucket: ids.bucket,
      objectKeySha256: ids.objectKeySha256,
      versionId: ids.versionId,
      requestId: ctx.requestId,
      record: ids.record,
      reasonCode: verdict.reasonCode,
    };
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
    objectKeySha256: ids.objectKeySha256,
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
    durationMs: Date.now() - started,
  });
  return item.outcome;
}
