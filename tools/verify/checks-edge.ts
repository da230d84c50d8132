/** The application's edge: the load balancer's access logs and the web ACL's logs arrive. */
import { CloudWatchLogsClient, DescribeLogStreamsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeLoadBalancerAttributesCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { GetLoggingConfigurationCommand, WAFV2Client } from "@aws-sdk/client-wafv2";
import { Missing } from "./aws";
import { count, hoursAgo, type Check, type CheckContext } from "./check";
import { daysBetween } from "./checks-pipeline";
import { optionalOutput, requiredString } from "./outputs";

/** Access-log objects of the load balancer modified in the window (keys never kept). */
async function albLogObjects(ctx: CheckContext, bucket: string, prefix: string): Promise<number> {
  const s3 = ctx.aws.client(S3Client);
  let recent = 0;
  for (const day of daysBetween(ctx.since, ctx.now)) {
    // bucket/prefix/AWSLogs/account/elasticloadbalancing/region/yyyy/mm/dd/...:
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
    const dayPrefix = `${prefix ? `${prefix}/` : ""}AWSLogs/${ctx.account}/elasticloadbalancing/${ctx.region}/${day.replace(/-/g, "/")}/`;
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await ctx.aws.call("s3:ListBucket", (abortSignal) =>
        s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: dayPrefix, ContinuationToken: token }), { abortSignal }),
      );
      recent += (page.Contents ?? []).filter((o) => o.LastModified && o.LastModified.getTime() >= ctx.since.getTime()).length;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token && ++pages < 20);
  }
  return recent;
}

/**
 * The load balancer logs to S3 (its attributes, https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeLoadBalancerAttributes.html)
 * and objects arrived in the window; the web ACL logs to a CloudWatch Logs group
 * (https://docs.aws.amazon.com/waf/latest/APIReference/API_GetLoggingConfiguration.html) whose newest
 * stream had an event in the window (lastEventTimestamp is eventually consistent, "typically ... less
 * than an hour": https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_LogStream.html).
 * Both log only requests: a stack nobody called has none (the detail says so).
 */
export const edgeLogsCheck: Check = {
  id: "edge-logs",
  title: "The load balancer's access logs and the web ACL's logs arrive",
  citation: "164.312(b) Audit controls",
  // WAF's delivery to its group has no row: WAF writes the group's resource policy itself at
  // PutLoggingConfiguration (components/application/index.ts), so the plan holds nothing to simulate.
  rows: ["application elb-logs *:s3:PutObject", "application waf-logs key *"],
  async run(ctx) {
    const albArn = requiredString(ctx.outputs, "applicationLoadBalancer.arn");
    const aclArn = requiredString(ctx.outputs, "applicationWebAclArn");
    const elb = ctx.aws.client(ElasticLoadBalancingV2Client);
    const attributes = await ctx.aws.call("elasticloadbalancing:DescribeLoadBalancerAttributes", (abortSignal) =>
      elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: albArn }), { abortSignal }),
    );
    const attr = (key: string) => attributes.Attributes?.find((a) => a.Key === key)?.Value;
    const problems: string[] = [];
    const lines: string[] = [];
    const bucket = attr("access_logs.s3.bucket");
    // The stack's own log bucket and WAF log group (outputs of stacks deployed since index.ts exports them).
    const stackBucket = optionalOutput(ctx.outputs, "applicationLoadBalancer.accessLogBucket");
    const stackGroup = optionalOutput(ctx.outputs, "applicationWebAclLogGroupName");
    if (attr("access_logs.s3.enabled") !== "true" || !bucket) problems.push("the load balancer's access logging is off");
    else if (typeof stackBucket === "string" && bucket !== stackBucket)
      problems.push(`the load balancer logs to ${bucket}, not the stack's log bucket ${stackBucket} (changed outside Pulumi)`);
    else {
      const objects = await albLogObjects(ctx, bucket, attr("access_logs.s3.prefix") ?? "");
      lines.push(`load balancer: ${count(objects, "log object")} in the window`);
      if (objects === 0)
        problems.push("no load balancer log object in the window (no requests, or the log bucket's policy refuses delivery)");
    }
    const waf = ctx.aws.client(WAFV2Client);
    // WAF answers WAFNonexistentItemException for an ACL without a logging configuration.
    const logging = await ctx.aws
      .call("wafv2:GetLoggingConfiguration", (abortSignal) =>
        waf.send(new GetLoggingConfigurationCommand({ ResourceArn: aclArn }), { abortSignal }),
      )
      .catch((e: unknown) => {
        if (e instanceof Missing) return { LoggingConfiguration: undefined };
        throw e;
      });
    const group = logging.LoggingConfiguration?.LogDestinationConfigs?.find((d) => d.includes(":log-group:"));
    if (group === undefined) problems.push("the web ACL logs to no CloudWatch Logs group (or the ACL is gone)");
    else {
      const groupArn = group.replace(/:\*$/, "");
      const logs = ctx.aws.client(CloudWatchLogsClient);
      const streams = await ctx.aws.call("logs:DescribeLogStreams", (abortSignal) =>
        logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: groupArn, orderBy: "LastEventTime", descending: true, limit: 1 }), {
          abortSignal,
        }),
      );
      const last = streams.logStreams?.[0]?.lastEventTimestamp;
      const name = groupArn.split(":log-group:")[1];
      if (typeof stackGroup === "string" && name !== stackGroup)
        problems.push(`the web ACL logs to ${name}, not the stack's group ${stackGroup} (changed outside Pulumi)`);
      else if (last === undefined) problems.push(`no WAF log event in ${name} yet`);
      else if (last < ctx.since.getTime()) problems.push(`the last WAF log event in ${name} was ${hoursAgo(ctx.now, new Date(last))}`);
      else lines.push(`web ACL: last log event ${hoursAgo(ctx.now, new Date(last))} in ${name}`);
    }
    if (problems.length > 0) {
      return {
        status: "fail",
        detail: [...problems, ...lines].join("; "),
        lookAt:
          "whether the application had requests in the window; the ALB log bucket's policy (elasticloadbalancing delivery) and the WAF log group's resource policy",
      };
    }
    return { status: "pass", detail: lines.join("; ") };
  },
};

