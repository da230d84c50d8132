/**
 * opensearch-config: the deploy-time step, run inside the VPC by an `aws.lambda.Invocation`, that
 * configures the analytics domain's fine-grained access control. As the domain's master user it
 * creates (or replaces) the delivery stream's write-only role on the security-event index pattern
 * and maps the Firehose role to it, optionally a read-only role for analysts, and turns on the
 * Security plugin's audit logging, and keeps the event indices' ISM retention policy. See contract.ts for the input, the request bodies and the
 * documentation each relies on; client.ts for timeouts and retries; signer.ts for SigV4.
 *
 * The invocation fails (the deployment stops) on invalid input or on any step that does not
 * succeed, with an error naming the step and the HTTP status. No PHI passes through it.
 */
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { OpenSearchClient, StepOutcome, Transport } from "./client";
import { applyIsmPolicy } from "./ism";
import {
  OpenSearchConfigInputError,
  OpenSearchConfigRequest,
  OpenSearchConfigResult,
  parseOpenSearchConfigInput,
  planRequests,
  READER_CLUSTER_PERMISSIONS,
  READER_INDEX_ACTIONS,
  WRITER_CLUSTER_PERMISSIONS,
  WRITER_INDEX_ACTIONS,
} from "./contract";
import { jsonLogger, Logger } from "./log";
import { createSigner } from "./signer";

export interface HandlerDependencies {
  /** @default the default provider chain (`@aws-sdk/credential-provider-node`): the execution role's credentials in Lambda */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Connect somewhere other than `<endpoint>:443` (tests). @default the endpoint over HTTPS */
  readonly transport?: Transport;
  /** @default JSON lines on stdout / stderr */
  readonly log?: Logger;
  /** Backoff sleep. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source. @default Math.random */
  readonly random?: () => number;
  readonly timeoutMs?: number;
  readonly maxAttempts?: number;
}

export interface InvocationContext {
  readonly awsRequestId?: string;
}

export type OpenSearchConfigHandler = (event: unknown, context?: InvocationContext) => Promise<OpenSearchConfigResult>;

/** Builds a handler (tests inject credentials, a transport and a sleep). */
export function createHandler(deps: HandlerDependencies = {}): OpenSearchConfigHandler {
  const log = deps.log ?? jsonLogger;
  let credentials = deps.credentials;

  return async (event, context) => {
    const requestId = context?.awsRequestId ?? "local";
    let input: OpenSearchConfigRequest;
    try {
      input = parseOpenSearchConfigInput(event);
    } catch (e) {
      log("ERROR", "input.invalid", { requestId, problems: e instanceof OpenSearchConfigInputError ? e.problems.length : undefined });
      throw e;
    }
    const roles = summary(input);
    if (input.lifecycleAction === "delete") {
      // The Invocation is being removed (with the domain, or to stop managing it): leave the domain as it is.
      log("INFO", "run.skipped", { requestId, reason: "lifecycle delete" });
      return { endpoint: input.endpoint, indexPattern: input.indexPattern, outcome: "skipped-delete", roles, steps: [] };
    }

    credentials ??= defaultProvider();
    const client = new OpenSearchClient({
      endpoint: input.endpoint,
      sign: createSigner(input.region, credentials),
      log,
      requestId,
      ...(deps.transport === undefined ? {} : { transport: deps.transport }),
      ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
      ...(deps.random === undefined ? {} : { random: deps.random }),
      ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
      ...(deps.maxAttempts === undefined ? {} : { maxAttempts: deps.maxAttempts }),
    });
    const steps: StepOutcome[] = [];
    try {
      // In order: a mapping must not name a role that does not exist yet.
      for (const request of planRequests(input)) {
        const { step, status, attempts } = await client.send(request);
        steps.push({ step, status, attempts });
      }
      // Last: the retention policy, read first for its version (ism.ts).
      steps.push(await applyIsmPolicy(client, input.indexPattern, input.retentionDays, log, requestId));
    } finally {
      client.close();
    }
    log("INFO", "run.done", { requestId, steps: steps.length, reader: input.reader !== undefined });
    const { endpoint, indexPattern, audit, retentionDays } = input;
    return { endpoint, indexPattern, outcome: "applied", roles, audit, retentionDays, steps };
  };
}

function summary(input: OpenSearchConfigRequest): OpenSearchConfigResult["roles"] {
  const roles: OpenSearchConfigResult["roles"][number][] = [
    {
      kind: "writer",
      roleName: input.writer.roleName,
      clusterPermissions: [...WRITER_CLUSTER_PERMISSIONS],
      indexActions: [...WRITER_INDEX_ACTIONS],
      backendRoles: input.writer.backendRoles,
    },
  ];
  if (input.reader !== undefined) {
    roles.push({
      kind: "reader",
      roleName: input.reader.roleName,
      clusterPermissions: [...READER_CLUSTER_PERMISSIONS],
      indexActions: [...READER_INDEX_ACTIONS],
      backendRoles: input.reader.backendRoles,
    });
  }
  return roles;
}

/** The Lambda entry point (`index.handler`). */
export const handler: OpenSearchConfigHandler = createHandler();
