/** The security-event pipeline: the stream, its archive, the domain, the incident workflow. */
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { ListExecutionsCommand, SFNClient, type ExecutionListItem } from "@aws-sdk/client-sfn";
import { count, type Check, type CheckContext } from "./check";
import { domainName, requiredString } from "./outputs";

/**
 * GetMetricData's period for a query from `start` to `now`: at most 1,440 points, never under 300 s,
 * and a multiple of what the data's age allows ("Start time between 3 hours and 15 days ago - Use a
 * multiple of 60 seconds ... between 15 and 63 days ago - Use a multiple of 300 seconds ... greater
 * than 63 days ago - Use a multiple of 3600 seconds", or no data points are returned):
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricStat.html
 */
export function metricPeriod(start: Date, now: Date): number {
  const seconds = (now.getTime() - start.getTime()) / 1000;
  const unit = seconds > 63 * 86_400 ? 3600 : seconds > 15 * 86_400 ? 300 : 60;
  return Math.ceil(Math.max(300, seconds / 1440) / unit) * unit;
}

/** Data points of one metric statistic in [start, now], oldest first, with their timestamps and the period. */
export async function metricSeries(
  ctx: CheckContext,
  namespace: string,
  metricName: string,
  dimensions: Readonly<Record<string, string>>,
  stat: string,
  start: Date,
): Promise<{ values: number[]; timestamps: Date[]; period: number }> {
  const period = metricPeriod(start, ctx.now);
  const cw = ctx.aws.client(CloudWatchClient);
  const out = await ctx.aws.call("cloudwatch:GetMetricData", (abortSignal) =>
    cw.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: ctx.now,
        ScanBy: "TimestampAscending",
        MetricDataQueries: [
          {
            Id: "m",
            ReturnData: true,
            MetricStat: {
              Metric: {
                Namespace: namespace,
                MetricName: metricName,
                Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
              },
              Period: period,
              Stat: stat,
            },
          },
        ],
      }),
      { abortSignal },
    ),
  );
  const result = out.MetricDataResults?.[0];
  return { values: result?.Values ?? [], timestamps: result?.Timestamps ?? [], period };
}

/** Data points of one metric statistic in [start, now], oldest first. */
export async function metricValues(
  ctx: CheckContext,
  namespace: string,
  metricName: string,
  dimensions: Readonly<Record<string, string>>,
  stat: string,
  start: Date,
): Promise<number[]> {
  return (await metricSeries(ctx, namespace, metricName, dimensions, stat, start)).values;
}

/** Pages of 1,000 keys (ListObjectsV2's maximum) a listing reads before it stops: 20,000 objects. */
export const LIST_MAX_PAGES = 20;

/**
 * Objects under `prefix` modified since `since`, counted (keys are never kept: they may hold patient
 * ids). The listing stops after {@link LIST_MAX_PAGES} pages; `truncated` says it stopped with keys left.
 */
export async function countObjectsSince(
  ctx: CheckContext,
  bucket: string,
  prefix: string,
  since: Date,
  maxPages = LIST_MAX_PAGES,
): Promise<{ recent: number; total: number; truncated: boolean }> {
  const s3 = ctx.aws.client(S3Client);
  let recent = 0;
  let total = 0;
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await ctx.aws.call("s3:ListBucket", (abortSignal) =>
      s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }), { abortSignal }),
    );
    for (const o of page.Contents ?? []) {
      total++;
      if (o.LastModified && o.LastModified.getTime() >= since.getTime()) recent++;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token && ++pages < maxPages);
  return { recent, total, truncated: token !== undefined };
}

/** The UTC days of [since, now] as `yyyy-MM-dd` (the archive's `dt=` partitions). */
export function daysBetween(since: Date, now: Date): string[] {
  const days: string[] = [];
  const d = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()));
  while (d.getTime() <= now.getTime()) {
    days.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return days;
}

