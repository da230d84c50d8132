/**
 * The AWS behaviour table (docs/design.md, "AWS behaviour, verified offline"): one row per cross-service path the platform
 * relies on — who calls (a role of the plan, or a service principal), which action on which
 * resource of the plan, exactly the request context AWS documents for that path, the decision AWS
 * must reach, and the AWS documentation that says so. Rows are built from a plan, so a path that a
 * stack does not have (dev keeps no replica) yields no row, and every ARN is the plan's own.
 *
 * `settled: false` marks a row whose context AWS's documentation does not pin down; its `note` says
 * what is assumed and its `settledBy` the verify check that settles it in the account. `AVOIDED` lists what AWS documents as unsupported; the spec asserts the plans
 * avoid each one.
 *
 * To add a path: add a `RowSource` to `ROWS` (it receives the plan's index and returns its rows).
 */
import type { Call, Context } from "./simulate";
import { asString } from "../../policy-pack/policies/lib/util";
import type { PolicyIndex, PolicyDocument } from "./policy-index";
import { APPLICATION_ROWS } from "./application-rows";
import { INCIDENT_ROWS } from "./incident-rows";
import { PIPELINE_ROWS } from "./pipeline-rows";
import { STORAGE_NETWORK_ROWS } from "./storage-network-rows";
import { TLS } from "./row-factory";
import { CANARY_ROWS } from "./canary-rows";

export interface Row extends Call {
  /** Unique within a plan; names the path and, after a colon, the call. */
  readonly id: string;
  readonly expected: "Allowed" | "Denied";
  readonly doc: string;
  readonly settled: boolean;
  /** What the documentation leaves open, or why the row is shaped as it is. */
  readonly note?: string;
  /**
   * For an unsettled row: the id of the `npm run verify` check whose pass settles it in the account
   * (tools/verify/run.ts CHECKS; the check's `rows` name the row: test/verify/settles.spec.ts).
   */
  readonly settledBy?: string;
  /** AWS-managed policies of the calling role that this row knowingly does not see (not in the plan). */
  readonly awsManagedDocumented?: readonly string[];
}

export type RowSource = (ix: PolicyIndex) => Row[];

export const DOCS = {
  cloudTrailLogsRole: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html",
  cloudTrailBucket: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
  cloudTrailKey: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html",
  cloudTrailLogStream: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html",
  logsKms: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
  flowLogsRole: "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html",
  snsKeyManagement: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services",
  eventBridgeSns: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions",
  alarmSns: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html",
  serverAccessLogging: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html",
  s3InvokeLambda: "https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html",
  replicationRole: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html",
  replicationKms: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
  s3EncryptionContext: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context",
  copyObject: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html",
  lambdaExecutionRole: "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
  lambdaSourceFunctionArn: "https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html",
  lambdaVpc: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions",
  lambdaDlq: "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-dlq",
  lambdaEnvKms: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html",
  sqsKms: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html",
  ssmKms: "https://docs.aws.amazon.com/kms/latest/developerguide/services-parameter-store.html",
  dynamodbKms: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html",
  snsPublishKms: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html",
  xray: "https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html",
  configRole: "https://docs.aws.amazon.com/config/latest/developerguide/iamrole-permissions.html",
  configBucket: "https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html",
  principalIsAwsService:
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice",
  backupServiceRole: "https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html",
  backupEncryption: "https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html",
  backupVaultKey: "https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault.html",
  backupManagedPolicy: "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForBackup.html",
  backupVaultAccessPolicy: "https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html",
  kmsGrantIsForAwsResource: "https://docs.aws.amazon.com/kms/latest/developerguide/grant-authorization.html",
} as const;

const source = (ix: PolicyIndex, arn?: string): Record<string, string> => ({
  "aws:SourceAccount": ix.account,
  ...(arn ? { "aws:SourceArn": arn } : {}),
});
const via = (service: string, region: string): Record<string, string> => ({ "kms:ViaService": `${service}.${region}.amazonaws.com` });
const callerAccount = (ix: PolicyIndex): Record<string, string> => ({ "kms:CallerAccount": ix.account });

const stackName = (ix: PolicyIndex, suffix: string): string => `hcp-${ix.stack}-${suffix}`;
const optionalRole = (ix: PolicyIndex, suffix: string) => ix.roles.get(stackName(ix, suffix));
const trailOf = (ix: PolicyIndex) => ix.ofType("aws:cloudtrail/trail:Trail")[0];
const phiBucket = (ix: PolicyIndex) => ix.bucket((n) => n.startsWith(`hcp-${ix.stack}-phi-data-`), "PHI data");

