/** Each check of verify against responses shaped as AWS documents them: pass, fail, and unreachable. */
import * as assert from "assert";
import { ListBackupJobsCommand, ListCopyJobsCommand } from "@aws-sdk/client-backup";
import { GetTrailStatusCommand } from "@aws-sdk/client-cloudtrail";
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeSecretCommand } from "@aws-sdk/client-secrets-manager";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { ListExecutionsCommand } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { runCheck, type Check, type CheckResult } from "../../tools/verify/check";
import { alarmsCheck, trailCheck } from "../../tools/verify/checks-audit";
import { domainCheck, metricPeriod, streamCheck, workflowCheck } from "../../tools/verify/checks-pipeline";
import { backupCheck, secretCheck } from "../../tools/verify/checks-recovery";
import { appLogsCheck, edgeLogsCheck } from "../../tools/verify/checks-edge";
import { guardrailsCheck } from "../../tools/verify/checks-guardrails";
import { DescribeConfigurationRecorderStatusCommand, DescribeDeliveryChannelStatusCommand } from "@aws-sdk/client-config-service";
import { GetDetectorCommand, ListDetectorsCommand } from "@aws-sdk/client-guardduty";
import { DescribeLogStreamsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeLoadBalancerAttributesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetLoggingConfigurationCommand } from "@aws-sdk/client-wafv2";
import {
  BACKUP_JOBS,
  COPY_JOBS,
  EXECUTIONS,
  METRICS,
  NOW,
  OUTPUTS,
  SECRET,
  TRAIL_STATUS,
  awsError,
  context,
  ALB_LOG_BUCKET,
  SINCE,
  WAF_LOG_GROUP_ARN,
  metricsResponder,
  mockHealthyAccount,
} from "./harness";

type Mocks = ReturnType<typeof mockHealthyAccount>;
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

