/**
 * The SDK clients honour the standard per-service endpoint variables (AWS_ENDPOINT_URL_S3,
 * AWS_ENDPOINT_URL_DYNAMODB) of the installed SDK version, and S3_FORCE_PATH_STYLE's switch.
 * A plain HTTP server stands in for AWS and records what reaches it.
 */
import { strict as assert } from "assert";
import * as http from "http";
import type { AddressInfo } from "net";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { createAwsClients, destroyAwsClients } from "../../lambda/data-processor/aws";

describe("data-processor AWS clients", () => {
  let server: http.Server;
  let endpoint: string;
  const seen: { host?: string; url?: string; target?: string }[] = [];
  const saved: Record<string, string | undefined> = {};
  const ENV = [
    "AWS_ENDPOINT_URL_S3",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_ENDPOINT_URL",
    "AWS_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
  ];

  before(async () => {
    server = http.createServer((req, res) => {
      seen.push({ host: req.headers.host, url: req.url, target: req.headers["x-amz-target"] as string | undefined });
      req.resume();
      res.statusCode = 418;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const k of ENV) saved[k] = process.env[k];
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: `${endpoint}/`,
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    });
    delete process.env.AWS_ENDPOINT_URL;
  });
  after(async () => {
    for (const k of ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    seen.length = 0;
  });

  it("S3 and DynamoDB requests go to AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_DYNAMODB, with no endpoint in code", async () => {
    const clients = createAwsClients({ s3ForcePathStyle: true, maxAttempts: 1 });
    try {
      await assert.rejects(clients.s3.send(new GetObjectCommand({ Bucket: "phi-bucket", Key: "intake/a b.json" })));
      await assert.rejects(clients.dynamodb.send(new GetCommand({ TableName: "audit", Key: { objectKey: "k", versionId: "v" } })));
    } finally {
      destroyAwsClients(clients);
    }
    const host = endpoint.replace("http://", "");
    assert.deepEqual(seen, [
      { host, url: "/phi-bucket/intake/a%20b.json?x-id=GetObject", target: undefined },
      { host, url: "/", target: "DynamoDB_20120810.GetItem" },
    ]);
  });

  it("path-style addressing is off unless asked for", () => {
    const off = createAwsClients();
    const on = createAwsClients({ s3ForcePathStyle: true });
    try {
      assert.equal(off.s3.config.forcePathStyle, false);
      assert.equal(on.s3.config.forcePathStyle, true);
    } finally {
      destroyAwsClients(off);
      destroyAwsClients(on);
    }
  });
});
