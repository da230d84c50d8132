/**
 * The authorizer replays its own AWS calls against the prod plan's policies (docs/design.md,
 * "AWS behaviour, verified offline"): it runs its main scenarios (an allowed access; a denied one that starts an incident
 * behind the throttle; a failed start dead-lettered) against dynalite with Step Functions and SQS
 * mocked (tools/local-aws/authorizer.ts), with a recorder on its clients. Every recorded request becomes
 * the IAM calls AWS authorizes for it — BatchGetItem and the throttle's conditional PutItem with the
 * table key through DynamoDB, StartExecution, SendMessage with the queue key through SQS — in the
 * prod plan's names, and is evaluated against the authorizer role, the key policy and the queue's
 * policy. A denied call fails the scenario.
 */
import { strict as assert } from "assert";
import { AUTHORIZER_ENV } from "../../lambda/authorizer/contract";
import { createAuthorizerClients, destroyAuthorizerClients, type AuthorizerClients } from "../../lambda/authorizer/aws";
import { createHandler } from "../../lambda/authorizer/index";
import { ACCOUNT, BUCKET, firehoseEvent, identities, record, s3DataEvent, USER_ARN } from "../../tools/local-aws/cloudtrail-events";
import {
  DLQ_URL,
  ENVIRONMENT,
  GRANTS_TABLE,
  LocalAws,
  memoryLogger,
  startLocalAws,
  STATE_MACHINE_ARN,
  THROTTLE_TABLE,
} from "../../tools/local-aws/authorizer";
import { loadPlan, planSpec } from "../support/plans";
import type { PolicyIndex } from "./policy-index";
import { recordAuthorizerRequests, type RecordedRequest } from "./recorder";
import { describeCall, simulate, type Call } from "./simulate";
import { TLS } from "./row-factory";

/** The prod names of what the local servers call by test names: from the authorizer function's environment in the plan. */
function prodNames(ix: PolicyIndex) {
  const fn = ix.ofType("aws:lambda/function:Function").find((f) => f.inputs.name === "hcp-prod-authorizer");
  if (!fn) throw new Error("the prod plan has no hcp-prod-authorizer function");
  const env = (fn.inputs.environment as { variables: Record<string, string> }).variables;
  const table = (name: string) => {
    const t = ix.ofType("aws:dynamodb/table:Table").find((x) => x.inputs.name === name)!;
    return { name, arn: String(t.outputs.arn), key: ix.keyArn((t.inputs.serverSideEncryption as { kmsKeyArn: string }).kmsKeyArn)! };
  };
  const queueArn = String(ix.ofType("aws:sqs/queue:Queue").find((q) => q.outputs.url === env[AUTHORIZER_ENV.incidentDlqUrl])!.outputs.arn);
  return {
    role: String(fn.inputs.role).split("/").pop()!,
    region: String(fn.outputs.arn).split(":")[3],
    grants: table(env[AUTHORIZER_ENV.grantsTableName]),
    throttle: table(env[AUTHORIZER_ENV.throttleTableName]),
    stateMachineArn: env[AUTHORIZER_ENV.incidentStateMachineArn],
    queue: ix.queues.get(queueArn)!,
  };
}

/** The IAM calls AWS authorizes for one recorded request of the authorizer, in the prod plan's names. */
export function authorizerCalls(ix: PolicyIndex, req: RecordedRequest): Call[] {
  const p = prodNames(ix);
  const caller = { role: p.role };
  const kms = (action: string, key: string, service: string, context: Record<string, string>): Call => ({
    caller,
    action,
    resource: key,
    context: { ...TLS, "kms:ViaService": `${service}.${p.region}.amazonaws.com`, "kms:CallerAccount": ix.account, ...context },
  });
  const tableCalls = (action: string, testName: unknown): Call[] => {
    const t = testName === GRANTS_TABLE ? p.grants : testName === THROTTLE_TABLE ? p.throttle : undefined;
    if (!t) throw new Error(`the authorizer called ${action} on ${String(testName)}, not one of its tables`);
    const ctx = { "kms:EncryptionContext:aws:dynamodb:tableName": t.name, "kms:EncryptionContext:aws:dynamodb:subscriberId": ix.account };
    return [{ caller, action, resource: t.arn, context: TLS }, kms("kms:Decrypt", t.key, "dynamodb", ctx)];
  };
  switch (`${req.service}:${req.command}`) {
    case "dynamodb:BatchGet":
    case "dynamodb:BatchGetItem":
      return Object.keys(req.input.RequestItems as object).flatMap((table) => tableCalls("dynamodb:BatchGetItem", table));
    case "dynamodb:Put":
    case "dynamodb:PutItem":
      return tableCalls("dynamodb:PutItem", req.input.TableName);
    case "sfn:StartExecution":
      assert.equal(req.input.stateMachineArn, STATE_MACHINE_ARN, "the authorizer starts the configured state machine");
      return [{ caller, action: "states:StartExecution", resource: p.stateMachineArn, context: TLS }];
    case "sqs:SendMessage": {
      assert.equal(req.input.QueueUrl, DLQ_URL, "the authorizer dead-letters to the configured queue");
      const ctx = { "kms:EncryptionContext:aws:sqs:arn": p.queue.arn };
      return [
        { caller, action: "sqs:SendMessage", resource: p.queue.arn, context: TLS },
        kms("kms:GenerateDataKey", p.queue.kmsKeyArn!, "sqs", ctx),
        kms("kms:Decrypt", p.queue.kmsKeyArn!, "sqs", ctx),
      ];
    }
    default:
      throw new Error(`no IAM mapping for ${req.service}:${req.command}: add it to authorizerCalls`);
  }
}

