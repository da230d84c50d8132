/**
 * The canary (components/canary/), run on a schedule. Each run, in this order:
 *
 * 1. drains the alert queue: for each canary incident alert, `DetectionSeconds` = the SNS
 *    notification's Timestamp minus the alert's eventTime, published, then the message deleted; a
 *    later message of an incident is deleted with a log line; a malformed message is kept (the queue's
 *    redrive policy moves it to the dead-letter queue after a few receives) with a log line;
 * 2. the probe: writes {@link CANARY_PROBE_KEY} as its own role, assumes the probe role and reads it
 *    back as that role (IAM allows it, the grants table does not, so it becomes a canary incident
 *    measured by the next run: CloudTrail delivery takes minutes, so no run waits for its own);
 * 3. the PHI path: a synthetic record under `intake/canary/<run>.json`, then polls (bounded by
 *    PROCESSING_WAIT_SECONDS) the audit table for its item and HEADs the processed copy; publishes
 *    `ProcessingSeconds` (on a timeout, the time waited, which is above the objective).
 *
 * A failed step does not stop the others; the run fails at the end (Lambda's Errors metric, the
 * dead-letter queue) naming the steps that failed. Logs carry ids, counts, hashes and durations only:
 * the record is synthetic, but the handler follows the platform's rule (lambda/shared/log.ts).
 */
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { randomUUID } from "crypto";
import { jsonLogger, sha256Hex, type Logger } from "../shared/log";
import {
  CANARY_DIMENSION,
  CANARY_INTAKE_PREFIX,
  CANARY_METRIC_NAMESPACE,
  CANARY_METRICS,
  CANARY_PROBE_KEY,
  CANARY_PROCESSED_PREFIX,
  classifyAlert,
  readCanaryEnvironment,
  syntheticRecord,
  type CanaryEnvironment,
} from "./contract";

/** At most this many receives per run (10 messages each): a run's drain is bounded. */
export const MAX_DRAIN_BATCHES = 10;
/** Poll interval of the PHI path. */
export const POLL_INTERVAL_MS = 1000;

export interface CanaryDependencies {
  readonly env: CanaryEnvironment;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly sts: STSClient;
  readonly cloudwatch: CloudWatchClient;
  /** An S3 client acting with the probe role's temporary credentials. */
  readonly probeS3: (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }) => S3Client;
  readonly log?: Logger;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly runId?: () => string;
  readonly pollIntervalMs?: number;
}

export interface CanaryResult {
  readonly runId: string;
  readonly detection: { readonly measured: number[]; readonly ignored: number; readonly malformed: number };
  readonly probe: "read" | "failed";
  readonly processingSeconds?: number;
  readonly processed: boolean;
}

export type CanaryHandler = (event: unknown, context?: { awsRequestId?: string }) => Promise<CanaryResult>;

const errorName = (e: unknown) =>
  typeof e === "object" && e !== null && typeof (e as Error).name === "string" ? (e as Error).name : "Error";

async function putMetric(deps: CanaryDependencies, name: string, values: number[]): Promise<void> {
  if (values.length === 0) return;
  await deps.cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: CANARY_METRIC_NAMESPACE,
      MetricData: [
        {
          MetricName: name,
          Dimensions: [{ Name: CANARY_DIMENSION, Value: deps.env.stack }],
          Unit: "Seconds",
          // Values/Counts: one datum for many measurements (at most 150 values per datum, PutMetricData).
          Values: values,
          Counts: values.map(() => 1),
        },
      ],
    }),
  );
}

