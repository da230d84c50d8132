/**
 * Behaviour rows of the incident workflow (components/security-events/incident-workflow.ts), to be
 * added to `ROWS` in behaviour.ts as `...INCIDENT_ROWS`: Step Functions assuming the state machine's
 * role, the role's calls (Macie, Athena and Glue, the archive and its results through S3 with the
 * pipeline key, the report function, the alert topic with the audit key, its own state under the
 * pipeline key), CloudWatch Logs' log delivery decrypting execution data, and the report function's
 * writes. Every name and ARN comes from the plan (the state machine, its role and definition).
 */
import type { Row, RowSource } from "./behaviour";
import { neededCallsOf, TLS } from "./row-factory";
import { functionRows } from "./pipeline-rows";
import type { PolicyIndex } from "./policy-index";
import type { Context } from "./simulate";

export const INCIDENT_DOCS = {
  sfnTrust: "https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html",
  sfnKms: "https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html",
  sfnLogs: "https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html",
  sfnXray: "https://docs.aws.amazon.com/step-functions/latest/dg/concepts-xray-tracing.html",
  sfnAthena: "https://docs.aws.amazon.com/step-functions/latest/dg/athena-iam.html",
  sfnLambda: "https://docs.aws.amazon.com/step-functions/latest/dg/lambda-iam.html",
  sfnSns: "https://docs.aws.amazon.com/step-functions/latest/dg/sns-iam.html",
  sfnSdk: "https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html",
  macieIam: "https://docs.aws.amazon.com/macie/latest/user/security_iam_service-with-iam.html",
  athenaKms: "https://docs.aws.amazon.com/athena/latest/ug/encrypting-query-results-stored-in-s3.html",
  s3EncryptionContext: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context",
  objectLock: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html",
  snsKms: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html",
  snsActions: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html",
  sqsKms: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html",
  dynamodbEncryptionContext:
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.howitworks.html#dynamodb-encryption-context",
  s3HeadObject: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html",
  athenaGlueKms: "https://docs.aws.amazon.com/athena/latest/ug/access-encrypted-data-glue-data-catalog.html",
  glueKms: "https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html",
} as const;

const OTHER_ACCOUNT = "210987654321";
const roleNameOf = (arn: string) => arn.split("/").pop()!;

interface Definition {
  States: Record<string, { Resource?: string; Parameters?: Record<string, unknown> }>;
}

/** The catalog key's uses by the state machine role, when the plan encrypts the Data Catalog. */
function catalogKeyRows(ix: PolicyIndex, row: ReturnType<typeof neededCallsOf>, region: string): Row[] {
  const settings = ix.ofType("aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings")[0];
  if (!settings) return [];
  const atRest = (settings.inputs.dataCatalogEncryptionSettings as { encryptionAtRest: { sseAwsKmsKeyId: string } }).encryptionAtRest;
  const key = ix.keyArn(atRest.sseAwsKmsKeyId)!;
  const viaGlue = { "kms:ViaService": `glue.${region}.amazonaws.com`, "kms:CallerAccount": ix.account };
  return ["kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt"].map((a) =>
    row("catalog key via Glue", a, key, viaGlue, INCIDENT_DOCS.athenaGlueKms, {
      settled: false,
      settledBy: "workflow",
      note:
        "The Athena guide requires kms:GenerateDataKey, kms:Decrypt and kms:Encrypt on the catalog key for every principal using Athena with an " +
        "encrypted catalog; that Glue calls KMS with the caller's credentials through glue.<region>.amazonaws.com is assumed. " +
        "First deploy with enableAccountGuardrails: an incident's QueryAccessHistory succeeds (no KMS AccessDenied in its history).",
    }),
  );
}