describe("the authorizer's own calls, replayed against the prod plan's policies", function () {
  this.timeout(60_000);
  let aws: LocalAws;
  let ix: PolicyIndex;
  const clients: AuthorizerClients[] = [];

  before(async () => {
    ix = await loadPlan(planSpec("prod"));
    aws = await startLocalAws();
    await aws.putGrants(USER_ARN, BUCKET, [{ prefix: "patients/", access: "read" }]);
  });
  after(async () => {
    clients.forEach(destroyAuthorizerClients);
    await aws?.stop();
  });

  /** One invocation of a fresh handler (cold cache) with a recorder on its clients. */
  async function run(
    events: Record<string, unknown>[],
    now = Date.parse("2030-01-01T00:00:00Z"),
  ): Promise<{ recorded: RecordedRequest[]; incidents: unknown[] }> {
    const recorded: RecordedRequest[] = [];
    const c = createAuthorizerClients();
    clients.push(c);
    recordAuthorizerRequests(c, recorded);
    const handler = createHandler({
      ...c,
      environment: ENVIRONMENT,
      log: memoryLogger().log,
      now: () => now,
      sleep: () => Promise.resolve(),
    });
    const out = await handler(firehoseEvent(events.map((e) => record([e]))), { awsRequestId: "replay" });
    assert.ok(
      out.records.every((r) => r.result === "Ok"),
      "every record is Ok",
    );
    const incidents = out.records.map(
      (r) =>
        (JSON.parse(Buffer.from(r.data, "base64").toString("utf8")) as { events: { authorization: { incident?: string } }[] }).events[0]
          .authorization.incident,
    );
    return { recorded, incidents };
  }

  async function assertAllowed(recorded: RecordedRequest[], expectCommands: string[]) {
    const commands = recorded.map((r) => `${r.service}:${r.command}`);
    for (const c of expectCommands)
      assert.ok(
        commands.some((x) => x.startsWith(c)),
        `the scenario sends ${c} (sent: ${commands.join(", ")})`,
      );
    const denied: string[] = [];
    for (const req of recorded) {
      for (const call of authorizerCalls(ix, req)) {
        const verdict = await simulate(ix, call);
        if (verdict.decision !== "Allowed") denied.push(`${req.service}:${req.command} -> ${describeCall(call)}\n    ${verdict.explain}`);
      }
    }
    assert.deepEqual(denied, [], `denied:\n  ${denied.join("\n  ")}`);
  }

  it("an allowed access: the grants are read with BatchGetItem, nothing else", async () => {
    const { recorded, incidents } = await run([s3DataEvent({ key: "patients/p-0001/record.json" })]);
    assert.deepEqual(incidents, [undefined]);
    await assertAllowed(recorded, ["dynamodb:BatchGet"]);
    assert.ok(!recorded.some((r) => r.service !== "dynamodb"), "no incident call for an allowed access");
  });

  it("a denied access: grants read, the throttle's conditional PutItem, the incident started", async () => {
    const principal = identities.assumedRole(`arn:aws:iam::${ACCOUNT}:role/replay-denied`);
    const { recorded, incidents } = await run([s3DataEvent({ key: "patients/x.json", userIdentity: principal })]);
    assert.deepEqual(incidents, ["started"]);
    await assertAllowed(recorded, ["dynamodb:BatchGet", "dynamodb:Put", "sfn:StartExecution"]);
  });

  it("a failed start: dead-lettered to the incident DLQ under its key", async () => {
    const principal = identities.assumedRole(`arn:aws:iam::${ACCOUNT}:role/replay-dlq`);
    aws.failStarts(1, "ThrottlingException");
    const { recorded, incidents } = await run([s3DataEvent({ key: "patients/y.json", userIdentity: principal })]);
    assert.deepEqual(incidents, ["dead-lettered"]);
    await assertAllowed(recorded, ["dynamodb:BatchGet", "dynamodb:Put", "sfn:StartExecution", "sqs:SendMessage"]);
  });

  it("maps every call to the prod names (a table of another name is refused, not evaluated)", () => {
    assert.throws(
      () => authorizerCalls(ix, { service: "dynamodb", command: "PutItem", input: { TableName: "other" }, headers: {} }),
      /not one of its tables/,
    );
    const calls = authorizerCalls(ix, {
      service: "dynamodb",
      command: "BatchGetItem",
      input: { RequestItems: { [GRANTS_TABLE]: {} } },
      headers: {},
    });
    assert.match(calls[0].resource, /:table\/hcp-prod-access-grants$/);
    assert.equal(calls[1].context["kms:EncryptionContext:aws:dynamodb:tableName"], "hcp-prod-access-grants");
  });
});
