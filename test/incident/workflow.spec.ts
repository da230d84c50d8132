/**
 * The incident workflow, offline (issue 10): the definition validated with asl-validator and executed
 * with aws-local-stepfunctions, Macie, Athena and SNS standing in as local task handlers, the real
 * report handler writing to s3rver. Every path of the machine: the happy path, Macie failing, Athena
 * failing and timing out, the report write failing and retried (and failing for good), a duplicate
 * start, and an access to a bucket Macie does not classify.
 */
import { strict as assert } from "assert";
import * as fc from "fast-check";
import { accessHistoryParameters, accessHistoryQuery, athenaExecutionParameters } from "../../components/security-events/archive-query";
import {
  DEFAULT_TIMEOUTS,
  incidentDefinition,
  incidentDefinitionProblems,
  STATES,
  TASK_RESOURCES,
  type AslDefinition,
  type AslState,
} from "../../components/security-events/incident-definition";
import { worstCaseSeconds, worstCaseTaskSeconds } from "../../components/security-events/asl-duration";
import { ARCHIVE_BUFFERING_SECONDS } from "../../components/security-events";
import { prepareQuery, reportKeys, retainUntil, type WriteReportResponse } from "../../lambda/incident-report/contract";
import {
  ACCOUNT,
  DATABASE,
  fakes,
  FUNCTION_ARN,
  incident,
  KEY_ARN,
  LocalWorkflow,
  PHI_BUCKET,
  RETENTION_DAYS,
  spec,
  startLocalWorkflow,
  TOPIC_ARN,
  WORKGROUP,
} from "./local";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require("asl-validator") as (d: unknown) => { isValid: boolean; errorsText: (sep?: string) => string };

const NAME = "9d3c1f0e-5a7b-4c2d-8e1f-0a1b2c3d4e5f";

