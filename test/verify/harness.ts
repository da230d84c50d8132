/**
 * What the verify specs share: a check context over mocked clients (aws-sdk-client-mock) and the
 * responses each API returns when the platform is healthy, shaped as the API references document
 * them (links beside each). Each spec changes one field to make a check fail.
 */
import {
  BackupClient,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  type ListBackupJobsOutput,
  type ListCopyJobsOutput,
} from "@aws-sdk/client-backup";
import { CloudTrailClient, GetTrailStatusCommand, type GetTrailStatusResponse } from "@aws-sdk/client-cloudtrail";
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type GetMetricDataInput,
} from "@aws-sdk/client-cloudwatch";
import { DescribeSecretCommand, SecretsManagerClient, type DescribeSecretResponse } from "@aws-sdk/client-secrets-manager";
import { ListExecutionsCommand, SFNClient, type ListExecutionsOutput } from "@aws-sdk/client-sfn";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CloudWatchLogsClient, DescribeLogStreamsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeLoadBalancerAttributesCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetLoggingConfigurationCommand, WAFV2Client } from "@aws-sdk/client-wafv2";
import {
  ConfigServiceClient,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelStatusCommand,
} from "@aws-sdk/client-config-service";
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from "@aws-sdk/client-guardduty";
import { mockClient } from "aws-sdk-client-mock";
import { Aws } from "../../tools/verify/aws";
import type { CheckContext } from "../../tools/verify/check";
import type { Outputs } from "../../tools/verify/outputs";

export const ACCOUNT = "123456789012";
export const NOW = new Date("2026-12-04T12:00:00Z");
export const SINCE = new Date(NOW.getTime() - 24 * 3_600_000);
export const CREDENTIALS = { accessKeyId: "AKIDVERIFYTEST", secretAccessKey: "verify-test-secret" };
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

/** The `canary` output (prod: every 15 minutes). */
export const CANARY = {
  functionName: "hcp-prod-canary",
  probeRoleArn: `arn:aws:iam::${ACCOUNT}:role/hcp-prod-canary-probe`,
  metricNamespace: "HealthcarePlatform/Canary",
  metricDimensions: { Stack: "prod" },
  processingObjectiveSeconds: 120,
  detectionObjectiveSeconds: 900,
  scheduleMinutes: 15,
  bucket: `hcp-prod-phi-data-${ACCOUNT}-us-east-1`,
  probeObjectKey: "canary/probe.json",
};

/** As `pulumi stack output --json` prints index.ts's exports for prod (trimmed to what verify reads). */
export const OUTPUTS: Outputs = {
  environment: "prod",
  region: "us-east-1",
  alertTopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:hcp-prod-security-alerts`,
  trailName: "hcp-prod-trail",
  // With enableAccountGuardrails (index.ts exports the Config bucket only then).
  buckets: {
    phiData: `hcp-prod-phi-data-${ACCOUNT}-us-east-1`,
    accessLogs: `hcp-prod-access-logs-${ACCOUNT}-us-east-1`,
    awsConfig: `hcp-prod-aws-config-${ACCOUNT}-us-east-1`,
  },
  backupVaultName: "hcp-prod-records",
  securityEventPipeline: {
    streamName: "hcp-prod-security-events",
    domainEndpoint: "vpc-hcp-prod-events-abcdefghijklmnopqrstuvwxyz.us-east-1.es.amazonaws.com",
    domainName: "hcp-prod-events",
    archiveBucket: `hcp-prod-security-events-${ACCOUNT}-us-east-1`,
    incidentStateMachineArn: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:hcp-prod-incident`,
  },
  recoveryCopy: {
    region: "us-west-2",
    backupVaultName: "hcp-prod-records-copy",
    phiReplicaBucket: `hcp-prod-phi-replica-${ACCOUNT}-us-west-2`,
    accessLogBucket: `hcp-prod-access-logs-${ACCOUNT}-us-west-2`,
  },
  applicationLoadBalancer: {
    dnsName: "hcp-prod-app-1.us-east-1.elb.amazonaws.com",
    arn: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/hcp-prod-app/f8aaeee65ec2f89f`,
    accessLogBucket: `hcp-prod-alb-logs-${ACCOUNT}-us-east-1`,
  },
  applicationWebAclLogGroupName: "aws-waf-logs-hcp-prod-app",
  applicationLogGroupName: "/hcp/prod/application",
  applicationWebAclArn: `arn:aws:wafv2:us-east-1:${ACCOUNT}:regional/webacl/hcp-prod-app/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`,
  applicationDatabase: { endpoint: "db.example", secretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:rds!db-1111-2222-AbCdEf` },
  // As the canary exports it (issue 18 section 2).
  canary: CANARY,
};

