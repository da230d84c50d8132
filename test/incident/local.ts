/**
 * Offline harness of the incident workflow: the definition built by incidentDefinition, executed by
 * aws-local-stepfunctions with local task handlers standing in for Macie, Athena and SNS, and the REAL
 * report handler (lambda/incident-report) against s3rver. s3rver enforces neither Object Lock nor
 * SSE-KMS: the tests assert the headers the handler sends (recorded by an SDK build-step middleware,
 * as test/aws/recorder.ts does) and replay them through the IAM simulation.
 */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import {
  incidentDefinition,
  type IncidentDefinitionSpec,
  STATES,
  type WorkflowTimeouts,
} from "../../components/security-events/incident-definition";
import { accessHistoryQuery } from "../../components/security-events/archive-query";
import type { IncidentInput } from "../../lambda/authorizer/contract";
import { INCIDENT_REPORT_ENV } from "../../lambda/incident-report/contract";
import { createHandler, type IncidentReportHandler } from "../../lambda/incident-report/index";
import type { Logger } from "../../lambda/authorizer/log";
import { CHECKSUMS_WHEN_REQUIRED, overrideEnvironment } from "../../tools/local-aws/environment";
import { S3RVER_CREDENTIALS, startS3rver } from "../../tools/local-aws/s3rver";
import { StateMachine } from "aws-local-stepfunctions";

export const ACCOUNT = "111122223333";
export const PHI_BUCKET = "hcp-test-phi-data-111122223333-us-east-1";
export const REPORT_BUCKET = "hcp-test-incident-reports";
export const KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
export const FUNCTION_ARN = "arn:aws:lambda:us-east-1:111122223333:function:hcp-test-incident-report";
export const TOPIC_ARN = "arn:aws:sns:us-east-1:111122223333:hcp-test-security-alerts";
/** The canary's own topic (components/canary/), when a harness is started with one. */
export const CANARY_TOPIC_ARN = "arn:aws:sns:us-east-1:111122223333:hcp-test-canary-alerts";
export const WORKGROUP = "hcp-test-security-events";
export const DATABASE = "hcp_test_security_events";
export const STATE_MACHINE_ARN = "arn:aws:states:us-east-1:111122223333:stateMachine:hcp-test-incident";
export const RETENTION_DAYS = 2192;

export function spec(timeouts?: Partial<WorkflowTimeouts>, canaryTopicArn?: string): IncidentDefinitionSpec {
  return {
    accountId: ACCOUNT,
    classifiedBucketName: PHI_BUCKET,
    reportFunctionArn: FUNCTION_ARN,
    athenaWorkgroup: WORKGROUP,
    athenaDatabase: DATABASE,
    accessHistorySql: accessHistoryQuery(DATABASE),
    alertTopicArn: TOPIC_ARN,
    ...(canaryTopicArn === undefined ? {} : { canaryTopicArn }),
    ...(timeouts ? { timeouts } : {}),
  };
}

export function incident(overrides: Partial<IncidentInput> = {}): IncidentInput {
  return {
    eventId: "9d3c1f0e-5a7b-4c2d-8e1f-0a1b2c3d4e5f",
    principalArn: "arn:aws:iam::111122223333:role/clinical-reader",
    bucket: PHI_BUCKET,
    objectKeySha256: "5f4dcc3b5aa765d61d8327deb882cf99b0c2e6a1d5d4f4c8e6b1a2c3d4e5f6a7",
    access: "read",
    decision: "denied",
    eventTime: "2026-11-05T10:00:00Z",
    ...overrides,
  };
}

export interface RecordedS3 {
  readonly command: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;
}

/** Fakes of the services the state machine calls itself, with the inputs they received. */
export interface Fakes {
  macieCalls: Record<string, unknown>[];
  athenaCalls: Record<string, unknown>[];
  lambdaCalls: Record<string, unknown>[];
  snsCalls: Record<string, unknown>[];
  /** When each of `snsCalls` was published (Date.now() as the fake SNS accepted it). */
  snsPublishedAt: number[];
  /** Every task call in the order the machine made it: the state's name (and the Lambda action). */
  order: string[];
  /** The first alert (PublishIncidentAlert): "ok", or the error SNS answers every attempt. */
  incidentAlert: "ok" | { error: string };
  /** Macie jobs by ClientToken (Macie's documented idempotency: the same token returns the same job). */
  macieJobs: Map<string, string>;
  macie: "ok" | { error: string };
  athena: "ok" | { error: string } | "hang";
  /** Report writes (PutObject) that fail before succeeding. */
  failReportPuts: number;
}

