/**
 * Behaviour rows of the canary (components/canary/, lambda/canary): its role's calls (the PHI
 * bucket's canary prefixes with the PHI key through S3, its own audit items, the probe role, its alert
 * queue and dead-letter queue with the pipeline key through SQS, its metrics by namespace), the probe
 * role's read of canary/ (IAM allows it; the grants table does not, which is the point), EventBridge
 * invoking it, and SNS delivering the canary's own topic (never the alert topic) to the encrypted queue.
 * Registered in behaviour.ts ROWS.
 */
import type { Row, RowSource } from "./behaviour";
import { functionRows } from "./pipeline-rows";
import type { PolicyIndex } from "./policy-index";
import { neededCallsOf, TLS } from "./row-factory";

export const CANARY_DOCS = {
  putObject: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html",
  headObject: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html",
  getObject: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html",
  s3EncryptionContext: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context",
  leadingKeys: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html",
  dynamodbKms: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.howitworks.html#dynamodb-encryption-context",
  assumeRole: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html",
  sqsKms: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html",
  putMetricNamespace: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html",
  lambdaDlq: "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-dlq",
  eventBridgeLambda: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-lambda-permissions",
  snsToSqs: "https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html",
  snsToEncryptedSqs: "https://docs.aws.amazon.com/sns/latest/dg/sns-enable-encryption-for-topic-sqs-queue-subscriptions.html",
} as const;

const roleNameOf = (arn: string) => arn.split("/").pop()!;

