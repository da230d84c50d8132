/**
 * Behaviour rows of the application tier (components/application/), to be added to `ROWS` in
 * behaviour.ts: `...APPLICATION_ROWS`. Paths whose caller is not a role or a service principal of
 * the plan (the regional ELB account delivering logs, the Auto Scaling service-linked role, IAM
 * users of the developers group) are simulated by test/application/behaviour.spec.ts.
 */
import type { Row, RowSource } from "./behaviour";
import { neededCallsOf, TLS } from "./row-factory";
import type { PolicyIndex } from "./policy-index";

export const APPLICATION_DOCS = {
  elbLogs: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html",
  wafLogs: "https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html",
  logsKms: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
  ec2Role: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html",
  sessionManager: "https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-create-iam-instance-profile.html",
  rdsSecret: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html",
  secretsKms: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
  rdsMonitoring: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.Enabling.html",
  rdsLogs: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html",
} as const;

/**
 * ELB access-log delivery to the ALB log bucket: in a Region that uses the service principal
 * `logdelivery.elasticloadbalancing.amazonaws.com`, or (the plans' us-east-1) from the Region's ELB
 * account named by the bucket policy, whose own identity side is AWS's (the doc's "Regions available
 * before August 2022" table).
 */
const elbToLogBucket: RowSource = (ix) =>
  [...ix.buckets.values()].flatMap((b) =>
    (b.policy?.Statement ?? [])
      .flatMap((s) => (s.Sid === "AllowElbAccessLogDelivery" && s.Principal !== undefined && s.Principal !== "*" ? [s.Principal] : []))
      .filter((p) => p.Service || p.AWS)
      .map((p): Row => ({
        id: `application elb-logs ${b.name}:s3:PutObject`,
        caller: p.Service
          ? { service: "logdelivery.elasticloadbalancing.amazonaws.com" }
          : { account: String([p.AWS].flat()[0]).split(":")[4] },
        action: "s3:PutObject",
        resource: `${b.arn}/alb/AWSLogs/${ix.account}/elasticloadbalancing/${b.region}/2025/01/01/x.log.gz`,
        context: TLS,
        expected: "Allowed",
        doc: APPLICATION_DOCS.elbLogs,
        settled: true,
      })),
  );

/** CloudWatch Logs encrypting the WAF and database log groups with the audit key (the regional logs principal). */
const tierLogGroupsToKey: RowSource = (ix) =>
  [...ix.logGroups.values()]
    .filter((g) => g.kmsKeyArn && (g.name.startsWith("aws-waf-logs-") || g.name.startsWith("/aws/rds/instance/")))
    .flatMap((g) =>
      ["kms:GenerateDataKey", "kms:Decrypt"].map((action): Row => ({
        id: `application ${g.name.startsWith("aws-waf") ? "waf" : "rds"}-logs key ${g.name}:${action}`,
        caller: { service: `logs.${g.arn.split(":")[3]}.amazonaws.com` },
        action,
        resource: g.kmsKeyArn!,
        context: { ...TLS, "kms:EncryptionContext:aws:logs:arn": g.arn },
        expected: "Allowed",
        doc: g.name.startsWith("aws-waf") ? APPLICATION_DOCS.wafLogs : APPLICATION_DOCS.rdsLogs,
        settled: true,
        note: "WAF (and RDS) write to a log group whose name the service fixes; CloudWatch Logs encrypts with the group's key, sending its ARN as encryption context.",
      })),
    );

