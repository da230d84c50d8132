/**
 * Behaviour rows of the security-event pipeline (components/security-events/, docs/design.md, "The security-event pipeline"),
 * added to `ROWS` in behaviour.ts as `...PIPELINE_ROWS`. Every name and ARN comes from the plan: the
 * subscription filter names its role and stream, the stream names its roles, domain, archive, key,
 * transform and log streams, the authorizer's environment names its tables, state machine and queue,
 * and the domain's master user is the configuration function's role.
 *
 * Paths the table cannot evaluate (the caller is neither a role of the plan nor a service principal):
 * - The stream's SSE with the pipeline key: Firehose calls kms:CreateGrant at CreateDeliveryStream with
 *   the deploying principal's credentials (kms:ViaService firehose, kms:GrantIsForAWSResource true) and
 *   then uses its grant (API_DeliveryStreamEncryptionConfigurationInput.html); likewise OpenSearch for
 *   encryption at rest and DynamoDB for the tables. The deployer (the account root or an admin role) is
 *   not a principal of the table: the key policy's GrantsForAwsResources statement (root, through
 *   firehose/es/dynamodb/lambda, GrantIsForAWSResource) is what lets it, and the probes check that no
 *   pipeline role can create a grant itself.
 * - Athena and Glue (archive-query.ts): no role of the plans queries the archive yet (the incident
 *   workflow that will is not built), so no row reads the workgroup's results or the archive through
 *   Athena; the role that does must add its rows.
 * - The CloudWatch Logs encryption of the pipeline's log groups (stream errors, the functions', the
 *   domain's four) with the audit key is covered by behaviour.ts's `logsToKey` rows, one per log group.
 */
import type { Row, RowSource } from "./behaviour";
import { neededCallsOf, TLS } from "./row-factory";
import type { FunctionEntry, PolicyIndex } from "./policy-index";
import { AUTHORIZER_ENV } from "../../lambda/authorizer/contract";
import { INDEX_TEMPLATE_API, indexTemplateName, SECURITY_API } from "../../lambda/opensearch-config/contract";
import { ISM_POLICIES_API, ismPolicyId } from "../../lambda/opensearch-config/ism";

export const PIPELINE_DOCS = {
  subscriptionFirehose: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html#FirehoseExample",
  ismApi: "https://docs.opensearch.org/latest/im-plugin/ism/api/",
  ismAws: "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ism.html",
  firehoseAssumeRole: "https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#firehose-assume-role",
  firehoseS3: "https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3",
  firehoseOpenSearchVpc: "https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-es-vpc",
  firehoseVpcConfiguration: "https://docs.aws.amazon.com/firehose/latest/APIReference/API_VpcConfiguration.html",
  firehoseTransform: "https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html",
  cloudwatchLogsToFirehose: "https://docs.aws.amazon.com/firehose/latest/dev/writing-with-cloudwatch-logs.html",
  firehoseSse: "https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeliveryStreamEncryptionConfigurationInput.html",
  firehoseS3Encryption: "https://docs.aws.amazon.com/firehose/latest/APIReference/API_EncryptionConfiguration.html",
  s3EncryptionContext: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context",
  opensearchLogs: "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/createdomain-configure-slow-logs.html",
  opensearchAccessPolicy: "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html",
  opensearchSecurityApi: "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html#fgac-more-masters",
  lambdaExecutionRole: "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
  lambdaSourceFunctionArn: "https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html",
  lambdaVpc: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions",
  lambdaEnvKms: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html",
  xray: "https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html",
  dynamodbEncryptionContext:
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.howitworks.html#dynamodb-encryption-context",
  dynamodbBatchGet: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html",
  startExecution: "https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html",
  sqsKms: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html",
} as const;

/** Another account, for the rows that show a trust refuses a foreign source. */
const OTHER_ACCOUNT = "210987654321";
const via = (service: string, region: string) => ({ "kms:ViaService": `${service}.${region}.amazonaws.com` });
const regionOf = (arn: string) => arn.split(":")[3];

interface OpenSearchDestination {
  domainArn: string;
  roleArn: string;
  vpcConfig?: { subnetIds: string[]; securityGroupIds: string[]; roleArn: string };
  processingConfiguration?: { processors?: { type: string; parameters?: { parameterName: string; parameterValue: string }[] }[] };
  cloudwatchLoggingOptions?: { logGroupName?: string; logStreamName?: string };
  s3Configuration: {
    roleArn: string;
    bucketArn: string;
    prefix?: string;
    errorOutputPrefix?: string;
    kmsKeyArn?: string;
    cloudwatchLoggingOptions?: { logGroupName?: string; logStreamName?: string };
  };
}