/**
 * The stream delivered to OpenSearch and backed up to S3 in the window, and nothing landed under
 * the archive's `errors/` prefix (Firehose's ErrorOutputPrefix, components/security-events/archive-query.ts).
 * Metrics: DeliveryToAmazonOpenSearchService.Success (the ratio of indexed records) and DeliveryToS3.Success
 * (the AllDocuments backup of an OpenSearch destination; BackupToS3.* are other destinations'):
 * https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html. A success below 1 in
 * a period is not a loss: Firehose retries until the records reach the destination or land under errors/
 * (the same page), so the check fails on no successful delivery in the window, or on anything under errors/.
 */
export const streamCheck: Check = {
  id: "stream",
  title: "The Firehose stream delivers to OpenSearch and to the S3 archive, with no error records",
  citation: "164.312(b) Audit controls",
  rows: [
    "pipeline subscription:*",
    "pipeline firehose:s3:PutObject archive events/",
    "pipeline firehose:s3:PutObject archive errors/",
    "pipeline authorizer:assume-role*",
    "pipeline authorizer:kms:Decrypt environment key via Lambda",
  ],
  async run(ctx) {
    const stream = requiredString(ctx.outputs, "securityEventPipeline.streamName");
    const archive = requiredString(ctx.outputs, "securityEventPipeline.archiveBucket");
    const dims = { DeliveryStreamName: stream };
    const toSearch = await metricValues(ctx, "AWS/Firehose", "DeliveryToAmazonOpenSearchService.Success", dims, "Maximum", ctx.since);
    const toS3 = await metricValues(ctx, "AWS/Firehose", "DeliveryToS3.Success", dims, "Maximum", ctx.since);
    const errors = await countObjectsSince(ctx, archive, "errors/", ctx.since);
    const problems: string[] = [];
    if (toSearch.length === 0) problems.push("no delivery to OpenSearch in the window");
    else if (Math.max(...toSearch) === 0) problems.push("no record reached OpenSearch in the window");
    if (toS3.length === 0) problems.push("no backup to S3 in the window");
    else if (Math.max(...toS3) === 0) problems.push("no record reached the S3 archive in the window");
    if (errors.recent > 0) problems.push(`${count(errors.recent, "object")} under errors/ since the window's start`);
    // A listing that stopped early saw only the oldest keys (they sort by dt=): nothing new is not proven.
    else if (errors.truncated)
      problems.push(`errors/ holds more than ${errors.total} objects and the listing stopped there: the newest were not seen`);
    if (problems.length > 0) {
      return {
        status: "fail",
        detail: `stream ${stream}: ${problems.join("; ")}`,
        lookAt: "the stream's CloudWatch Logs group (delivery errors), errors/ in the archive bucket, the authorizer's errors",
      };
    }
    return {
      status: "pass",
      detail: `stream ${stream}: ${count(toSearch.length, "period")} delivered to OpenSearch and ${count(toS3.length, "period")} to S3, errors/ holds nothing new (${errors.total} in all)`,
    };
  },
};

