/**
 * The incident-report function (docs/design.md, "The security-event pipeline"), invoked by the incident state machine:
 * - `prepare-query` returns the access-history query's `ExecutionParameters` for the incident;
 * - `write-report` writes the incident's JSON report and its text summary to the incident-report
 *   bucket, each once: a HEAD finds an earlier attempt's object (a Step Functions retry, or a second
 *   run of the same execution name), otherwise a conditional PUT (`If-None-Match: *`) writes it with
 *   an explicit Object Lock retention (mode from the stack, retain-until = the execution's start plus
 *   `reportRetentionInDays`), SSE-KMS under the bucket's key and an explicit SHA-256 checksum
 *   (x-amz-sdk-checksum-algorithm, which S3 requires on a PUT with retention).
 *
 * A failed write throws `ReportWriteFailed` (the state machine retries it). Log lines carry the
 * execution name, statuses and error names only: never the principal, the bucket or a key hash
 * (lambda/authorizer/log.ts's rules).
 *
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
import { HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createHash } from "crypto";
import { hashId, jsonLogger, Logger } from "../authorizer/log";
import {
  IncidentReport,
  IncidentReportEnvironment,
  IncidentReportRequest,
  prepareQuery,
  PrepareQueryResponse,
  readIncidentReportEnvironment,
  REPORT_VERSION,
  reportKeys,
  retainUntil,
  WriteReportRequest,
  WriteReportResponse,
} from "./contract";

/** Thrown when a report object could not be written; its name is the error the state machine retries on. */
export class ReportWriteFailed extends Error {
  constructor(readonly causeName: string) {
    super(`the incident report could not be written (${causeName})`);
    this.name = "ReportWriteFailed";
  }
}

export interface HandlerDependencies {
  readonly s3?: Pick<S3Client, "send">;
  readonly environment?: Readonly<Record<string, string | undefined>>;
  readonly log?: Logger;
}

export type IncidentReportHandler = (request: IncidentReportRequest) => Promise<PrepareQueryResponse | WriteReportResponse>;

const errorName = (e: unknown) => (e instanceof Error ? e.name : "UnknownError");
const statusOf = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** What the decision says about the principal's grants on the bucket (the authorizer's terms). */
function grantState(decision: string): IncidentReport["grantState"] {
  if (decision === "unknown-principal") return "no grant for this principal on this bucket";
  if (decision === "denied") return "a grant exists but none covers this access";
  return "other";
}

/** The report document of a request (pure; the retention fields from the environment). */
export function buildReport(
  request: WriteReportRequest,
  env: Pick<IncidentReportEnvironment, "objectLockMode" | "retentionInDays">,
): IncidentReport {
  const { execution, incident, macie, accessHistory } = request;
  let window: { from: string; to: string } | undefined;
  try {
    const q = prepareQuery(incident);
    window = { from: q.from, to: q.to };
  } catch {
    window = undefined;
  }
  return {
    reportVersion: REPORT_VERSION,
    incidentId: execution.name,
    executionArn: execution.id,
    executionStartTime: execution.startTime,
    event: {
      eventId: incident.eventId,
      eventTime: incident.eventTime,
      principalArn: incident.principalArn,
      bucket: incident.bucket,
      ...(incident.objectKeySha256 === undefined ? {} : { objectKeySha256: incident.objectKeySha256 }),
      access: incident.access,
      ...(incident.canary === true ? { canary: true as const } : {}),
    },
    decision: incident.decision,
    grantState: grantState(incident.decision),
    classification: macie,
    accessHistory: { ...accessHistory, ...(window === undefined ? {} : { window }) },
    retention: { mode: env.objectLockMode, retainUntil: retainUntil(execution.startTime, env.retentionInDays) },
  };
}

/** The short human-readable summary (ids only, like the report). */
export function buildSummary(report: IncidentReport, reportKey: string): string {
  const c = report.classification;
  const h = report.accessHistory;
  return [
    `PHI access incident ${report.incidentId}${report.event.canary === true ? " (canary: the scheduled detection probe, not a real access)" : ""}`,
    `Event ${report.event.eventId} at ${report.event.eventTime}: ${report.event.access} on bucket ${report.event.bucket} ` +
      `(object key SHA-256 ${report.event.objectKeySha256 ?? "n/a"}) by ${report.event.principalArn}.`,
    `Decision: ${report.decision} (${report.grantState}).`,
    `Macie classification job: ${c.status === "STARTED" ? `started, job ${c.jobId}` : c.status === "FAILED" ? `failed (${c.error})` : `skipped (${c.reason})`}.`,
    `Access history: ${h.status === "SUCCEEDED" ? `query ${h.queryExecutionId}, result at ${h.resultLocation}` : `failed (${h.error})`}` +
      `${h.window ? ` for ${h.window.from} to ${h.window.to}` : ""}.`,
    `Report: ${reportKey}; retained (${report.retention.mode}) until ${report.retention.retainUntil}.`,
    "",
  ].join("\n");
}