/** `yyyy-mm-dd-HH-MM-SS` of `d` (UTC): how server access log keys begin after their prefix. */
const logKeyTime = (d: Date): string => d.toISOString().slice(0, 19).replace(/[T:]/g, "-");

/**
 * S3 server access logs arrive in the access-log bucket of each region, under `<purpose>/` per source
 * bucket (components/lib/secure-bucket.ts), keyed `<prefix>YYYY-mm-DD-HH-MM-SS-<id>`
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html): a listing that starts after
 * the window's start finds an object written since then. Delivery is best effort and only for
 * buckets that had requests; the detail names the source buckets whose logs arrived.
 */
export const accessLogsCheck: Check = {
  id: "access-logs",
  title: "S3 server access logs arrive for the platform's buckets",
  citation: "164.312(b) Audit controls",
  rows: ["server-access-logs *:s3:PutObject"],
  async run(ctx) {
    const targets: [string, string | undefined][] = [[requiredString(ctx.outputs, "buckets.accessLogs"), undefined]];
    const recoveryRegion = optionalOutput(ctx.outputs, "recoveryCopy.region");
    if (typeof recoveryRegion === "string" && recoveryRegion !== "")
      targets.push([requiredString(ctx.outputs, "recoveryCopy.accessLogBucket"), recoveryRegion]);
    const arrived: string[] = [];
    for (const [bucket, region] of targets) {
      const s3 = ctx.aws.client(S3Client, region);
      // The purposes (one prefix per source bucket), then one key after the window's start in each.
      const top = await ctx.aws.call("s3:ListBucket", (abortSignal) =>
        s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: "/" }), { abortSignal }),
      );
      for (const p of top.CommonPrefixes ?? []) {
        const prefix = p.Prefix ?? "";
        const page = await ctx.aws.call("s3:ListBucket", (abortSignal) =>
          s3.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, StartAfter: `${prefix}${logKeyTime(ctx.since)}`, MaxKeys: 1 }),
            {
              abortSignal,
            },
          ),
        );
        if ((page.Contents ?? []).length > 0) arrived.push(prefix.replace(/\/$/, ""));
      }
    }
    if (arrived.length === 0) {
      return {
        status: "fail",
        detail: `no server access log since ${ctx.since.toISOString()} in ${targets.map(([b]) => b).join(", ")}`,
        lookAt: "the access-log buckets' policies (logging.s3.amazonaws.com) and their default encryption (SSE-S3 only)",
      };
    }
    return {
      status: "pass",
      detail: `server access logs arrived in the window for ${count(arrived.length, "bucket")}: ${arrived.join(", ")}`,
    };
  },
};

/**
 * The application instances' CloudWatch agent ships logs: the application log group's newest stream
 * (one per instance, `{instance_id}`) had an event in the window. The boot script installs the agent
 * with dnf from the AL2023 repository (through the S3 gateway endpoint) and the agent signs
 * PutLogEvents with the instance role (components/application/compute.ts), so an event settles both.
 * The agent ships /var/log/hcp-app/*.log only: an application that logs nothing there fails here.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogStreams.html
 */
export const appLogsCheck: Check = {
  id: "app-logs",
  title: "The application instances' CloudWatch agent ships their logs",
  citation: "164.312(b) Audit controls",
  rows: ["app-instance dnf:*", "application instance-role:assume-role"],
  async run(ctx) {
    const group = requiredString(ctx.outputs, "applicationLogGroupName");
    const logs = ctx.aws.client(CloudWatchLogsClient);
    const streams = await ctx.aws.call("logs:DescribeLogStreams", (abortSignal) =>
      logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: "LastEventTime", descending: true, limit: 1 }), {
        abortSignal,
      }),
    );
    const last = streams.logStreams?.[0]?.lastEventTimestamp;
    if (last === undefined || last < ctx.since.getTime()) {
      return {
        status: "fail",
        detail: `${group}: ${last === undefined ? "no log event yet" : `the last log event was ${hoursAgo(ctx.now, new Date(last))}`}`,
        lookAt:
          "whether the application writes /var/log/hcp-app/*.log; an instance's boot log (dnf install amazon-cloudwatch-agent through the S3 gateway) and its instance profile",
      };
    }
    return { status: "pass", detail: `${group}: last log event ${hoursAgo(ctx.now, new Date(last))}` };
  },
};
