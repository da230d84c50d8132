/**
 * AWS SDK v3 clients, created once per function instance (outside the handler). Endpoints come
 * from the standard `AWS_ENDPOINT_URL_<SERVICE>` variables, which the SDK resolves by itself at the
 * first request; only path-style S3 addressing needs a switch of ours (`S3_FORCE_PATH_STYLE`).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { SSMClient } from "@aws-sdk/client-ssm";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export interface AwsClients {
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBDocumentClient;
  readonly sns: SNSClient;
  readonly ssm: SSMClient;
}

export interface AwsClientOptions {
  /** Path-style S3 URLs (local emulators). @default false */
  readonly s3ForcePathStyle?: boolean;
  /** Explicit endpoints, for tests that point one service somewhere else. @default the SDK's resolution */
  readonly endpoints?: Partial<Record<"s3" | "dynamodb" | "sns" | "ssm", string>>;
  /** @default the SDK's (3, or AWS_MAX_ATTEMPTS) */
  readonly maxAttempts?: number;
}

export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const common = options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts };
  const at = (service: keyof NonNullable<AwsClientOptions["endpoints"]>) => {
    const endpoint = options.endpoints?.[service];
    return endpoint === undefined ? common : { ...common, endpoint };
  };
  return {
    s3: new S3Client({ ...at("s3"), forcePathStyle: options.s3ForcePathStyle ?? false }),
    dynamodb: DynamoDBDocumentClient.from(new DynamoDBClient(at("dynamodb")), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    sns: new SNSClient(at("sns")),
    ssm: new SSMClient(at("ssm")),
  };
}

/** Closes the clients' sockets (tests and the bench; a Lambda instance never needs it). */
export function destroyAwsClients(clients: AwsClients): void {
  clients.s3.destroy();
  clients.dynamodb.destroy();
  clients.sns.destroy();
  clients.ssm.destroy();
}