/** https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html */
export const TRAIL_STATUS: GetTrailStatusResponse = {
  IsLogging: true,
  LatestDeliveryTime: minutesAgo(6),
  LatestCloudWatchLogsDeliveryTime: minutesAgo(4),
  LatestDigestDeliveryTime: minutesAgo(40),
  StartLoggingTime: new Date("2026-11-01T00:00:00Z"),
};

/** https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html (newest first) */
export const EXECUTIONS: ListExecutionsOutput = {
  executions: [
    { executionArn: "arn:1", stateMachineArn: "sm", name: "e-new", status: "RUNNING", startDate: minutesAgo(2) },
    {
      executionArn: "arn:2",
      stateMachineArn: "sm",
      name: "e-ok",
      status: "SUCCEEDED",
      startDate: minutesAgo(300),
      stopDate: minutesAgo(299),
    },
    { executionArn: "arn:3", stateMachineArn: "sm", name: "e-old-failed", status: "FAILED", startDate: minutesAgo(3 * 24 * 60) },
  ],
};

/** https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListBackupJobs.html */
export const BACKUP_JOBS: ListBackupJobsOutput = {
  BackupJobs: [
    {
      BackupJobId: "j1",
      BackupVaultName: "hcp-prod-records",
      State: "COMPLETED",
      ResourceType: "DynamoDB",
      CreationDate: minutesAgo(7 * 60),
    },
    { BackupJobId: "j2", BackupVaultName: "hcp-prod-records", State: "COMPLETED", ResourceType: "RDS", CreationDate: minutesAgo(7 * 60) },
  ],
};

/** https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListCopyJobs.html */
export const COPY_JOBS: ListCopyJobsOutput = {
  CopyJobs: [{ CopyJobId: "c1", State: "COMPLETED", ResourceType: "DynamoDB", CreationDate: minutesAgo(6 * 60) }],
};