/** CloudTrail -> CloudWatch Logs: CloudTrail assumes its role (no condition is possible) and writes its log stream. */
const cloudTrailToLogs: RowSource = (ix) => {
  const trail = trailOf(ix);
  const role = optionalRole(ix, "cloudtrail-logs");
  if (!trail || !role || !trail.inputs.cloudWatchLogsGroupArn) return [];
  const group = asString(trail.inputs.cloudWatchLogsGroupArn).replace(/:\*$/, "");
  const stream = `${group}:log-stream:${ix.account}_CloudTrail_${ix.region}`;
  return [
    {
      id: "cloudtrail-logs:assume-role",
      caller: { service: "cloudtrail.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: role.arn,
      context: {},
      expected: "Allowed",
      doc: DOCS.cloudTrailLogsRole,
      settled: true,
      note:
        "AWS: confused-deputy prevention is not applicable to this role; the role policy does not support aws:SourceArn or " +
        "aws:SourceAccount. CloudTrail sends neither.",
    },
    ...["logs:CreateLogStream", "logs:PutLogEvents"].map((action): Row => ({
      id: `cloudtrail-logs:${action}`,
      caller: { role: role.name },
      action,
      resource: stream,
      context: TLS,
      expected: "Allowed",
      doc: DOCS.cloudTrailLogsRole,
      settled: true,
      note: `CloudTrail names its stream <account>_CloudTrail_<region> (${DOCS.cloudTrailLogStream}).`,
    })),
  ];
};

/** CloudTrail -> its S3 bucket: the ACL check, log files and digest files, with bucket-owner-full-control. */
const cloudTrailToBucket: RowSource = (ix) => {
  const trail = trailOf(ix);
  if (!trail) return [];
  const trailArn = String(trail.outputs.arn);
  const bucket = ix.buckets.get(String(trail.inputs.s3BucketName))!;
  const prefix = trail.inputs.s3KeyPrefix ? `${asString(trail.inputs.s3KeyPrefix)}/` : "";
  const ctx = { ...TLS, ...source(ix, trailArn) };
  const note =
    "AWS documents aws:SourceArn (and aws:SourceAccount) and x-amz-acl for these calls; it does not document which SSE headers CloudTrail sends: " +
    "the row sends none, and the bucket's encryption denies must exempt AWS service principals (aws:PrincipalIsAWSService).";
  return [
    {
      id: "cloudtrail-bucket:s3:GetBucketAcl",
      caller: { service: "cloudtrail.amazonaws.com" },
      action: "s3:GetBucketAcl",
      resource: bucket.arn,
      context: ctx,
      expected: "Allowed",
      doc: DOCS.cloudTrailBucket,
      settled: true,
    },
    ...["CloudTrail", "CloudTrail-Digest"].map((kind): Row => ({
      id: `cloudtrail-bucket:s3:PutObject ${kind}/`,
      caller: { service: "cloudtrail.amazonaws.com" },
      action: "s3:PutObject",
      resource: `${bucket.arn}/${prefix}AWSLogs/${ix.account}/${kind}/${ix.region}/2025/01/01/${ix.account}_${kind}_${ix.region}_20250101T0000Z_x.json.gz`,
      context: { ...ctx, "s3:x-amz-acl": "bucket-owner-full-control" },
      expected: "Allowed",
      doc: DOCS.cloudTrailBucket,
      settled: false,
      settledBy: "trail",
      note,
    })),
  ];
};

/** CloudTrail -> the trail's KMS key: data keys bound to the trail, Decrypt for the S3 Bucket Key, DescribeKey. */
const cloudTrailToKey: RowSource = (ix) => {
  const trail = trailOf(ix);
  if (!trail?.inputs.kmsKeyId) return [];
  const trailArn = String(trail.outputs.arn);
  const key = ix.keyArn(asString(trail.inputs.kmsKeyId))!;
  const base = { ...TLS, "aws:SourceArn": trailArn, "aws:SourceAccount": ix.account };
  const caller = { service: "cloudtrail.amazonaws.com" } as const;
  return [
    {
      id: "cloudtrail-key:kms:GenerateDataKey",
      caller,
      action: "kms:GenerateDataKey",
      resource: key,
      context: { ...base, "kms:EncryptionContext:aws:cloudtrail:arn": trailArn },
      expected: "Allowed",
      doc: DOCS.cloudTrailKey,
      settled: true,
    },
    {
      id: "cloudtrail-key:kms:Decrypt (S3 Bucket Key)",
      caller,
      action: "kms:Decrypt",
      resource: key,
      context: base,
      expected: "Allowed",
      doc: DOCS.cloudTrailKey,
      settled: true,
      note: "AWS: kms:Decrypt is required to create or update a trail whose bucket uses an S3 Bucket Key with SSE-KMS.",
    },
    {
      id: "cloudtrail-key:kms:DescribeKey",
      caller,
      action: "kms:DescribeKey",
      resource: key,
      context: base,
      expected: "Allowed",
      doc: DOCS.cloudTrailKey,
      settled: true,
    },
  ];
};

/** CloudWatch Logs encrypting and decrypting each platform log group with its key (the regional logs principal). */
const logsToKey: RowSource = (ix) =>
  [...ix.logGroups.values()]
    .filter((g) => g.kmsKeyArn)
    .flatMap((g) => {
      const region = g.arn.split(":")[3];
      return ["kms:GenerateDataKey", "kms:Decrypt"].map((action): Row => ({
        id: `logs-key ${g.name}:${action}`,
        caller: { service: `logs.${region}.amazonaws.com` },
        action,
        resource: g.kmsKeyArn!,
        context: { ...TLS, "kms:EncryptionContext:aws:logs:arn": g.arn },
        expected: "Allowed",
        doc: DOCS.logsKms,
        settled: true,
        note: "CloudWatch Logs sends the log group ARN as kms:EncryptionContext:aws:logs:arn.",
      }));
    });

/** A regional CloudWatch Logs grant with no log group of the plan under it yet (the recovery region): one row for the grant's pattern. */
const logsGrantWithoutGroups: RowSource = (ix) =>
  [...ix.keys.values()].flatMap((k) => {
    const principal = `logs.${k.region}.amazonaws.com`;
    const grants = k.policy.Statement.some((s) => s.Principal && s.Principal !== "*" && [s.Principal.Service].flat().includes(principal));
    if (!grants || [...ix.logGroups.values()].some((g) => g.kmsKeyArn === k.arn)) return [];
    const group = `arn:aws:logs:${k.region}:${ix.account}:log-group:/hcp/${ix.stack}/recovery`;
    return ["kms:GenerateDataKey", "kms:Decrypt"].map((action): Row => ({
      id: `logs-key ${k.logicalName} (no log group yet):${action}`,
      caller: { service: principal },
      action,
      resource: k.arn,
      context: { ...TLS, "kms:EncryptionContext:aws:logs:arn": group },
      expected: "Allowed",
      doc: DOCS.logsKms,
      settled: true,
      note: "No log group of the plan uses this key yet: the row checks the grant for a platform log group name of its region.",
    }));
  });

/** VPC flow logs -> CloudWatch Logs through their role. */
const flowLogs: RowSource = (ix) =>
  ix.ofType("aws:ec2/flowLog:FlowLog").flatMap((fl): Row[] => {
    if (fl.inputs.logDestinationType !== "cloud-watch-logs") return [];
    const roleName = String(fl.inputs.iamRoleArn).split("/").pop()!;
    const group = String(fl.inputs.logDestination).replace(/:\*$/, "");
    const stream = `${group}:log-stream:eni-0123456789abcdef0-all`;
    const caller = { role: roleName };
    const row = (action: string, resource: string): Row => ({
      id: `flow-logs:${action}`,
      caller,
      action,
      resource,
      context: TLS,
      expected: "Allowed",
      doc: DOCS.flowLogsRole,
      settled: true,
      note:
        "AWS's documented minimum for the role: CreateLogGroup (our group exists), CreateLogStream, PutLogEvents, " +
        "DescribeLogGroups, DescribeLogStreams.",
    });
    return [
      {
        id: "flow-logs:assume-role",
        caller: { service: "vpc-flow-logs.amazonaws.com" },
        action: "sts:AssumeRole",
        resource: ix.role(roleName).arn,
        context: source(ix, String(fl.outputs.arn)),
        expected: "Allowed",
        doc: DOCS.flowLogsRole,
        settled: true,
        note: "AWS documents aws:SourceAccount and aws:SourceArn (arn:aws:ec2:<region>:<account>:vpc-flow-log/*) in the trust policy.",
      },
      row("logs:CreateLogStream", stream),
      row("logs:PutLogEvents", stream),
      row("logs:DescribeLogStreams", group),
      row("logs:DescribeLogGroups", "*"),
    ];
  });

/** EventBridge rules and CloudWatch alarms -> the encrypted security-alert topic. */
const alertsToTopic: RowSource = (ix) => {
  const rows: Row[] = [];
  for (const target of ix.ofType("aws:cloudwatch/eventTarget:EventTarget")) {
    const topic = ix.topics.get(String(target.inputs.arn));
    if (!topic) continue;
    const rule = ix.ofType("aws:cloudwatch/eventRule:EventRule").find((r) => r.inputs.name === target.inputs.rule)!;
    const ruleArn = String(rule.outputs.arn);
    rows.push({
      id: `eventbridge-sns ${String(rule.inputs.name)}:sns:Publish`,
      caller: { service: "events.amazonaws.com" },
      action: "sns:Publish",
      resource: topic.arn,
      context: { ...TLS, ...source(ix, ruleArn) },
      expected: "Allowed",
      doc: DOCS.eventBridgeSns,
      settled: true,
      note: "EventBridge sends the rule ARN as aws:SourceArn to SNS; the topic policy narrows publishing to the stack's rules.",
    });
    if (topic.kmsKeyArn) {
      for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
        rows.push({
          id: `eventbridge-sns-key ${String(rule.inputs.name)}:${action}`,
          caller: { service: "events.amazonaws.com" },
          action,
          resource: topic.kmsKeyArn,
          context: TLS,
          expected: "Allowed",
          doc: DOCS.snsKeyManagement,
          settled: true,
          note:
            "AWS: adding aws:SourceAccount, aws:SourceArn and aws:SourceOrgID to a KMS key policy is not supported for " +
            "EventBridge-to-encrypted topics: the request carries none.",
        });
      }
    }
  }
  for (const alarm of ix.ofType("aws:cloudwatch/metricAlarm:MetricAlarm")) {
    const actions = new Set(
      [alarm.inputs.alarmActions, alarm.inputs.okActions, alarm.inputs.insufficientDataActions].flatMap(
        (a) => (a as string[] | undefined) ?? [],
      ),
    );
    for (const actionArn of actions) {
      const topic = ix.topics.get(actionArn);
      if (!topic) continue;
      const alarmArn = String(alarm.outputs.arn);
      rows.push({
        id: `alarm-sns ${String(alarm.inputs.name)}:sns:Publish`,
        caller: { service: "cloudwatch.amazonaws.com" },
        action: "sns:Publish",
        resource: topic.arn,
        context: { ...TLS, ...source(ix, alarmArn) },
        expected: "Allowed",
        doc: DOCS.alarmSns,
        settled: true,
      });
      if (topic.kmsKeyArn) {
        for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
          rows.push({
            id: `alarm-sns-key ${String(alarm.inputs.name)}:${action}`,
            caller: { service: "cloudwatch.amazonaws.com" },
            action,
            resource: topic.kmsKeyArn,
            context: { ...TLS, ...source(ix, alarmArn) },
            expected: "Allowed",
            doc: DOCS.snsKeyManagement,
            settled: false,
            settledBy: "alarms",
            note:
              "AWS documents the cloudwatch.amazonaws.com key-policy grant for encrypted topics; it does not state which aws:Source* keys CloudWatch sends to KMS. " +
              "The row assumes aws:SourceAccount and the alarm's aws:SourceArn, as for sns:Publish.",
          });
        }
      }
    }
  }
  return rows;
};