export function fakes(): Fakes {
  return {
    macieCalls: [],
    athenaCalls: [],
    lambdaCalls: [],
    snsCalls: [],
    snsPublishedAt: [],
    order: [],
    incidentAlert: "ok",
    macieJobs: new Map(),
    macie: "ok",
    athena: "ok",
    failReportPuts: 0,
  };
}

const named = (name: string, message = "injected") => Object.assign(new Error(message), { name });
/** SNS accepted a publish: its parameters and when. */
const published = (f: Fakes, task: Record<string, unknown>) => (f.snsCalls.push(task), f.snsPublishedAt.push(Date.now()));

export interface LocalWorkflow {
  readonly s3: S3Client;
  readonly s3Endpoint: string;
  /** Requests the report handler sent (every handler this harness made). */
  readonly recorded: RecordedS3[];
  /** Log lines the report handler wrote. */
  readonly logLines: string[];
  /** Runs the machine once as execution `name`; resolves with the output or the error. */
  run(
    input: unknown,
    name: string,
    f: Fakes,
    timeouts?: Partial<WorkflowTimeouts>,
  ): Promise<{ output?: Record<string, unknown>; error?: Error }>;
  reportHandler(): IncidentReportHandler;
  /** Every key under the report prefix, sorted. */
  keys(): Promise<string[]>;
  read(key: string): Promise<string>;
  stop(): Promise<void>;
}