/** The plan's security-event stream (an OpenSearch destination), or undefined. */
function streamOf(ix: PolicyIndex) {
  const s = ix.ofType("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream").find((x) => x.inputs.destination === "opensearch");
  if (!s) return undefined;
  const os = s.inputs.opensearchConfiguration as OpenSearchDestination;
  const transform = os.processingConfiguration?.processors?.find((p) => p.type === "Lambda");
  const lambdaArn = transform?.parameters?.find((p) => p.parameterName === "LambdaArn")?.parameterValue;
  const sse = s.inputs.serverSideEncryption as { enabled?: boolean; keyType?: string; keyArn?: string } | undefined;
  return { name: String(s.inputs.name), arn: String(s.outputs.arn), os, lambdaArn, sse };
}

const roleNameOf = (arn: string) => arn.split("/").pop()!;
const functionByArn = (ix: PolicyIndex, arn: string | undefined) => [...ix.functions.values()].find((f) => f.arn === arn);

/** Firehose evaluates `!{timestamp:...}` and `!{firehose:error-output-type}` in its S3 prefixes; a row needs one concrete key. */
const evaluatePrefix = (prefix: string) =>
  prefix
    .replace(/!\{timestamp:yyyy-MM-dd\}/g, "2026-11-01")
    .replace(/!\{timestamp:HH\}/g, "00")
    .replace(/!\{firehose:error-output-type\}/g, "processing-failed");

/**
 * The verify check that settles a pipeline function's unsettled rows (its role assumed, its
 * environment decrypted): the authorizer transforms every record of the stream; the incident
 * report runs in each incident execution; the OpenSearch configuration mapped the stream's role,
 * so a domain whose documents grow shows it ran; the canary publishes its measurements only when it ran.
 */
export function settledByFunction(label: string): string {
  const check = { authorizer: "stream", "incident-report": "workflow", "opensearch-config": "domain", canary: "canary" }[label];
  if (check === undefined) throw new Error(`settledByFunction: no verify check settles the rows of ${label}: name one`);
  return check;
}

