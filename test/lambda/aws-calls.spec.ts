/**
 * The exact AWS calls the handler makes, with every client mocked: their order, version pinning
 * for versioned buckets (which s3rver does not emulate), the quarantine tag in the copy request,
 * and the bounded read.
 */
import { strict as assert } from "assert";
import { createHash } from "crypto";
import { Readable } from "stream";
import { CopyObjectCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { createAwsClients, destroyAwsClients, AwsClients } from "../../lambda/data-processor/aws";
import { renderProcessorConfig } from "../../lambda/data-processor/contract";
import { createHandler, DataProcessorHandler } from "../../lambda/data-processor/index";
import { copySource } from "../../lambda/data-processor/s3-object";
import { s3Event, s3Record } from "../../tools/local-aws/s3-events";
import { json, patientWithBadBirthDateAndGender, validPatient } from "../../tools/local-aws/fhir-records";

const ENV = {
  AUDIT_TABLE_NAME: "audit",
  ALERT_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:alerts",
  CONFIG_PARAMETER_NAME: "/hcp/test/config:2",
  AWS_REGION: "us-east-1",
};

type AnyStub = ReturnType<typeof mockClient>;
const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

describe("data-processor AWS calls (all clients mocked)", () => {
  let s3: AnyStub, ddb: AnyStub, sns: AnyStub, ssm: AnyStub;
  let clients: AwsClients;
  let handler: DataProcessorHandler;
  const calls: string[] = [];
  const silent = () => undefined;

  function body(text: string, chunkBytes = 64 * 1024, counter?: { chunks: number }) {
    const buf = Buffer.from(text);
    return Readable.from(
      (function* () {
        for (let i = 0; i < buf.length; i += chunkBytes) {
          if (counter) counter.chunks++;
          yield buf.subarray(i, i + chunkBytes);
        }
      })(),
    );
  }

  beforeEach(() => {
    calls.length = 0;
    const track =
      <T>(name: string, value: T) =>
      () => {
        calls.push(name);
        return value;
      };
    s3 = mockClient(S3Client);
    ddb = mockClient(DynamoDBDocumentClient);
    sns = mockClient(SNSClient);
    ssm = mockClient(SSMClient);
    ssm
      .on(GetParameterCommand)
      .resolves({ Parameter: { Type: "SecureString", Value: renderProcessorConfig({ maxObjectBytes: 4096 }), Version: 2 } } as object);
    ddb.on(GetCommand).callsFake(track("GetItem", {}));
    ddb.on(PutCommand).callsFake(track("PutItem", {}));
    sns.on(PublishCommand).callsFake(track("Publish", { MessageId: "m" }));
    s3.on(CopyObjectCommand).callsFake(track("CopyObject", { VersionId: "copy-v" }));
    clients = createAwsClients();
    handler = createHandler({ ...clients, environment: ENV, log: silent });
  });
  afterEach(() => {
    destroyAwsClients(clients);
    [s3, ddb, sns, ssm].forEach((m) => m.restore());
  });

  const input = <T>(stub: AnyStub, command: new (...args: never[]) => unknown): T => {
    const found = stub.commandCalls(command as never);
    assert.equal(found.length, 1, `one ${command.name}`);
    return (found[0].args[0] as { input: T }).input;
  };

  it("versioned valid record: GetItem, GetObject(VersionId), CopyObject pinned to the version, PutItem last", async () => {
    const text = json(validPatient);
    s3.on(GetObjectCommand).callsFake(() => {
      calls.push("GetObject");
      return { Body: body(text), ContentLength: Buffer.byteLength(text), ETag: '"e1"' };
    });
    const result = await handler(s3Event(s3Record("intake/clinic a/p.json", Buffer.byteLength(text), { versionId: "v+1/x" })), {
      awsRequestId: "r1",
    });
    assert.equal(result.processed, 1);
    assert.deepEqual(calls, ["GetItem", "GetObject", "CopyObject", "PutItem"]);
    assert.deepEqual(input(ssm, GetParameterCommand), { Name: "/hcp/test/config:2", WithDecryption: true });
    assert.deepEqual(input(ddb, GetCommand), {
      TableName: "audit",
      Key: { objectKey: "intake/clinic a/p.json", versionId: "v+1/x" },
      ConsistentRead: true,
      ProjectionExpression: "#o",
      ExpressionAttributeNames: { "#o": "outcome" },
    });
    assert.deepEqual(input(s3, GetObjectCommand), { Bucket: "phi-data-test", Key: "intake/clinic a/p.json", VersionId: "v+1/x" });
    assert.deepEqual(input(s3, CopyObjectCommand), {
      Bucket: "phi-data-test",
      Key: "processed/clinic a/p.json",
      CopySource: "phi-data-test/intake/clinic%20a/p.json?versionId=v%2B1%2Fx",
      CopySourceIfMatch: undefined,
      MetadataDirective: "COPY",
      TaggingDirective: "REPLACE",
      Tagging: undefined,
    });
    const put = input<{ Item: Record<string, unknown>; ConditionExpression: string; ExpressionAttributeNames: Record<string, string> }>(
      ddb,
      PutCommand,
    );
    assert.equal(put.ConditionExpression, "attribute_not_exists(#pk)");
    assert.deepEqual(put.ExpressionAttributeNames, { "#pk": "objectKey" });
    assert.equal(put.Item.objectKey, "intake/clinic a/p.json", "the audit item (encrypted) keeps the key");
    assert.equal(put.Item.objectKeySha256, sha256("intake/clinic a/p.json"), "and its hash, which logs and alerts carry");
    assert.equal(put.Item.versionId, "v+1/x");
    assert.equal(put.Item.requestId, "r1");
    assert.equal(put.Item.destinationVersionId, "copy-v", "the copy's version is audited");
    assert.equal(sns.commandCalls(PublishCommand).length, 0);
  });

  it("invalid record: the quarantine copy carries its tag in the copy request, the alert precedes the audit write", async () => {
    const text = json(patientWithBadBirthDateAndGender);
    s3.on(GetObjectCommand).callsFake(() => {
      calls.push("GetObject");
      return { Body: body(text), ContentLength: Buffer.byteLength(text), ETag: '"e2"' };
    });
    await handler(s3Event(s3Record("intake/p.json", Buffer.byteLength(text), { versionId: "v2" })));
    assert.deepEqual(calls, ["GetItem", "GetObject", "CopyObject", "Publish", "PutItem"]);
    const copy = input<Record<string, unknown>>(s3, CopyObjectCommand);
    assert.equal(copy.Key, "quarantine/p.json");
    assert.equal(copy.TaggingDirective, "REPLACE");
    assert.equal(copy.Tagging, "quarantine-reason=SCHEMA_INVALID");
    const publish = input<Record<string, unknown>>(sns, PublishCommand);
    assert.deepEqual(JSON.parse(publish.Message as string), {
      alert: "DATA_PROCESSOR_QUARANTINE",
      bucket: "phi-data-test",
      objectKeySha256: sha256("intake/p.json"),
      versionId: "v2",
      requestId: "local",
      record: 0,
      reasonCode: "SCHEMA_INVALID",
    });
    assert.deepEqual(publish.MessageAttributes, { reasonCode: { DataType: "String", StringValue: "SCHEMA_INVALID" } });
  });

  it("unversioned record: the copy is pinned to the ETag of the bytes validated", async () => {
    const text = json(validPatient);
    s3.on(GetObjectCommand).resolves({ Body: body(text), ContentLength: Buffer.byteLength(text), ETag: '"etag-of-read"' } as object);
    await handler(s3Event(s3Record("intake/p.json", Buffer.byteLength(text), { sequencer: "00A1" })));
    assert.equal(input<Record<string, unknown>>(s3, CopyObjectCommand).CopySourceIfMatch, '"etag-of-read"');
    assert.equal(input<Record<string, unknown>>(s3, CopyObjectCommand).CopySource, "phi-data-test/intake/p.json");
    assert.equal(input<{ Item: Record<string, unknown> }>(ddb, PutCommand).Item.versionId, "null#00A1");
  });

  it("over the bound by the event's size: never read, copied with the TOO_LARGE tag", async () => {
    await handler(s3Event(s3Record("intake/huge.json", 10 * 1024 * 1024 * 1024, { versionId: "v3" })));
    assert.equal(s3.commandCalls(GetObjectCommand).length, 0);
    assert.equal(input<Record<string, unknown>>(s3, CopyObjectCommand).Tagging, "quarantine-reason=TOO_LARGE");
    assert.equal(input<{ Item: Record<string, unknown> }>(ddb, PutCommand).Item.sizeBytes, 10 * 1024 * 1024 * 1024);
  });

  it("stops reading once the stream passes the bound, even without Content-Length", async () => {
    const counter = { chunks: 0 };
    s3.on(GetObjectCommand).callsFake(() => ({ Body: body("x".repeat(1024 * 1024), 1024, counter), ETag: '"e"' }));
    await handler(s3Event(s3Record("intake/stream.json", 100, { versionId: "v4" })));
    assert.ok(counter.chunks <= 6, `read ${counter.chunks} KiB of a 1024 KiB stream with a 4 KiB bound`);
    assert.equal(input<Record<string, unknown>>(s3, CopyObjectCommand).Tagging, "quarantine-reason=TOO_LARGE");
  });

  it("an already audited version is skipped whole: no read, copy, alert or write", async () => {
    ddb.on(GetCommand).resolves({ Item: { outcome: "QUARANTINED" } });
    const result = await handler(s3Event(s3Record("intake/p.json", 10, { versionId: "v5" })));
    assert.equal(result.duplicates, 1);
    assert.equal(s3.calls().length, 0);
    assert.equal(sns.calls().length, 0);
    assert.equal(ddb.commandCalls(PutCommand).length, 0);
  });

  it("copySource encodes each key segment and the version id", () => {
    assert.equal(copySource("b", "intake/a b/c+d%.json"), "b/intake/a%20b/c%2Bd%25.json");
    assert.equal(copySource("b", "intake/x.json", "3/L+k=="), "b/intake/x.json?versionId=3%2FL%2Bk%3D%3D");
  });
});