/** S3 server access logs -> the region's log-target bucket. */
const serverAccessLogs: RowSource = (ix) =>
  ix.ofType("aws:s3/bucketLogging:BucketLogging").map((l): Row => {
    const sourceBucket = ix.buckets.get(String(l.inputs.bucket))!;
    const target = ix.buckets.get(String(l.inputs.targetBucket))!;
    return {
      id: `server-access-logs ${sourceBucket.name}:s3:PutObject`,
      caller: { service: "logging.s3.amazonaws.com" },
      action: "s3:PutObject",
      resource: `${target.arn}/${asString(l.inputs.targetPrefix ?? "")}2025-01-01-00-00-00-0123456789ABCDEF`,
      context: { ...TLS, ...source(ix, sourceBucket.arn) },
      expected: "Allowed",
      doc: DOCS.serverAccessLogging,
      settled: false,
      settledBy: "access-logs",
      note:
        "AWS documents aws:SourceArn (the source bucket) and aws:SourceAccount for the logging service principal, and that the target bucket's default " +
        "encryption must be SSE-S3 (SSE-KMS is not supported). It does not document the request's SSE headers: the row sends none.",
    };
  });

/** S3 -> Lambda: the PHI bucket's notifications invoke the data processor. */
const s3InvokesLambda: RowSource = (ix) =>
  ix.ofType("aws:s3/bucketNotification:BucketNotification").flatMap((n) => {
    const bucket = ix.buckets.get(String(n.inputs.bucket))!;
    return ((n.inputs.lambdaFunctions as { lambdaFunctionArn: string }[] | undefined) ?? []).map((f): Row => ({
      id: `s3-lambda ${bucket.name}:lambda:InvokeFunction`,
      caller: { service: "s3.amazonaws.com" },
      action: "lambda:InvokeFunction",
      resource: f.lambdaFunctionArn,
      context: source(ix, bucket.arn),
      expected: "Allowed",
      doc: DOCS.s3InvokeLambda,
      settled: true,
      note: "S3 sends the bucket ARN as aws:SourceArn and the bucket owner as aws:SourceAccount.",
    }));
  });