/** The archive received event objects in the window (`events/dt=<day>/`, ARCHIVE_EVENTS_PREFIX). */
export const archiveCheck: Check = {
  id: "archive",
  title: "The security-event archive received objects in the window",
  citation: "164.312(b) Audit controls",
  rows: ["pipeline firehose:s3:PutObject archive events/"],
  async run(ctx) {
    const archive = requiredString(ctx.outputs, "securityEventPipeline.archiveBucket");
    let recent = 0;
    let truncated = false;
    for (const day of daysBetween(ctx.since, ctx.now)) {
      const listed = await countObjectsSince(ctx, archive, `events/dt=${day}/`, ctx.since);
      recent += listed.recent;
      truncated ||= listed.truncated;
    }
    if (recent === 0) {
      return {
        status: "fail",
        detail: `no object under events/ since ${ctx.since.toISOString()}${truncated ? ` among the first ${LIST_MAX_PAGES * 1000} of a day (the listing stopped there)` : ""}`,
        lookAt: "the stream check, the trail's CloudWatch Logs subscription, and the stream's S3 backup log stream",
      };
    }
    return {
      status: "pass",
      detail: `${truncated ? "at least " : ""}${count(recent, "object")} under events/ since ${ctx.since.toISOString()}${truncated ? ` (a day's listing stopped at ${LIST_MAX_PAGES * 1000} objects)` : ""}`,
    };
  },
};

/**
 * The domain is green over the last hour and its searchable document count grew in the window.
 * ClusterStatus.green is 1 when green; both metrics have the dimensions DomainName and ClientId (the
 * account): https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-cloudwatchmetrics.html
 */
export const domainCheck: Check = {
  id: "domain",
  title: "The OpenSearch domain is green and its document count grows",
  citation: "164.308(a)(1)(ii)(D) Information system activity review",
  rows: ["pipeline firehose:es:*", "pipeline opensearch-config:*"],
  async run(ctx) {
    const domain = domainName(ctx.outputs);
    const dims = { DomainName: domain, ClientId: ctx.account };
    const hourAgo = new Date(ctx.now.getTime() - 3_600_000);
    const green = await metricValues(ctx, "AWS/ES", "ClusterStatus.green", dims, "Minimum", hourAgo);
    const docs = await metricValues(ctx, "AWS/ES", "SearchableDocuments", dims, "Maximum", ctx.since);
    const problems: string[] = [];
    if (green.length === 0) problems.push("no ClusterStatus.green data in the last hour");
    else if (Math.min(...green) < 1) problems.push("the cluster was not green in the last hour");
    // Index retention deletes whole indices, so growth is any increase between consecutive points.
    const grew = docs.some((v, i) => i > 0 && v > docs[i - 1]);
    if (!grew)
      problems.push(
        docs.length === 0 ? "no SearchableDocuments data in the window" : `the document count did not grow (${docs[docs.length - 1]})`,
      );
    if (problems.length > 0) {
      return {
        status: "fail",
        detail: `domain ${domain}: ${problems.join("; ")}`,
        lookAt: "the domain's health in the console, and the stream check",
      };
    }
    return { status: "pass", detail: `domain ${domain}: green for the last hour; ${docs[docs.length - 1]} searchable documents, growing` };
  },
};

const BAD_EXECUTIONS = new Set(["FAILED", "TIMED_OUT", "ABORTED"]);

/**
 * The incident state machine's executions started in the window all succeeded (or still run).
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html (newest first).
 */
export const workflowCheck: Check = {
  id: "workflow",
  title: "The incident workflow's recent executions succeeded",
  citation: "164.308(a)(6)(ii) Response and reporting",
  rows: ["incident state machine:*", "pipeline incident-report:*"],
  async run(ctx) {
    const arn = requiredString(ctx.outputs, "securityEventPipeline.incidentStateMachineArn");
    const sfn = ctx.aws.client(SFNClient);
    const executions: ExecutionListItem[] = [];
    let token: string | undefined;
    let older = false;
    do {
      const page = await ctx.aws.call("states:ListExecutions", (abortSignal) =>
        sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 100, nextToken: token }), { abortSignal }),
      );
      for (const e of page.executions ?? []) {
        if (e.startDate && e.startDate.getTime() < ctx.since.getTime()) older = true;
        else executions.push(e);
      }
      token = page.nextToken;
    } while (token && !older);
    const bad = executions.filter((e) => BAD_EXECUTIONS.has(e.status ?? ""));
    const by = (s: string) => executions.filter((e) => e.status === s).length;
    if (bad.length > 0) {
      return {
        status: "fail",
        detail: `${count(bad.length, "execution")} of ${executions.length} did not succeed: ${bad.map((e) => `${e.name} ${e.status}`).join(", ")}`,
        lookAt: "each execution's history in the Step Functions console (the failed state names the service and error)",
      };
    }
    return {
      status: "pass",
      detail: `${count(executions.length, "execution")} in the window: ${by("SUCCEEDED")} succeeded, ${by("RUNNING")} running${executions.length === 0 ? " (no incident: the workflow's rows stay unexercised)" : ""}`,
    };
  },
};
