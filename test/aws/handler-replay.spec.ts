/**
 * The data processor replays its own AWS calls against the prod plan's policies (docs/design.md,
 * "AWS behaviour, verified offline"): the handler runs its main scenarios against s3rver and dynalite with a recorder on
 * its clients; every recorded request is turned into the IAM calls AWS authorizes for it (CopyObject
 * is s3:GetObject on the source and s3:PutObject on the destination, with the SSE headers it sent,
 * plus the KMS calls S3, DynamoDB, SSM and SNS make on the caller's behalf) and evaluated against
 * the data-processor role's policies, the PHI bucket policy, the topic policy and the key policies.
 */
import { strict as assert } from "assert";
import { DATA_PROCESSOR_ENV } from "../../lambda/data-processor/contract";
import { captureOutput, LocalAws, s3Event, s3Record, startLocalAws, TABLE, TOPIC_ARN, BUCKET } from "../../tools/local-aws/data-processor";
import { json, notJson, validPatient } from "../../tools/local-aws/fhir-records";
import { loadPlan, planSpec } from "../support/plans";
import type { PolicyIndex } from "./policy-index";
import { recordRequests, type RecordedRequest } from "./recorder";
import { describeCall, simulate, type Call } from "./simulate";
import { TLS } from "./row-factory";

/** Request headers S3 evaluates as condition keys of s3:PutObject (`s3:<header>`). */
const S3_CONDITION_HEADERS = [
  "x-amz-server-side-encryption",
  "x-amz-server-side-encryption-aws-kms-key-id",
  "x-amz-acl",
  "x-amz-copy-source",
  "x-amz-metadata-directive",
  "x-amz-storage-class",
];

/** The prod names of what the local servers call by test names. */
function prodNames(ix: PolicyIndex) {
  const bucket = ix.bucket((n) => n.startsWith("hcp-prod-phi-data-"), "PHI data");
  const table = ix.ofType("aws:dynamodb/table:Table").find((t) => t.inputs.name === "hcp-prod-audit")!;
  const parameter = ix.ofType("aws:ssm/parameter:Parameter").find((p) => String(p.inputs.name).startsWith("/hcp/prod/data-processor/"))!;
  const topic = [...ix.topics.values()].find((t) => t.name === "hcp-prod-security-alerts")!;
  return { bucket, tableArn: String(table.outputs.arn), parameterArn: String(parameter.outputs.arn), topic, region: ix.region };
}