/** S3 replication: S3 assumes the replication role, reads source versions, decrypts and re-encrypts across regions. */
const replication: RowSource = (ix) =>
  ix.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig").flatMap((c): Row[] => {
    const roleName = String(c.inputs.role).split("/").pop()!;
    const caller = { role: roleName };
    const src = ix.buckets.get(String(c.inputs.bucket))!;
    const rules = c.inputs.rules as { destination: { bucket: string; encryptionConfiguration?: { replicaKmsKeyId?: string } } }[];
    // What the source bucket holds: CloudTrail's log and digest files under AWSLogs/ (the trail's prefix, if any), or PHI records.
    const trail = trailOf(ix);
    const isTrailBucket = trail !== undefined && String(trail.inputs.s3BucketName) === src.name;
    const trailPrefix = isTrailBucket && trail.inputs.s3KeyPrefix ? `${asString(trail.inputs.s3KeyPrefix)}/` : "";
    const objects: [string, string][] = isTrailBucket
      ? ["CloudTrail", "CloudTrail-Digest"].map((kind): [string, string] => [
          ` ${kind}/`,
          `${trailPrefix}AWSLogs/${ix.account}/${kind}/${ix.region}/2025/01/01/${ix.account}_${kind}_${ix.region}_20250101T0000Z_x.json.gz`,
        ])
      : [["", "processed/2025/01/01/record.json"]];
    const rows: Row[] = [
      {
        id: `replication[${roleName}]:assume-role`,
        caller: { service: "s3.amazonaws.com" },
        action: "sts:AssumeRole",
        resource: ix.role(roleName).arn,
        context: source(ix, src.arn),
        expected: "Allowed",
        doc: DOCS.replicationRole,
        settled: true,
        note: "AWS's trust policy example conditions on aws:SourceAccount and aws:SourceArn (the source bucket).",
      },
      ...["s3:GetReplicationConfiguration", "s3:ListBucket"].map((action): Row => ({
        id: `replication[${roleName}]:${action}`,
        caller,
        action,
        resource: src.arn,
        context: TLS,
        expected: "Allowed",
        doc: DOCS.replicationRole,
        settled: true,
      })),
      ...objects.flatMap(([label, object]) =>
        ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"].map((action): Row => ({
          id: `replication[${roleName}]:${action}${label}`,
          caller,
          action,
          resource: `${src.arn}/${object}`,
          context: TLS,
          expected: "Allowed",
          doc: DOCS.replicationRole,
          settled: true,
        })),
      ),
    ];
    if (src.kmsKeyArn) {
      rows.push({
        id: `replication[${roleName}]:kms:Decrypt source`,
        caller,
        action: "kms:Decrypt",
        resource: src.kmsKeyArn,
        context: { ...TLS, ...via("s3", src.region), ...callerAccount(ix), "kms:EncryptionContext:aws:s3:arn": src.arn },
        expected: "Allowed",
        doc: DOCS.replicationKms,
        settled: true,
        note: `With an S3 Bucket Key the encryption context is the bucket ARN, else the object ARN (${DOCS.s3EncryptionContext}).`,
      });
    }
    for (const rule of rules) {
      const dest = [...ix.buckets.values()].find((b) => b.arn === rule.destination.bucket)!;
      for (const [label, object] of objects) {
        for (const action of ["s3:ReplicateObject", "s3:ReplicateTags"]) {
          rows.push({
            id: `replication[${roleName}]:${action}${label}`,
            caller,
            action,
            resource: `${dest.arn}/${object}`,
            context: TLS,
            expected: "Allowed",
            doc: DOCS.replicationRole,
            settled: true,
          });
        }
      }
      const replicaKey = rule.destination.encryptionConfiguration?.replicaKmsKeyId;
      if (replicaKey) {
        for (const action of ["kms:Encrypt", "kms:GenerateDataKey"]) {
          rows.push({
            id: `replication[${roleName}]:${action} replica`,
            caller,
            action,
            resource: ix.keyArn(replicaKey)!,
            context: { ...TLS, ...via("s3", dest.region), ...callerAccount(ix), "kms:EncryptionContext:aws:s3:arn": dest.arn },
            expected: "Allowed",
            doc: DOCS.replicationKms,
            settled: true,
          });
        }
      }
    }
    return rows;
  });