/** https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html (an RDS-managed secret) */
export const SECRET: DescribeSecretResponse = {
  ARN: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:rds!db-1111-2222-AbCdEf`,
  Name: "rds!db-1111-2222",
  RotationEnabled: true,
  RotationRules: { AutomaticallyAfterDays: 7 },
  LastRotatedDate: minutesAgo(3 * 24 * 60),
  NextRotationDate: new Date(NOW.getTime() + 4 * 86_400_000),
  OwningService: "rds",
};

export const ALB_LOG_BUCKET = `hcp-prod-alb-logs-${ACCOUNT}-us-east-1`;
/** https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeLoadBalancerAttributes.html */
export const ALB_ATTRIBUTES = {
  Attributes: [
    { Key: "access_logs.s3.enabled", Value: "true" },
    { Key: "access_logs.s3.bucket", Value: ALB_LOG_BUCKET },
    { Key: "access_logs.s3.prefix", Value: "alb" },
    { Key: "deletion_protection.enabled", Value: "true" },
  ],
};
export const WAF_LOG_GROUP_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:aws-waf-logs-hcp-prod-app`;
/** https://docs.aws.amazon.com/waf/latest/APIReference/API_GetLoggingConfiguration.html */
export const WAF_LOGGING = { LoggingConfiguration: { ResourceArn: "acl", LogDestinationConfigs: [WAF_LOG_GROUP_ARN] } };
/** https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogStreams.html */
export const WAF_STREAMS = { logStreams: [{ logStreamName: "us-east-1_hcp-prod-app_0", lastEventTimestamp: minutesAgo(20).getTime() }] };

/** Healthy metric values by metric name (GetMetricData returns them oldest first with ScanBy TimestampAscending). */
export const METRICS: Record<string, number[]> = {
  "DeliveryToAmazonOpenSearchService.Success": [1, 1, 1],
  "DeliveryToS3.Success": [1, 1],
  "ClusterStatus.green": [1, 1, 1],
  SearchableDocuments: [1200, 1250, 900, 960],
  ProcessingSeconds: [48, 51.2, 47.5],
  DetectionSeconds: [410, 388, 402.4],
};

export function metricsResponder(values: Record<string, number[]>) {
  return (input: GetMetricDataInput) => {
    const q = input.MetricDataQueries?.[0];
    const name = q?.MetricStat?.Metric?.MetricName ?? "";
    const v = values[name] ?? [];
    return {
      MetricDataResults: [
        { Id: q?.Id, Label: name, StatusCode: "Complete" as const, Values: v, Timestamps: v.map((_, i) => minutesAgo(5 * (v.length - i))) },
      ],
    };
  };
}

/** Every client verify uses but S3, mocked healthy (S3 is left real: the archive specs use s3rver). */
export function mockHealthyAccount() {
  const mocks = {
    sts: mockClient(STSClient),
    cloudtrail: mockClient(CloudTrailClient),
    cloudwatch: mockClient(CloudWatchClient),
    sfn: mockClient(SFNClient),
    backup: mockClient(BackupClient),
    secrets: mockClient(SecretsManagerClient),
    elb: mockClient(ElasticLoadBalancingV2Client),
    waf: mockClient(WAFV2Client),
    logs: mockClient(CloudWatchLogsClient),
    config: mockClient(ConfigServiceClient),
    guardduty: mockClient(GuardDutyClient),
  };
  // https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeConfigurationRecorderStatus.html
  mocks.config.on(DescribeConfigurationRecorderStatusCommand).resolves({
    ConfigurationRecordersStatus: [
      { name: "hcp-prod-config-recorder", recording: true, lastStatus: "Success", lastStartTime: minutesAgo(60 * 24 * 30) },
    ],
  });
  // https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeDeliveryChannelStatus.html
  mocks.config.on(DescribeDeliveryChannelStatusCommand).resolves({
    DeliveryChannelsStatus: [
      {
        name: "hcp-prod-config",
        configHistoryDeliveryInfo: { lastStatus: "Success" },
        configSnapshotDeliveryInfo: { lastStatus: "Success" },
      },
    ],
  });
  // https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListDetectors.html, API_GetDetector.html
  mocks.guardduty.on(ListDetectorsCommand).resolves({ DetectorIds: ["12abc34d567e8fa901bc2d34e56789f0"] });
  mocks.guardduty.on(GetDetectorCommand).resolves({ Status: "ENABLED", ServiceRole: "r" });
  mocks.elb.on(DescribeLoadBalancerAttributesCommand).resolves(ALB_ATTRIBUTES);
  mocks.waf.on(GetLoggingConfigurationCommand).resolves(WAF_LOGGING);
  mocks.logs.on(DescribeLogStreamsCommand).resolves(WAF_STREAMS);
  mocks.sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/auditor/s`, UserId: "AROAX:s" });
  mocks.cloudtrail.on(GetTrailStatusCommand).resolves(TRAIL_STATUS);
  mocks.cloudwatch.on(GetMetricDataCommand).callsFake(metricsResponder(METRICS));
  mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });
  mocks.cloudwatch.on(DescribeAlarmHistoryCommand).resolves({
    AlarmHistoryItems: [
      {
        AlarmName: "hcp-prod-data-processor-errors",
        HistoryItemType: "Action",
        Timestamp: minutesAgo(90),
        HistorySummary: "Successfully executed action arn:aws:sns:us-east-1:123456789012:hcp-prod-security-alerts",
      },
      {
        AlarmName: "other-team-alarm",
        HistoryItemType: "Action",
        Timestamp: minutesAgo(80),
        HistorySummary: "Failed to execute action arn:aws:sns:us-east-1:123456789012:other",
      },
    ],
  });
  mocks.sfn.on(ListExecutionsCommand).resolves(EXECUTIONS);
  mocks.backup.on(ListBackupJobsCommand).resolves(BACKUP_JOBS);
  mocks.backup.on(ListCopyJobsCommand).resolves(COPY_JOBS);
  mocks.secrets.on(DescribeSecretCommand).resolves(SECRET);
  return { ...mocks, restore: () => Object.values(mocks).forEach((m) => m.restore()) };
}

export function context(overrides: Partial<CheckContext> = {}, aws: Partial<ConstructorParameters<typeof Aws>[0]> = {}): CheckContext {
  return {
    stack: "prod",
    outputs: OUTPUTS,
    aws: new Aws({ region: "us-east-1", timeoutMs: 2_000, credentials: CREDENTIALS, ...aws }),
    account: ACCOUNT,
    region: "us-east-1",
    now: NOW,
    since: SINCE,
    ...overrides,
  };
}

/** An AWS error as the SDK throws it (its `name` is the error code). */
export function awsError(name: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(`${name} (message withheld)`), { name, $metadata: { httpStatusCode } });
}
