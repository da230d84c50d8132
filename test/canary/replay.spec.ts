/**
 * The canary replays its own AWS calls against the prod plan's policies (docs/design.md, "AWS behaviour,
 * verified offline"): one run against s3rver and dynalite (with the real data processor, SQS, STS and
 * CloudWatch mocked, as in handler.spec.ts) records every command its clients send, each turned into
 * the IAM calls AWS authorizes for it (with the KMS calls S3, DynamoDB and SQS make on the caller's
 * behalf) as the canary's role or, for the probe's read, the probe role, and simulated.
 */
import { strict as assert } from "assert";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { readCanaryEnvironment } from "../../lambda/canary/contract";
import { createHandler } from "../../lambda/canary/index";
import { BUCKET, s3Event, s3Record, startLocalAws, TABLE, type LocalAws } from "../../tools/local-aws/data-processor";
import type { PolicyIndex } from "../aws/policy-index";
import { TLS } from "../aws/row-factory";
import { describeCall, simulate, type Call } from "../aws/simulate";
import { loadPlan, planSpec } from "../support/plans";

interface Sent {
  readonly as: "canary" | "probe";
  readonly command: string;
  readonly input: Record<string, unknown>;
}

/** Records every command a client sends (before any mock or middleware). */
function record<T extends object>(client: T, as: Sent["as"], sink: Sent[]): T {
  const c = client as unknown as {
    send: (command: { input: Record<string, unknown>; constructor: { name: string } }, ...rest: unknown[]) => Promise<unknown>;
  };
  const send = c.send.bind(c);
  c.send = (command, ...rest) => {
    sink.push({ as, command: command.constructor.name.replace(/Command$/, ""), input: command.input });
    return send(command, ...rest);
  };
  return client;
}

/** The IAM calls AWS authorizes for one recorded command, in the prod plan's names. */
function authorizedCalls(ix: PolicyIndex, sent: Sent): Call[] {
  const bucket = ix.bucket((n) => n.startsWith("hcp-prod-phi-data-"), "PHI data");
  const table = ix.ofType("aws:dynamodb/table:Table").find((t) => t.inputs.name === "hcp-prod-audit")!;
  const queue = [...ix.queues.values()].find((q) => q.name === "hcp-prod-canary-alerts")!;
  const caller = { role: sent.as === "canary" ? "hcp-prod-canary" : "hcp-prod-canary-probe" };
  const kms = (action: string, key: string, service: string, context: Record<string, string>): Call => ({
    caller,
    action,
    resource: key,
    context: { ...TLS, "kms:ViaService": `${service}.${ix.region}.amazonaws.com`, "kms:CallerAccount": ix.account, ...context },
  });
  const object = `${bucket.arn}/${String(sent.input.Key)}`;
  const s3Kms = { "kms:EncryptionContext:aws:s3:arn": bucket.arn };
  switch (sent.command) {
    case "PutObject":
      return [
        { caller, action: "s3:PutObject", resource: object, context: TLS },
        kms("kms:GenerateDataKey", bucket.kmsKeyArn!, "s3", s3Kms),
      ];
    case "HeadObject":
      return [{ caller, action: "s3:GetObject", resource: object, context: TLS }];
    case "GetObject":
      return [{ caller, action: "s3:GetObject", resource: object, context: TLS }, kms("kms:Decrypt", bucket.kmsKeyArn!, "s3", s3Kms)];
    case "Query": {
      const leading = String((sent.input.ExpressionAttributeValues as Record<string, unknown>)[":k"]);
      return [
        { caller, action: "dynamodb:Query", resource: String(table.outputs.arn), context: { ...TLS, "dynamodb:LeadingKeys": [leading] } },
        kms("kms:Decrypt", bucket.kmsKeyArn!, "dynamodb", {
          "kms:EncryptionContext:aws:dynamodb:tableName": "hcp-prod-audit",
          "kms:EncryptionContext:aws:dynamodb:subscriberId": ix.account,
        }),
      ];
    }
    case "AssumeRole":
      return [{ caller, action: "sts:AssumeRole", resource: ix.role("hcp-prod-canary-probe").arn, context: TLS }];
    case "ReceiveMessage":
      return [
        { caller, action: "sqs:ReceiveMessage", resource: queue.arn, context: TLS },
        kms("kms:Decrypt", queue.kmsKeyArn!, "sqs", { "kms:EncryptionContext:aws:sqs:arn": queue.arn }),
      ];
    case "DeleteMessage":
      return [{ caller, action: "sqs:DeleteMessage", resource: queue.arn, context: TLS }];
    case "PutMetricData":
      return [
        {
          caller,
          action: "cloudwatch:PutMetricData",
          resource: "*",
          context: { ...TLS, "cloudwatch:namespace": String(sent.input.Namespace) },
        },
      ];
    default:
      throw new Error(`no IAM mapping for ${sent.command}: add it`);
  }
}

