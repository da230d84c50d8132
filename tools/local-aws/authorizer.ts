/**
 * Local AWS for the authorizer (its specs, the replay and end-to-end specs and the bench): dynalite on
 * 127.0.0.1 (ephemeral port) with the grants and throttle tables, the SDK pointed at it through
 * AWS_ENDPOINT_URL_DYNAMODB, and Step Functions and SQS through aws-sdk-client-mock. `stop()` closes
 * the server, restores the environment and the mocks.
 */
import { AttributeValue, DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { AuthorizerClients, createAuthorizerClients, destroyAuthorizerClients } from "../../lambda/authorizer/aws";
import {
  AUTHORIZER_ENV,
  Grant,
  GRANTS_TABLE_KEY_SCHEMA,
  renderGrantItem,
  THROTTLE_TABLE_KEY_SCHEMA,
} from "../../lambda/authorizer/contract";
import type { BatchGetClient } from "../../lambda/authorizer/grants";
import { AuthorizerHandler, createHandler, HandlerDependencies } from "../../lambda/authorizer/index";
import type { Logger } from "../../lambda/authorizer/log";
import { BUCKET, CANARY_PREFIX, PROBE_ROLE_ARN } from "./cloudtrail-events";
import { createTable, startDynalite } from "./dynalite";
import { overrideEnvironment } from "./environment";

export { closedPort } from "./ports";

export const GRANTS_TABLE = "authorizer-grants-test";
export const THROTTLE_TABLE = "authorizer-throttle-test";
export const STATE_MACHINE_ARN = "arn:aws:states:us-east-1:111122223333:stateMachine:phi-incident";
export const DLQ_URL = "https://sqs.us-east-1.amazonaws.com/111122223333/phi-incident-dlq";

export const ENVIRONMENT = {
  [AUTHORIZER_ENV.grantsTableName]: GRANTS_TABLE,
  [AUTHORIZER_ENV.throttleTableName]: THROTTLE_TABLE,
  [AUTHORIZER_ENV.incidentStateMachineArn]: STATE_MACHINE_ARN,
  [AUTHORIZER_ENV.incidentDlqUrl]: DLQ_URL,
};

/** The canary variables as the component sets them for a stack with the canary (probe role, PHI data bucket, `canary/`). */
export const CANARY_ENVIRONMENT = {
  [AUTHORIZER_ENV.canaryPrincipalArn]: PROBE_ROLE_ARN,
  [AUTHORIZER_ENV.canaryBucketName]: BUCKET,
  [AUTHORIZER_ENV.canaryKeyPrefix]: CANARY_PREFIX,
};

export interface HandlerOptions {
  readonly environment?: Record<string, string | undefined>;
  /** @default a sink that keeps the lines in `lines()`; `"stdout"` uses the handler's own JSON logger */
  readonly log?: Logger | "stdout";
  readonly now?: () => number;
  readonly maxAttempts?: number;
  readonly endpoint?: string;
  /** Wraps the client BatchGetItem goes through (failure injection); `count` sees every request. */
  readonly wrapGrants?: (client: BatchGetClient) => BatchGetClient;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly maxResponseBytes?: number;
}

export interface LocalAws {
  readonly endpoint: string;
  readonly ddb: DynamoDBDocumentClient;
  putGrants(principal: string, bucket: string, grants: readonly Grant[]): Promise<void>;
  throttleItem(principal: string): Promise<Record<string, unknown> | undefined>;
  /** Executions started so far (all SFNClient instances are mocked; a refused start is not one). */
  starts(): { stateMachineArn?: string; name?: string; input?: string }[];
  /** StartExecution calls, refused ones included. */
  startCalls(): number;
  /** Lines the default sink logger kept. */
  lines(): string[];
  dlqMessages(): { QueueUrl?: string; MessageBody?: string }[];
  /** Makes the next `times` StartExecution calls fail with `errorName`. */
  failStarts(times: number, errorName?: string): void;
  failDlq(times: number): void;
  handler(options?: HandlerOptions): AuthorizerHandler;
  /** BatchGetItem requests made by handlers of this instance. */
  batchGetRequests(): number;
  stop(): Promise<void>;
}

export async function startLocalAws(): Promise<LocalAws> {
  const dynamo = await startDynalite();
  const endpoint = dynamo.endpoint;
  const environment = overrideEnvironment(
    { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "LOCAL", AWS_SECRET_ACCESS_KEY: "LOCAL", AWS_ENDPOINT_URL_DYNAMODB: endpoint },
    { clear: ["AWS_ENDPOINT_URL"] },
  );

  const raw = new DynamoDBClient({ endpoint });
  const ddb = DynamoDBDocumentClient.from(raw);
  await createTable(raw, GRANTS_TABLE, GRANTS_TABLE_KEY_SCHEMA);
  await createTable(raw, THROTTLE_TABLE, THROTTLE_TABLE_KEY_SCHEMA);

  let startFailures: { times: number; name: string } = { times: 0, name: "" };
  const starts = new Set<string>();
  const started: { stateMachineArn?: string; name?: string; input?: string }[] = [];
  const sink = memoryLogger();
  const sfnMock = mockClient(SFNClient);
  sfnMock.on(StartExecutionCommand).callsFake((input: { name?: string; stateMachineArn?: string; input?: string }) => {
    if (startFailures.times > 0) {
      startFailures = { ...startFailures, times: startFailures.times - 1 };
      throw Object.assign(new Error("injected Step Functions failure"), { name: startFailures.name });
    }
    // Step Functions: a second start with the same name (and another input) is ExecutionAlreadyExists.
    if (starts.has(input.name ?? "")) throw Object.assign(new Error("Execution Already Exists"), { name: "ExecutionAlreadyExists" });
    starts.add(input.name ?? "");
    started.push(input);
    return { executionArn: `${input.stateMachineArn}:${input.name}`.replace(":stateMachine:", ":execution:"), startDate: new Date() };
  });
  let dlqFailures = 0;
  const sqsMock = mockClient(SQSClient);
  sqsMock.on(SendMessageCommand).callsFake(() => {
    if (dlqFailures > 0) {
      dlqFailures--;
      throw Object.assign(new Error("injected SQS failure"), { name: "QueueDoesNotExist" });
    }
    return { MessageId: "00000000-0000-0000-0000-000000000000" };
  });

  const clients: AuthorizerClients[] = [];
  let batchGets = 0;
  const counting = (client: BatchGetClient): BatchGetClient => ({
    send: (command: BatchGetCommand) => {
      batchGets++;
      return client.send(command);
    },
  });

  return {
    endpoint,
    ddb,
    putGrants: async (principal, bucket, grants) => {
      const item: unknown = JSON.parse(renderGrantItem({ principal, bucket, grants }));
      if (!isAttributeMap(item)) throw new Error("renderGrantItem did not render a DynamoDB attribute map");
      await raw.send(new PutItemCommand({ TableName: GRANTS_TABLE, Item: item }));
    },
    throttleItem: async (principal) =>
      (await ddb.send(new GetCommand({ TableName: THROTTLE_TABLE, Key: { principal }, ConsistentRead: true }))).Item,
    starts: () => [...started],
    startCalls: () => sfnMock.commandCalls(StartExecutionCommand).length,
    lines: () => sink.lines,
    dlqMessages: () => sqsMock.commandCalls(SendMessageCommand).map((c) => c.args[0].input),
    failStarts: (times, name = "ServiceUnavailable") => {
      startFailures = { times, name };
    },
    failDlq: (times) => {
      dlqFailures = times;
    },
    handler: (options = {}) => {
      const c = createAuthorizerClients({
        maxAttempts: options.maxAttempts,
        endpoints: options.endpoint === undefined ? undefined : { dynamodb: options.endpoint },
      });
      clients.push(c);
      const grantsClient = counting(options.wrapGrants ? options.wrapGrants(c.dynamodb) : c.dynamodb);
      const deps: HandlerDependencies = {
        ...c,
        grantsClient,
        environment: { ...ENVIRONMENT, ...options.environment },
        log: options.log === "stdout" ? undefined : (options.log ?? sink.log),
        now: options.now,
        sleep: options.sleep ?? (() => Promise.resolve()),
        maxResponseBytes: options.maxResponseBytes,
      };
      return createHandler(deps);
    },
    batchGetRequests: () => batchGets,
    stop: async () => {
      clients.forEach(destroyAuthorizerClients);
      ddb.destroy();
      raw.destroy();
      sfnMock.restore();
      sqsMock.restore();
      await dynamo.close();
      environment.restore();
    },
  };
}

/** A logger that keeps every line (as written by the JSON logger) for assertions. */
export function memoryLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (level, message, fields = {}) => lines.push(JSON.stringify({ level, message, ...fields })) };
}

/** renderGrantItem's document is DynamoDB JSON: attribute names to one-key attribute values ({ "S": … }, { "L": … }). */
function isAttributeMap(v: unknown): v is Record<string, AttributeValue> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const values: unknown[] = Object.values(v);
  return values.every((a) => typeof a === "object" && a !== null && !Array.isArray(a) && Object.keys(a).length === 1);
}
