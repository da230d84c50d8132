/**
 * The canary (issue 18 section 2): its latest measurements meet their objectives, and its probe
 * object replicated to the recovery region. Both read the stack's `canary` output:
 * `{ functionName, probeRoleArn, metricNamespace, metricDimensions, processingObjectiveSeconds,
 * detectionObjectiveSeconds, scheduleMinutes, bucket, probeObjectKey }`.
 */
import { HeadObjectCommand, S3Client, type HeadObjectCommandOutput } from "@aws-sdk/client-s3";
import { Missing } from "./aws";
import { hoursAgo, type Check, type CheckContext, type Measurement } from "./check";
import { metricSeries } from "./checks-pipeline";
import { MissingOutput, optionalOutput, requiredString, type Outputs } from "./outputs";

export interface CanaryOutput {
  readonly functionName: string;
  readonly metricNamespace: string;
  readonly metricDimensions: Readonly<Record<string, string>>;
  readonly processingObjectiveSeconds: number;
  readonly detectionObjectiveSeconds: number;
  readonly scheduleMinutes: number;
  readonly bucket: string;
  readonly probeObjectKey: string;
}

const positive = (outputs: Outputs, path: string): number => {
  const v = optionalOutput(outputs, path);
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new MissingOutput(path);
  return v;
};

/** The `canary` output; MissingOutput naming `canary` (a stack without the canary) or the field that is absent. */
export function canaryOutput(outputs: Outputs): CanaryOutput {
  const canary = optionalOutput(outputs, "canary");
  if (typeof canary !== "object" || canary === null || Object.keys(canary).length === 0) throw new MissingOutput("canary");
  const dims = optionalOutput(outputs, "canary.metricDimensions");
  if (typeof dims !== "object" || dims === null || Object.values(dims).some((v) => typeof v !== "string"))
    throw new MissingOutput("canary.metricDimensions");
  return {
    functionName: requiredString(outputs, "canary.functionName"),
    metricNamespace: requiredString(outputs, "canary.metricNamespace"),
    metricDimensions: dims as Record<string, string>,
    processingObjectiveSeconds: positive(outputs, "canary.processingObjectiveSeconds"),
    detectionObjectiveSeconds: positive(outputs, "canary.detectionObjectiveSeconds"),
    scheduleMinutes: positive(outputs, "canary.scheduleMinutes"),
    bucket: requiredString(outputs, "canary.bucket"),
    probeObjectKey: requiredString(outputs, "canary.probeObjectKey"),
  };
}

/** How many schedule intervals the newest data point may be old before the canary counts as not running. */
export const CANARY_RECENT_INTERVALS = 3;

/**
 * The canary's `ProcessingSeconds` (the PHI path: intake/ to the processed copy and its audit record)
 * and `DetectionSeconds` (a canary read to the alert's publish) have a data point within the last
 * three schedule intervals, and the newest meets its objective. GetMetricData's period follows the
 * retention rules for the window's start (metricPeriod, API_MetricStat.html); the statistic is the
 * period's Maximum, so a period with two runs is judged by its slower one.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 */
export const canaryCheck: Check = {
  id: "canary",
  title: "The canary's latest PHI-path and detection measurements meet their objectives",
  citation: "164.308(a)(8) Evaluation; 164.308(a)(1)(ii)(D) Information system activity review",
  rows: [
    "canary:*",
    "canary alerts:*",
    "pipeline canary:*",
    "data-processor:assume-role",
    "data-processor:kms:Decrypt PHI key via DynamoDB",
    "data-processor:kms:Decrypt PHI key via Lambda (environment)",
    "pipeline authorizer:kms:Decrypt pipeline key via DynamoDB (grants table)",
    "pipeline authorizer:kms:Decrypt pipeline key via DynamoDB (throttle table)",
  ],
  async run(ctx) {
    const c = canaryOutput(ctx.outputs);
    const recentMs = CANARY_RECENT_INTERVALS * c.scheduleMinutes * 60_000;
    const start = new Date(Math.min(ctx.since.getTime(), ctx.now.getTime() - recentMs));
    const problems: string[] = [];
    const lines: string[] = [];
    const measurements: Measurement[] = [];
    for (const [metric, objective, path] of [
      ["ProcessingSeconds", c.processingObjectiveSeconds, "PHI path"],
      ["DetectionSeconds", c.detectionObjectiveSeconds, "detection path"],
    ] as const) {
      const s = await metricSeries(ctx, c.metricNamespace, metric, c.metricDimensions, "Maximum", start);
      const last = s.values.length - 1;
      if (last < 0) {
        problems.push(`no ${metric} since ${start.toISOString()} (the ${path} reported nothing)`);
        continue;
      }
      const value = s.values[last];
      const at = s.timestamps[last];
      // A data point's timestamp is its period's start: the period's length is added before judging its age.
      const age = ctx.now.getTime() - at.getTime() - s.period * 1000;
      lines.push(`${metric} ${Math.round(value * 10) / 10} s (objective ${objective} s) at ${at.toISOString()}`);
      measurements.push({ name: metric, value, unit: "Seconds", objective, at: at.toISOString() });
      if (age > recentMs)
        problems.push(
          `the newest ${metric} is ${hoursAgo(ctx.now, at)}, older than ${CANARY_RECENT_INTERVALS} runs (${c.scheduleMinutes} min apart)`,
        );
      if (value > objective) problems.push(`${metric} ${Math.round(value * 10) / 10} s exceeds its objective of ${objective} s`);
    }
    if (problems.length > 0) {
      return {
        status: "fail",
        detail: `canary ${c.functionName}: ${[...problems, ...lines].join("; ")}`,
        measurements,
        lookAt: `the canary function's logs and errors (${c.functionName}), the data processor and the incident workflow; a slow DetectionSeconds is most often CloudTrail's delivery`,
      };
    }
    return { status: "pass", detail: `canary ${c.functionName}: ${lines.join("; ")}`, measurements };
  },
};