describe("verify checks (mocked AWS responses)", () => {
  let m: Mocks;
  beforeEach(() => {
    m = mockHealthyAccount();
  });
  afterEach(() => m.restore());

  const run = (check: Check, ctx = context()): Promise<CheckResult> => runCheck(check, ctx, 5_000);
  const expectStatus = async (check: Check, status: CheckResult["status"], detail?: RegExp, ctx = context()) => {
    const r = await run(check, ctx);
    assert.strictEqual(r.status, status, `${check.id}: ${r.detail}`);
    if (detail) assert.match(r.detail, detail);
    if (status === "fail") assert.ok(r.lookAt, `${check.id}: a failure says what to look at`);
    return r;
  };

  describe("trail", () => {
    it("passes when logging and both deliveries are within the hour", () => expectStatus(trailCheck, "pass", /hcp-prod-trail logging/));
    it("fails when the S3 delivery is older than an hour", async () => {
      m.cloudtrail.on(GetTrailStatusCommand).resolves({ ...TRAIL_STATUS, LatestDeliveryTime: hoursAgo(2) });
      await expectStatus(trailCheck, "fail", /last S3 delivery 2 h ago/);
    });
    it("fails on a delivery error (the bucket or key policy refused CloudTrail)", async () => {
      m.cloudtrail.on(GetTrailStatusCommand).resolves({ ...TRAIL_STATUS, LatestDeliveryError: "AccessDenied" });
      await expectStatus(trailCheck, "fail", /S3 delivery error AccessDenied/);
    });
    it("fails when the CloudWatch Logs delivery is missing or the trail stopped", async () => {
      m.cloudtrail.on(GetTrailStatusCommand).resolves({ ...TRAIL_STATUS, IsLogging: false, LatestCloudWatchLogsDeliveryTime: undefined });
      await expectStatus(trailCheck, "fail", /not logging; no CloudWatch Logs delivery yet/);
    });
    it("fails with 'upgrade the stack' when the trailName output is missing", async () => {
      await expectStatus(
        trailCheck,
        "fail",
        /output trailName missing: upgrade the stack/,
        context({ outputs: { ...OUTPUTS, trailName: undefined } }),
      );
    });
    it("fails when the trail does not exist", async () => {
      m.cloudtrail.on(GetTrailStatusCommand).rejects(awsError("TrailNotFoundException"));
      await expectStatus(trailCheck, "fail", /TrailNotFoundException: the resource the outputs name does not exist/);
    });
    it("is unreachable when access is denied, naming the policy to attach", async () => {
      m.cloudtrail.on(GetTrailStatusCommand).rejects(awsError("AccessDeniedException"));
      await expectStatus(trailCheck, "unreachable", /cloudtrail:GetTrailStatus was refused .*iam\/verifier-policy.json/);
    });
  });

  describe("stream (metrics; the errors/ listing against s3rver is in archive.spec.ts)", () => {
    let s3: ReturnType<typeof mockClient>;
    beforeEach(() => {
      s3 = mockClient(S3Client);
      s3.on(ListObjectsV2Command).resolves({ Contents: [], IsTruncated: false, KeyCount: 0 });
    });
    afterEach(() => s3.restore());
    it("fails when OpenSearch delivery success fell below 1", async () => {
      m.cloudwatch
        .on(GetMetricDataCommand)
        .callsFake(metricsResponder({ ...METRICS, "DeliveryToAmazonOpenSearchService.Success": [0, 0, 0] }));
      await expectStatus(streamCheck, "fail", /no record reached OpenSearch in the window/);
    });
    it("fails when there was no backup to S3 in the window", async () => {
      m.cloudwatch.on(GetMetricDataCommand).callsFake(metricsResponder({ ...METRICS, "DeliveryToS3.Success": [] }));
      await expectStatus(streamCheck, "fail", /no backup to S3 in the window/);
    });
    it("asks GetMetricData for a period its retention rules allow for the window's start (60 s multiples to 15 days, 300 s to 63, 3600 s beyond)", async () => {
      const days = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
      assert.strictEqual(metricPeriod(days(1), NOW), 300);
      assert.strictEqual(metricPeriod(days(10), NOW), 600);
      assert.strictEqual(metricPeriod(days(17), NOW), 1200); // 17 d / 1,440 = 1,020 s: not a multiple of 300
      assert.strictEqual(metricPeriod(days(62), NOW), 3900);
      assert.strictEqual(metricPeriod(days(70), NOW), 7200); // 4,200 s rounded up to whole hours
      await run(streamCheck, context({ since: days(17) }));
      for (const c of m.cloudwatch.commandCalls(GetMetricDataCommand))
        assert.strictEqual((c.args[0].input.MetricDataQueries?.[0].MetricStat?.Period ?? 0) % 300, 0);
    });
    it("fails, saying the listing stopped, when errors/ holds more than 20,000 objects none of which it saw as new", async () => {
      s3.on(ListObjectsV2Command, { Prefix: "errors/" }).callsFake(() => ({
        Contents: Array.from({ length: 1000 }, (_, i) => ({ Key: `e${i}`, LastModified: hoursAgo(48) })),
        IsTruncated: true,
        NextContinuationToken: "next",
      }));
      const r = await expectStatus(streamCheck, "fail", /errors\/ holds more than 20000 objects and the listing stopped there/);
      assert.strictEqual(s3.commandCalls(ListObjectsV2Command, { Prefix: "errors/" }).length, 20);
      assert.doesNotMatch(r.detail, /\be\d+\b/);
    });
    it("is unreachable when CloudWatch does not answer within the bound", async () => {
      m.cloudwatch.on(GetMetricDataCommand).callsFake(() => new Promise(() => undefined));
      const started = Date.now();
      await expectStatus(streamCheck, "unreachable", /cloudwatch:GetMetricData: no answer within 0.3 s/, context({}, { timeoutMs: 300 }));
      assert.ok(Date.now() - started < 3_000);
    });
  });

  describe("domain", () => {
    it("passes when green and the document count rose at some point (retention may delete indices)", () =>
      expectStatus(domainCheck, "pass", /hcp-prod-events: green .* 960 searchable documents/));
    it("asks CloudWatch for the domain name and the account as ClientId", async () => {
      await run(domainCheck);
      const dims = m.cloudwatch
        .commandCalls(GetMetricDataCommand)
        .map((c) => c.args[0].input.MetricDataQueries?.[0].MetricStat?.Metric?.Dimensions);
      assert.deepStrictEqual(dims[0], [
        { Name: "DomainName", Value: "hcp-prod-events" },
        { Name: "ClientId", Value: "123456789012" },
      ]);
    });
    it("fails when the cluster was not green", async () => {
      m.cloudwatch.on(GetMetricDataCommand).callsFake(metricsResponder({ ...METRICS, "ClusterStatus.green": [1, 0, 1] }));
      await expectStatus(domainCheck, "fail", /not green/);
    });
    it("fails when the document count never grew", async () => {
      m.cloudwatch.on(GetMetricDataCommand).callsFake(metricsResponder({ ...METRICS, SearchableDocuments: [900, 900, 900] }));
      await expectStatus(domainCheck, "fail", /did not grow \(900\)/);
    });
    it("is unreachable when the network fails", async () => {
      m.cloudwatch.on(GetMetricDataCommand).rejects(Object.assign(new Error("connect"), { code: "ECONNREFUSED" }));
      await expectStatus(domainCheck, "unreachable", /network error ECONNREFUSED/);
    });
  });

  describe("workflow", () => {
    it("passes on the window's executions, ignoring an older failure", () =>
      expectStatus(workflowCheck, "pass", /2 executions in the window: 1 succeeded, 1 running/));
    it("fails naming the execution that failed", async () => {
      m.sfn.on(ListExecutionsCommand).resolves({
        executions: [
          { executionArn: "arn:4", stateMachineArn: "sm", name: "h-abc", status: "TIMED_OUT", startDate: hoursAgo(1) },
          ...(EXECUTIONS.executions ?? []).slice(1),
        ],
      });
      await expectStatus(workflowCheck, "fail", /1 execution of 2 did not succeed: h-abc TIMED_OUT/);
    });
    it("stops paging at the first execution older than the window", async () => {
      m.sfn.on(ListExecutionsCommand).resolves({ ...EXECUTIONS, nextToken: "more" });
      await run(workflowCheck);
      assert.strictEqual(m.sfn.commandCalls(ListExecutionsCommand).length, 1);
    });
    it("is unreachable when access is denied", async () => {
      m.sfn.on(ListExecutionsCommand).rejects(awsError("AccessDeniedException"));
      await expectStatus(workflowCheck, "unreachable", /states:ListExecutions was refused/);
    });
  });

  describe("backup", () => {
    it("passes with completed backup and copy jobs, the copy filtered by the recovery vault's ARN", async () => {
      await expectStatus(
        backupCheck,
        "pass",
        /2 backup jobs in the last 26 h \(2 completed, 0 running, 0 failed\); copy to hcp-prod-records-copy \(us-west-2\): 1 copy job/,
      );
      const input = m.backup.commandCalls(ListCopyJobsCommand)[0].args[0].input;
      assert.strictEqual(input.ByDestinationVaultArn, "arn:aws:backup:us-west-2:123456789012:backup-vault:hcp-prod-records-copy");
    });
    it("builds the recovery vault's ARN in the stack's partition", async () => {
      const outputs = { ...OUTPUTS, alertTopicArn: "arn:aws-us-gov:sns:us-gov-west-1:123456789012:hcp-prod-security-alerts" };
      await run(backupCheck, context({ outputs }));
      const input = m.backup.commandCalls(ListCopyJobsCommand)[0].args[0].input;
      assert.match(input.ByDestinationVaultArn ?? "", /^arn:aws-us-gov:backup:us-west-2:/);
    });
    it("fails on a failed backup job", async () => {
      m.backup
        .on(ListBackupJobsCommand)
        .resolves({ BackupJobs: [...(BACKUP_JOBS.BackupJobs ?? []), { BackupJobId: "j3", State: "FAILED" }] });
      await expectStatus(backupCheck, "fail", /1 backup job failed/);
    });
    it("looks back 50 h: today's job still running passes when the previous day's completed, and lists jobs created since then", async () => {
      m.backup.on(ListBackupJobsCommand).resolves({
        BackupJobs: [
          { BackupJobId: "today", State: "RUNNING", CreationDate: hoursAgo(7) },
          { BackupJobId: "yesterday", State: "COMPLETED", CreationDate: hoursAgo(31) },
        ],
      });
      await expectStatus(
        backupCheck,
        "pass",
        /1 backup job in the last 26 h \(0 completed, 1 running, 0 failed\); the previous day's completed/,
      );
      const input = m.backup.commandCalls(ListBackupJobsCommand)[0].args[0].input;
      assert.strictEqual(input.ByCreatedAfter?.toISOString(), hoursAgo(50).toISOString());
    });
    it("fails when today's job still runs and none completed in 50 h, or the last completed one is older than 26 h", async () => {
      m.backup.on(ListBackupJobsCommand).resolves({ BackupJobs: [{ BackupJobId: "today", State: "RUNNING", CreationDate: hoursAgo(7) }] });
      await expectStatus(backupCheck, "fail", /no backup job completed in the last 50 h \(one still runs\)/);
      m.backup.on(ListBackupJobsCommand).resolves({ BackupJobs: [{ BackupJobId: "old", State: "COMPLETED", CreationDate: hoursAgo(30) }] });
      await expectStatus(backupCheck, "fail", /no completed backup job in the last 26 h/);
    });
    it("fails when no copy completed in the last day", async () => {
      m.backup.on(ListCopyJobsCommand).resolves({ CopyJobs: [] });
      await expectStatus(backupCheck, "fail", /no completed copy job/);
    });
    it("expects no copy without a recovery region (dev)", async () => {
      await expectStatus(backupCheck, "pass", /no recovery region/, context({ outputs: { ...OUTPUTS, recoveryCopy: {} } }));
      assert.strictEqual(m.backup.commandCalls(ListCopyJobsCommand).length, 0);
      void COPY_JOBS;
    });
    it("is unreachable when AWS Backup does not answer", async () => {
      m.backup.on(ListBackupJobsCommand).callsFake(() => new Promise(() => undefined));
      await expectStatus(backupCheck, "unreachable", /backup:ListBackupJobs: no answer/, context({}, { timeoutMs: 200 }));
    });
  });

  describe("secret", () => {
    it("passes when rotated within the rule", () => expectStatus(secretCheck, "pass", /rotation enabled \(every 7 days\), last 72 h ago/));
    it("fails when the last rotation is older than the rule and a day", async () => {
      m.secrets.on(DescribeSecretCommand).resolves({ ...SECRET, LastRotatedDate: hoursAgo(9 * 24), NextRotationDate: hoursAgo(2 * 24) });
      await expectStatus(secretCheck, "fail", /last rotated 216 h ago, the rule is every 7 days; the rotation due 48 h ago did not happen/);
    });
    it("reports the secret's last retrieval (rounded to the day) and whether it falls in the window", async () => {
      m.secrets.on(DescribeSecretCommand).resolves({ ...SECRET, LastAccessedDate: new Date("2026-12-03T00:00:00Z") });
      await expectStatus(secretCheck, "pass", /retrieved on 2026-12-03 \(the application instance role's read\)$/);
      m.secrets.on(DescribeSecretCommand).resolves({ ...SECRET, LastAccessedDate: new Date("2026-11-20T00:00:00Z") });
      await expectStatus(
        secretCheck,
        "pass",
        /last retrieved on 2026-11-20, before the window \(the application instance-role rows stay unsettled\)$/,
      );
      m.secrets.on(DescribeSecretCommand).resolves(SECRET);
      await expectStatus(secretCheck, "pass", /never retrieved \(the application instance-role rows stay unsettled\)$/);
    });
    it("fails when rotation is off", async () => {
      m.secrets.on(DescribeSecretCommand).resolves({ ...SECRET, RotationEnabled: false });
      await expectStatus(secretCheck, "fail", /rotation is not enabled/);
    });
    it("is unreachable when the credentials are refused", async () => {
      m.secrets.on(DescribeSecretCommand).rejects(awsError("UnrecognizedClientException"));
      await expectStatus(secretCheck, "unreachable", /credentials were refused/);
    });
  });

  describe("edge-logs", () => {
    let s3: ReturnType<typeof mockClient>;
    const dayPrefix = (d: Date) =>
      `alb/AWSLogs/123456789012/elasticloadbalancing/us-east-1/${d.toISOString().slice(0, 10).replace(/-/g, "/")}/`;
    beforeEach(() => {
      s3 = mockClient(S3Client);
      s3.on(ListObjectsV2Command).resolves({ Contents: [] });
      s3.on(ListObjectsV2Command, { Bucket: ALB_LOG_BUCKET, Prefix: dayPrefix(NOW) }).resolves({
        Contents: [
          { Key: "k1", LastModified: hoursAgo(1) },
          { Key: "k2", LastModified: hoursAgo(30) },
        ],
      });
    });
    afterEach(() => s3.restore());

    it("passes when ALB log objects and WAF log events arrived in the window", async () => {
      await expectStatus(
        edgeLogsCheck,
        "pass",
        /load balancer: 1 log object in the window; web ACL: last log event 0.3 h ago in aws-waf-logs-hcp-prod-app/,
      );
      const prefixes = s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.Prefix);
      assert.deepStrictEqual(prefixes, [dayPrefix(SINCE), dayPrefix(NOW)]);
    });
    it("fails when the load balancer's access logging is off", async () => {
      m.elb.on(DescribeLoadBalancerAttributesCommand).resolves({ Attributes: [{ Key: "access_logs.s3.enabled", Value: "false" }] });
      await expectStatus(edgeLogsCheck, "fail", /access logging is off/);
    });
    it("fails when no ALB log object arrived in the window", async () => {
      s3.on(ListObjectsV2Command).resolves({ Contents: [] });
      await expectStatus(edgeLogsCheck, "fail", /no load balancer log object in the window/);
    });
    it("fails when the last WAF log event is older than the window, or the ACL does not log", async () => {
      m.logs.on(DescribeLogStreamsCommand).resolves({ logStreams: [{ logStreamName: "s", lastEventTimestamp: hoursAgo(48).getTime() }] });
      await expectStatus(edgeLogsCheck, "fail", /last WAF log event in aws-waf-logs-hcp-prod-app was 48 h ago/);
      m.waf.on(GetLoggingConfigurationCommand).resolves({ LoggingConfiguration: { ResourceArn: "a", LogDestinationConfigs: [] } });
      await expectStatus(edgeLogsCheck, "fail", /logs to no CloudWatch Logs group/);
    });
    it("asks for the newest stream of the log group the ACL names", async () => {
      await run(edgeLogsCheck);
      const input = m.logs.commandCalls(DescribeLogStreamsCommand)[0].args[0].input;
      assert.deepStrictEqual(input, { logGroupIdentifier: WAF_LOG_GROUP_ARN, orderBy: "LastEventTime", descending: true, limit: 1 });
    });
    it("fails with 'upgrade the stack' without the web ACL output", () =>
      expectStatus(
        edgeLogsCheck,
        "fail",
        /output applicationWebAclArn missing/,
        context({ outputs: { ...OUTPUTS, applicationWebAclArn: undefined } }),
      ));
    it("is unreachable when WAF refuses the caller", async () => {
      m.waf.on(GetLoggingConfigurationCommand).rejects(awsError("WAFAccessDeniedException"));
      await expectStatus(edgeLogsCheck, "unreachable", /wafv2:GetLoggingConfiguration was refused \(WAFAccessDeniedException\)/);
    });
    it("fails when the ACL has no logging configuration (WAFNonexistentItemException)", async () => {
      m.waf.on(GetLoggingConfigurationCommand).rejects(awsError("WAFNonexistentItemException"));
      await expectStatus(edgeLogsCheck, "fail", /logs to no CloudWatch Logs group/);
    });
  });

  describe("app-logs", () => {
    it("passes when the application log group's newest stream had an event in the window, asking for that group", async () => {
      await expectStatus(appLogsCheck, "pass", /^\/hcp\/prod\/application: last log event 0.3 h ago$/);
      const input = m.logs.commandCalls(DescribeLogStreamsCommand)[0].args[0].input;
      assert.deepStrictEqual(input, { logGroupName: "/hcp/prod/application", orderBy: "LastEventTime", descending: true, limit: 1 });
    });
    it("fails when the newest event is older than the window, or there is none", async () => {
      m.logs
        .on(DescribeLogStreamsCommand)
        .resolves({ logStreams: [{ logStreamName: "i-0abc", lastEventTimestamp: hoursAgo(30).getTime() }] });
      await expectStatus(appLogsCheck, "fail", /the last log event was 30 h ago/);
      m.logs.on(DescribeLogStreamsCommand).resolves({ logStreams: [] });
      await expectStatus(appLogsCheck, "fail", /no log event yet/);
    });
    it("fails naming the output on a stack without applicationLogGroupName", () =>
      expectStatus(
        appLogsCheck,
        "fail",
        /^output applicationLogGroupName missing/,
        context({ outputs: { ...OUTPUTS, applicationLogGroupName: undefined } }),
      ));
    it("is unreachable when CloudWatch Logs refuses the caller", async () => {
      m.logs.on(DescribeLogStreamsCommand).rejects(awsError("AccessDeniedException"));
      await expectStatus(appLogsCheck, "unreachable", /logs:DescribeLogStreams was refused/);
    });
  });

  describe("guardrails", () => {
    it("passes when the recorder records, deliveries did not fail and the detector is enabled", () =>
      expectStatus(guardrailsCheck, "pass", /1 Config recorder recording, deliveries without failure; 1 GuardDuty detector enabled/));
    it("is skipped, calling nothing, when the stack has no guardrails", async () => {
      await expectStatus(guardrailsCheck, "skipped", /guardrails are off/, context({ outputs: { ...OUTPUTS, buckets: { phiData: "b" } } }));
      assert.strictEqual(m.config.calls().length + m.guardduty.calls().length, 0);
    });
    it("fails when the recorder stopped or a delivery failed", async () => {
      m.config.on(DescribeConfigurationRecorderStatusCommand).resolves({ ConfigurationRecordersStatus: [{ name: "r", recording: false }] });
      m.config.on(DescribeDeliveryChannelStatusCommand).resolves({
        DeliveryChannelsStatus: [{ name: "c", configSnapshotDeliveryInfo: { lastStatus: "Failure", lastErrorCode: "AccessDenied" } }],
      });
      await expectStatus(
        guardrailsCheck,
        "fail",
        /recorder r is not recording; delivery channel c snapshot delivery failed \(AccessDenied\)/,
      );
    });
    it("fails when GuardDuty is suspended or absent", async () => {
      m.guardduty.on(GetDetectorCommand).resolves({ Status: "DISABLED", ServiceRole: "r" });
      await expectStatus(guardrailsCheck, "fail", /detector 12abc34d567e8fa901bc2d34e56789f0 is DISABLED/);
      m.guardduty.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
      await expectStatus(guardrailsCheck, "fail", /no GuardDuty detector in the region/);
    });
    it("is unreachable when Config refuses the caller", async () => {
      m.config.on(DescribeConfigurationRecorderStatusCommand).rejects(awsError("AccessDeniedException"));
      await expectStatus(guardrailsCheck, "unreachable", /config:DescribeConfigurationRecorderStatus was refused/);
    });
  });

  describe("alarms", () => {
    it("passes with no platform alarm in ALARM, counting the platform's successful actions only", async () => {
      await expectStatus(alarmsCheck, "pass", /no hcp-prod-\* alarm in ALARM; 1 alarm action succeeded/);
      assert.strictEqual(m.cloudwatch.commandCalls(DescribeAlarmsCommand)[0].args[0].input.AlarmNamePrefix, "hcp-prod-");
    });
    it("fails naming the alarms in ALARM", async () => {
      m.cloudwatch
        .on(DescribeAlarmsCommand)
        .resolves({ MetricAlarms: [{ AlarmName: "hcp-prod-data-processor-errors", StateValue: "ALARM" }] });
      await expectStatus(alarmsCheck, "fail", /in ALARM: hcp-prod-data-processor-errors/);
    });
    it("asks for composite alarms too (without AlarmTypes DescribeAlarms returns metric alarms only) and fails on one in ALARM", async () => {
      m.cloudwatch
        .on(DescribeAlarmsCommand)
        .resolves({ MetricAlarms: [] })
        .on(DescribeAlarmsCommand, { AlarmTypes: ["MetricAlarm", "CompositeAlarm"] })
        .resolves({ MetricAlarms: [], CompositeAlarms: [{ AlarmName: "hcp-prod-pipeline-down", StateValue: "ALARM" }] });
      await expectStatus(alarmsCheck, "fail", /in ALARM: hcp-prod-pipeline-down/);
      assert.deepStrictEqual(m.cloudwatch.commandCalls(DescribeAlarmHistoryCommand)[0]?.args[0].input.AlarmTypes, [
        "MetricAlarm",
        "CompositeAlarm",
      ]);
    });
    it("fails when a platform alarm's action failed (the topic's key refused CloudWatch)", async () => {
      m.cloudwatch.on(DescribeAlarmHistoryCommand).resolves({
        AlarmHistoryItems: [
          {
            AlarmName: "hcp-prod-incident-dlq-messages",
            HistoryItemType: "Action",
            HistorySummary: "Failed to execute action arn:aws:sns:us-east-1:1:t",
          },
        ],
      });
      await expectStatus(alarmsCheck, "fail", /1 failed alarm action \(hcp-prod-incident-dlq-messages\)/);
    });
    it("is unreachable when access is denied", async () => {
      m.cloudwatch.on(DescribeAlarmsCommand).rejects(awsError("AccessDenied", 403));
      await expectStatus(alarmsCheck, "unreachable", /cloudwatch:DescribeAlarms was refused/);
    });
  });

  it("a check that runs past its own bound is unreachable, never hangs", async () => {
    const slow: Check = { id: "slow", title: "slow", citation: "-", rows: [], run: () => new Promise(() => undefined) };
    const r = await runCheck(slow, context(), 200);
    assert.strictEqual(r.status, "unreachable");
    assert.match(r.detail, /no result within 0.2 s/);
  });
});