export function createHandler(deps: HandlerDependencies = {}): IncidentReportHandler {
  const env = readIncidentReportEnvironment(deps.environment ?? process.env);
  const s3 = deps.s3 ?? new S3Client({ forcePathStyle: env.s3ForcePathStyle });
  const log = deps.log ?? jsonLogger;

  /**
   * What an earlier write stored: its retention date (not this attempt's). The HEAD asks for no
   * checksum: `ChecksumMode: ENABLED` on an SSE-KMS object uploaded with a checksum needs kms:Decrypt
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html, ChecksumMode), which the
   * role does not hold (it may not read reports), so S3 would answer 403 and an existing report would
   * end in ReportWriteFailed. Nothing here compares the stored checksum: the body is a pure function
   * of the request (buildReport), the same on every attempt of an execution, so its checksum is the
   * one this attempt computed and the first write sent.
   */
  async function stored(key: string, checksum: string, until: string): Promise<{ existed: true; checksum: string; retainUntil: string }> {
    const head = await s3.send(new HeadObjectCommand({ Bucket: env.reportBucketName, Key: key }));
    return { existed: true, checksum, retainUntil: head.ObjectLockRetainUntilDate?.toISOString() ?? until };
  }

  /**
   * Writes one object once: HEAD, then a conditional PUT; true when it already existed.
   *
   * S3 answers a HEAD of a missing key with 404 only to a caller allowed s3:ListBucket, and with 403
   * to any other (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html, Permissions).
   * The role has no s3:ListBucket, so 403 and 404 both mean "not readable as an existing report" and
   * the PUT with `If-None-Match: *` decides: S3 refuses it with 412 if the key exists
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html), and then the object exists
   * and its HEAD is an s3:GetObject the role holds. A real refusal shows on the PUT.
   */
  async function writeOnce(
    key: string,
    body: string,
    contentType: string,
    until: string,
    incidentId: string,
  ): Promise<{ existed: boolean; checksum: string; retainUntil: string }> {
    const checksum = createHash("sha256").update(body, "utf8").digest("base64");
    try {
      return await stored(key, checksum, until);
    } catch (e) {
      const status = statusOf(e);
      if (status !== 404 && status !== 403 && errorName(e) !== "NotFound") {
        log("WARN", "report.head-failed", { incidentId, error: errorName(e) });
        throw new ReportWriteFailed(errorName(e));
      }
    }
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: env.reportBucketName,
          Key: key,
          Body: body,
          ContentType: contentType,
          IfNoneMatch: "*",
          ServerSideEncryption: "aws:kms",
          SSEKMSKeyId: env.reportKmsKeyArn,
          BucketKeyEnabled: true,
          ObjectLockMode: env.objectLockMode,
          ObjectLockRetainUntilDate: new Date(until),
          ChecksumAlgorithm: "SHA256",
          ChecksumSHA256: checksum,
        }),
      );
      return { existed: false, checksum, retainUntil: until };
    } catch (e) {
      if (statusOf(e) !== 412 && errorName(e) !== "PreconditionFailed") {
        log("WARN", "report.put-failed", { incidentId, error: errorName(e) });
        throw new ReportWriteFailed(errorName(e));
      }
    }
    // It exists (an earlier attempt wrote it, or one raced us): what that write stored stands.
    try {
      return await stored(key, checksum, until);
    } catch (e) {
      log("WARN", "report.head-failed", { incidentId, error: errorName(e) });
      throw new ReportWriteFailed(errorName(e));
    }
  }

  return async (request) => {
    if (request?.action === "prepare-query") {
      const out = prepareQuery(request.incident);
      log("INFO", "query.prepared", { eventId: request.incident.eventId, principalHash: hashId(request.incident.principalArn) });
      return out;
    }
    if (request?.action !== "write-report") throw new Error("unknown action: expected prepare-query or write-report");
    const report = buildReport(request, env);
    const { key, summaryKey } = reportKeys(request.execution);
    const until = report.retention.retainUntil;
    const incidentId = request.execution.name;
    const json = await writeOnce(key, `${JSON.stringify(report, null, 2)}\n`, "application/json", until, incidentId);
    const text = await writeOnce(summaryKey, buildSummary(report, key), "text/plain; charset=utf-8", until, incidentId);
    log("INFO", json.existed ? "report.already-written" : "report.written", {
      incidentId,
      decision: report.decision,
      macie: report.classification.status,
      accessHistory: report.accessHistory.status,
      summaryExisted: text.existed,
    });
    return {
      bucket: env.reportBucketName,
      key,
      summaryKey,
      objectLockMode: env.objectLockMode,
      retainUntil: json.retainUntil,
      checksumSha256: json.checksum,
      alreadyWritten: json.existed,
    };
  };
}

let instance: IncidentReportHandler | undefined;

/** The Lambda entry point: one handler per function instance. */
export const handler: IncidentReportHandler = (request) => {
  instance ??= createHandler();
  return instance(request);
};
