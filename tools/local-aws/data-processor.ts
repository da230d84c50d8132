/**
 * Local AWS for the data processor (its specs, the replay specs and the bench): dynalite (DynamoDB)
 * and s3rver (S3) on 127.0.0.1 with ephemeral ports, the SDK pointed at them through the standard
 * AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_S3 variables, SNS and SSM through
 * aws-sdk-client-mock. `stop()` closes the servers, restores the environment and the mocks and
 * removes the temporary directory, so nothing keeps the process alive.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { createAwsClients, destroyAwsClients, AwsClients } from "../../lambda/data-processor/aws";
import { AUDIT_TABLE_KEY_SCHEMA, DATA_PROCESSOR_ENV, ProcessorConfig, renderProcessorConfig } from "../../lambda/data-processor/contract";
import { createHandler, DataProcessorHandler, HandlerDependencies } from "../../lambda/data-processor/index";
import type { Logger } from "../../lambda/data-processor/log";
import { createTable, startDynalite } from "./dynalite";
import { CHECKSUMS_WHEN_REQUIRED, overrideEnvironment } from "./environment";
import { BUCKET } from "./s3-events";
import { S3RVER_CREDENTIALS, startS3rver } from "./s3rver";

export { captureOutput } from "./output";
export { closedPort } from "./ports";
export { BUCKET, s3Event, s3Record } from "./s3-events";

export const TABLE = "data-processor-audit-test";
export const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:processing-alerts";
export const DEFAULT_PARAMETER = "/healthcare/test/data-processor";

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

export async function startLocalAws(): Promise<LocalAws> {
  const dynamo = await startDynalite();
  const s3Server = await startS3rver({ directoryPrefix: "s3rver-", buckets: [BUCKET] });
  const s3Endpoint = s3Server.endpoint;
  const dynamodbEndpoint = dynamo.endpoint;
  const environment = overrideEnvironment(
    {
      AWS_REGION: "us-east-1",
      ...S3RVER_CREDENTIALS,
      AWS_ENDPOINT_URL_S3: s3Endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
      ...CHECKSUMS_WHEN_REQUIRED,
      [DATA_PROCESSOR_ENV.auditTableName]: TABLE,
      [DATA_PROCESSOR_ENV.alertTopicArn]: TOPIC_ARN,
      [DATA_PROCESSOR_ENV.configParameterName]: DEFAULT_PARAMETER,
      [DATA_PROCESSOR_ENV.s3ForcePathStyle]: "true",
    },
    { clear: ["AWS_ENDPOINT_URL"] },
  );

  const s3 = new S3Client({ endpoint: s3Endpoint, forcePathStyle: true });
  const rawDdb = new DynamoDBClient({ endpoint: dynamodbEndpoint });
  const ddb = DynamoDBDocumentClient.from(rawDdb);
  await createTable(rawDdb, TABLE, AUDIT_TABLE_KEY_SCHEMA);

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
      await dynamo.close();
      environment.restore();
    },
  };
  return local;
}
