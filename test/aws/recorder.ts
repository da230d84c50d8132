/**
 * Records every AWS request a handler sends, to replay it against the deployed policies.
 *
 * S3 and DynamoDB requests are recorded by an SDK v3 middleware (build step: the serialized HTTP
 * request, so the headers S3 evaluates as condition keys are the ones actually sent). SNS and SSM
 * are mocked with aws-sdk-client-mock in the handler specs, which replaces `send` and so skips the
 * middleware stack: their commands are recorded by wrapping the client's `send` (so are the
 * authorizer's Step Functions and SQS calls).
 */
import type { AwsClients } from "../../lambda/data-processor/aws";
import type { AuthorizerClients } from "../../lambda/authorizer/aws";

export interface RecordedRequest {
  readonly service: "s3" | "dynamodb" | "sns" | "ssm" | "sfn" | "sqs";
  /** The API action (`CopyObject`, `PutItem`, `Publish`, ...). */
  readonly command: string;
  readonly input: Readonly<Record<string, unknown>>;
  /** Lower-cased HTTP headers of the request (the middleware-recorded services only). */
  readonly headers: Readonly<Record<string, string>>;
}

interface MiddlewareStackLike {
  add(middleware: unknown, options: { step: string; name: string; priority?: string }): void;
}

const recordingClients = new WeakSet<object>();

export function recordRequests(clients: AwsClients, sink: RecordedRequest[]): void {
  for (const service of ["s3", "dynamodb"] as const) recordMiddleware(clients[service], service, sink);
  for (const service of ["sns", "ssm"] as const) recordSend(clients[service], service, sink);
}

/** The authorizer's clients: DynamoDB through the middleware, Step Functions and SQS (mocked in its specs) by their `send`. */
export function recordAuthorizerRequests(clients: AuthorizerClients, sink: RecordedRequest[]): void {
  recordMiddleware(clients.dynamodb, "dynamodb", sink);
  recordSend(clients.sfn, "sfn", sink);
  recordSend(clients.sqs, "sqs", sink);
}

function recordMiddleware(c: object, service: RecordedRequest["service"], sink: RecordedRequest[]): void {
  const client = c as { middlewareStack: MiddlewareStackLike };
  if (recordingClients.has(client)) return;
  recordingClients.add(client);
  client.middlewareStack.add(
    (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) =>
      async (args: { input: Record<string, unknown>; request?: { headers?: Record<string, string> } }) => {
        const headers = Object.fromEntries(Object.entries(args.request?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
        sink.push({ service, command: (context.commandName ?? "").replace(/Command$/, ""), input: args.input, headers });
        return next(args);
      },
    { step: "build", name: "hcpRecordRequests", priority: "low" },
  );
}

function recordSend(c: object, service: RecordedRequest["service"], sink: RecordedRequest[]): void {
  const client = c as {
    send: (command: { input: Record<string, unknown>; constructor: { name: string } }, ...rest: unknown[]) => Promise<unknown>;
  };
  const send = client.send.bind(client);
  client.send = (command, ...rest) => {
    sink.push({ service, command: command.constructor.name.replace(/Command$/, ""), input: command.input, headers: {} });
    return send(command, ...rest);
  };
}