/** RDS enhanced monitoring assumes its role (confused-deputy keys documented) and writes RDSOSMetrics. */
const databaseMonitoring: RowSource = (ix) => {
  const role = ix.roles.get(`hcp-${ix.stack}-app-db-monitoring`);
  const db = ix.ofType("aws:rds/instance:Instance")[0];
  if (!role || !db) return [];
  const dbArn = `arn:aws:rds:${ix.region}:${ix.account}:db:${String(db.inputs.identifier)}`;
  const group = `arn:aws:logs:${ix.region}:${ix.account}:log-group:RDSOSMetrics`;
  return [
    {
      id: "application db-monitoring:assume-role",
      caller: { service: "monitoring.rds.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: role.arn,
      context: { "aws:SourceAccount": ix.account, "aws:SourceArn": dbArn },
      expected: "Allowed",
      doc: APPLICATION_DOCS.rdsMonitoring,
      settled: true,
      note: "AWS documents aws:SourceArn (the DB instance ARN) and aws:SourceAccount for the Enhanced Monitoring role's trust.",
    },
    ...(["logs:CreateLogStream", "logs:PutLogEvents"] as const).map((action): Row => ({
      id: `application db-monitoring:${action}`,
      caller: { role: role.name },
      action,
      resource: `${group}:log-stream:db-ABCDEFGHIJKLMNOPQRSTUVWXYZ`,
      context: TLS,
      expected: "Allowed",
      doc: APPLICATION_DOCS.rdsMonitoring,
      settled: true,
    })),
  ];
};

/** The instance role: EC2 delivers it, Session Manager, its log group, the database secret under the PHI key. */
const instanceRole: RowSource = (ix) => {
  const role = ix.roles.get(`hcp-${ix.stack}-app-instance`);
  const db = ix.ofType("aws:rds/instance:Instance")[0];
  const group = ix.logGroups.get(`/hcp/${ix.stack}/application`);
  if (!role || !db || !group) return [];
  const dbArn = `arn:aws:rds:${ix.region}:${ix.account}:db:${String(db.inputs.identifier)}`;
  const secret = `arn:aws:secretsmanager:${ix.region}:${ix.account}:secret:rds!db-0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e-AbCdEf`;
  const phiKey = ix.keyArn(String(db.inputs.masterUserSecretKmsKeyId))!;
  const caller = { role: role.name };
  const row = neededCallsOf("application instance-role", caller);
  return [
    {
      id: "application instance-role:assume-role",
      caller: { service: "ec2.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: role.arn,
      context: {},
      expected: "Allowed",
      doc: APPLICATION_DOCS.ec2Role,
      settled: false,
      settledBy: "app-logs",
      note: "AWS documents no aws:Source* key for ec2.amazonaws.com: the row sends none (the trust's documented exception ec2InstanceProfile).",
    },
    row(
      "own instance",
      "ssm:UpdateInstanceInformation",
      `arn:aws:ec2:${ix.region}:${ix.account}:instance/i-0123456789abcdef0`,
      {},
      APPLICATION_DOCS.sessionManager,
    ),
    ...["CreateControlChannel", "CreateDataChannel", "OpenControlChannel", "OpenDataChannel"].map((a) =>
      row("*", `ssmmessages:${a}`, "*", {}, APPLICATION_DOCS.sessionManager),
    ),
    row("own log group", "logs:PutLogEvents", `${group.arn}:log-stream:i-0123456789abcdef0`, {}, APPLICATION_DOCS.sessionManager),
    row("own log group", "logs:CreateLogStream", `${group.arn}:log-stream:i-0123456789abcdef0`, {}, APPLICATION_DOCS.sessionManager),
    row(
      "database secret",
      "secretsmanager:GetSecretValue",
      secret,
      { "aws:ResourceTag/aws:rds:primaryDBInstanceArn": dbArn },
      APPLICATION_DOCS.rdsSecret,
      {
        settled: false,
        settledBy: "secret",
        note: "The managed secret's name (rds!db-<uuid>) and its aws:rds:primaryDBInstanceArn tag are as RDS creates them; the row assumes that tag.",
      },
    ),
    row(
      "PHI key via Secrets Manager",
      "kms:Decrypt",
      phiKey,
      {
        "kms:ViaService": `secretsmanager.${ix.region}.amazonaws.com`,
        "kms:CallerAccount": ix.account,
        "kms:EncryptionContext:SecretARN": secret,
      },
      APPLICATION_DOCS.secretsKms,
    ),
  ];
};

/** The application tier's rows (add `...APPLICATION_ROWS` to ROWS in behaviour.ts). */
export const APPLICATION_ROWS: readonly RowSource[] = [elbToLogBucket, tierLogGroupsToKey, databaseMonitoring, instanceRole];

export type { PolicyIndex };