/** The incident state machine: Step Functions -> its role -> every service its tasks call. */
const incidentStateMachine: RowSource = (ix: PolicyIndex) => {
  const machine = ix.ofType("aws:sfn/stateMachine:StateMachine").find((m) => String(m.inputs.name).endsWith("-incident"));
  if (!machine) return [];
  const region = ix.region;
  const arn = `arn:aws:states:${region}:${ix.account}:stateMachine:${String(machine.inputs.name)}`;
  const roleArn = String(machine.inputs.roleArn);
  const caller = { role: roleNameOf(roleArn) };
  const definition = JSON.parse(String(machine.inputs.definition)) as Definition;
  const task = (resource: string) => Object.values(definition.States).find((s) => s.Resource === resource)!;
  const macie = task("arn:aws:states:::aws-sdk:macie2:createClassificationJob");
  const athena = task("arn:aws:states:::athena:startQueryExecution.sync");
  const lambda = task("arn:aws:states:::lambda:invoke");
  const sns = task("arn:aws:states:::sns:publish");
  const workgroup = String(athena.Parameters!.WorkGroup);
  const database = String((athena.Parameters!.QueryExecutionContext as { Database: string }).Database);
  const workgroupArn = `arn:aws:athena:${region}:${ix.account}:workgroup/${workgroup}`;
  const table = ix.ofType("aws:glue/catalogTable:CatalogTable").find((t) => t.inputs.databaseName === database)!;
  const archive = ix.bucket((n) => n.startsWith(`hcp-${ix.stack}-security-events-`) && !n.includes("replica"), "archive");
  // The topics the publishes name: the alert topic (static), or, with a canary, each kind's topic
  // ($.kind.topicArn: the alert topic for real incidents, the canary topic for the canary's).
  const kinds = Object.values(definition.States)
    .map((s) => (s as { Result?: { canary?: boolean; topicArn?: string } }).Result)
    .filter((r) => r?.topicArn !== undefined);
  const staticTopic = sns.Parameters!.TopicArn as string | undefined;
  const topic = ix.topics.get(staticTopic ?? kinds.find((k) => k!.canary === false)!.topicArn!)!;
  const canaryTopicArn = kinds.find((k) => k!.canary === true)?.topicArn;
  const canaryTopic = canaryTopicArn === undefined ? undefined : ix.topics.get(canaryTopicArn)!;
  const fnArn = String(lambda.Parameters!.FunctionName);
  const pipelineKey = String(
    machine.inputs.encryptionConfiguration && (machine.inputs.encryptionConfiguration as { kmsKeyId: string }).kmsKeyId,
  );
  const row = neededCallsOf("incident state machine", caller);
  const assume = (id: string, account: string, sourceArn: string, expected: Row["expected"]): Row => ({
    id: `incident state machine:${id}`,
    caller: { service: "states.amazonaws.com" },
    action: "sts:AssumeRole",
    resource: roleArn,
    context: { "aws:SourceAccount": account, "aws:SourceArn": sourceArn },
    expected,
    doc: INCIDENT_DOCS.sfnTrust,
    settled: true,
    note: "AWS documents aws:SourceAccount and aws:SourceArn (the state machine) in the Step Functions role's trust against the confused deputy.",
  });
  const s3Key = {
    "kms:ViaService": `s3.${region}.amazonaws.com`,
    "kms:CallerAccount": ix.account,
    "kms:EncryptionContext:aws:s3:arn": archive.arn,
  };
  // Step Functions calls KMS with the execution role and the state machine's ARN as encryption
  // context; AWS warns that a kms:ViaService condition on the execution role "can prevent a new
  // execution from starting", so the role's own-state calls are checked without it (and with it).
  const statesKey = {
    "kms:CallerAccount": ix.account,
    "kms:EncryptionContext:aws:states:stateMachineArn": arn,
  };
  const otherMachineKey = { ...statesKey, "kms:EncryptionContext:aws:states:stateMachineArn": `${arn}-other` };
  // The execution role generates the data key of its execution logs with this encryption context
  // (its value is the literal `arn:aws:logs:<region>:<account>:*` of AWS's example policy); log
  // delivery decrypts that data key, which KMS allows only with the same context.
  const logsKey = { "kms:CallerAccount": ix.account, "kms:EncryptionContext:SourceArn": `arn:aws:logs:${region}:${ix.account}:*` };
  const snsKey = {
    "kms:ViaService": `sns.${region}.amazonaws.com`,
    "kms:CallerAccount": ix.account,
    "kms:EncryptionContext:aws:sns:topicArn": topic.arn,
  };
  const rows: Row[] = [
    assume("assume-role", ix.account, arn, "Allowed"),
    assume(
      "assume-role for another account's state machine",
      OTHER_ACCOUNT,
      arn.replace(`:${ix.account}:`, `:${OTHER_ACCOUNT}:`),
      "Denied",
    ),
    row(
      "Macie job",
      "macie2:CreateClassificationJob",
      `arn:aws:macie2:${region}:${ix.account}:classification-job/0123456789abcdef0123456789abcdef`,
      {},
      INCIDENT_DOCS.sfnSdk,
      {
        note: `The ASL calls aws-sdk:macie2:createClassificationJob (camelCase); IAM authorizes macie2:CreateClassificationJob (${INCIDENT_DOCS.macieIam}).`,
      },
    ),
    row("report function", "lambda:InvokeFunction", fnArn, {}, INCIDENT_DOCS.sfnLambda),
    ...["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:StopQueryExecution"].map((a) =>
      row("workgroup", a, workgroupArn, {}, INCIDENT_DOCS.sfnAthena),
    ),
    row("catalog", "glue:GetTable", `arn:aws:glue:${region}:${ix.account}:catalog`, {}, INCIDENT_DOCS.sfnAthena),
    row("database", "glue:GetDatabase", `arn:aws:glue:${region}:${ix.account}:database/${database}`, {}, INCIDENT_DOCS.sfnAthena),
    row(
      "table",
      "glue:GetTable",
      `arn:aws:glue:${region}:${ix.account}:table/${database}/${String(table.inputs.name)}`,
      {},
      INCIDENT_DOCS.sfnAthena,
    ),
    row("archive", "s3:ListBucket", archive.arn, {}, INCIDENT_DOCS.sfnAthena),
    row("archive", "s3:GetBucketLocation", archive.arn, {}, INCIDENT_DOCS.sfnAthena),
    row("archive events", "s3:GetObject", `${archive.arn}/events/dt=2026-11-01/hr=00/x.gz`, {}, INCIDENT_DOCS.sfnAthena),
    row(
      "query results",
      "s3:PutObject",
      `${archive.arn}/results/6f1a2b3c.csv`,
      { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": archive.kmsKeyArn! },
      INCIDENT_DOCS.athenaKms,
      {
        settled: false,
        settledBy: "workflow",
        note: "Athena writes results with the caller's credentials under the workgroup's SSE_KMS key; the headers are assumed to be aws:kms and that key's ARN.",
      },
    ),
    row("query results", "s3:GetObject", `${archive.arn}/results/6f1a2b3c.csv`, {}, INCIDENT_DOCS.sfnAthena),
    row("archive key via S3", "kms:GenerateDataKey", archive.kmsKeyArn!, s3Key, INCIDENT_DOCS.athenaKms),
    row("archive key via S3", "kms:Decrypt", archive.kmsKeyArn!, s3Key, INCIDENT_DOCS.athenaKms),
    ...["kms:GenerateDataKey", "kms:Decrypt"].flatMap((a) => [
      row("own state (execution role, no kms:ViaService)", a, ix.keyArn(pipelineKey)!, statesKey, INCIDENT_DOCS.sfnKms, {
        note: "An execution starts only if the execution role may use the key by the state machine's encryption context; AWS documents no kms:ViaService for these calls.",
      }),
      row(
        "own state (execution role, through states)",
        a,
        ix.keyArn(pipelineKey)!,
        { ...statesKey, "kms:ViaService": `states.${region}.amazonaws.com` },
        INCIDENT_DOCS.sfnKms,
      ),
      row("another state machine's state", a, ix.keyArn(pipelineKey)!, otherMachineKey, INCIDENT_DOCS.sfnKms, { expected: "Denied" }),
    ]),
    row("execution-log data key", "kms:GenerateDataKey", ix.keyArn(pipelineKey)!, logsKey, INCIDENT_DOCS.sfnKms, {
      note: "With a customer managed key and logging, AWS's example execution-role policy allows kms:GenerateDataKey with kms:EncryptionContext:SourceArn = arn:aws:logs:<region>:<account>:*.",
    }),
    row("alert topic", "sns:Publish", topic.arn, {}, INCIDENT_DOCS.sfnSns, {
      note:
        "Every publish carries the message attribute canary (String, true/false: https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html); " +
        `SNS authorizes Publish with message attributes as sns:Publish alone, with no condition key of theirs (${INCIDENT_DOCS.snsActions}): nothing new in IAM.`,
    }),
    row("alert topic key via SNS", "kms:GenerateDataKey", topic.kmsKeyArn!, snsKey, INCIDENT_DOCS.snsKms),
    row("alert topic key via SNS", "kms:Decrypt", topic.kmsKeyArn!, snsKey, INCIDENT_DOCS.snsKms),
    // A canary incident's messages go to the canary's own topic (components/canary/), named by path in the
    // definition; its policy denies Publish to every other principal.
    ...(canaryTopic === undefined
      ? []
      : [
          row("canary topic", "sns:Publish", canaryTopic.arn, {}, INCIDENT_DOCS.sfnSns, {
            note:
              'The publishes name the topic by path ("TopicArn.$": "$.kind.topicArn"); for a path-based resource Step Functions would ' +
              "generate sns:Publish on *, the role lists the two topics instead. The canary topic's policy denies Publish to every other principal (aws:PrincipalArn).",
          }),
          ...["kms:GenerateDataKey", "kms:Decrypt"].map((a) =>
            row(
              "canary topic key via SNS",
              a,
              canaryTopic.kmsKeyArn!,
              { ...snsKey, "kms:EncryptionContext:aws:sns:topicArn": canaryTopic.arn },
              INCIDENT_DOCS.snsKms,
            ),
          ),
        ]),
    ...[
      "logs:CreateLogDelivery",
      "logs:GetLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies",
      "logs:DescribeLogGroups",
    ].map((a) => row("*", a, "*", {}, INCIDENT_DOCS.sfnLogs)),
    ...["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"].map((a) =>
      row("*", a, "*", {}, INCIDENT_DOCS.sfnXray),
    ),
    {
      id: "incident state machine:log delivery decrypts execution data",
      caller: { service: "delivery.logs.amazonaws.com" },
      action: "kms:Decrypt",
      resource: ix.keyArn(pipelineKey)!,
      context: { ...TLS, "kms:EncryptionContext:SourceArn": `arn:aws:logs:${region}:${ix.account}:*` },
      expected: "Allowed",
      doc: INCIDENT_DOCS.sfnKms,
      settled: false,
      settledBy: "workflow",
      note:
        "AWS documents that delivery.logs.amazonaws.com needs kms:Decrypt on the key and that the execution role generates the log data key " +
        "with kms:EncryptionContext:SourceArn = arn:aws:logs:<region>:<account>:*; KMS decrypts only with the same context. " +
        "First deploy: an execution's events arrive in the log group (a Decrypt by delivery.logs.amazonaws.com in CloudTrail, no AccessDenied).",
    },
    {
      id: "incident state machine:log delivery decrypts another account's execution data",
      caller: { service: "delivery.logs.amazonaws.com" },
      action: "kms:Decrypt",
      resource: ix.keyArn(pipelineKey)!,
      context: { ...TLS, "kms:EncryptionContext:SourceArn": `arn:aws:logs:${region}:${OTHER_ACCOUNT}:*` },
      expected: "Denied",
      doc: INCIDENT_DOCS.sfnKms,
      settled: true,
      note: "The key serves this account's log deliveries only.",
    },
    {
      id: "incident state machine:log delivery decrypts the state machine's own state",
      caller: { service: "delivery.logs.amazonaws.com" },
      action: "kms:Decrypt",
      resource: ix.keyArn(pipelineKey)!,
      context: { ...TLS, "kms:EncryptionContext:aws:states:stateMachineArn": arn },
      expected: "Denied",
      doc: INCIDENT_DOCS.sfnKms,
      settled: true,
      note: "Log delivery needs the log data key (SourceArn context), not the definition and history.",
    },
    // With enableAccountGuardrails the account's Glue Data Catalog is encrypted with a customer key
    // (components/guardrails.ts); Athena reads the table's metadata through Glue with the caller's
    // credentials, which then need the catalog key (Athena guide, access-encrypted-data-glue-data-catalog).
    ...catalogKeyRows(ix, row, region),
    row("another bucket", "s3:GetObject", `${archive.arn.replace(/security-events-[^/]*/, "phi-data-x")}/x`, {}, INCIDENT_DOCS.sfnAthena, {
      expected: "Denied",
    }),
  ];
  if (!macie.Parameters || !("ClientToken.$" in macie.Parameters)) throw new Error(`${ix.stack}: the Macie task has no ClientToken`);
  return rows;
};

/** The report function: locked, encrypted writes under reports/ of the report bucket, nowhere else. */
const incidentReportFunction: RowSource = (ix) => {
  const f = ix.functions.get(`hcp-${ix.stack}-incident-report`);
  if (!f) return [];
  const bucket = ix.bucket((n) => n.startsWith(`hcp-${ix.stack}-incident-reports-`) && !n.includes("replica"), "incident reports");
  const caller = { role: roleNameOf(f.roleArn) };
  const object = `${bucket.arn}/reports/2026-11-05/9d3c1f0e-5a7b-4c2d-8e1f-0a1b2c3d4e5f.json`;
  const lock = {
    "s3:object-lock-mode": ix.stack === "prod" ? "COMPLIANCE" : "GOVERNANCE",
    "s3:object-lock-retain-until-date": "2032-11-05T10:00:00.000Z",
  };
  const sse = { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": bucket.kmsKeyArn! };
  const row = (id: string, action: string, resource: string, context: Context, expected: Row["expected"] = "Allowed"): Row => ({
    id: `incident report:${action} ${id}`,
    caller,
    action,
    resource,
    context: { ...TLS, ...context },
    expected,
    doc: INCIDENT_DOCS.objectLock,
    settled: true,
    note: "A PUT with Object Lock retention headers is also authorized as s3:PutObjectRetention; HEAD as s3:GetObject.",
  });
  return [
    row("report", "s3:PutObject", object, { ...sse, ...lock }),
    row("report", "s3:PutObjectRetention", object, lock),
    row("report (HEAD)", "s3:GetObject", object, {}),
    row("report key via S3", "kms:GenerateDataKey", bucket.kmsKeyArn!, {
      "kms:ViaService": `s3.${ix.region}.amazonaws.com`,
      "kms:CallerAccount": ix.account,
      "kms:EncryptionContext:aws:s3:arn": bucket.arn,
    }),
    row("outside reports/", "s3:PutObject", `${bucket.arn}/elsewhere.json`, { ...sse, ...lock }, "Denied"),
    // S3's 403-vs-404: a HEAD of a missing key answers 404 only to a caller allowed s3:ListBucket,
    // else 403. The role lists nothing, so its HEAD of a not-yet-written report is a 403, and the
    // handler lets the conditional PUT (If-None-Match: *) decide (test/incident/end-to-end.spec.ts).
    {
      ...row("(HEAD of a missing key answers 403, not 404)", "s3:ListBucket", bucket.arn, {}, "Denied"),
      doc: INCIDENT_DOCS.s3HeadObject,
      note: "HeadObject, Permissions: without s3:ListBucket S3 answers a missing key with 403 Forbidden; the handler treats 403 like 404 and the conditional PUT decides (412 if the key exists).",
    },
    row("retention bypass", "s3:BypassGovernanceRetention", object, {}, "Denied"),
    // A HEAD in checksum mode of an SSE-KMS object uploaded with a checksum needs kms:Decrypt; the
    // role may not read reports, so the handler's HEAD sends no ChecksumMode (lambda/incident-report).
    {
      ...row(
        "(HEAD in checksum mode of an existing report: refused, so the handler's HEAD omits it)",
        "kms:Decrypt",
        bucket.kmsKeyArn!,
        {
          "kms:ViaService": `s3.${ix.region}.amazonaws.com`,
          "kms:CallerAccount": ix.account,
          "kms:EncryptionContext:aws:s3:arn": bucket.arn,
        },
        "Denied",
      ),
      doc: INCIDENT_DOCS.s3HeadObject,
      note:
        'HeadObject, ChecksumMode: "if you enable checksum mode and the object is uploaded with a checksum and encrypted with a KMS key, you must ' +
        'have permission to use the kms:Decrypt action to retrieve the checksum". The role holds kms:GenerateDataKey only; ' +
        "test/incident/end-to-end.spec.ts answers such a HEAD with 403 by this simulation.",
    },
    // Its trust, own log group, X-Ray and ENIs, as for every VPC function of the pipeline.
    ...functionRows(ix, f, "incident-report"),
  ];
};

/**
 * The authorizer, the caller of StartExecution on the encrypted state machine: AWS's table of
 * "Required permissions for API callers" lists no KMS permission for StartExecution (Step Functions
 * encrypts the input with the execution role), so the authorizer gets none by the state machine's
 * context; its own pipeline-key use is bound to its tables and its queue by encryption context.
 */
const authorizerOnEncryptedMachine: RowSource = (ix) => {
  const f = ix.functions.get(`hcp-${ix.stack}-authorizer`);
  const machine = ix.ofType("aws:sfn/stateMachine:StateMachine").find((m) => String(m.inputs.name).endsWith("-incident"));
  if (!f || !machine) return [];
  const region = ix.region;
  const arn = `arn:aws:states:${region}:${ix.account}:stateMachine:${String(machine.inputs.name)}`;
  const key = ix.keyArn((machine.inputs.encryptionConfiguration as { kmsKeyId: string }).kmsKeyId)!;
  const row = neededCallsOf("authorizer on the encrypted state machine", { role: roleNameOf(f.roleArn) });
  const statesKey = { "kms:CallerAccount": ix.account, "kms:EncryptionContext:aws:states:stateMachineArn": arn };
  const viaDynamo = { "kms:ViaService": `dynamodb.${region}.amazonaws.com`, "kms:CallerAccount": ix.account };
  const viaSqs = { "kms:ViaService": `sqs.${region}.amazonaws.com`, "kms:CallerAccount": ix.account };
  const notNeeded = "AWS lists no KMS permission for StartExecution's caller; the authorizer holds none by the state machine's context.";
  return [
    row("incident state machine", "states:StartExecution", arn, {}, INCIDENT_DOCS.sfnKms, {
      note: "StartExecution on a state machine with a customer managed key needs no KMS permission of the caller (encryption-at-rest, Required permissions for API callers).",
    }),
    ...["kms:GenerateDataKey", "kms:Decrypt"].flatMap((a) => [
      row("state machine key, not needed", a, key, statesKey, INCIDENT_DOCS.sfnKms, { expected: "Denied", note: notNeeded }),
      row(
        "state machine key through states, not needed",
        a,
        key,
        { ...statesKey, "kms:ViaService": `states.${region}.amazonaws.com` },
        INCIDENT_DOCS.sfnKms,
        { expected: "Denied", note: notNeeded },
      ),
    ]),
    row(
      "pipeline key via DynamoDB for another table",
      "kms:Decrypt",
      key,
      {
        ...viaDynamo,
        "kms:EncryptionContext:aws:dynamodb:tableName": `hcp-${ix.stack}-other`,
        "kms:EncryptionContext:aws:dynamodb:subscriberId": ix.account,
      },
      INCIDENT_DOCS.dynamodbEncryptionContext,
      { expected: "Denied", note: "Issue 16 defect 11: the authorizer's pipeline-key statement is bound to its two tables." },
    ),
    row(
      "pipeline key via SQS for another queue",
      "kms:GenerateDataKey",
      key,
      { ...viaSqs, "kms:EncryptionContext:aws:sqs:arn": `arn:aws:sqs:${region}:${ix.account}:hcp-${ix.stack}-other` },
      INCIDENT_DOCS.sqsKms,
      { expected: "Denied", note: "Issue 16 defect 11: the authorizer's pipeline-key statement is bound to its dead-letter queue." },
    ),
    row(
      "pipeline key via Lambda without a function's context",
      "kms:Decrypt",
      key,
      { "kms:ViaService": `lambda.${region}.amazonaws.com`, "kms:CallerAccount": ix.account },
      INCIDENT_DOCS.sfnKms,
      { expected: "Denied", note: "The environment key is granted by the function's own ARN (createVpcFunction); nothing broader." },
    ),
  ];
};

/** The incident workflow's rows (to be added to ROWS in behaviour.ts). */
export const INCIDENT_ROWS: readonly RowSource[] = [incidentStateMachine, incidentReportFunction, authorizerOnEncryptedMachine];