const PENDING_GRACE_MS = 15 * 60_000;

/** HeadObject of `key`, or undefined when S3 answers 404 (the caller may list the bucket, so a missing key is 404, not 403). */
async function head(ctx: CheckContext, bucket: string, key: string, region?: string): Promise<HeadObjectCommandOutput | undefined> {
  const s3 = ctx.aws.client(S3Client, region);
  try {
    return await ctx.aws.call("s3:GetObject", (abortSignal) =>
      s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }),
    );
  } catch (e) {
    if (e instanceof Missing) return undefined;
    throw e;
  }
}

/**
 * With a recovery region, the canary's probe object in the PHI bucket replicated: HeadObject shows
 * `ReplicationStatus` COMPLETED (FAILED fails; PENDING fails once older than 15 minutes, the time
 * S3 Replication Time Control commits to), the object was written in the window (the canary rewrites
 * it each run), and the same key exists in the replica bucket.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-status.html
 * HeadObject on a general purpose bucket needs s3:GetObject only; the KMS permissions its reference
 * lists are for directory buckets, and a HEAD returns metadata without decrypting the object, so the
 * verifier holds no kms:Decrypt and cannot read the object's content even under canary/:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
 */
export const replicationCheck: Check = {
  id: "replication",
  title: "The canary's probe object replicated to the recovery region",
  citation: "164.308(a)(7)(ii)(B) Disaster recovery plan; 164.312(c)(1) Integrity",
  rows: ["replication[hcp-<stack>-phi-data-replication]:*"],
  async run(ctx) {
    const recoveryRegion = optionalOutput(ctx.outputs, "recoveryCopy.region");
    if (typeof recoveryRegion !== "string" || recoveryRegion === "")
      return { status: "skipped", detail: "no recovery region (recoveryCopy.region): no replica expected" };
    const c = canaryOutput(ctx.outputs);
    const replicaPath =
      c.bucket === optionalOutput(ctx.outputs, "buckets.phiData") ? "recoveryCopy.phiReplicaBucket" : "canary.replicaBucket";
    const replica = requiredString(ctx.outputs, replicaPath);
    // The probe's key is the canary's own (canary/probe.json), never a patient's: it may be printed.
    const key = c.probeObjectKey;
    const source = await head(ctx, c.bucket, key);
    if (source === undefined)
      return {
        status: "fail",
        detail: `no ${key} in ${c.bucket}: the canary has not written its probe`,
        lookAt: `the canary function's logs (${c.functionName})`,
      };
    const problems: string[] = [];
    const status = source.ReplicationStatus ?? "none";
    const written = source.LastModified;
    const ageMs = written ? ctx.now.getTime() - written.getTime() : Infinity;
    if (status === "FAILED") problems.push("replication FAILED");
    else if (status === "PENDING")
      problems.push(`replication PENDING${ageMs > PENDING_GRACE_MS ? " for more than 15 minutes" : ": run verify again in 15 minutes"}`);
    else if (status !== "COMPLETED" && status !== "COMPLETE") problems.push(`replication status ${status} (no replication rule covers it)`);
    if (written === undefined || written.getTime() < ctx.since.getTime())
      problems.push(`the probe was last written ${written ? hoursAgo(ctx.now, written) : "never"}, before the window`);
    const copy = await head(ctx, replica, key, recoveryRegion);
    if (copy === undefined) problems.push(`no ${key} in the replica ${replica} (${recoveryRegion})`);
    const line = `${c.bucket}/${key} ${status}, written ${written ? hoursAgo(ctx.now, written) : "?"}; replica ${replica} (${recoveryRegion}) ${copy ? `holds it (${copy.ReplicationStatus ?? "no status"})` : "lacks it"}`;
    if (problems.length > 0) {
      return {
        status: "fail",
        detail: `${problems.join("; ")} (${line})`,
        lookAt: "the PHI bucket's replication rule and role, the replica key's policy for the replication role, S3 replication metrics",
      };
    }
    return { status: "pass", detail: line };
  },
};