/** `canaryTopicArn`: the definition routes canary incidents' messages to that topic (as with a deployed canary). */
export async function startLocalWorkflow(options: { readonly canaryTopicArn?: string } = {}): Promise<LocalWorkflow> {
  // The handler's checksum is a header (s3rver does not read aws-chunked bodies with trailing checksums).
  const environment = overrideEnvironment({ AWS_REGION: "us-east-1", ...S3RVER_CREDENTIALS, ...CHECKSUMS_WHEN_REQUIRED });
  const server = await startS3rver({ directoryPrefix: "s3rver-incident-" });
  const s3Endpoint = server.endpoint;
  const s3 = new S3Client({ endpoint: s3Endpoint, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: REPORT_BUCKET }));

  const recorded: RecordedS3[] = [];
  const logLines: string[] = [];
  const clients: S3Client[] = [];
  const log: Logger = (level, message, fields = {}) => logLines.push(JSON.stringify({ level, message, ...fields }));

  const reportHandler = (): IncidentReportHandler => {
    const client = new S3Client({ endpoint: s3Endpoint, forcePathStyle: true, maxAttempts: 1 });
    clients.push(client);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const request = (args as { request?: { headers?: Record<string, string> } }).request;
        const headers = Object.fromEntries(Object.entries(request?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
        recorded.push({
          command: (context.commandName ?? "").replace(/Command$/, ""),
          input: args.input as Record<string, unknown>,
          headers,
        });
        return next(args);
      },
      { step: "finalizeRequest", name: "hcpRecordIncidentRequests", priority: "low" },
    );
    return createHandler({
      s3: client,
      log,
      environment: {
        [INCIDENT_REPORT_ENV.reportBucketName]: REPORT_BUCKET,
        [INCIDENT_REPORT_ENV.reportKmsKeyArn]: KEY_ARN,
        [INCIDENT_REPORT_ENV.objectLockMode]: "COMPLIANCE",
        [INCIDENT_REPORT_ENV.retentionInDays]: String(RETENTION_DAYS),
        [INCIDENT_REPORT_ENV.s3ForcePathStyle]: "true",
      },
    });
  };

  return {
    s3,
    s3Endpoint,
    recorded,
    logLines,
    reportHandler,
    run: async (input, name, f, timeouts) => {
      const machine = new StateMachine(incidentDefinition(spec(timeouts, options.canaryTopicArn)) as never, {
        validationOptions: { checkArn: false },
      });
      const handler = reportHandler();
      let putFailures = f.failReportPuts;
      const lambdaInvoke = async (task: { FunctionName: string; Payload: Record<string, unknown> }) => {
        f.lambdaCalls.push(task);
        f.order.push(`Lambda ${String(task.Payload.action)}`);
        if (task.FunctionName !== FUNCTION_ARN) throw named("Lambda.ResourceNotFoundException");
        if (task.Payload.action === "write-report" && putFailures > 0) {
          putFailures--;
          // The handler's own failure path: S3 refuses, the handler throws ReportWriteFailed.
          const failing = createHandler({
            s3: { send: () => Promise.reject(named("ServiceUnavailable", "S3 unavailable (injected)")) },
            log,
            environment: {
              [INCIDENT_REPORT_ENV.reportBucketName]: REPORT_BUCKET,
              [INCIDENT_REPORT_ENV.reportKmsKeyArn]: KEY_ARN,
              [INCIDENT_REPORT_ENV.objectLockMode]: "COMPLIANCE",
              [INCIDENT_REPORT_ENV.retentionInDays]: String(RETENTION_DAYS),
            },
          });
          await failing(task.Payload as never); // throws ReportWriteFailed
        }
        // lambda:invoke returns the function's response under Payload (https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html).
        return { StatusCode: 200, Payload: await handler(task.Payload as never) };
      };
      const execution = machine.run(input as never, {
        context: { Execution: { Name: name, Id: `${STATE_MACHINE_ARN.replace(":stateMachine:", ":execution:")}:${name}` } },
        overrides: {
          retryIntervalOverrides: Object.fromEntries(
            [
              STATES.startClassificationJob,
              STATES.prepareQuery,
              STATES.queryAccessHistory,
              STATES.writeReport,
              STATES.publishIncidentAlert,
              STATES.publishReportReady,
              STATES.publishFailureAlert,
            ].map((s) => [s, 0]),
          ),
          // The wait for the archive's Firehose buffer (archiveSettleSeconds) takes no time here.
          waitTimeOverrides: { [STATES.waitForArchive]: 0 },
          // The handlers take and return the tasks' JSON; typed here by what each task sends.
          taskResourceLocalHandlers: {
            [STATES.startClassificationJob]: (task: Record<string, unknown>) => {
              f.macieCalls.push(task);
              f.order.push(STATES.startClassificationJob);
              if (f.macie !== "ok") return Promise.reject(named(f.macie.error));
              const token = String(task.ClientToken);
              const jobId = f.macieJobs.get(token) ?? `job${f.macieJobs.size + 1}`.padEnd(32, "0");
              f.macieJobs.set(token, jobId);
              return Promise.resolve({ JobId: jobId, JobArn: `arn:aws:macie2:us-east-1:${ACCOUNT}:classification-job/${jobId}` });
            },
            [STATES.prepareQuery]: lambdaInvoke,
            [STATES.queryAccessHistory]: async (task: Record<string, unknown>) => {
              f.athenaCalls.push(task);
              f.order.push(STATES.queryAccessHistory);
              if (f.athena === "hang") return new Promise(() => undefined);
              if (f.athena !== "ok") throw named(f.athena.error);
              const id = "6f1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8";
              return {
                QueryExecution: {
                  QueryExecutionId: id,
                  Status: { State: "SUCCEEDED" },
                  ResultConfiguration: { OutputLocation: `s3://hcp-test-security-events/results/${id}.csv` },
                  Statistics: { DataScannedInBytes: 1048576 },
                },
              };
            },
            [STATES.writeReport]: lambdaInvoke,
            [STATES.publishIncidentAlert]: (task: Record<string, unknown>) => {
              f.order.push(STATES.publishIncidentAlert);
              if (f.incidentAlert !== "ok") return Promise.reject(named(f.incidentAlert.error));
              return (published(f, task), Promise.resolve({ MessageId: "m-0" }));
            },
            [STATES.publishReportReady]: (task: Record<string, unknown>) => (
              f.order.push(STATES.publishReportReady),
              published(f, task),
              Promise.resolve({ MessageId: "m-1" })
            ),
            [STATES.publishFailureAlert]: (task: Record<string, unknown>) => (
              f.order.push(STATES.publishFailureAlert),
              published(f, task),
              Promise.resolve({ MessageId: "m-2" })
            ),
          } as never,
        },
      });
      try {
        return { output: (await execution.result) as Record<string, unknown> };
      } catch (error) {
        return { error: error as Error };
      }
    },
    keys: async () => {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: REPORT_BUCKET, Prefix: "reports/" }));
      return (out.Contents ?? []).map((o) => o.Key!).sort();
    },
    read: async (key) => {
      const out = await s3.send(new GetObjectCommand({ Bucket: REPORT_BUCKET, Key: key }));
      return out.Body!.transformToString();
    },
    stop: async () => {
      clients.forEach((c) => c.destroy());
      s3.destroy();
      await server.close();
      environment.restore();
    },
  };
}