describe("incident workflow: the definition", () => {
  it("is valid ASL (asl-validator), with and without custom timeouts", () => {
    for (const d of [incidentDefinition(spec()), incidentDefinition(spec({ athenaSeconds: 1 }))]) {
      const r = aslValidator(d);
      assert.ok(r.isValid, r.errorsText("\n"));
    }
  });

  it("calls Macie and Athena through the documented integrations, scoped statically, with idempotency tokens from the execution name", () => {
    const d = incidentDefinition(spec());
    const macie = d.States[STATES.startClassificationJob] as unknown as Record<string, unknown> & { Parameters: Record<string, unknown> };
    assert.equal(macie.Resource, TASK_RESOURCES.macieCreateClassificationJob);
    assert.equal(macie.Parameters["ClientToken.$"], "$$.Execution.Name");
    assert.equal(macie.Parameters.JobType, "ONE_TIME");
    // The scope is the static PHI bucket: no path anywhere inside S3JobDefinition.
    assert.deepEqual(macie.Parameters.S3JobDefinition, { BucketDefinitions: [{ AccountId: ACCOUNT, Buckets: [PHI_BUCKET] }] });
    const athena = d.States[STATES.queryAccessHistory] as unknown as Record<string, unknown> & { Parameters: Record<string, unknown> };
    assert.equal(athena.Resource, TASK_RESOURCES.athenaStartQueryExecutionSync);
    assert.equal(athena.Parameters.QueryString, accessHistoryQuery(DATABASE), "the fixed SQL, no event field in it");
    assert.equal(athena.Parameters["ExecutionParameters.$"], "$.query.executionParameters");
    assert.ok(typeof athena.TimeoutSeconds === "number" && athena.TimeoutSeconds > 0);
    // No state interpolates an event field into text (States.Format only takes the execution name).
    // No state interpolates an event field into text: States.Format takes the execution name, and the
    // report keys also the day of the execution's start.
    const text = JSON.stringify(d);
    const day = "States.ArrayGetItem(States.StringSplit($$.Execution.StartTime, 'T'), 0)";
    assert.deepEqual(text.match(/States\.Format\('[^']*', [^$]*\$\$\.Execution\.[A-Za-z]+[^$]*(\$\$\.Execution\.Name)?\)/g), [
      `States.Format('reports/{}/{}.json', ${day}, $$.Execution.Name)`,
      `States.Format('reports/{}/{}.txt', ${day}, $$.Execution.Name)`,
      "States.Format('hcp-incident-{}', $$.Execution.Name)",
    ]);
    assert.ok(!/States\.Format\([^)]*\$\.incident/.test(text), "no event field in any States.Format");
  });

  it("alerts first: from StartAt, the first task every path reaches is the SNS alert, before Macie, Athena and the report", () => {
    const d: AslDefinition = incidentDefinition(spec());
    // Follow Next/Default/Choices from StartAt until the first Task; every branch must meet the alert.
    const firstTasks = new Set<string>();
    const walk = (name: string, seen: Set<string>) => {
      if (seen.has(name)) return;
      seen.add(name);
      const st = d.States[name] as Record<string, unknown>;
      if (st.Type === "Task") return void firstTasks.add(name);
      const nexts = [st.Next, st.Default, ...((st.Choices as { Next: string }[] | undefined) ?? []).map((c) => c.Next)];
      for (const n of nexts) if (typeof n === "string") walk(n, seen);
    };
    walk(d.StartAt, new Set());
    assert.deepEqual([...firstTasks], [STATES.publishIncidentAlert]);
    assert.equal((d.States[STATES.publishIncidentAlert] as Record<string, unknown>).Resource, TASK_RESOURCES.snsPublish);
  });

  it("waits for the archive's Firehose buffer (plus a margin for the S3 write) before the access-history query", () => {
    assert.ok(DEFAULT_TIMEOUTS.archiveSettleSeconds >= ARCHIVE_BUFFERING_SECONDS + 60, String(DEFAULT_TIMEOUTS.archiveSettleSeconds));
    const d = incidentDefinition(spec());
    const wait = d.States[STATES.waitForArchive] as Record<string, unknown>;
    assert.deepEqual(wait, { Type: "Wait", Seconds: DEFAULT_TIMEOUTS.archiveSettleSeconds, Next: STATES.prepareQuery });
    // Every way from Macie to the query passes the wait.
    for (const s of [STATES.startClassificationJob, STATES.recordClassificationFailure, STATES.skipClassification])
      assert.equal((d.States[s] as Record<string, unknown>).Next, STATES.waitForArchive, s);
    assert.match(
      incidentDefinitionProblems(spec({ archiveSettleSeconds: DEFAULT_TIMEOUTS.executionSeconds - 100 })).join(),
      /archiveSettleSeconds/,
    );
  });

  it("refuses bad specs, naming each problem", () => {
    const problems = incidentDefinitionProblems({
      ...spec({ athenaSeconds: DEFAULT_TIMEOUTS.executionSeconds - 300 }),
      macieSamplingPercentage: 0,
      accessHistorySql: "SELECT 1",
    });
    assert.equal(problems.length, 3, problems.join("; "));
    assert.throws(() => incidentDefinition({ ...spec(), accountId: "x" }), /accountId must be 12 digits/);
  });

  // Retry semantics: https://states-language.net/spec.html#retrying-after-error and
  // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (defaults
  // MaxAttempts 3, IntervalSeconds 1, BackoffRate 2; MaxDelaySeconds caps a delay); a Task's
  // TimeoutSeconds defaults to 99999999 (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html).
  it("worstCaseTaskSeconds: every retrier exhausted, every attempt to its timeout, every delay in full (capped by MaxDelaySeconds)", () => {
    const task = (extra: Record<string, unknown>): AslState => ({
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      End: true,
      ...extra,
    });
    assert.equal(worstCaseTaskSeconds(task({ TimeoutSeconds: 10 })), 10);
    // Defaults: 3 retries after 1, 2, 4 s.
    assert.equal(worstCaseTaskSeconds(task({ TimeoutSeconds: 10, Retry: [{ ErrorEquals: ["States.ALL"] }] })), 4 * 10 + 7);
    // Two retriers count separately: 1 + 2 + 1 attempts; delays 3 + 6, then 5.
    const two = [
      { ErrorEquals: ["A"], IntervalSeconds: 3, MaxAttempts: 2, BackoffRate: 2 },
      { ErrorEquals: ["B"], IntervalSeconds: 5, MaxAttempts: 1 },
    ];
    assert.equal(worstCaseTaskSeconds(task({ TimeoutSeconds: 20, Retry: two })), 4 * 20 + 3 + 6 + 5);
    assert.equal(
      worstCaseTaskSeconds(
        task({ TimeoutSeconds: 1, Retry: [{ ErrorEquals: ["A"], IntervalSeconds: 10, MaxAttempts: 3, MaxDelaySeconds: 15 }] }),
      ),
      4 + 10 + 15 + 15,
    );
    assert.equal(worstCaseTaskSeconds(task({ Retry: [{ ErrorEquals: ["A"], MaxAttempts: 0 }] })), 99_999_999);
  });

  it("worstCaseSeconds: the longest path through Next, Choices, Default and Catch; a loop is refused", () => {
    const d = {
      StartAt: "A",
      States: {
        A: { Type: "Task", TimeoutSeconds: 5, Catch: [{ ErrorEquals: ["States.ALL"], Next: "Slow" }], Next: "C" },
        C: { Type: "Choice", Choices: [{ Variable: "$.x", StringEquals: "y", Next: "W" }], Default: "End" },
        W: { Type: "Wait", Seconds: 30, Next: "End" },
        Slow: { Type: "Wait", Seconds: 100, Next: "End" },
        End: { Type: "Succeed" },
      },
    } as unknown as AslDefinition;
    assert.equal(worstCaseSeconds(d), 105);
    const loop = { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "A" } } } as unknown as AslDefinition;
    assert.throws(() => worstCaseSeconds(loop), /loops/);
  });

  it("the built definition's worst case (SNS, Macie, the archive wait, Athena, the report, the outcome message) fits its TimeoutSeconds, and a spec whose worst case does not is refused", () => {
    const d = incidentDefinition(spec());
    // 422 (alert) + 254 (Macie) + 360 (wait) + 247 (prepare) + 734 (Athena) + 517 (report) + 422 (outcome).
    assert.equal(worstCaseSeconds(d), 2956);
    assert.ok(worstCaseSeconds(d) <= d.TimeoutSeconds, `${worstCaseSeconds(d)} > ${d.TimeoutSeconds}`);
    assert.equal(d.TimeoutSeconds, DEFAULT_TIMEOUTS.executionSeconds);
    assert.match(incidentDefinitionProblems(spec({ executionSeconds: 900 })).join(), /worst-case duration of the definition \(2956 s/);
    assert.throws(() => incidentDefinition(spec({ executionSeconds: 2955 })), /exceeds timeouts.executionSeconds \(2955\)/);
    assert.doesNotThrow(() => incidentDefinition(spec({ executionSeconds: 2956 })));
  });

  /**
   * Error names in Retry and Catch follow the documented form, else a retrier never matches.
   * - AWS SDK integrations (`arn:aws:states:::aws-sdk:<service>:<action>`): `ServiceName.ErrorName`,
   *   both PascalCase, always with the Exception suffix
   *   (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html): macie2 -> Macie2.
   * - Optimized integrations: the Lambda page names `Lambda.ServiceException`, `Lambda.AWSLambdaException`,
   *   `Lambda.SdkClientException`, `Lambda.TooManyRequestsException`
   *   (https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html); the optimized SNS and
   *   Athena integrations prefix `SNS.` and `Athena.` to the service's exception name (the aws-sdk form
   *   would be `Sns.`). No AWS page lists the optimized SNS names: executions on AWS report e.g.
   *   `SNS.InvalidParameterException` for sns:publish; a first deploy should confirm a throttled publish
   *   is retried (unsettled).
   * - The exception names are the services' own: SNS's from @aws-sdk/client-sns (ThrottledException,
   *   InternalErrorException), Macie's ThrottlingException and InternalServerException
   *   (https://docs.aws.amazon.com/macie/latest/APIReference/jobs.html), Athena's TooManyRequestsException
   *   (https://docs.aws.amazon.com/athena/latest/APIReference/API_StartQueryExecution.html).
   * `ReportWriteFailed` is the report function's own error type, which a Lambda invoke reports as its Error.
   */
  it("error names in Retry and Catch follow Step Functions' documented ServiceName.ExceptionName form for each integration", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const snsClient = require("@aws-sdk/client-sns") as Record<string, unknown>;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lambdaClient = require("@aws-sdk/client-lambda") as Record<string, unknown>;
    const known: Record<string, (name: string) => boolean> = {
      SNS: (n) => typeof snsClient[n] === "function",
      Lambda: (n) => typeof lambdaClient[n] === "function" || ["AWSLambdaException", "SdkClientException"].includes(n),
      Macie2: (n) => ["ThrottlingException", "InternalServerException"].includes(n),
      Athena: (n) => ["TooManyRequestsException", "InternalServerException", "InvalidRequestException"].includes(n),
    };
    const optimized: Record<string, string> = { sns: "SNS", athena: "Athena", lambda: "Lambda" };
    const prefixOf = (resource: string) => {
      const sdk = /^arn:aws:states:::aws-sdk:([a-z0-9]+):/.exec(resource);
      if (sdk) return sdk[1][0].toUpperCase() + sdk[1].slice(1);
      const opt = /^arn:aws:states:::([a-z0-9]+):/.exec(resource);
      return opt ? optimized[opt[1]] : undefined;
    };
    const d = incidentDefinition(spec());
    const checked: string[] = [];
    for (const [name, st] of Object.entries(d.States)) {
      if (st.Type !== "Task") continue;
      const prefix = prefixOf(String(st.Resource));
      assert.ok(prefix, `${name}: no documented error prefix for ${String(st.Resource)}`);
      const handlers = [...((st.Retry as { ErrorEquals: string[] }[]) ?? []), ...((st.Catch as { ErrorEquals: string[] }[]) ?? [])];
      for (const error of handlers.flatMap((h) => h.ErrorEquals)) {
        if (error.startsWith("States.")) continue;
        if (error === "ReportWriteFailed" && prefix === "Lambda") continue;
        const [service, exception, ...rest] = error.split(".");
        assert.equal(rest.length, 0, `${name}: ${error}`);
        assert.equal(service, prefix, `${name}: ${error} must start with ${prefix}.`);
        assert.match(exception, /^[A-Z][A-Za-z]*Exception$/, `${name}: ${error} must end in Exception`);
        assert.ok(known[service]?.(exception), `${name}: ${exception} is not an error of ${service}`);
        checked.push(error);
      }
    }
    assert.deepEqual([...new Set(checked)].sort(), [
      "Athena.TooManyRequestsException",
      "Lambda.AWSLambdaException",
      "Lambda.SdkClientException",
      "Lambda.ServiceException",
      "Lambda.TooManyRequestsException",
      "Macie2.InternalServerException",
      "Macie2.ThrottlingException",
      "SNS.InternalErrorException",
      "SNS.ThrottledException",
    ]);
  });

  it("prepare-query gives exactly archive-query's ExecutionParameters for any incident (one semantics, two modules)", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2026-01-01T00:00:00Z"), max: new Date("2030-12-31T23:59:59Z"), noInvalidDate: true }),
        fc.constantFrom("role/a", "user/b", "role/service-role/c.d@e"),
        (d, who) => {
          const at = new Date(Math.floor(d.getTime() / 1000) * 1000);
          const principalArn = `arn:aws:iam::111122223333:${who}`;
          const eventTime = at.toISOString().replace(/\.\d{3}Z$/, "Z");
          const ours = prepareQuery(incident({ principalArn, eventTime })).executionParameters;
          const theirs = athenaExecutionParameters(
            accessHistoryParameters({
              principalArn,
              from: new Date(at.getTime() - 7 * 86_400_000),
              to: new Date(at.getTime() + 3_600_000),
            }),
          );
          assert.deepEqual(ours, theirs);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("incident workflow: executed offline", function () {
  this.timeout(30_000);
  let local: LocalWorkflow;
  before(async () => {
    local = await startLocalWorkflow();
  });
  after(async () => {
    await local?.stop();
  });

  const report = (out: { output?: Record<string, unknown> }) => (out.output!.report as { location: WriteReportResponse }).location;
  const alertOf = (call: Record<string, unknown>) => JSON.parse(String(call.Message)) as Record<string, unknown>;
  /** The alert went out before any other task, and the outcome message after every one. */
  const alertedFirstThenOutcome = (f: ReturnType<typeof fakes>, outcome: string) => {
    assert.equal(f.order[0], STATES.publishIncidentAlert, f.order.join(" -> "));
    assert.equal(f.order[f.order.length - 1], outcome, f.order.join(" -> "));
    assert.equal(alertOf(f.snsCalls[0]).alert, "PHI_ACCESS_INCIDENT");
  };

  it("happy path: the alert first, then one Macie job, one parameterized query, one locked report, and the report-ready message", async () => {
    const f = fakes();
    const name = `${NAME.slice(0, -1)}0`;
    const out = await local.run(incident(), name, f);
    assert.equal(out.error, undefined, String(out.error));
    // Exact task inputs.
    assert.deepEqual(f.macieCalls, [
      {
        ClientToken: name,
        Name: `hcp-incident-${name}`,
        Description: "One-time classification of the PHI bucket for a PHI access incident",
        JobType: "ONE_TIME",
        ManagedDataIdentifierSelector: "RECOMMENDED",
        SamplingPercentage: 10,
        S3JobDefinition: { BucketDefinitions: [{ AccountId: ACCOUNT, Buckets: [PHI_BUCKET] }] },
      },
    ]);
    assert.equal(f.athenaCalls.length, 1);
    const athena = f.athenaCalls[0] as {
      ExecutionParameters: string[];
      ClientRequestToken: string;
      WorkGroup: string;
      QueryString: string;
      QueryExecutionContext: unknown;
    };
    assert.deepEqual(athena.ExecutionParameters, [
      "'2026-10-28'",
      "'2026-11-06'",
      "'2026-10-29T10:00:00Z'",
      "'2026-11-05T11:00:00Z'",
      "'arn:aws:iam::111122223333:role/clinical-reader'",
      "'arn:aws:iam::111122223333:role/clinical-reader'",
    ]);
    assert.equal(athena.WorkGroup, WORKGROUP);
    assert.deepEqual(athena.QueryExecutionContext, { Catalog: "AwsDataCatalog", Database: DATABASE });
    assert.match(athena.ClientRequestToken, /^[0-9a-f]{64}$/);
    assert.ok(!athena.QueryString.includes("clinical-reader"), "never interpolated");

    const loc = report(out);
    assert.equal(loc.alreadyWritten, false);
    const written = JSON.parse(await local.read(loc.key)) as Record<string, unknown> & {
      retention: { retainUntil: string };
      classification: unknown;
      accessHistory: unknown;
    };
    assert.equal(written.incidentId, name);
    assert.deepEqual(written.classification, {
      status: "STARTED",
      jobId: f.macieJobs.get(name),
      jobArn: `arn:aws:macie2:us-east-1:${ACCOUNT}:classification-job/${f.macieJobs.get(name)}`,
    });
    assert.deepEqual((written.accessHistory as { status: string }).status, "SUCCEEDED");
    assert.match(await local.read(loc.summaryKey), /^PHI access incident /);

    // The PUTs carry the retention, the KMS key and the checksum (s3rver enforces none: assert what is sent).
    const puts = local.recorded.filter((r) => r.command === "PutObject" && String(r.input.Key).includes(name));
    assert.equal(puts.length, 2);
    for (const p of puts) {
      assert.equal(p.headers["x-amz-object-lock-mode"], "COMPLIANCE");
      assert.equal(new Date(p.headers["x-amz-object-lock-retain-until-date"]).toISOString(), written.retention.retainUntil);
      assert.equal(p.headers["x-amz-server-side-encryption"], "aws:kms");
      assert.equal(p.headers["x-amz-server-side-encryption-aws-kms-key-id"], KEY_ARN);
      assert.equal(p.headers["x-amz-sdk-checksum-algorithm"], "SHA256");
      assert.match(p.headers["x-amz-checksum-sha256"], /^[A-Za-z0-9+/]{43}=$/);
      assert.equal(p.headers["if-none-match"], "*");
    }

    // Alert first (ids and the report's deterministic keys), then every task, then the outcome.
    assert.deepEqual(f.order, [
      STATES.publishIncidentAlert,
      STATES.startClassificationJob,
      "Lambda prepare-query",
      STATES.queryAccessHistory,
      "Lambda write-report",
      STATES.publishReportReady,
    ]);
    assert.equal(f.snsCalls.length, 2);
    for (const call of f.snsCalls) assert.equal(call.TopicArn, TOPIC_ARN);
    const [first, second] = f.snsCalls.map(alertOf);
    assert.equal(f.snsCalls[0].Subject, "healthcare-platform: PHI access incident");
    assert.deepEqual([first.alert, first.incidentId], ["PHI_ACCESS_INCIDENT", name]);
    assert.deepEqual(first.reportWillBe, { key: loc.key, summaryKey: loc.summaryKey }, "the first alert names the report's keys");
    assert.deepEqual([second.alert, second.incidentId, second.incidentAlert], ["PHI_ACCESS_INCIDENT_REPORT_READY", name, "PUBLISHED"]);
    assert.deepEqual(second.report, { bucket: loc.bucket, key: loc.key, summaryKey: loc.summaryKey });
    for (const call of f.snsCalls)
      assert.ok(
        !String(call.Message).includes("clinical-reader") && !String(call.Message).includes(incident().objectKeySha256!),
        "no principal, no key hash",
      );
  });

  it("retention counts from the execution start, reportRetentionInDays long", () => {
    assert.equal(retainUntil("2026-11-05T10:00:01.000Z", RETENTION_DAYS), "2032-11-05T10:00:01.000Z");
  });

  it("Macie fails (not enabled): caught, recorded in the report, the rest runs", async () => {
    const f = { ...fakes(), macie: { error: "Macie2.AccessDeniedException" } as const };
    const out = await local.run(incident(), `${NAME.slice(0, -1)}1`, f);
    assert.equal(out.error, undefined, String(out.error));
    const written = JSON.parse(await local.read(report(out).key)) as { classification: unknown; accessHistory: { status: string } };
    assert.deepEqual(written.classification, { status: "FAILED", error: "Macie2.AccessDeniedException" });
    assert.equal(written.accessHistory.status, "SUCCEEDED");
    alertedFirstThenOutcome(f, STATES.publishReportReady);
    assert.equal(alertOf(f.snsCalls[1]).classification, "FAILED");
  });

  it("Athena fails: caught and recorded", async () => {
    const f = { ...fakes(), athena: { error: "States.TaskFailed" } as const };
    const out = await local.run(incident(), `${NAME.slice(0, -1)}2`, f);
    assert.equal(out.error, undefined, String(out.error));
    alertedFirstThenOutcome(f, STATES.publishReportReady);
    assert.equal(alertOf(f.snsCalls[1]).accessHistory, "FAILED");
    const written = JSON.parse(await local.read(report(out).key)) as { accessHistory: unknown };
    assert.deepEqual(written.accessHistory, {
      status: "FAILED",
      error: "States.TaskFailed",
      window: { from: "2026-10-29T10:00:00Z", to: "2026-11-05T11:00:00Z" },
    });
  });

  it("Athena times out (the task timeout, shortened to 1 s here): caught as States.Timeout", async () => {
    const f = { ...fakes(), athena: "hang" as const };
    const out = await local.run(incident(), `${NAME.slice(0, -1)}3`, f, { athenaSeconds: 1 });
    assert.equal(out.error, undefined, String(out.error));
    const written = JSON.parse(await local.read(report(out).key)) as { accessHistory: { status: string; error: string } };
    assert.deepEqual([written.accessHistory.status, written.accessHistory.error], ["FAILED", "States.Timeout"]);
    alertedFirstThenOutcome(f, STATES.publishReportReady);
  });

  it("an incident without a principal ARN: no query, the report says why", async () => {
    const f = fakes();
    const out = await local.run(incident({ principalArn: "unidentified" }), `${NAME.slice(0, -1)}4`, f);
    assert.equal(out.error, undefined, String(out.error));
    assert.equal(f.athenaCalls.length, 0);
    const written = JSON.parse(await local.read(report(out).key)) as { accessHistory: unknown };
    assert.deepEqual(written.accessHistory, { status: "FAILED", error: "InvalidIncidentInput" });
  });

  it("an access to another PHI bucket: Macie skipped (its scope is the PHI data bucket only)", async () => {
    const f = fakes();
    const out = await local.run(incident({ bucket: "hcp-test-security-events-archive" }), `${NAME.slice(0, -1)}5`, f);
    assert.equal(out.error, undefined, String(out.error));
    assert.equal(f.macieCalls.length, 0);
    assert.equal((out.output!.macie as { status: string }).status, "SKIPPED");
  });

  it("the report write fails twice and is retried: one report, the same retention", async () => {
    const f = { ...fakes(), failReportPuts: 2 };
    const name = `${NAME.slice(0, -1)}6`;
    const out = await local.run(incident(), name, f);
    assert.equal(out.error, undefined, String(out.error));
    assert.equal(f.lambdaCalls.filter((c) => (c.Payload as { action: string }).action === "write-report").length, 3);
    const puts = local.recorded.filter((r) => r.command === "PutObject" && String(r.input.Key).includes(name));
    assert.equal(puts.length, 2, "one JSON and one summary, each written once");
    assert.equal((await local.keys()).filter((k) => k.includes(name)).length, 2);
  });

  it("the report write fails for good: the alert still goes out, naming the failure, and the execution fails", async () => {
    const f = { ...fakes(), failReportPuts: 99 };
    const out = await local.run(incident(), `${NAME.slice(0, -1)}7`, f);
    assert.ok(out.error, "the execution fails");
    assert.equal(f.snsCalls.length, 2);
    alertedFirstThenOutcome(f, STATES.publishFailureAlert);
    assert.deepEqual(
      [alertOf(f.snsCalls[1]).alert, alertOf(f.snsCalls[1]).error],
      ["PHI_ACCESS_INCIDENT_REPORT_NOT_WRITTEN", "ReportWriteFailed"],
    );
  });

  it("SNS refuses the first alert: the evidence is still gathered, the second message says so, and the execution fails", async () => {
    const f = { ...fakes(), incidentAlert: { error: "SNS.AuthorizationErrorException" } as const };
    const out = await local.run(incident(), `${NAME.slice(0, -1)}9`, f);
    assert.match(String(out.error), /SNS refused the first alert/);
    assert.equal(f.order[0], STATES.publishIncidentAlert);
    assert.equal(f.macieCalls.length + f.athenaCalls.length, 2, "Macie and Athena still ran");
    assert.equal(f.snsCalls.length, 1);
    const outcome = alertOf(f.snsCalls[0]);
    assert.deepEqual([outcome.alert, outcome.incidentAlert], ["PHI_ACCESS_INCIDENT_REPORT_READY", "FAILED"]);
    assert.equal(f.order[f.order.length - 1], STATES.publishReportReady);
  });

  it("a duplicate start (same execution name): the same Macie job, the same query token, no second report", async () => {
    const f = fakes();
    const name = `${NAME.slice(0, -1)}8`;
    const first = await local.run(incident(), name, f);
    const second = await local.run(incident(), name, f);
    assert.equal(first.error ?? second.error, undefined);
    assert.equal(f.macieJobs.size, 1, "ClientToken: one job");
    assert.equal(
      (f.athenaCalls[0] as { ClientRequestToken: string }).ClientRequestToken,
      (f.athenaCalls[1] as { ClientRequestToken: string }).ClientRequestToken,
    );
    assert.equal(report(first).alreadyWritten, false);
    assert.equal(report(second).alreadyWritten, true);
    const keys = reportKeys({ name, startTime: new Date().toISOString() });
    assert.deepEqual(
      (await local.keys()).filter((k) => k.includes(name)),
      [keys.key, keys.summaryKey],
    );
    const puts = local.recorded.filter((r) => r.command === "PutObject" && String(r.input.Key).includes(name));
    assert.equal(puts.length, 2, "the second run wrote nothing");
  });

  it("logs no PHI: no principal, bucket or key hash in any line the report handler wrote", () => {
    assert.ok(local.logLines.length > 5);
    const text = local.logLines.join("\n");
    for (const secret of ["clinical-reader", PHI_BUCKET, incident().objectKeySha256!, "hcp-test-security-events-archive"])
      assert.ok(!text.includes(secret), secret);
  });

  it("the harness invokes the configured function only", () => {
    assert.ok(FUNCTION_ARN.includes("incident-report"));
  });
});
