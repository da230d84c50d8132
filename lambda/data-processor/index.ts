/**
 * data-processor: validates FHIR R4 records uploaded under the intake prefix of the PHI bucket.
 * Valid ones are copied to the processed prefix, invalid ones to the quarantine prefix (tagged,
 * alerted), and every object version gets exactly one audit item. See process-record.ts for the
 * order of operations and contract.ts for the deployment contract.
 *
 * Invoked by S3 event notifications. The invocation throws when the event is malformed or when
 * S3, DynamoDB, SNS or SSM fails, so Lambda retries it and finally sends it to the DLQ. The records
 * of a batched event run concurrently, at most RECORD_CONCURRENCY at a time (pool.ts); a failed
 * record fails the invocation only once all the others have finished, so a retry finds them
 * audited and skips them.
 *
 * Object keys may hold patient identifiers: log lines and the invocation's error name each record by
 * its index, bucket, key SHA-256 and audit version (log.ts `objectIds`), never by its key.
 */
import { AwsClients, createAwsClients } from "./aws";
import { DATA_PROCESSOR_ENV, DataProcessorEnvironment, RECORD_CONCURRENCY, readDataProcessorEnvironment } from "./contract";
import { parseS3Event } from "./event";
import { jsonLogger, Logger, objectIds, redactObjectKey } from "./log";
import { settleWithLimit } from "./pool";
import { processRecord, RecordDecision, RecordProcessingError } from "./process-record";
import { ConfigLoader, createConfigLoader } from "./ssm-config";

export interface InvocationSummary {
  readonly records: number;
  readonly processed: number;
  readonly quarantined: number;
  readonly duplicates: number;
  readonly ignored: number;
}

export interface HandlerDependencies extends AwsClients {
  /** Read once, at the first invocation. @default the process environment */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** @default JSON lines on stdout / stderr */
  readonly log?: Logger;
  /** @default the system clock */
  readonly now?: () => Date;
}

export type DataProcessorHandler = (event: unknown, context?: { readonly awsRequestId?: string }) => Promise<InvocationSummary>;

/** Builds a handler over the given clients (tests and the bench inject theirs). */
export function createHandler(deps: HandlerDependencies): DataProcessorHandler {
  const log = deps.log ?? jsonLogger;
  const now = deps.now ?? (() => new Date());
  let env: DataProcessorEnvironment | undefined;
  let loadConfig: ConfigLoader | undefined;

  return async (event, context) => {
    const requestId = context?.awsRequestId ?? "local";
    env ??= readDataProcessorEnvironment(deps.environment ?? process.env);
    loadConfig ??= createConfigLoader(deps.ssm, env.configParameterName, log);

    let refs;
    try {
      refs = parseS3Event(event);
    } catch (e) {
      log("ERROR", "event.malformed", { requestId, error: (e as Error).name });
      throw e;
    }
    const config = await loadConfig();
    const ctx = { s3: deps.s3, dynamodb: deps.dynamodb, sns: deps.sns, env, config, log, now, requestId };
    const settled = await settleWithLimit(refs, RECORD_CONCURRENCY, (ref) => processRecord(ref, ctx));

    const count = (d: RecordDecision) => settled.filter((s) => s.status === "fulfilled" && s.value === d).length;
    const failures = settled.flatMap((s, i) => (s.status === "rejected" ? [{ ref: refs[i], error: s.reason as Error }] : []));
    const summary: InvocationSummary = {
      records: refs.length,
      processed: count("PROCESSED"),
      quarantined: count("QUARANTINED"),
      duplicates: count("DUPLICATE"),
      ignored: count("IGNORED"),
    };
    for (const f of failures) {
      log("ERROR", "record.failed", { requestId, ...objectIds(f.ref), error: f.error.name });
    }
    log(failures.length > 0 ? "ERROR" : "INFO", "invocation.done", { requestId, ...summary, failed: failures.length });
    if (failures.length > 0) {
      // A RecordProcessingError names the object by its ids already; any other error's message is redacted.
      const message = (f: (typeof failures)[number]) =>
        f.error instanceof RecordProcessingError ? f.error.message : redactObjectKey(String(f.error?.message ?? f.error), f.ref.key);
      const detail = failures.map((f) => `  - Records[${f.ref.index}]: ${message(f)}`).join("\n");
      throw new Error(
        `${failures.length} of ${refs.length} record(s) failed and will be retried (finished ones are skipped on retry):\n${detail}`,
        {
          cause: failures[0].error,
        },
      );
    }
    return summary;
  };
}

const clients = createAwsClients({ s3ForcePathStyle: process.env[DATA_PROCESSOR_ENV.s3ForcePathStyle] === "true" });

/** The Lambda entry point (`index.handler`). */
export const handler: DataProcessorHandler = createHandler(clients);