/** The data processor (Lambda): its trust, its own calls and the calls Lambda makes with its role. */
const dataProcessor: RowSource = (ix) =>
  [...ix.functions.values()]
    .filter((f) => f.name === stackName(ix, "data-processor"))
    .flatMap((f): Row[] => {
      const roleName = f.roleArn.split("/").pop()!;
      const caller = { role: roleName };
      const phi = phiBucket(ix);
      const table = ix.ofType("aws:dynamodb/table:Table").find((t) => t.inputs.name === stackName(ix, "audit"))!;
      const param = ix
        .ofType("aws:ssm/parameter:Parameter")
        .find((p) => String(p.inputs.name).startsWith(`/hcp/${ix.stack}/data-processor/`))!;
      const topic = [...ix.topics.values()].find((t) => t.name === stackName(ix, "security-alerts"))!;
      const region = f.arn.split(":")[3];
      const role = (action: string, resource: string, context: Context, doc: string, extra: Partial<Row> = {}): Row => ({
        caller,
        action,
        resource,
        context: { ...TLS, ...context },
        expected: "Allowed",
        doc,
        settled: true,
        ...extra,
        id: `data-processor:${action} ${extra.id ?? resource.split(/[:/]/).slice(-2).join("/")}`,
      });
      const s3Key = { ...via("s3", phi.region), ...callerAccount(ix), "kms:EncryptionContext:aws:s3:arn": phi.arn };
      const rows: Row[] = [
        {
          id: "data-processor:assume-role",
          caller: { service: "lambda.amazonaws.com" },
          action: "sts:AssumeRole",
          resource: ix.role(roleName).arn,
          context: { "aws:SourceAccount": ix.account },
          expected: "Allowed",
          doc: DOCS.lambdaExecutionRole,
          settled: false,
          settledBy: "canary",
          note:
            "Lambda assumes the execution role; the Lambda guide's trust policy carries no condition and does not state which aws:Source* keys Lambda sends. " +
            "The row assumes aws:SourceAccount (the trust requires it); aws:SourceArn is not assumed.",
        },
        role("s3:GetObject", `${phi.arn}/intake/patient-123.json`, {}, DOCS.copyObject, { id: "read intake/" }),
        role("kms:Decrypt", phi.kmsKeyArn!, s3Key, DOCS.s3EncryptionContext, { id: "PHI key via S3 (read, copy)" }),
        ...["processed", "quarantine"].map((prefix) =>
          role(
            "s3:PutObject",
            `${phi.arn}/${prefix}/patient-123.json`,
            { "s3:x-amz-copy-source": `${phi.name}/intake/patient-123.json`, "s3:x-amz-metadata-directive": "COPY" },
            DOCS.copyObject,
            {
              id: `CopyObject to ${prefix}/ (no SSE header)`,
              note:
                "CopyObject is authorized as s3:GetObject on the source and s3:PutObject on the destination; the handler sends no SSE " +
                "header and relies on the bucket's default SSE-KMS.",
            },
          ),
        ),
        role("kms:GenerateDataKey", phi.kmsKeyArn!, s3Key, DOCS.s3EncryptionContext, { id: "PHI key via S3 (write)" }),
        ...["dynamodb:GetItem", "dynamodb:PutItem"].map((a) => role(a, String(table.outputs.arn), {}, DOCS.dynamodbKms)),
        role("kms:Decrypt", phi.kmsKeyArn!, { ...via("dynamodb", region), ...callerAccount(ix) }, DOCS.dynamodbKms, {
          id: "PHI key via DynamoDB",
          settled: false,
          settledBy: "canary",
          note:
            "DynamoDB calls KMS for the table key with kms:ViaService=dynamodb; whether the caller's own credentials are used per " +
            "request (rather than DynamoDB's grant) is not documented.",
        }),
        role("ssm:GetParameter", String(param.outputs.arn), {}, DOCS.ssmKms),
        role(
          "kms:Decrypt",
          phi.kmsKeyArn!,
          { ...via("ssm", region), ...callerAccount(ix), "kms:EncryptionContext:PARAMETER_ARN": String(param.outputs.arn) },
          DOCS.ssmKms,
          {
            id: "PHI key via SSM (SecureString)",
          },
        ),
        role("sns:Publish", topic.arn, {}, DOCS.snsPublishKms),
        role(
          "kms:GenerateDataKey",
          topic.kmsKeyArn!,
          { ...via("sns", region), ...callerAccount(ix), "kms:EncryptionContext:aws:sns:topicArn": topic.arn },
          DOCS.snsPublishKms,
          {
            id: "audit key via SNS (publish)",
          },
        ),
        role(
          "kms:Decrypt",
          topic.kmsKeyArn!,
          { ...via("sns", region), ...callerAccount(ix), "kms:EncryptionContext:aws:sns:topicArn": topic.arn },
          DOCS.snsPublishKms,
          {
            id: "audit key via SNS (decrypt)",
          },
        ),
      ];
      const logGroup = ix.logGroups.get(`/aws/lambda/${f.name}`);
      if (logGroup) {
        const stream = `${logGroup.arn}:log-stream:2025/01/01/[$LATEST]0123456789abcdef`;
        const ctx = { "lambda:SourceFunctionArn": f.arn };
        rows.push(
          role("logs:CreateLogStream", stream, ctx, DOCS.lambdaSourceFunctionArn, { id: "own log group" }),
          role("logs:PutLogEvents", stream, ctx, DOCS.lambdaSourceFunctionArn, { id: "own log group (events)" }),
        );
      }
      rows.push(role("xray:PutTraceSegments", "*", {}, DOCS.xray), role("xray:PutTelemetryRecords", "*", {}, DOCS.xray));
      if (f.deadLetterArn) {
        const queue = ix.queues.get(f.deadLetterArn);
        rows.push(
          role("sqs:SendMessage", f.deadLetterArn, {}, DOCS.lambdaDlq, {
            id: "dead-letter queue",
            note: "Lambda sends failed asynchronous events to the DLQ with the function's execution role.",
          }),
        );
        if (queue?.kmsKeyArn) {
          rows.push(
            role(
              "kms:GenerateDataKey",
              queue.kmsKeyArn,
              { ...via("sqs", region), ...callerAccount(ix), "kms:EncryptionContext:aws:sqs:arn": queue.arn },
              DOCS.sqsKms,
              {
                id: "PHI key via SQS (DLQ)",
              },
            ),
            role(
              "kms:Decrypt",
              queue.kmsKeyArn,
              { ...via("sqs", region), ...callerAccount(ix), "kms:EncryptionContext:aws:sqs:arn": queue.arn },
              DOCS.sqsKms,
              {
                id: "PHI key via SQS (DLQ data key)",
                note: "SQS producers need kms:GenerateDataKey and kms:Decrypt on the queue's key.",
              },
            ),
          );
        }
      }
      if (f.kmsKeyArn) {
        rows.push(
          role(
            "kms:Decrypt",
            f.kmsKeyArn,
            { ...via("lambda", region), ...callerAccount(ix), "kms:EncryptionContext:aws:lambda:FunctionArn": f.arn },
            DOCS.lambdaEnvKms,
            {
              id: "PHI key via Lambda (environment)",
              settled: false,
              settledBy: "canary",
              note:
                "Lambda decrypts the environment outside the execution environment; the documentation does not state whether it uses " +
                "the execution role or its grant for each cold start.",
            },
          ),
        );
      }
      if (f.subnetIds.length > 0) {
        const eni = `arn:aws:ec2:${region}:${ix.account}:network-interface/*`;
        const subnet = `arn:aws:ec2:${region}:${ix.account}:subnet/${f.subnetIds[0]}`;
        const sg = `arn:aws:ec2:${region}:${ix.account}:security-group/${f.securityGroupIds[0]}`;
        const note =
          "Lambda creates and deletes the function's ENIs with its execution role " +
          "(outside the execution environment: no lambda:SourceFunctionArn).";
        rows.push(
          role("ec2:CreateNetworkInterface", eni.replace("*", "eni-0123456789abcdef0"), {}, DOCS.lambdaVpc, { id: "ENI", note }),
          role("ec2:CreateNetworkInterface", subnet, {}, DOCS.lambdaVpc, { id: "in its subnet", note }),
          role("ec2:CreateNetworkInterface", sg, {}, DOCS.lambdaVpc, { id: "with its security group", note }),
          role("ec2:DeleteNetworkInterface", eni.replace("*", "eni-0123456789abcdef0"), {}, DOCS.lambdaVpc, { id: "ENI", note }),
          role("ec2:AssignPrivateIpAddresses", eni.replace("*", "eni-0123456789abcdef0"), {}, DOCS.lambdaVpc, { id: "ENI", note }),
          role("ec2:UnassignPrivateIpAddresses", eni.replace("*", "eni-0123456789abcdef0"), {}, DOCS.lambdaVpc, { id: "ENI", note }),
          role("ec2:DescribeNetworkInterfaces", "*", {}, DOCS.lambdaVpc, { id: "*", note }),
          role("ec2:DescribeSubnets", "*", {}, DOCS.lambdaVpc, { id: "*", note }),
        );
      }
      return rows;
    });