/** The IAM calls AWS authorizes for one recorded request, in the prod plan's names. */
export function authorizedCalls(ix: PolicyIndex, req: RecordedRequest): Call[] {
  const p = prodNames(ix);
  const caller = { role: "hcp-prod-data-processor" };
  const kms = (action: string, key: string, service: string, context: Record<string, string>): Call => ({
    caller,
    action,
    resource: key,
    context: { ...TLS, "kms:ViaService": `${service}.${p.region}.amazonaws.com`, "kms:CallerAccount": ix.account, ...context },
  });
  const bucketArn = (b: unknown) => (b === BUCKET ? p.bucket.arn : `arn:aws:s3:::${String(b)}`);
  const s3Kms = { "kms:EncryptionContext:aws:s3:arn": p.bucket.arn };
  const key = p.bucket.kmsKeyArn!;
  switch (`${req.service}:${req.command}`) {
    case "s3:GetObject":
    case "s3:HeadObject": {
      const action = req.input.VersionId ? "s3:GetObjectVersion" : "s3:GetObject";
      return [
        { caller, action, resource: `${bucketArn(req.input.Bucket)}/${String(req.input.Key)}`, context: TLS },
        kms("kms:Decrypt", key, "s3", s3Kms),
      ];
    }
    case "s3:CopyObject":
    case "s3:PutObject": {
      const headers = Object.fromEntries(
        S3_CONDITION_HEADERS.filter((h) => req.headers[h] !== undefined).map((h) => [`s3:${h}`, decodeURIComponent(req.headers[h])]),
      );
      const dest = `${bucketArn(req.input.Bucket)}/${String(req.input.Key)}`;
      const calls: Call[] = [{ caller, action: "s3:PutObject", resource: dest, context: { ...TLS, ...headers } }];
      if (req.input.Tagging) calls.push({ caller, action: "s3:PutObjectTagging", resource: dest, context: TLS });
      if (req.command === "CopyObject") {
        const [source, version] = decodeURIComponent(String(req.input.CopySource)).split("?versionId=");
        const [srcBucket, ...srcKey] = source.replace(/^\//, "").split("/");
        calls.push({
          caller,
          action: version ? "s3:GetObjectVersion" : "s3:GetObject",
          resource: `${bucketArn(srcBucket)}/${srcKey.join("/")}`,
          context: TLS,
        });
        calls.push(kms("kms:Decrypt", key, "s3", s3Kms));
      }
      calls.push(kms("kms:GenerateDataKey", key, "s3", s3Kms));
      return calls;
    }
    case "dynamodb:GetItem":
    case "dynamodb:PutItem":
    case "dynamodb:Get":
    case "dynamodb:Put": {
      assert.equal(req.input.TableName, TABLE, "the handler writes the configured audit table");
      const action = `dynamodb:${req.command.replace(/^(Get|Put)$/, "$1Item")}`;
      return [{ caller, action, resource: p.tableArn, context: TLS }, kms("kms:Decrypt", key, "dynamodb", {})];
    }
    case "ssm:GetParameter": {
      const calls: Call[] = [{ caller, action: "ssm:GetParameter", resource: p.parameterArn, context: TLS }];
      if (req.input.WithDecryption) calls.push(kms("kms:Decrypt", key, "ssm", { "kms:EncryptionContext:PARAMETER_ARN": p.parameterArn }));
      return calls;
    }
    case "sns:Publish": {
      assert.equal(req.input.TopicArn, TOPIC_ARN, "the handler publishes to the configured topic");
      const ctx = { "kms:EncryptionContext:aws:sns:topicArn": p.topic.arn };
      return [
        { caller, action: "sns:Publish", resource: p.topic.arn, context: TLS },
        kms("kms:GenerateDataKey", p.topic.kmsKeyArn!, "sns", ctx),
        kms("kms:Decrypt", p.topic.kmsKeyArn!, "sns", ctx),
      ];
    }
    default:
      throw new Error(`no IAM mapping for ${req.service}:${req.command}: add it to authorizedCalls`);
  }
}

describe("the data processor's own calls, replayed against the prod plan's policies", function () {
  this.timeout(60_000);
  let aws: LocalAws;
  let ix: PolicyIndex;

  before(async () => {
    ix = await loadPlan(planSpec("prod"));
    aws = await startLocalAws();
  });
  after(async () => {
    await aws?.stop();
  });

  async function run(name: string, body: string, config?: { maxObjectBytes: number }): Promise<RecordedRequest[]> {
    const recorded: RecordedRequest[] = [];
    const handler = aws.handler({ ...(config ? { config } : {}), wrap: (clients) => (recordRequests(clients, recorded), {}) });
    const key = `intake/replay/${name}`;
    await aws.put(key, body);
    const out = await captureOutput(() => handler(s3Event(s3Record(key, Buffer.byteLength(body))), { awsRequestId: `replay-${name}` }));
    assert.equal(out.error, undefined, String(out.error));
    return recorded;
  }

  async function assertAllowed(recorded: RecordedRequest[], expectCommands: string[]) {
    const commands = recorded.map((r) => `${r.service}:${r.command}`);
    for (const c of expectCommands) assert.ok(commands.includes(c), `the scenario sends ${c} (sent: ${commands.join(", ")})`);
    const denied: string[] = [];
    for (const req of recorded) {
      for (const call of authorizedCalls(ix, req)) {
        const verdict = await simulate(ix, call);
        if (verdict.decision !== "Allowed") denied.push(`${req.service}:${req.command} -> ${describeCall(call)}\n    ${verdict.explain}`);
      }
    }
    assert.deepEqual(denied, [], `denied:\n  ${denied.join("\n  ")}`);
  }

  it("a valid record: config read, object read, copy to processed/, audit write", async () => {
    const recorded = await run("valid.json", json(validPatient));
    await assertAllowed(recorded, ["ssm:GetParameter", "s3:GetObject", "s3:CopyObject", "dynamodb:PutItem"]);
    const copy = recorded.find((r) => r.command === "CopyObject")!;
    assert.match(String(copy.input.Key), /^processed\//);
  });

  it("a quarantined record: copy to quarantine/ with tags, alert, audit write", async () => {
    const recorded = await run("not-json.json", notJson);
    await assertAllowed(recorded, ["s3:GetObject", "s3:CopyObject", "sns:Publish", "dynamodb:PutItem"]);
    assert.match(String(recorded.find((r) => r.command === "CopyObject")!.input.Key), /^quarantine\//);
  });

  it("an oversized record: quarantined without being read", async () => {
    const body = json({
      ...validPatient,
      text: { status: "generated", div: `<div xmlns="http://www.w3.org/1999/xhtml">${"x".repeat(4000)}</div>` },
    });
    const recorded = await run("large.json", body, { maxObjectBytes: 1024 });
    await assertAllowed(recorded, ["s3:CopyObject", "sns:Publish", "dynamodb:PutItem"]);
    assert.ok(!recorded.some((r) => r.command === "GetObject"), "a too-large object is never read");
  });

  it("records the headers that become condition keys (a PutObject with an SSE header is evaluated with it)", () => {
    const calls = authorizedCalls(ix, {
      service: "s3",
      command: "PutObject",
      input: { Bucket: BUCKET, Key: "processed/x.json" },
      headers: { "x-amz-server-side-encryption": "AES256" },
    });
    assert.equal(calls[0].context["s3:x-amz-server-side-encryption"], "AES256");
    assert.ok(DATA_PROCESSOR_ENV.auditTableName);
  });
});