/** Step 1: measure every canary alert in the queue. */
async function drain(deps: CanaryDependencies, log: Logger, runId: string): Promise<CanaryResult["detection"]> {
  const measured: number[] = [];
  let ignored = 0;
  let malformed = 0;
  const toDelete: { id: string; handle: string }[] = [];
  for (let batch = 0; batch < MAX_DRAIN_BATCHES; batch++) {
    const received = await deps.sqs.send(
      // System attributes come back only when named (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html).
      new ReceiveMessageCommand({
        QueueUrl: deps.env.alertQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) break;
    for (const m of messages) {
      const verdict = classifyAlert(m.Body);
      const ids = { runId, messageId: m.MessageId };
      if (verdict.kind === "measure") {
        measured.push(verdict.detectionSeconds);
        log("INFO", "alert.measured", { ...ids, incidentId: verdict.incidentId, detectionSeconds: verdict.detectionSeconds });
        toDelete.push({ id: m.MessageId ?? "", handle: m.ReceiptHandle ?? "" });
      } else if (verdict.kind === "ignore") {
        ignored++;
        log("INFO", "alert.ignored", { ...ids, reason: verdict.reason });
        toDelete.push({ id: m.MessageId ?? "", handle: m.ReceiptHandle ?? "" });
      } else {
        malformed++;
        // Kept: visible again after the visibility timeout; the redrive policy dead-letters it after maxReceiveCount.
        log("WARN", "alert.malformed", { ...ids, reason: verdict.reason, receiveCount: m.Attributes?.ApproximateReceiveCount });
      }
    }
  }
  // Published before the deletes: a failed publish leaves the alerts in the queue for the next run.
  await putMetric(deps, CANARY_METRICS.detection, measured);
  for (const d of toDelete) await deps.sqs.send(new DeleteMessageCommand({ QueueUrl: deps.env.alertQueueUrl, ReceiptHandle: d.handle }));
  log("INFO", "drain.done", { runId, measured: measured.length, ignored, malformed });
  return { measured, ignored, malformed };
}

/** Step 2: the probe access, as the probe role. */
async function probe(deps: CanaryDependencies, log: Logger, runId: string, now: () => number): Promise<void> {
  const body = JSON.stringify({ canary: true, runId, writtenAt: new Date(now()).toISOString() });
  await deps.s3.send(new PutObjectCommand({ Bucket: deps.env.bucket, Key: CANARY_PROBE_KEY, Body: body, ContentType: "application/json" }));
  const assumed = await deps.sts.send(
    new AssumeRoleCommand({ RoleArn: deps.env.probeRoleArn, RoleSessionName: `canary-${runId.slice(0, 40)}`, DurationSeconds: 900 }),
  );
  const c = assumed.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error("AssumeRole returned no credentials");
  const client = deps.probeS3({ accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken });
  try {
    const read = await client.send(new GetObjectCommand({ Bucket: deps.env.bucket, Key: CANARY_PROBE_KEY }));
    const text = (await read.Body?.transformToString()) ?? "";
    log("INFO", "probe.read", {
      runId,
      bytes: Buffer.byteLength(text),
      sha256: sha256Hex(text),
      accessedAt: new Date(now()).toISOString(),
    });
  } finally {
    client.destroy();
  }
}

/** Step 3: the PHI path, measured from the intake write to both the audit item and the processed copy observed. */
async function phiPath(
  deps: CanaryDependencies,
  log: Logger,
  runId: string,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
): Promise<{ seconds: number; processed: boolean }> {
  const key = `${CANARY_INTAKE_PREFIX}${runId}.json`;
  const body = JSON.stringify(syntheticRecord(runId));
  const hash = sha256Hex(body);
  const started = now();
  await deps.s3.send(new PutObjectCommand({ Bucket: deps.env.bucket, Key: key, Body: body, ContentType: "application/fhir+json" }));
  const deadline = started + deps.env.processingWaitSeconds * 1000;
  const interval = deps.pollIntervalMs ?? POLL_INTERVAL_MS;
  for (;;) {
    const items = await deps.dynamodb.send(
      new QueryCommand({
        TableName: deps.env.auditTableName,
        KeyConditionExpression: "#k = :k",
        ExpressionAttributeNames: { "#k": "objectKey" },
        ExpressionAttributeValues: { ":k": key },
        ConsistentRead: true,
      }),
    );
    const item = (items.Items ?? []).find((i) => i.sha256 === hash);
    if (item) {
      if (item.outcome !== "PROCESSED" || item.destinationKey !== `${CANARY_PROCESSED_PREFIX}${runId}.json`)
        throw new Error(
          `the canary record was audited as ${String(item.outcome)}, not processed (a synthetic record must pass validation)`,
        );
      await deps.s3.send(new HeadObjectCommand({ Bucket: deps.env.bucket, Key: String(item.destinationKey) }));
      const seconds = (now() - started) / 1000;
      await putMetric(deps, CANARY_METRICS.processing, [seconds]);
      log("INFO", "phi-path.processed", { runId, processingSeconds: seconds, objectKeySha256: sha256Hex(key) });
      return { seconds, processed: true };
    }
    if (now() + interval > deadline) break;
    await sleep(interval);
  }
  const waited = (now() - started) / 1000;
  // Not observed within the wait: the time waited (objective + margin) is the value, so the alarm fires.
  await putMetric(deps, CANARY_METRICS.processing, [waited]);
  log("WARN", "phi-path.timeout", { runId, processingSeconds: waited, objectKeySha256: sha256Hex(key) });
  return { seconds: waited, processed: false };
}

export function createHandler(deps: CanaryDependencies): CanaryHandler {
  const log = deps.log ?? jsonLogger;
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return async (_event, context) => {
    const runId = deps.runId?.() ?? `${new Date(now()).toISOString().replace(/[-:.]/g, "")}-${randomUUID().slice(0, 8)}`;
    log("INFO", "run.start", { runId, requestId: context?.awsRequestId });
    const failed: string[] = [];
    const step = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await run();
      } catch (e) {
        failed.push(`${name}: ${errorName(e)}`);
        log("ERROR", "step.failed", { runId, step: name, error: errorName(e) });
        return undefined;
      }
    };
    const detection = (await step("drain", () => drain(deps, log, runId))) ?? { measured: [], ignored: 0, malformed: 0 };
    const probed = await step("probe", async () => {
      await probe(deps, log, runId, now);
      return true;
    });
    const processing = await step("phi-path", () => phiPath(deps, log, runId, now, sleep));
    if (failed.length > 0) throw new Error(`canary run ${runId} failed: ${failed.join("; ")}`);
    return {
      runId,
      detection,
      probe: probed ? "read" : "failed",
      processingSeconds: processing?.seconds,
      processed: processing?.processed ?? false,
    };
  };
}

let cached: CanaryHandler | undefined;

/** The Lambda entry point: clients once per instance, endpoints from the SDK's standard variables. */
export const handler: CanaryHandler = (event, context) => {
  if (!cached) {
    const env = readCanaryEnvironment(process.env);
    const s3 = new S3Client({ forcePathStyle: env.s3ForcePathStyle });
    cached = createHandler({
      env,
      s3,
      dynamodb: DynamoDBDocumentClient.from(new DynamoDBClient({})),
      sqs: new SQSClient({}),
      sts: new STSClient({}),
      cloudwatch: new CloudWatchClient({}),
      probeS3: (credentials) => new S3Client({ credentials, forcePathStyle: env.s3ForcePathStyle }),
    });
  }
  return cached(event, context);
};