/** AWS Config (when the plan records configuration): Config assumes its role and delivers to the trail bucket. */
const config: RowSource = (ix) => {
  const role = optionalRole(ix, "aws-config");
  const channel = ix.ofType("aws:cfg/deliveryChannel:DeliveryChannel")[0];
  if (!role || !channel) return [];
  const bucket = ix.buckets.get(String(channel.inputs.s3BucketName))!;
  const prefix = channel.inputs.s3KeyPrefix ? `${asString(channel.inputs.s3KeyPrefix)}/` : "";
  const managed = role.awsManaged;
  const note =
    "AWS: with a service role in the bucket's own account, Config uses the role for delivery; " +
    "with the service-linked role it uses config.amazonaws.com.";
  const rows: Row[] = [
    {
      id: "config:assume-role",
      caller: { service: "config.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: role.arn,
      context: source(ix),
      expected: "Allowed",
      doc: DOCS.configRole,
      settled: true,
      note: "AWS documents aws:SourceAccount in the Config role's trust policy.",
    },
  ];
  if (bucket.kmsKeyArn) {
    for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
      rows.push({
        id: `config role:${action} (SSE-KMS delivery)`,
        caller: { role: role.name },
        action,
        resource: bucket.kmsKeyArn,
        context: {
          ...TLS,
          "kms:ViaService": `s3.${bucket.region}.amazonaws.com`,
          "kms:CallerAccount": ix.account,
          "kms:EncryptionContext:aws:s3:arn": bucket.arn,
        },
        expected: "Allowed",
        doc: DOCS.configBucket,
        settled: true,
        note: "Config writes to an SSE-KMS bucket through S3 with its role's credentials.",
        awsManagedDocumented: managed,
      });
    }
  }
  for (const caller of [{ role: role.name }, { service: "config.amazonaws.com" }] as const) {
    const ctx = "service" in caller ? { ...TLS, ...source(ix) } : TLS;
    rows.push(
      {
        id: `config ${"role" in caller ? "role" : "service"}:s3:GetBucketAcl`,
        caller,
        action: "s3:GetBucketAcl",
        resource: bucket.arn,
        context: ctx,
        expected: "Allowed",
        doc: DOCS.configBucket,
        settled: true,
        note,
        awsManagedDocumented: managed,
      },
      {
        // HeadBucket is authorized as s3:ListBucket; Config checks the bucket exists before delivering.
        id: `config ${"role" in caller ? "role" : "service"}:s3:ListBucket (HeadBucket before delivery)`,
        caller,
        action: "s3:ListBucket",
        resource: bucket.arn,
        context: ctx,
        expected: "Allowed",
        doc: DOCS.configBucket,
        settled: true,
        note: `${note} Denied, every delivery leaves an AccessDenied in CloudTrail, which the stack's AccessDenied metric filter alarms on.`,
        awsManagedDocumented: managed,
      },
      {
        id: `config ${"role" in caller ? "role" : "service"}:s3:PutObject`,
        caller,
        action: "s3:PutObject",
        resource: `${bucket.arn}/${prefix}AWSLogs/${ix.account}/Config/${ix.region}/2025/1/1/ConfigSnapshot/x.json.gz`,
        context: { ...ctx, "s3:x-amz-acl": "bucket-owner-full-control" },
        expected: "Allowed",
        doc: DOCS.configBucket,
        settled: false,
        settledBy: "guardrails",
        note: `${note} The SSE headers Config sends are not documented: the row sends none.`,
        awsManagedDocumented: managed,
      },
    );
  }
  return rows;
};

/**
 * AWS Backup (components/backup.ts): AWS Backup assumes the plan's backup role, backs up the selected
 * DynamoDB table (the table's key through DynamoDB), encrypts the recovery point under the vault's key
 * (through AWS Backup) and, in prod, copies it into the recovery region's vault under that vault's key.
 * The role's AWS-managed AWSBackupServiceRolePolicyForBackup is evaluated from its documented fixture
 * (aws-managed.ts, v30): calls only it allows say so in their note.
 */