const canaryRows: RowSource = (ix: PolicyIndex) => {
  const f = ix.functions.get(`hcp-${ix.stack}-canary`);
  if (!f) return [];
  const region = ix.region;
  const phi = ix.bucket((n) => n.startsWith(`hcp-${ix.stack}-phi-data-`), "PHI data");
  const table = ix.ofType("aws:dynamodb/table:Table").find((t) => t.inputs.name === `hcp-${ix.stack}-audit`)!;
  const tableArn = String(table.outputs.arn);
  const queue = [...ix.queues.values()].find((q) => q.name === `hcp-${ix.stack}-canary-alerts`)!;
  const dlq = ix.queues.get(f.deadLetterArn!)!;
  const topic = [...ix.topics.values()].find((t) => t.name === `hcp-${ix.stack}-canary-alerts`)!;
  const alertTopic = [...ix.topics.values()].find((t) => t.name === `hcp-${ix.stack}-security-alerts`)!;
  // The canary topic delivers; the alert topic (whose e-mail must not see canary messages) and any other do not.
  const sources: [string, string][] = [
    [topic.arn, "the canary topic"],
    [alertTopic.arn, "the alert topic"],
    [`${topic.arn}-other`, "another topic"],
  ];
  const probe = ix.role(`hcp-${ix.stack}-canary-probe`);
  const rule = ix.ofType("aws:cloudwatch/eventRule:EventRule").find((r) => r.inputs.name === `hcp-${ix.stack}-canary-schedule`)!;
  const row = neededCallsOf("canary", { role: roleNameOf(f.roleArn) });
  const probeRow = neededCallsOf("canary probe", { role: probe.name });
  const s3Key = {
    "kms:ViaService": `s3.${region}.amazonaws.com`,
    "kms:CallerAccount": ix.account,
    "kms:EncryptionContext:aws:s3:arn": phi.arn,
  };
  const viaSqs = (arn: string) => ({
    "kms:ViaService": `sqs.${region}.amazonaws.com`,
    "kms:CallerAccount": ix.account,
    "kms:EncryptionContext:aws:sqs:arn": arn,
  });
  const record = `${phi.arn}/intake/canary/20261205T010000000Z-0a1b2c3d.json`;
  const denied = { expected: "Denied" as const };
  const rows: Row[] = [
    // The PHI path: its synthetic record in, its own audit item and processed copy observed.
    row("its synthetic record (no SSE header)", "s3:PutObject", record, {}, CANARY_DOCS.putObject),
    row("the probe object", "s3:PutObject", `${phi.arn}/canary/probe.json`, {}, CANARY_DOCS.putObject),
    row("PHI key via S3 (write)", "kms:GenerateDataKey", phi.kmsKeyArn!, s3Key, CANARY_DOCS.s3EncryptionContext),
    row(
      "its processed copy (HEAD)",
      "s3:GetObject",
      `${phi.arn}/processed/canary/20261205T010000000Z-0a1b2c3d.json`,
      {},
      CANARY_DOCS.headObject,
      {
        note: "HeadObject is authorized as s3:GetObject; the canary HEADs its copy only after its audit item exists (written after the copy), so never a missing key (403 without s3:ListBucket).",
      },
    ),
    row(
      "its own audit items",
      "dynamodb:Query",
      tableArn,
      { "dynamodb:LeadingKeys": ["intake/canary/20261205T010000000Z-0a1b2c3d.json"] },
      CANARY_DOCS.leadingKeys,
    ),
    row(
      "PHI key via DynamoDB (audit table)",
      "kms:Decrypt",
      phi.kmsKeyArn!,
      {
        "kms:ViaService": `dynamodb.${region}.amazonaws.com`,
        "kms:CallerAccount": ix.account,
        "kms:EncryptionContext:aws:dynamodb:tableName": String(table.inputs.name),
        "kms:EncryptionContext:aws:dynamodb:subscriberId": ix.account,
      },
      CANARY_DOCS.dynamodbKms,
      {
        settled: false,
        settledBy: "canary",
        note:
          "As for the data processor: whether DynamoDB calls KMS with the caller's credentials per request (rather than its grant) is not documented; " +
          "the row assumes it does, with the table's encryption context. First deploy: the canary's ProcessingSeconds arrives (no KMS AccessDenied in its log).",
      },
    ),
    // The detection path: the probe role, the alert queue, the metrics.
    row("the probe role", "sts:AssumeRole", probe.arn, {}, CANARY_DOCS.assumeRole),
    row("its alert queue", "sqs:ReceiveMessage", queue.arn, {}, CANARY_DOCS.sqsKms),
    row("its alert queue", "sqs:DeleteMessage", queue.arn, {}, CANARY_DOCS.sqsKms),
    row("pipeline key via SQS (alert queue)", "kms:Decrypt", queue.kmsKeyArn!, viaSqs(queue.arn), CANARY_DOCS.sqsKms),
    row(
      "its namespace",
      "cloudwatch:PutMetricData",
      "*",
      { "cloudwatch:namespace": "HealthcarePlatform/Canary" },
      CANARY_DOCS.putMetricNamespace,
    ),
    row("its dead-letter queue", "sqs:SendMessage", dlq.arn, {}, CANARY_DOCS.lambdaDlq, {
      note: "Lambda sends failed asynchronous invocations to the DLQ with the execution role.",
    }),
    row("pipeline key via SQS (DLQ)", "kms:GenerateDataKey", dlq.kmsKeyArn!, viaSqs(dlq.arn), CANARY_DOCS.sqsKms),
    // What it must not do.
    row(
      "another namespace",
      "cloudwatch:PutMetricData",
      "*",
      { "cloudwatch:namespace": "AWS/Lambda" },
      CANARY_DOCS.putMetricNamespace,
      denied,
    ),
    row(
      "a patient's audit items",
      "dynamodb:Query",
      tableArn,
      { "dynamodb:LeadingKeys": ["intake/patient-123.json"] },
      CANARY_DOCS.leadingKeys,
      denied,
    ),
    row("a patient's intake record", "s3:GetObject", `${phi.arn}/intake/patient-123.json`, {}, CANARY_DOCS.getObject, denied),
    row("a patient's processed record", "s3:GetObject", `${phi.arn}/processed/patient-123.json`, {}, CANARY_DOCS.getObject, denied),
    row("a record outside its prefix", "s3:PutObject", `${phi.arn}/intake/patient-123.json`, {}, CANARY_DOCS.putObject, denied),
    row("the probe object, as itself", "s3:GetObject", `${phi.arn}/canary/probe.json`, {}, CANARY_DOCS.getObject, {
      ...denied,
      note: "The canary role never reads the probe: only the probe role's read is the (ungranted) access that must become an incident.",
    }),
    // The probe role: IAM allows its read of canary/ and nothing else.
    probeRow("the probe object", "s3:GetObject", `${phi.arn}/canary/probe.json`, {}, CANARY_DOCS.getObject),
    probeRow("PHI key via S3 (read)", "kms:Decrypt", phi.kmsKeyArn!, s3Key, CANARY_DOCS.s3EncryptionContext),
    probeRow("a patient's processed record", "s3:GetObject", `${phi.arn}/processed/patient-123.json`, {}, CANARY_DOCS.getObject, denied),
    probeRow("a patient's intake record", "s3:GetObject", `${phi.arn}/intake/patient-123.json`, {}, CANARY_DOCS.getObject, denied),
    probeRow("the probe object (write)", "s3:PutObject", `${phi.arn}/canary/probe.json`, {}, CANARY_DOCS.putObject, denied),
    probeRow(
      "PHI key via DynamoDB",
      "kms:Decrypt",
      phi.kmsKeyArn!,
      { "kms:ViaService": `dynamodb.${region}.amazonaws.com`, "kms:CallerAccount": ix.account },
      CANARY_DOCS.dynamodbKms,
      denied,
    ),
    {
      id: "canary probe:assume-role by the canary's role only (trust)",
      caller: { service: "lambda.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: probe.arn,
      context: { "aws:SourceAccount": ix.account },
      expected: "Denied",
      doc: CANARY_DOCS.assumeRole,
      settled: true,
      note: "The probe role trusts the canary's execution role alone, not Lambda.",
    },
    // EventBridge invokes the function on its schedule.
    {
      id: "canary schedule:lambda:InvokeFunction",
      caller: { service: "events.amazonaws.com" },
      action: "lambda:InvokeFunction",
      resource: f.arn,
      context: { "aws:SourceAccount": ix.account, "aws:SourceArn": String(rule.outputs.arn) },
      expected: "Allowed",
      doc: CANARY_DOCS.eventBridgeLambda,
      settled: true,
      note: "EventBridge invokes a Lambda target as events.amazonaws.com with the rule's ARN as aws:SourceArn.",
    },
    {
      id: "canary schedule:lambda:InvokeFunction from another rule",
      caller: { service: "events.amazonaws.com" },
      action: "lambda:InvokeFunction",
      resource: f.arn,
      context: { "aws:SourceAccount": ix.account, "aws:SourceArn": `${String(rule.outputs.arn)}-other` },
      expected: "Denied",
      doc: CANARY_DOCS.eventBridgeLambda,
      settled: true,
    },
    // SNS delivers the canary topic's alerts to the encrypted queue.
    ...sources.map(([source, label]): Row => ({
      id: `canary alerts:sqs:SendMessage from ${label}`,
      caller: { service: "sns.amazonaws.com" },
      action: "sqs:SendMessage",
      resource: queue.arn,
      context: { ...TLS, "aws:SourceAccount": ix.account, "aws:SourceArn": source },
      expected: source === topic.arn ? "Allowed" : "Denied",
      doc: CANARY_DOCS.snsToSqs,
      settled: true,
      note: "SNS sends to a subscribed queue as sns.amazonaws.com with the topic's ARN as aws:SourceArn (the queue policy of AWS's procedure).",
    })),
    ...["kms:GenerateDataKey", "kms:Decrypt"].flatMap((action) =>
      sources.map(([source, label]): Row => ({
        id: `canary alerts:${action} pipeline key from ${label}`,
        caller: { service: "sns.amazonaws.com" },
        action,
        resource: queue.kmsKeyArn!,
        context: { ...TLS, "aws:SourceAccount": ix.account, "aws:SourceArn": source, "kms:EncryptionContext:aws:sqs:arn": queue.arn },
        expected: source === topic.arn ? "Allowed" : "Denied",
        doc: CANARY_DOCS.snsToEncryptedSqs,
        settled: false,
        settledBy: "canary",
        note:
          "AWS's key policy for SNS to an encrypted queue grants sns.amazonaws.com kms:GenerateDataKey and kms:Decrypt without a condition; that SNS sends " +
          "aws:SourceArn (the topic) to KMS is assumed, as aws-cdk's sns-subscriptions does under its restrictSqsDescryption flag. First deploy: a canary " +
          "alert arrives in the queue (NumberOfMessagesSent > 0; no KMS.AccessDeniedException in the topic's delivery status logs).",
      })),
    ),
    // Its trust, own log group, X-Ray, ENIs and environment key, as for every VPC function.
    ...functionRows(ix, f, "canary"),
  ];
  return rows;
};

export const CANARY_ROWS: readonly RowSource[] = [canaryRows];
