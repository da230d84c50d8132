/**
 * AWS SDK v3 clients, created once per function instance (outside the handler). Endpoints come
 * from the standard `AWS_ENDPOINT_URL_<SERVICE>` variables, which the SDK resolves by itself.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export interface AuthorizerClients {
  readonly dynamodb: DynamoDBDocumentClient;
  readonly sfn: SFNClient;
  readonly sqs: SQSClient;
}

export interface AuthorizerClientOptions {
  /** Explicit endpoints, for tests that point one service somewhere else. @default the SDK's resolution */
  readonly endpoints?: Partial<Record<"dynamodb" | "sfn" | "sqs", string>>;
  /** @default the SDK's (3, or AWS_MAX_ATTEMPTS) */
  readonly maxAttempts?: number;
}

export function createAuthorizerClients(options: AuthorizerClientOptions = {}): AuthorizerClients {
  const common = options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts };
  const at = (service: "dynamodb" | "sfn" | "sqs") => {
    const endpoint = options.endpoints?.[service];
    return endpoint === undefined ? common : { ...common, endpoint };
  };
  return {
    dynamodb: DynamoDBDocumentClient.from(new DynamoDBClient(at("dynamodb"))),
    sfn: new SFNClient(at("sfn")),
    sqs: new SQSClient(at("sqs")),
  };
}

/** Closes the clients' sockets (tests and the bench; a Lambda instance never needs it). */
export function destroyAuthorizerClients(clients: AuthorizerClients): void {
  clients.dynamodb.destroy();
  clients.sfn.destroy();
  clients.sqs.destroy();
}