const backup: RowSource = (ix) => {
  const role = optionalRole(ix, "backup");
  const selection = ix.ofType("aws:backup/selection:Selection").find((s) => String(s.inputs.iamRoleArn) === role?.arn);
  if (!role || !selection) return [];
  const plan = ix
    .ofType("aws:backup/plan:Plan")
    .find((p) => p.id === selection.inputs.planId || p.inputs.name === selection.inputs.planId)!;
  const vaults = ix
    .ofType("aws:backup/vault:Vault")
    .map((v) => ({ name: String(v.inputs.name), arn: String(v.outputs.arn), key: ix.keyArn(String(v.inputs.kmsKeyArn))! }));
  const rules = plan.inputs.rules as { targetVaultName: string; copyActions?: { destinationVaultArn: string }[] }[];
  const caller = { role: role.name };
  const managed = role.awsManaged;
  const managedOnly =
    "Allowed by the AWS-managed AWSBackupServiceRolePolicyForBackup alone (its documented fixture, v30); the customer policy grants nothing here.";
  const rows: Row[] = [];
  const assumeNote =
    "AWS documents the backup service role's trust without a condition and does not say whether AWS Backup sends aws:SourceAccount " +
    "(its confused-deputy page covers SNS notifications only). The trust uses StringEqualsIfExists aws:SourceAccount: the rows check both cases.";
  rows.push(
    {
      id: "backup:assume-role (aws:SourceAccount sent)",
      caller: { service: "backup.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: role.arn,
      context: source(ix),
      expected: "Allowed",
      doc: DOCS.backupServiceRole,
      settled: false,
      settledBy: "backup",
      note: assumeNote,
    },
    {
      id: "backup:assume-role (no aws:Source* key)",
      caller: { service: "backup.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: role.arn,
      context: {},
      expected: "Allowed",
      doc: DOCS.backupServiceRole,
      settled: false,
      settledBy: "backup",
      note: assumeNote,
    },
    {
      id: "backup:assume-role for another account",
      caller: { service: "backup.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: role.arn,
      context: { "aws:SourceAccount": "210987654321" },
      expected: "Denied",
      doc: DOCS.backupServiceRole,
      settled: false,
      settledBy: "backup",
      note: `${assumeNote} When the key is sent, another account's is refused.`,
    },
  );

  for (const resourceArn of (selection.inputs.resources as string[]).map(String)) {
    if (resourceArn.split(":")[2] === "rds") {
      // An RDS instance: AWS Backup takes a snapshot through RDS, which encrypts it under the
      // instance's key with its own grant; the role's calls are RDS API calls.
      for (const action of ["rds:CreateDBSnapshot", "rds:DescribeDBInstances", "rds:AddTagsToResource", "rds:ListTagsForResource"]) {
        rows.push({
          id: `backup ${resourceArn.split(":").pop()}:${action}`,
          caller,
          action,
          resource: resourceArn,
          context: TLS,
          expected: "Allowed",
          doc: DOCS.backupManagedPolicy,
          settled: true,
          note: `AWS Backup backs up an RDS instance with a snapshot; these calls are the role's. ${managedOnly}`,
          awsManagedDocumented: managed,
        });
      }
      // The instance's key, through RDS: the role describes it and RDS decrypts with it on its behalf.
      const instance = ix.ofType("aws:rds/instance:Instance").find((d) => String(d.outputs.arn) === resourceArn);
      const instanceKey = ix.keyArn(instance?.inputs.kmsKeyId as string | undefined);
      if (instanceKey) {
        for (const action of ["kms:Decrypt", "kms:DescribeKey"]) {
          rows.push({
            id: `backup ${resourceArn.split(":").pop()}:${action} instance key via RDS`,
            caller,
            action,
            resource: instanceKey,
            context: { ...TLS, ...via("rds", resourceArn.split(":")[3]), ...callerAccount(ix) },
            expected: "Allowed",
            doc: DOCS.backupEncryption,
            settled: false,
            settledBy: "backup",
            note: "AWS documents that the role needs access to the key of what it backs up; that RDS makes the call through rds.<region> is assumed.",
            awsManagedDocumented: managed,
          });
        }
      }
      continue;
    }
    const table = ix.ofType("aws:dynamodb/table:Table").find((t) => String(t.outputs.arn) === resourceArn);
    if (!table) throw new Error(`${ix.stack}: the backup selection covers ${resourceArn}, which the behaviour table has no rows for`);
    const tableName = String(table.inputs.name);
    const region = resourceArn.split(":")[3];
    for (const action of ["dynamodb:StartAwsBackupJob", "dynamodb:DescribeTable", "dynamodb:ListTagsOfResource"]) {
      rows.push({
        id: `backup ${tableName}:${action}`,
        caller,
        action,
        resource: resourceArn,
        context: TLS,
        expected: "Allowed",
        doc: DOCS.backupManagedPolicy,
        settled: true,
        note: `AWS Backup backs up a DynamoDB table (advanced backup) with these calls of the role. ${managedOnly}`,
        awsManagedDocumented: managed,
      });
    }
    const key = ix.keyArn((table.inputs.serverSideEncryption as { kmsKeyArn?: string } | undefined)?.kmsKeyArn);
    if (!key) continue;
    for (const action of ["kms:Decrypt", "kms:DescribeKey"]) {
      rows.push({
        id: `backup ${tableName}:${action} table key via DynamoDB`,
        caller,
        action,
        resource: key,
        context: {
          ...TLS,
          ...via("dynamodb", region),
          ...callerAccount(ix),
          ...(action === "kms:Decrypt"
            ? { "kms:EncryptionContext:aws:dynamodb:tableName": tableName, "kms:EncryptionContext:aws:dynamodb:subscriberId": ix.account }
            : {}),
        },
        expected: "Allowed",
        doc: DOCS.backupEncryption,
        settled: false,
        settledBy: "backup",
        note:
          "AWS: the IAM role must have access to the KMS key used to back up the object, and IAM and key policy permissions must agree. DynamoDB uses the " +
          `table key with kms:ViaService dynamodb and the table's encryption context (${DOCS.dynamodbKms}); ` +
          "that the backup job calls KMS with the role's credentials through DynamoDB (not DynamoDB's own grant) is assumed.",
        awsManagedDocumented: managed,
      });
    }
  }

  const vaultKeyRows = (vault: { name: string; arn: string; key: string }, what: string): Row[] => {
    const region = vault.arn.split(":")[3];
    const ctx = { ...TLS, ...via("backup", region), ...callerAccount(ix) };
    const note =
      "AWS: the role must have access to the vault's key (encryption.html); a vault's key needs kms:CreateGrant, DescribeKey, Decrypt and " +
      "GenerateDataKey (create-a-vault.html). The calls are assumed to come through AWS Backup (kms:ViaService backup.<region>) with the role's " +
      "credentials; the encryption context AWS Backup sends is not documented: the rows send none.";
    return [
      ...["kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"].map((action): Row => ({
        id: `backup ${what} vault ${vault.name}:${action}`,
        caller,
        action,
        resource: vault.key,
        context: ctx,
        expected: "Allowed",
        doc: DOCS.backupVaultKey,
        settled: false,
        settledBy: "backup",
        note,
        awsManagedDocumented: managed,
      })),
      {
        id: `backup ${what} vault ${vault.name}:kms:CreateGrant`,
        caller,
        action: "kms:CreateGrant",
        resource: vault.key,
        context: { ...ctx, "kms:GrantIsForAWSResource": "true" },
        expected: "Allowed",
        doc: DOCS.kmsGrantIsForAwsResource,
        settled: false,
        settledBy: "backup",
        note: `${note} AWS KMS sets kms:GrantIsForAWSResource when an integrated AWS service creates the grant on the principal's behalf.`,
        awsManagedDocumented: managed,
      },
    ];
  };

  for (const rule of rules) {
    const target = vaults.find((v) => v.name === rule.targetVaultName)!;
    rows.push(...vaultKeyRows(target, "target"));
    for (const copy of rule.copyActions ?? []) {
      const dest = vaults.find((v) => v.arn === copy.destinationVaultArn);
      if (!dest) throw new Error(`${ix.stack}: the backup plan copies to ${copy.destinationVaultArn}, not a vault of the plan`);
      rows.push(...vaultKeyRows(dest, "copy"), {
        id: `backup copy vault ${dest.name}:backup:CopyIntoBackupVault`,
        caller,
        action: "backup:CopyIntoBackupVault",
        resource: dest.arn,
        context: TLS,
        expected: "Allowed",
        doc: DOCS.backupVaultAccessPolicy,
        settled: true,
        note:
          "A copy job needs backup:CopyIntoBackupVault on the destination vault (its vault access policy, if any, must allow it too: the plan sets none; " +
          "https://repost.aws/knowledge-center/backup-resolve-access-denied-error).",
        awsManagedDocumented: managed,
      });
    }
  }
  return rows;
};

/** Every path, in table order. New paths: add a source here. */
export const ROWS: readonly RowSource[] = [
  cloudTrailToLogs,
  cloudTrailToBucket,
  cloudTrailToKey,
  logsToKey,
  logsGrantWithoutGroups,
  flowLogs,
  alertsToTopic,
  serverAccessLogs,
  s3InvokesLambda,
  replication,
  dataProcessor,
  config,
  backup,
  ...APPLICATION_ROWS,
  ...INCIDENT_ROWS,
  ...PIPELINE_ROWS,
  ...STORAGE_NETWORK_ROWS,
  ...CANARY_ROWS,
];

export function rowsOf(ix: PolicyIndex, sources: readonly RowSource[] = ROWS): Row[] {
  const rows = sources.flatMap((s) => s(ix));
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.id)) throw new Error(`${ix.stack}: duplicate behaviour row id ${r.id}`);
    seen.add(r.id);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// What AWS documents as unsupported: each returns the plan's violations (empty = avoided).

export interface Avoided {
  readonly id: string;
  readonly fact: string;
  readonly doc: string;
  readonly violations: (ix: PolicyIndex) => string[];
}

const statementsFor = (doc: PolicyDocument | undefined, principal: string) =>
  (doc?.Statement ?? []).filter(
    (s) => s.Effect === "Allow" && s.Principal && s.Principal !== "*" && [s.Principal.Service].flat().includes(principal),
  );
const sourceKeys = (s: { Condition?: Record<string, Record<string, unknown>> }) =>
  Object.values(s.Condition ?? {})
    .flatMap((c) => Object.keys(c))
    .filter((k) => /^aws:Source(Arn|Account|OrgID|OrgPaths)$/i.test(k));

export const AVOIDED: readonly Avoided[] = [
  {
    id: "no condition on the CloudTrail -> CloudWatch Logs role trust",
    fact: "Confused deputy prevention is not applicable to the role policy for CloudWatch Logs monitoring; it does not support aws:SourceArn and aws:SourceAccount.",
    doc: DOCS.cloudTrailLogsRole,
    violations: (ix) => {
      const roleArn = trailOf(ix)?.inputs.cloudWatchLogsRoleArn;
      const role = [...ix.roles.values()].find((r) => r.arn === roleArn);
      return (role ? statementsFor(role.trust, "cloudtrail.amazonaws.com") : [])
        .filter((s) => s.Condition)
        .map((s) => `${role!.name} trust ${s.Sid ?? ""}: ${JSON.stringify(s.Condition)}`);
    },
  },
  {
    id: "no aws:Source* condition for EventBridge in the key policy of an encrypted topic",
    fact: "Adding aws:SourceAccount, aws:SourceArn and aws:SourceOrgID to a KMS key policy is not supported for EventBridge-to-encrypted topics.",
    doc: DOCS.snsKeyManagement,
    violations: (ix) =>
      [...ix.topics.values()].flatMap((t) => {
        const key = t.kmsKeyArn ? ix.keys.get(t.kmsKeyArn) : undefined;
        return key
          ? statementsFor(key.policy, "events.amazonaws.com")
              .filter((s) => sourceKeys(s).length > 0)
              .map((s) => `${key.logicalName} ${s.Sid ?? ""}: ${sourceKeys(s).join(", ")}`)
          : [];
      }),
  },
  {
    id: "no SSE-KMS on S3 server-access-log target buckets",
    fact: "Default encryption of a server access logging destination bucket can only be SSE-S3; SSE-KMS is not supported.",
    doc: DOCS.serverAccessLogging,
    violations: (ix) => {
      const targets = new Set(ix.ofType("aws:s3/bucketLogging:BucketLogging").map((l) => String(l.inputs.targetBucket)));
      const out = [...targets]
        .map((t) => ix.buckets.get(t)!)
        .filter((b) => b.sseAlgorithm !== "AES256")
        .map((b) => `${b.name}: default encryption ${b.sseAlgorithm ?? "unset"}${b.kmsKeyArn ? ` with ${b.kmsKeyArn}` : ""}`);
      for (const k of ix.keys.values()) {
        for (const s of statementsFor(k.policy, "logging.s3.amazonaws.com"))
          out.push(`${k.logicalName} ${s.Sid ?? ""} grants logging.s3.amazonaws.com a key it cannot use for log delivery`);
      }
      return out;
    },
  },
];
