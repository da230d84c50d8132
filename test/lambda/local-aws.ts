/**
 * Local AWS for the data-processor specs and the bench: dynalite (DynamoDB) and s3rver (S3) on
 * 127.0.0.1 with ephemeral ports, the SDK pointed at them through the standard
 * AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_S3 variables, SNS and SSM through
 * aws-sdk-client-mock. `stop()` closes the servers, restores the environment and the mocks and
 * removes the temporary directory, so nothing keeps the process alive.
 */
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import type { AddressInfo } from "net";
import type { Server } from "http";
import { createAwsClients, destroyAwsClients, AwsClients } from "../../lambda/data-processor/aws";
import { AUDIT_TABLE_KEY_SCHEMA, DATA_PROCESSOR_ENV, ProcessorConfig, renderProcessorConfig } from "../../lambda/data-processor/contract";
import { createHandler, DataProcessorHandler, HandlerDependencies } from "../../lambda/data-processor/index";
import type { Logger } from "../../lambda/data-processor/log";
import { BUCKET } from "./events";

export { BUCKET, s3Event, s3Record } from "./events";

// Neither package ships types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite") as (options: Record<string, unknown>) => Server;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require("s3rver") as new (options: Record<string, unknown>) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

export const TABLE = "data-processor-audit-test";
export const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:processing-alerts";
export const DEFAULT_PARAMETER = "/healthcare/test/data-processor";
/** s3rver's built-in account. */
const CREDENTIALS = { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" };

export interface LocalAws {
  readonly s3Endpoint: string;
  readonly dynamodbEndpoint: string;
  /** Clients of the test itself (uploads, reads, scans), not the handler's. */
  readonly s3: S3Client;
  readonly ddb: DynamoDBDocumentClient;
  /** SNS Publish inputs seen so far (all SNSClient instances are mocked). */
  readonly published: () => { Subject?: string; Message?: string; TopicArn?: string; MessageAttributes?: unknown }[];
  readonly ssmRequests: () => { Name?: string; WithDecryption?: boolean }[];
  /** Makes the mocked SNS Publish fail `times` times. */
  failPublish(times: number): void;
  /** Stores a configuration document under a parameter name (the SSM mock serves it). */
  setParameter(name: string, value: string, type?: string): void;
  /** A handler with its own clients (SDK endpoint resolution from the environment unless overridden). */
  handler(options?: HandlerOptions): DataProcessorHandler;
  put(key: string, body: string | Buffer): Promise<void>;
  get(key: string): Promise<Buffer | undefined>;
  keys(prefix?: string): Promise<string[]>;
  auditItems(): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export interface HandlerOptions {
  readonly config?: Partial<ProcessorConfig>;
  readonly endpoints?: Partial<Record<"s3" | "dynamodb", string>>;
  readonly maxAttempts?: number;
  readonly log?: Logger;
  /** Replace client `send` for some commands (failure injection). */
  readonly wrap?: (clients: AwsClients) => Partial<Pick<HandlerDependencies, "s3" | "dynamodb" | "sns">>;
  readonly environment?: Record<string, string | undefined>;
}

/** A port nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const ENV_KEYS = [
  "AWS_REGION",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
  "AWS_ENDPOINT_URL",
  "AWS_ENDPOINT_URL_S3",
  "AWS_ENDPOINT_URL_DYNAMODB",
  "AWS_REQUEST_CHECKSUM_CALCULATION",
  "AWS_RESPONSE_CHECKSUM_VALIDATION",
  DATA_PROCESSOR_ENV.auditTableName,
  DATA_PROCESSOR_ENV.alertTopicArn,
  DATA_PROCESSOR_ENV.configParameterName,
  DATA_PROCESSOR_ENV.s3ForcePathStyle,
];

export async function startLocalAws(): Promise<LocalAws> {
  const saved = new Map(ENV_KEYS.map((k) => [k, process.env[k]]));
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "s3rver-"));

  const dynamoServer = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamoServer.once("error", reject);
    dynamoServer.listen(0, "127.0.0.1", () => resolve());
  });
  const s3Server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: BUCKET }] });
  const s3Address = await s3Server.run();

  const dynamodbEndpoint = `http://127.0.0.1:${(dynamoServer.address() as AddressInfo).port}`;
  const s3Endpoint = `http://127.0.0.1:${s3Address.port}`;
  Object.assign(process.env, {
    AWS_REGION: "us-east-1",
    ...CREDENTIALS,
    AWS_ENDPOINT_URL_S3: s3Endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
    // s3rver does not understand aws-chunked uploads with trailing checksums.
    AWS_REQUEST_CHECKSUM_CALCULATION: "WHEN_REQUIRED",
    AWS_RESPONSE_CHECKSUM_VALIDATION: "WHEN_REQUIRED",
    [DATA_PROCESSOR_ENV.auditTableName]: TABLE,
    [DATA_PROCESSOR_ENV.alertTopicArn]: TOPIC_ARN,
    [DATA_PROCESSOR_ENV.configParameterName]: DEFAULT_PARAMETER,
    [DATA_PROCESSOR_ENV.s3ForcePathStyle]: "true",
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_ENDPOINT_URL;

  const s3 = new S3Client({ endpoint: s3Endpoint, forcePathStyle: true });
  const rawDdb = new DynamoDBClient({ endpoint: dynamodbEndpoint });
  const ddb = DynamoDBDocumentClient.from(rawDdb);
  await rawDdb.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [
        { AttributeName: AUDIT_TABLE_KEY_SCHEMA.partitionKey.name, KeyType: "HASH" },
        { AttributeName: AUDIT_TABLE_KEY_SCHEMA.sortKey.name, KeyType: "RANGE" },
      ],
      AttributeDefinitions: [
        { AttributeName: AUDIT_TABLE_KEY_SCHEMA.partitionKey.name, AttributeType: AUDIT_TABLE_KEY_SCHEMA.partitionKey.type },
        { AttributeName: AUDIT_TABLE_KEY_SCHEMA.sortKey.name, AttributeType: AUDIT_TABLE_KEY_SCHEMA.sortKey.type },
      ],
    }),
  );

  const parameters = new Map<string, { value: string; type: string }>([
    [DEFAULT_PARAMETER, { value: renderProcessorConfig(), type: "SecureString" }],
  ]);
  const ssmMock = mockClient(SSMClient);
  ssmMock.on(GetParameterCommand).callsFake((input: { Name?: string }) => {
    const p = parameters.get(input.Name ?? "");
    if (!p) throw Object.assign(new Error(`Parameter ${input.Name} not found.`), { name: "ParameterNotFound" });
    return { Parameter: { Name: input.Name, Type: p.type, Value: p.value, Version: 1 } };
  });
  let publishFailures = 0;
  const snsMock = mockClient(SNSClient);
  snsMock.on(PublishCommand).callsFake(() => {
    if (publishFailures > 0) {
      publishFailures--;
      throw Object.assign(new Error("SNS is unavailable (injected)"), { name: "InternalErrorException" });
    }
    return { MessageId: "00000000-0000-0000-0000-000000000000" };
  });

  const handlerClients: AwsClients[] = [];
  let parameterCount = 0;

  const local: LocalAws = {
    s3Endpoint,
    dynamodbEndpoint,
    s3,
    ddb,
    published: () => snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input),
    ssmRequests: () => ssmMock.commandCalls(GetParameterCommand).map((c) => c.args[0].input),
    failPublish: (times) => {
      publishFailures = times;
    },
    setParameter: (name, value, type = "SecureString") => {
      parameters.set(name, { value, type });
    },
    handler: (options = {}) => {
      const clients = createAwsClients({ s3ForcePathStyle: true, endpoints: options.endpoints, maxAttempts: options.maxAttempts });
      handlerClients.push(clients);
      let environment = options.environment;
      if (options.config) {
        const name = `${DEFAULT_PARAMETER}-${++parameterCount}`;
        parameters.set(name, { value: renderProcessorConfig(options.config), type: "SecureString" });
        environment = { ...process.env, [DATA_PROCESSOR_ENV.configParameterName]: name, ...environment };
      }
      return createHandler({ ...clients, ...options.wrap?.(clients), environment, log: options.log });
    },
    put: async (key, body) => {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: "application/fhir+json" }));
    },
    get: async (key) => {
      try {
        const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
        return Buffer.from(await out.Body!.transformToByteArray());
      } catch (e) {
        if ((e as Error).name === "NoSuchKey") return undefined;
        throw e;
      }
    },
    keys: async (prefix) => {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
      return (out.Contents ?? []).map((o) => o.Key!).sort();
    },
    auditItems: async () => {
      const out = await ddb.send(new ScanCommand({ TableName: TABLE, ConsistentRead: true }));
      return out.Items ?? [];
    },
    stop: async () => {
      handlerClients.forEach(destroyAwsClients);
      s3.destroy();
      ddb.destroy();
      rawDdb.destroy();
      ssmMock.restore();
      snsMock.restore();
      await s3Server.close();
      await new Promise<void>((resolve, reject) => dynamoServer.close((err?: Error) => (err ? reject(err) : resolve())));
      fs.rmSync(directory, { recursive: true, force: true });
      for (const [k, v] of saved) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    },
  };
  return local;
}

/** Runs `fn` with stdout and stderr captured (not shown); returns its result and the lines written. */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ result?: T; error?: unknown; lines: string[] }> {
  const chunks: string[] = [];
  const out = process.stdout.write;
  const err = process.stderr.write;
  const capture = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    cb?.();
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  try {
    const result = await fn();
    return {
      result,
      lines: chunks
        .join("")
        .split("\n")
        .filter((l) => l !== ""),
    };
  } catch (error) {
    return {
      error,
      lines: chunks
        .join("")
        .split("\n")
        .filter((l) => l !== ""),
    };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