/** What every VPC function of the pipeline needs from its own role: its log group, X-Ray, its ENIs, its environment key. */
export function functionRows(ix: PolicyIndex, f: FunctionEntry, label: string): Row[] {
  const caller = { role: roleNameOf(f.roleArn) };
  const region = regionOf(f.arn);
  const row = neededCallsOf(`pipeline ${label}`, caller);
  const rows: Row[] = [
    {
      id: `pipeline ${label}:assume-role`,
      caller: { service: "lambda.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: f.roleArn,
      context: { "aws:SourceAccount": ix.account },
      expected: "Allowed",
      doc: PIPELINE_DOCS.lambdaExecutionRole,
      settled: false,
      settledBy: settledByFunction(label),
      note: "As for the data processor: the Lambda guide's trust carries no condition and does not say which aws:Source* keys Lambda sends; aws:SourceAccount is assumed.",
    },
    {
      id: `pipeline ${label}:assume-role for another account`,
      caller: { service: "lambda.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: f.roleArn,
      context: { "aws:SourceAccount": OTHER_ACCOUNT },
      expected: "Denied",
      doc: PIPELINE_DOCS.lambdaExecutionRole,
      settled: false,
      settledBy: settledByFunction(label),
      note: "The trust's aws:SourceAccount refuses a function of another account (if Lambda sends the key).",
    },
    row("*", "xray:PutTraceSegments", "*", {}, PIPELINE_DOCS.xray),
    row("*", "xray:PutTelemetryRecords", "*", {}, PIPELINE_DOCS.xray),
  ];
  const logGroup = ix.logGroups.get(`/aws/lambda/${f.name}`);
  if (logGroup) {
    const stream = `${logGroup.arn}:log-stream:2026/11/01/[$LATEST]0123456789abcdef`;
    const ctx = { "lambda:SourceFunctionArn": f.arn };
    rows.push(
      row("own log group", "logs:CreateLogStream", stream, ctx, PIPELINE_DOCS.lambdaSourceFunctionArn),
      row("own log group (events)", "logs:PutLogEvents", stream, ctx, PIPELINE_DOCS.lambdaSourceFunctionArn),
    );
  }
  if (f.subnetIds.length > 0) {
    const eni = `arn:aws:ec2:${region}:${ix.account}:network-interface/eni-0123456789abcdef0`;
    const note = "Lambda creates and deletes the function's ENIs with the execution role (its subnets and security group).";
    rows.push(
      row("ENI", "ec2:CreateNetworkInterface", eni, {}, PIPELINE_DOCS.lambdaVpc, { note }),
      row(
        "in its subnet",
        "ec2:CreateNetworkInterface",
        `arn:aws:ec2:${region}:${ix.account}:subnet/${f.subnetIds[0]}`,
        {},
        PIPELINE_DOCS.lambdaVpc,
        { note },
      ),
      row(
        "with its security group",
        "ec2:CreateNetworkInterface",
        `arn:aws:ec2:${region}:${ix.account}:security-group/${f.securityGroupIds[0]}`,
        {},
        PIPELINE_DOCS.lambdaVpc,
        {
          note,
        },
      ),
      row("ENI", "ec2:DeleteNetworkInterface", eni, {}, PIPELINE_DOCS.lambdaVpc, { note }),
      row("*", "ec2:DescribeNetworkInterfaces", "*", {}, PIPELINE_DOCS.lambdaVpc, { note }),
    );
  }
  const variables = (
    (ix.ofType("aws:lambda/function:Function").find((x) => String(x.outputs.arn) === f.arn)?.inputs.environment ?? {}) as {
      variables?: object;
    }
  ).variables;
  if (f.kmsKeyArn && variables && Object.keys(variables).length > 0) {
    rows.push(
      row(
        "environment key via Lambda",
        "kms:Decrypt",
        f.kmsKeyArn,
        { ...via("lambda", region), "kms:CallerAccount": ix.account, "kms:EncryptionContext:aws:lambda:FunctionArn": f.arn },
        PIPELINE_DOCS.lambdaEnvKms,
        {
          settled: false,
          settledBy: settledByFunction(label),
          note: "Lambda decrypts the environment with the function ARN as encryption context; whether with the execution role or its grant is not documented.",
        },
      ),
    );
  }
  return rows;
}

/** CloudWatch Logs -> Firehose: the subscription filter's role, assumed by CloudWatch Logs, puts the trail's S3 data events into the stream. */
const subscriptionToStream: RowSource = (ix) => {
  const stream = streamOf(ix);
  if (!stream) return [];
  return ix
    .ofType("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter")
    .filter((s) => s.inputs.destinationArn === stream.arn)
    .flatMap((s): Row[] => {
      const roleArn = String(s.inputs.roleArn);
      const group = ix.logGroups.get(String(s.inputs.logGroup));
      if (!group) throw new Error(`${ix.stack}: the subscription filter reads ${String(s.inputs.logGroup)}, not a log group of the plan`);
      const note =
        "AWS's trust for the CloudWatch Logs -> Firehose role conditions on aws:SourceArn with arn:aws:logs:<region>:<account>:* (confused deputy); " +
        "which ARN CloudWatch Logs sends is not stated: the row sends the subscribed log group's ARN.";
      const assume = (id: string, sourceArn: string, expected: Row["expected"]): Row => ({
        id: `pipeline subscription:${id}`,
        caller: { service: "logs.amazonaws.com" },
        action: "sts:AssumeRole",
        resource: roleArn,
        context: { "aws:SourceArn": sourceArn },
        expected,
        doc: PIPELINE_DOCS.subscriptionFirehose,
        settled: false,
        settledBy: "stream",
        note,
      });
      return [
        assume("assume-role", group.arn, "Allowed"),
        assume("assume-role for another account's log group", group.arn.replace(`:${ix.account}:`, `:${OTHER_ACCOUNT}:`), "Denied"),
        ...["firehose:PutRecord", "firehose:PutRecordBatch"].map((action): Row => ({
          id: `pipeline subscription:${action}`,
          caller: { role: roleNameOf(roleArn) },
          action,
          resource: stream.arn,
          context: TLS,
          expected: "Allowed",
          doc: PIPELINE_DOCS.subscriptionFirehose,
          settled: true,
          note: "The stream ARN is the plan's (the offline mock names streams firehoseDeliveryStream/<name>; AWS deliverystream/<name>): the policy names the stream's own ARN output.",
        })),
      ];
    });
};

/** Firehose: its role (trust with sts:ExternalId), the transform, the domain in the VPC, the archive with its key, its error log streams. */
const firehoseDelivery: RowSource = (ix) => {
  const stream = streamOf(ix);
  if (!stream) return [];
  const { os } = stream;
  const roleName = roleNameOf(os.roleArn);
  const caller = { role: roleName };
  const region = regionOf(stream.arn);
  const domain = os.domainArn;
  const row = neededCallsOf("pipeline firehose", caller);
  for (const other of [os.s3Configuration.roleArn, os.vpcConfig?.roleArn]) {
    if (other !== undefined && other !== os.roleArn) throw new Error(`${ix.stack}: the stream uses a second role ${other}: add its rows`);
  }
  const assume = (id: string, externalId: string, expected: Row["expected"]): Row => ({
    id: `pipeline firehose:${id}`,
    caller: { service: "firehose.amazonaws.com" },
    action: "sts:AssumeRole",
    resource: os.roleArn,
    context: { "sts:ExternalId": externalId },
    expected,
    doc: PIPELINE_DOCS.firehoseAssumeRole,
    settled: true,
    note: "AWS: Firehose assumes the delivery role with the stream's account ID as sts:ExternalId; the documented trust conditions on it.",
  });
  const rows: Row[] = [
    assume("assume-role", ix.account, "Allowed"),
    assume("assume-role for another account's stream", OTHER_ACCOUNT, "Denied"),
  ];

  // The transform: Firehose invokes the authorizer synchronously with the role. It is the only processor
  // (issue 16 section 2): no Decompression / CloudWatchLogProcessing, which Firehose does not document for an
  // OpenSearch destination; the authorizer gunzips the subscription's messages itself.
  const processorTypes = (stream.os.processingConfiguration?.processors ?? []).map((p) => p.type);
  if (processorTypes.join(",") !== "Lambda")
    throw new Error(
      `${ix.stack}: the security-event stream must run the authorizer as its only processor, got ${processorTypes.join(", ")}`,
    );
  if (stream.lambdaArn) {
    for (const action of ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"]) {
      rows.push(
        row("authorizer", action, stream.lambdaArn, {}, PIPELINE_DOCS.firehoseS3, {
          note:
            `Firehose's role invokes the transform (${PIPELINE_DOCS.firehoseTransform}), its only processor: records arrive as the ` +
            `subscription's gzip messages (${PIPELINE_DOCS.subscriptionFirehose}) and the authorizer decodes them, since ` +
            `${PIPELINE_DOCS.cloudwatchLogsToFirehose} says CloudWatch Logs to OpenSearch is not supported (several log events per record). ` +
            "First deploy must check: records are Ok (not NOT_GZIP), the CONTROL_MESSAGE comes back Dropped, and failed.RESPONSE_SIZE_BUDGET stays 0.",
        }),
      );
    }
  }

  // OpenSearch in the VPC: describe, bulk-write, read the cluster state (the documented paths), under the domain's access policy.
  for (const action of ["es:DescribeDomain", "es:DescribeDomains", "es:DescribeDomainConfig"])
    rows.push(row("domain", action, domain, {}, PIPELINE_DOCS.firehoseOpenSearchVpc));
  rows.push(
    row("_bulk", "es:ESHttpPost", `${domain}/_bulk`, {}, PIPELINE_DOCS.firehoseOpenSearchVpc),
    row("_bulk", "es:ESHttpPut", `${domain}/_bulk`, {}, PIPELINE_DOCS.firehoseOpenSearchVpc),
  );
  const index = "security-events-2026-11-01";
  const gets: [string, string][] = [
    ["_all/_settings", "_all/_settings"],
    ["_cluster/stats", "_cluster/stats"],
    ["<index>/_mapping/<type>", `${index}/_mapping/_doc`],
    ["_nodes", "_nodes"],
    ["_nodes/stats", "_nodes/stats"],
    ["_nodes/*/stats", "_nodes/AbCdEfGhIjKlMnOpQrStUv/stats"],
    ["_stats", "_stats"],
    ["<index>/_stats", `${index}/_stats`],
    ["/ (the domain root)", ""],
  ];
  for (const [id, path] of gets) {
    rows.push(
      row(id, "es:ESHttpGet", `${domain}/${path}`, {}, PIPELINE_DOCS.firehoseOpenSearchVpc, {
        note: "AWS lists these ESHttpGet resources for a Firehose role, the last being arn:aws:es:<region>:<account>:domain/<name>/ (the root, one slash).",
      }),
    );
  }
  // Nothing else on the domain: in one account the identity policy OR the domain's access policy
  // allows (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html),
  // so the role's own statement must be as narrow as the domain policy's per-path grant to the stream.
  const beyond: [string, string, string][] = [
    ["the security API (internal users)", "es:ESHttpPut", "_plugins/_security/api/internalusers/intruder"],
    ["the security API (all_access mapping)", "es:ESHttpPut", "_plugins/_security/api/rolesmapping/all_access"],
    ["an index template", "es:ESHttpPut", "_index_template/security-events"],
    ["a snapshot repository", "es:ESHttpPut", "_snapshot/exfiltrate"],
    ["another index", "es:ESHttpPost", "patients-2026/_doc"],
  ];
  for (const [id, action, path] of beyond) {
    rows.push(
      row(`(beyond its write paths: ${id})`, action, `${domain}/${path}`, {}, PIPELINE_DOCS.firehoseOpenSearchVpc, { expected: "Denied" }),
    );
  }
  if (os.vpcConfig) {
    const ec2 = `arn:aws:ec2:${region}:${ix.account}`;
    const eni = `${ec2}:network-interface/eni-0123456789abcdef0`;
    for (const action of ["ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeNetworkInterfaces"]) {
      rows.push(row("*", action, "*", {}, PIPELINE_DOCS.firehoseVpcConfiguration));
    }
    // DescribeVpcAttribute is authorized on the VPC (resource type vpc), not only on "*".
    const vpcId = ix.ofType("aws:ec2/securityGroup:SecurityGroup").find((g) => String(g.id) === os.vpcConfig!.securityGroupIds[0])
      ?.inputs.vpcId;
    rows.push(
      row("the stream's VPC", "ec2:DescribeVpcAttribute", `${ec2}:vpc/${String(vpcId)}`, {}, PIPELINE_DOCS.firehoseVpcConfiguration),
    );
    rows.push(
      row("ENI", "ec2:CreateNetworkInterface", eni, {}, PIPELINE_DOCS.firehoseVpcConfiguration),
      ...os.vpcConfig.subnetIds.map((s) =>
        row(`in subnet ${s}`, "ec2:CreateNetworkInterface", `${ec2}:subnet/${s}`, {}, PIPELINE_DOCS.firehoseVpcConfiguration),
      ),
      ...os.vpcConfig.securityGroupIds.map((g) =>
        row(
          `with its security group`,
          "ec2:CreateNetworkInterface",
          `${ec2}:security-group/${g}`,
          {},
          PIPELINE_DOCS.firehoseVpcConfiguration,
        ),
      ),
      row("ENI", "ec2:CreateNetworkInterfacePermission", eni, {}, PIPELINE_DOCS.firehoseVpcConfiguration),
      row("ENI", "ec2:DeleteNetworkInterface", eni, {}, PIPELINE_DOCS.firehoseVpcConfiguration),
    );
  }

  // The archive: every document (AllDocuments) and the error records, with the pipeline key through S3.
  const s3 = os.s3Configuration;
  const bucket = [...ix.buckets.values()].find((b) => b.arn === s3.bucketArn);
  if (!bucket) throw new Error(`${ix.stack}: the stream archives to ${s3.bucketArn}, not a bucket of the plan`);
  for (const action of ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"])
    rows.push(row("archive", action, bucket.arn, {}, PIPELINE_DOCS.firehoseS3));
  const objectName = `${stream.name}-1-2026-11-01-00-00-00-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0.gz`;
  const objects: [string, string][] = [["events/", `${evaluatePrefix(s3.prefix ?? "")}${objectName}`]];
  if (s3.errorOutputPrefix) objects.push(["errors/", `${evaluatePrefix(s3.errorOutputPrefix)}${objectName}`]);
  const keyArn = s3.kmsKeyArn ? ix.keyArn(s3.kmsKeyArn)! : bucket.kmsKeyArn;
  for (const [label, key] of objects) {
    const object = `${bucket.arn}/${key}`;
    rows.push(
      row(
        `archive ${label}`,
        "s3:PutObject",
        object,
        s3.kmsKeyArn ? { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn! } : {},
        PIPELINE_DOCS.firehoseS3,
        {
          settled: false,
          settledBy: "stream",
          note:
            "With a KMS key in the S3 configuration Firehose writes SSE-KMS objects under that key; AWS does not document the headers: the row assumes " +
            "aws:kms and the key's ARN as configured (the bucket denies another key id).",
        },
      ),
      row(`archive ${label}`, "s3:AbortMultipartUpload", object, {}, PIPELINE_DOCS.firehoseS3),
      row(`archive ${label}`, "s3:GetObject", object, {}, PIPELINE_DOCS.firehoseS3),
    );
  }
  if (keyArn) {
    // With an S3 Bucket Key, S3 asks KMS for the bucket-level key under the bucket ARN; else the object ARN.
    const ctx = { ...via("s3", bucket.region), "kms:CallerAccount": ix.account, "kms:EncryptionContext:aws:s3:arn": bucket.arn };
    for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
      rows.push(
        row("pipeline key via S3 (archive)", action, keyArn, ctx, PIPELINE_DOCS.firehoseS3, {
          note: `Encryption context: ${PIPELINE_DOCS.s3EncryptionContext}.`,
        }),
      );
    }
  }

  // Delivery errors: Firehose writes them to the configured log streams with the role.
  const logTargets = [os.cloudwatchLoggingOptions, s3.cloudwatchLoggingOptions].filter(
    (o): o is { logGroupName: string; logStreamName: string } => Boolean(o?.logGroupName && o.logStreamName),
  );
  for (const t of logTargets) {
    const group = ix.logGroups.get(t.logGroupName);
    if (!group) throw new Error(`${ix.stack}: the stream logs to ${t.logGroupName}, not a log group of the plan`);
    rows.push(
      row(`${t.logStreamName} stream`, "logs:PutLogEvents", `${group.arn}:log-stream:${t.logStreamName}`, {}, PIPELINE_DOCS.firehoseS3),
    );
  }
  return rows;
};

/** OpenSearch publishing its slow, application and audit logs under the CloudWatch Logs resource policy. */
const openSearchLogs: RowSource = (ix) =>
  ix.ofType("aws:opensearch/domain:Domain").flatMap((d) => {
    const domainArn = String(d.outputs.arn);
    const options = (d.inputs.logPublishingOptions ?? []) as { logType: string; cloudwatchLogGroupArn: string; enabled?: boolean }[];
    return options
      .filter((o) => o.enabled !== false)
      .flatMap((o) => {
        const group = String(o.cloudwatchLogGroupArn).replace(/:\*$/, "");
        const stream = `${group}:log-stream:${ix.account}-${String(d.inputs.domainName)}-${o.logType.toLowerCase()}`;
        const note =
          "AWS's resource policy for log publishing names es.amazonaws.com and, against the confused deputy, aws:SourceAccount and aws:SourceArn (the domain).";
        const call = (action: string, sourceArn: string, expected: Row["expected"], suffix = ""): Row => ({
          id: `pipeline opensearch-logs ${o.logType}:${action}${suffix}`,
          caller: { service: "es.amazonaws.com" },
          action,
          resource: stream,
          context: { ...TLS, "aws:SourceAccount": ix.account, "aws:SourceArn": sourceArn },
          expected,
          doc: PIPELINE_DOCS.opensearchLogs,
          settled: true,
          note,
        });
        return [
          call("logs:CreateLogStream", domainArn, "Allowed"),
          call("logs:PutLogEvents", domainArn, "Allowed"),
          call("logs:PutLogEvents", domainArn.replace(/domain\/[^/]+$/, "domain/another-domain"), "Denied", " for another domain"),
        ];
      });
  });

/** The authorizer's own calls: grants, throttle, incident starts, the DLQ, each with the pipeline key through its service. */
const authorizer: RowSource = (ix) => {
  const stream = streamOf(ix);
  const f = functionByArn(ix, stream?.lambdaArn);
  if (!stream || !f) return [];
  const fn = ix.ofType("aws:lambda/function:Function").find((x) => String(x.outputs.arn) === f.arn)!;
  const env = ((fn.inputs.environment ?? {}) as { variables?: Record<string, string> }).variables ?? {};
  const table = (name: string) => {
    const t = ix.ofType("aws:dynamodb/table:Table").find((x) => x.inputs.name === name);
    if (!t) throw new Error(`${ix.stack}: the authorizer names table ${name}, not a table of the plan`);
    return {
      name,
      arn: String(t.outputs.arn),
      key: ix.keyArn((t.inputs.serverSideEncryption as { kmsKeyArn?: string } | undefined)?.kmsKeyArn),
    };
  };
  const grants = table(env[AUTHORIZER_ENV.grantsTableName]);
  const throttle = table(env[AUTHORIZER_ENV.throttleTableName]);
  const stateMachine = env[AUTHORIZER_ENV.incidentStateMachineArn];
  const queueArn = ix.ofType("aws:sqs/queue:Queue").find((q) => String(q.outputs.url) === env[AUTHORIZER_ENV.incidentDlqUrl])?.outputs.arn;
  const queue = ix.queues.get(String(queueArn));
  if (!queue) throw new Error(`${ix.stack}: the authorizer's DLQ ${env[AUTHORIZER_ENV.incidentDlqUrl]} is not a queue of the plan`);
  const caller = { role: roleNameOf(f.roleArn) };
  const region = regionOf(f.arn);
  const row = neededCallsOf("pipeline authorizer", caller);
  const dynamoKey = (t: { name: string; key?: string }, label: string): Row[] =>
    t.key
      ? [
          row(
            `pipeline key via DynamoDB (${label})`,
            "kms:Decrypt",
            t.key,
            {
              ...via("dynamodb", region),
              "kms:CallerAccount": ix.account,
              "kms:EncryptionContext:aws:dynamodb:tableName": t.name,
              "kms:EncryptionContext:aws:dynamodb:subscriberId": ix.account,
            },
            PIPELINE_DOCS.dynamodbEncryptionContext,
            {
              settled: false,
              settledBy: "canary",
              note:
                "DynamoDB decrypts the table key with kms:ViaService dynamodb and the encryption context aws:dynamodb:tableName and aws:dynamodb:subscriberId; " +
                "whether with the caller's credentials per request (rather than its grant) is not documented.",
            },
          ),
        ]
      : [];
  const sqsCtx = { ...via("sqs", region), "kms:CallerAccount": ix.account, "kms:EncryptionContext:aws:sqs:arn": queue.arn };
  return [
    ...functionRows(ix, f, "authorizer"),
    row("grants table", "dynamodb:BatchGetItem", grants.arn, {}, PIPELINE_DOCS.dynamodbBatchGet),
    ...dynamoKey(grants, "grants table"),
    row("throttle table", "dynamodb:PutItem", throttle.arn, {}, PIPELINE_DOCS.dynamodbEncryptionContext, {
      note: "The throttle is a conditional PutItem (attribute_not_exists or an expired window): authorized as dynamodb:PutItem.",
    }),
    ...dynamoKey(throttle, "throttle table"),
    row("incident state machine", "states:StartExecution", stateMachine, {}, PIPELINE_DOCS.startExecution, {
      note: "The state machine is built by the incident workflow (not yet in the plan): the row checks the ARN the authorizer is configured with.",
    }),
    row("incident DLQ", "sqs:SendMessage", queue.arn, {}, PIPELINE_DOCS.sqsKms),
    ...(queue.kmsKeyArn
      ? [
          row("pipeline key via SQS (DLQ)", "kms:GenerateDataKey", queue.kmsKeyArn, sqsCtx, PIPELINE_DOCS.sqsKms),
          row("pipeline key via SQS (DLQ data key)", "kms:Decrypt", queue.kmsKeyArn, sqsCtx, PIPELINE_DOCS.sqsKms, {
            note: "SQS producers to an SSE-KMS queue need kms:GenerateDataKey and kms:Decrypt on its key.",
          }),
        ]
      : []),
  ];
};

/** The configuration function (the domain's FGAC master user): PUTs of the security API, under the domain's access policy. */
const openSearchConfig: RowSource = (ix) =>
  ix.ofType("aws:opensearch/domain:Domain").flatMap((d) => {
    const master = (d.inputs.advancedSecurityOptions as { masterUserOptions?: { masterUserArn?: string } } | undefined)?.masterUserOptions
      ?.masterUserArn;
    const f = [...ix.functions.values()].find((x) => x.roleArn === master);
    if (!f) return [];
    const domainArn = String(d.outputs.arn);
    const run = ix.ofType("aws:lambda/invocation:Invocation").find((i) => i.inputs.functionName === f.name);
    const input = (typeof run?.inputs.input === "string" ? JSON.parse(run.inputs.input) : run?.inputs.input) as
      { writer?: { roleName?: string }; indexPattern?: string } | undefined;
    const writer = input?.writer?.roleName;
    const pattern = input?.indexPattern;
    if (!writer || !pattern) throw new Error(`${ix.stack}: no invocation of ${f.name} names the writer role and the index pattern`);
    const paths: [string, string][] = [
      ["writer role", `${SECURITY_API.roles}${writer}`],
      ["writer role mapping", `${SECURITY_API.rolesMapping}${writer}`],
      ["audit config", SECURITY_API.auditConfig],
      // Issue 16 part 4: the event indices' template (nested `events`).
      ["index template", `${INDEX_TEMPLATE_API}${indexTemplateName(pattern)}`],
    ];
    return [
      ...functionRows(ix, f, "opensearch-config"),
      ...paths.map(([id, path]): Row => ({
        id: `pipeline opensearch-config:es:ESHttpPut ${id}`,
        caller: { role: roleNameOf(f.roleArn) },
        action: "es:ESHttpPut",
        resource: `${domainArn}${path}`,
        context: TLS,
        expected: "Allowed",
        doc: PIPELINE_DOCS.opensearchAccessPolicy,
        settled: true,
        note: `ESHttp* resources are the domain ARN and the request path; FGAC then requires the master user for the security API (${PIPELINE_DOCS.opensearchSecurityApi}).`,
      })),
      // The FGAC master passes every FGAC check, so IAM and the access policy are the only bound: neither
      // may let it map a backend role to all_access, nor read or forge the event index (issue 16, defect 11).
      ...(
        [
          ["maps all_access", "es:ESHttpPut", `${SECURITY_API.rolesMapping}all_access`],
          ["creates another role", "es:ESHttpPut", `${SECURITY_API.roles}any_role`],
          ["reads the event index", "es:ESHttpGet", "/security-events-2026-01-01/_search"],
          ["forges events", "es:ESHttpPost", "/_bulk"],
        ] as const
      ).map(([id, action, path]): Row => ({
        id: `pipeline opensearch-config:${action} ${id} (refused)`,
        caller: { role: roleNameOf(f.roleArn) },
        action,
        resource: `${domainArn}${path}`,
        context: TLS,
        expected: "Denied",
        doc: PIPELINE_DOCS.opensearchAccessPolicy,
        settled: true,
        note: "Same account: the identity policy and the domain's access policy are a union; both name only the paths the function writes.",
      })),
      // Issue 16 part 4: the event indices' retention policy, read for its _seq_no/_primary_term, then created or
      // updated (PUT ...?if_seq_no=&if_primary_term=; IAM matches the path without its query string).
      ...(["es:ESHttpGet", "es:ESHttpPut"] as const).map((action): Row => ({
        id: `pipeline opensearch-config:${action} ism policy`,
        caller: { role: roleNameOf(f.roleArn) },
        action,
        resource: `${domainArn}${ISM_POLICIES_API}${ismPolicyId(pattern)}`,
        context: TLS,
        expected: "Allowed",
        doc: PIPELINE_DOCS.ismAws,
        settled: true,
        note:
          `GET then create, update with if_seq_no/if_primary_term, or leave (${PIPELINE_DOCS.ismApi}); ism_template attaches it to new daily indices (${PIPELINE_DOCS.ismAws}). ` +
          "First deploy must check: the GET answers _seq_no/_primary_term as documented, the PUT succeeds as the FGAC master, " +
          "and GET _plugins/_ism/explain/security-events-* shows the next daily index managed by the policy (indices created before it stay unmanaged).",
      })),
      {
        id: "pipeline opensearch-config:es:ESHttpPut another ism policy (refused)",
        caller: { role: roleNameOf(f.roleArn) },
        action: "es:ESHttpPut",
        resource: `${domainArn}${ISM_POLICIES_API}delete-everything`,
        context: TLS,
        expected: "Denied",
        doc: PIPELINE_DOCS.opensearchAccessPolicy,
        settled: true,
        note: `Only the event indices' policy: a policy whose ism_template matched other indices could delete them (${PIPELINE_DOCS.ismApi}).`,
      },
    ];
  });

/** The pipeline's rows (added to ROWS in behaviour.ts). */
export const PIPELINE_ROWS: readonly RowSource[] = [subscriptionToStream, firehoseDelivery, openSearchLogs, authorizer, openSearchConfig];
