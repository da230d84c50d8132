/**
 * Incidents and the authorizer: the incident state machine's ARN (known from its name before the
 * workflow exists), the dead-letter queue for failed starts, and the authorizer Lambda, the stream's
 * transform that decides each PHI access against the grants and starts an incident for a denied one.
 */
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { incidentStateMachineName, stateMachineArn } from "../lib/naming";
import { createDeadLetterQueue } from "../lib/dead-letter-queue";
import { createVpcFunction, VpcFunction } from "../lib/vpc-function";
import type { PipelineContext } from "./context";
import type { AuthorizationStore } from "./store";
import {
  AUTHORIZER_ACTIONS,
  AUTHORIZER_ENV,
  AUTHORIZER_HANDLER,
  AUTHORIZER_MEMORY_MB,
  AUTHORIZER_TIMEOUT_SECONDS,
  canaryPrincipalProblem,
} from "../../lambda/authorizer/contract";

export const AUTHORIZER_ENTRY = path.join(__dirname, "..", "..", "lambda", "authorizer", "index.ts");

/**
 * Reserved concurrency in prod (dev leaves the account's pool alone, see `dataProcessorReservedConcurrency`):
 * Firehose runs one transform invocation per buffer at a time per shard of work, and waits rather
 * than drops when throttled, so a cap protects the account without losing events; the
 * configuration function runs once per deploy.
 */
export const AUTHORIZER_RESERVED_CONCURRENCY_PROD = 10;

/** The authorizer and what it starts incidents with. */
export interface Authorizer {
  readonly authorizer: VpcFunction;
  readonly incidentDlq: aws.sqs.Queue;
  /** The incident workflow's state machine, by the ARN its name gives. */
  readonly incidentStateMachineArn: pulumi.Output<string>;
}

export function createAuthorizer(ctx: PipelineContext, store: AuthorizationStore): Authorizer {
  const { name, component, args, stack, tags, accountId, region, partition, via } = ctx;
  const { config } = args;
  const parent = { parent: component };
  // --- Incidents: the state machine's ARN (built by the incident workflow) and the DLQ ---------
  // Known before the workflow exists (the authorizer starts it; no cycle), from the same name.
  const incidentStateMachineArn = pulumi
    .all([partition.partition, region.region, accountId])
    .apply(([p, r, a]) => stateMachineArn(p, r, a, incidentStateMachineName(stack)));
  const { queue: incidentDlq } = createDeadLetterQueue(
    `${name}-incident-dlq`,
    {
      stack,
      nameParts: ["incident-dlq"],
      kmsKeyArn: args.pipelineKeyArn,
      alertTopicArn: args.alertTopicArn,
      alarmDescription: "Incident starts failed and wait in the dead-letter queue: start them by hand",
      tags: tags("incident-dlq"),
    },
    parent,
  );

  // --- The authorizer (the stream's transform) ------------------------------------------------
  const authorizer = createVpcFunction(
    `${name}-authorizer`,
    {
      config,
      description: "Firehose transform: decides each PHI access against the grants, starts an incident for a denied one",
      entry: AUTHORIZER_ENTRY,
      handler: AUTHORIZER_HANDLER,
      memorySizeInMb: AUTHORIZER_MEMORY_MB,
      timeoutInSeconds: AUTHORIZER_TIMEOUT_SECONDS,
      reservedConcurrency: config.environment === "prod" ? AUTHORIZER_RESERVED_CONCURRENCY_PROD : undefined,
      environment: {
        [AUTHORIZER_ENV.grantsTableName]: store.grantsTableName,
        [AUTHORIZER_ENV.throttleTableName]: store.throttleTableName,
        [AUTHORIZER_ENV.incidentStateMachineArn]: incidentStateMachineArn,
        [AUTHORIZER_ENV.incidentDlqUrl]: incidentDlq.url,
        // The detection canary's probe (bucket and prefix validated by SecurityEvents before anything is
        // created, the principal once its ARN is known, with the handler's own rule).
        ...(args.canary === undefined
          ? {}
          : {
              [AUTHORIZER_ENV.canaryPrincipalArn]: pulumi.output(args.canary.principalArn).apply((arn) => {
                const problem = canaryPrincipalProblem(arn);
                if (problem !== undefined) throw new Error(`SecurityEvents ${name}: canary.principalArn ${problem}`);
                return arn;
              }),
              [AUTHORIZER_ENV.canaryBucketName]: args.phiBucketNames[args.canary.bucket]!,
              [AUTHORIZER_ENV.canaryKeyPrefix]: args.canary.prefix,
            }),
      },
      environmentKeyArn: args.pipelineKeyArn,
      logKeyArn: args.auditKeyArn,
      network: args.network,
      statements: [
        { sid: "ReadGrants", effect: "Allow", actions: [...AUTHORIZER_ACTIONS.grantsTable], resources: [store.grantsTableArn] },
        {
          sid: "ThrottleIncidents",
          effect: "Allow",
          actions: [...AUTHORIZER_ACTIONS.throttleTable],
          resources: [store.throttleTableArn],
        },
        { sid: "StartIncidents", effect: "Allow", actions: [...AUTHORIZER_ACTIONS.stateMachine], resources: [incidentStateMachineArn] },
        {
          sid: "DeadLetterFailedStarts",
          effect: "Allow",
          actions: [...AUTHORIZER_ACTIONS.deadLetterQueue],
          resources: [incidentDlq.arn],
        },
        // The pipeline key bound to the resources it protects (issue 16, defect 11): the two tables by
        // DynamoDB's encryption context, the queue by SQS's; the environment has its own statement
        // (createVpcFunction). StartExecution on the encrypted state machine needs no KMS permission
        // of the caller (https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html,
        // Required permissions for API callers).
        {
          sid: "TablesKeyThroughDynamoDb",
          effect: "Allow",
          actions: [...AUTHORIZER_ACTIONS.deadLetterQueueKey],
          resources: [args.pipelineKeyArn],
          conditions: [
            via(["dynamodb"]),
            {
              test: "StringEquals",
              variable: "kms:EncryptionContext:aws:dynamodb:tableName",
              values: [store.grantsTableName, store.throttleTableName],
            },
          ],
        },
        {
          sid: "DeadLetterQueueKeyThroughSqs",
          effect: "Allow",
          actions: [...AUTHORIZER_ACTIONS.deadLetterQueueKey],
          resources: [args.pipelineKeyArn],
          conditions: [via(["sqs"]), { test: "ArnEquals", variable: "kms:EncryptionContext:aws:sqs:arn", values: [incidentDlq.arn] }],
        },
      ],
      tags,
      purpose: "authorizer",
    },
    { parent: component },
  );
  return { authorizer, incidentDlq, incidentStateMachineArn };
}