describe("canary: its own calls replayed against the prod plan's policies", function () {
  this.timeout(300_000);
  let aws: LocalAws;
  let ix: PolicyIndex;
  const sent: Sent[] = [];
  // Made in before(), not when the describe is read: mocha reads every file's describe first, and another
  // spec's restore() of the same client class would undo mocks made at that time.
  let mocks: readonly [ReturnType<typeof mockClient>, ReturnType<typeof mockClient>, ReturnType<typeof mockClient>];

  before(async () => {
    mocks = [mockClient(SQSClient), mockClient(STSClient), mockClient(CloudWatchClient)];
    ix = await loadPlan(planSpec("prod"));
    aws = await startLocalAws();
    const [sqs, sts, cloudwatch] = mocks;
    let queued = true;
    sqs.on(ReceiveMessageCommand).callsFake(() => {
      const body = JSON.stringify({
        Type: "Notification",
        Timestamp: "2026-12-05T01:06:00Z",
        Message: JSON.stringify({ alert: "PHI_ACCESS_INCIDENT", eventTime: "2026-12-05T01:00:00Z" }),
        MessageAttributes: { canary: { Type: "String", Value: "true" } },
      });
      const out = queued ? [{ MessageId: "m", ReceiptHandle: "h", Body: body }] : [];
      queued = false;
      return { Messages: out };
    });
    sqs.on(DeleteMessageCommand).resolves({});
    sts
      .on(AssumeRoleCommand)
      .resolves({ Credentials: { AccessKeyId: "A", SecretAccessKey: "S", SessionToken: "T", Expiration: new Date() } });
    cloudwatch.on(PutMetricDataCommand).resolves({});
    const s3 = record(new S3Client({ endpoint: aws.s3Endpoint, forcePathStyle: true }), "canary", sent);
    const run = createHandler({
      env: readCanaryEnvironment({
        CANARY_BUCKET: BUCKET,
        AUDIT_TABLE_NAME: TABLE,
        PROBE_ROLE_ARN: "arn:aws:iam::123456789012:role/hcp-test-canary-probe",
        ALERT_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/hcp-test-canary-alerts",
        STACK_NAME: "test",
        PROCESSING_WAIT_SECONDS: "10",
      }),
      s3,
      dynamodb: record(DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: aws.dynamodbEndpoint })), "canary", sent),
      sqs: record(new SQSClient({ region: "us-east-1" }), "canary", sent),
      sts: record(new STSClient({ region: "us-east-1" }), "canary", sent),
      cloudwatch: record(new CloudWatchClient({ region: "us-east-1" }), "canary", sent),
      probeS3: () => record(new S3Client({ endpoint: aws.s3Endpoint, forcePathStyle: true }), "probe", sent),
      log: () => undefined,
      pollIntervalMs: 100,
    })({});
    let key: string | undefined;
    for (let i = 0; i < 200 && !key; i++) {
      key = (await aws.keys("intake/canary/"))[0];
      if (!key) await new Promise((r) => setTimeout(r, 20));
    }
    const body = (await aws.get(key!))!;
    await aws.handler()(s3Event(s3Record(key!, body.length)), { awsRequestId: "dp" });
    const result = await run;
    assert.equal(result.processed, true);
    s3.destroy();
  });
  after(async () => {
    mocks.forEach((m) => m.restore());
    await aws.stop();
  });

  it("sends every kind of call the canary makes: its record, the probe, the query, the drain, the metrics, the probe's read", () => {
    assert.deepStrictEqual([...new Set(sent.map((s) => `${s.as} ${s.command}`))].sort(), [
      "canary AssumeRole",
      "canary DeleteMessage",
      "canary HeadObject",
      "canary PutMetricData",
      "canary PutObject",
      "canary Query",
      "canary ReceiveMessage",
      "probe GetObject",
    ]);
  });

  it("every call is allowed by the prod plan's policies", async () => {
    const denied: string[] = [];
    for (const s of sent) {
      for (const call of authorizedCalls(ix, s)) {
        const verdict = await simulate(ix, call);
        if (verdict.decision !== "Allowed") denied.push(`${describeCall(call)}: ${verdict.explain}`);
      }
    }
    assert.deepStrictEqual(denied, []);
  });

  it("the replay can fail: the same metrics in another namespace, or the probe's read as the canary, are denied", async () => {
    const metric = sent.find((s) => s.command === "PutMetricData")!;
    const [other] = authorizedCalls(ix, { ...metric, input: { ...metric.input, Namespace: "AWS/Lambda" } });
    assert.equal((await simulate(ix, other)).decision, "ImplicitlyDenied");
    const read = sent.find((s) => s.as === "probe" && s.command === "GetObject")!;
    const [asCanary] = authorizedCalls(ix, { ...read, as: "canary" });
    assert.equal((await simulate(ix, asCanary)).decision, "ImplicitlyDenied");
  });
});
