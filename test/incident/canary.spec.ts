/**
 * Canary incidents in the incident workflow (issue 18, detection path): an input marked `canary: true`
 * skips the Macie classification but still runs the access history, the report and its outcome
 * message; every message says "canary" (subject and JSON) and every SNS publish carries the message
 * attribute `canary` = "true" / "false" (https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html);
 * an input without the field runs exactly as before. Definition checks, then executions with
 * aws-local-stepfunctions and the real report handler against s3rver (./local.ts).
 */
import { strict as assert } from "assert";
import {
  CANARY_MESSAGE_ATTRIBUTE,
  incidentDefinition,
  INCIDENT_SUBJECTS,
  STATES,
  TASK_RESOURCES,
} from "../../components/security-events/incident-definition";
import { worstCaseSeconds } from "../../components/security-events/asl-duration";
import type { WriteReportResponse } from "../../lambda/incident-report/contract";
import { CANARY_TOPIC_ARN, fakes, incident, type LocalWorkflow, spec, startLocalWorkflow, TOPIC_ARN } from "./local";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require("asl-validator") as (d: unknown) => { isValid: boolean; errorsText: (sep?: string) => string };

const NAME = "c0a1b2c3-d4e5-4f60-8718-293a4b5c6d7e";
const nameOf = (i: number) => `${NAME.slice(0, -1)}${i}`;

describe("incident workflow: canary incidents in the definition", () => {
  // A fresh definition per test: asl-validator adds fields to the object it checks.
  let d: ReturnType<typeof incidentDefinition>;
  beforeEach(() => {
    d = incidentDefinition(spec());
  });

  it("is valid ASL (asl-validator) with the canary states, and its worst case is unchanged (the canary path is shorter)", () => {
    const r = aslValidator(d);
    assert.ok(r.isValid, r.errorsText("\n"));
    assert.equal(worstCaseSeconds(d), 2956);
  });

  it("reads `canary` only once it is known present and boolean: an input without it is a normal incident", () => {
    // AWS fails an execution whose Choice compares a missing path; rules are tried in order, first match wins.
    assert.deepEqual(d.States[STATES.normalize], { Type: "Pass", Parameters: { "incident.$": "$" }, Next: STATES.isCanaryIncident });
    assert.deepEqual(d.States[STATES.isCanaryIncident], {
      Type: "Choice",
      Choices: [
        { Not: { Variable: "$.incident.canary", IsPresent: true }, Next: STATES.markIncident },
        { Not: { Variable: "$.incident.canary", IsBoolean: true }, Next: STATES.markIncident },
        { Variable: "$.incident.canary", BooleanEquals: true, Next: STATES.markCanaryIncident },
      ],
      Default: STATES.markIncident,
    });
    for (const s of [STATES.markIncident, STATES.markCanaryIncident])
      assert.equal((d.States[s] as Record<string, unknown>).Next, STATES.composeIncidentAlert, s);
    // Every way from the canary's Macie skip leads to the archive wait, like the other skips.
    assert.equal((d.States[STATES.skipCanaryClassification] as Record<string, unknown>).Next, STATES.waitForArchive);
  });

  it("every SNS publish carries the String message attribute `canary` and a subject of the incident's kind", () => {
    const publishes = Object.entries(d.States).filter(([, st]) => st.Resource === TASK_RESOURCES.snsPublish);
    assert.deepEqual(
      publishes.map(([n]) => n).sort(),
      [STATES.publishFailureAlert, STATES.publishIncidentAlert, STATES.publishReportReady].sort(),
    );
    for (const [name, st] of publishes) {
      const p = st.Parameters as Record<string, unknown>;
      assert.deepEqual(
        p.MessageAttributes,
        { [CANARY_MESSAGE_ATTRIBUTE]: { DataType: "String", "StringValue.$": "$.kind.attribute" } },
        name,
      );
      assert.match(String(p["Subject.$"]), /^\$\.kind\.subjects\.(alert|reportReady|reportFailed)$/, name);
      assert.ok(!("Subject" in p), `${name}: one subject, by path`);
    }
    const kinds = [STATES.markIncident, STATES.markCanaryIncident].map((s) => d.States[s].Result);
    assert.deepEqual(kinds, [
      { canary: false, attribute: "false", subjects: INCIDENT_SUBJECTS.incident },
      { canary: true, attribute: "true", subjects: INCIDENT_SUBJECTS.canary },
    ]);
  });

  it("subjects meet SNS's Subject constraints (printable ASCII from a letter, digit or punctuation, under 100 characters); the canary's say canary, the others do not", () => {
    // https://docs.aws.amazon.com/sns/latest/api/API_Publish.html (Subject)
    for (const [kind, subjects] of Object.entries(INCIDENT_SUBJECTS))
      for (const subject of Object.values(subjects)) {
        assert.ok(subject.length < 100, `${subject} (${subject.length})`);
        assert.match(subject, /^[A-Za-z0-9!-/:-@[-`{-~][ -~]*$/, subject);
        assert.equal(/canary/i.test(subject), kind === "canary", subject);
      }
  });
});

describe("incident workflow: canary incidents in the definition, with the canary's topic", () => {
  it("each kind carries its topic and every publish names it by path; the canary topic must not be the alert topic", () => {
    const d = incidentDefinition(spec(undefined, CANARY_TOPIC_ARN));
    assert.ok(aslValidator(incidentDefinition(spec(undefined, CANARY_TOPIC_ARN))).isValid);
    assert.equal(worstCaseSeconds(d), 2956);
    const publishes = Object.values(d.States).filter((st) => st.Resource === TASK_RESOURCES.snsPublish);
    assert.equal(publishes.length, 3);
    for (const st of publishes) {
      const p = st.Parameters as Record<string, unknown>;
      assert.deepEqual([p["TopicArn.$"], "TopicArn" in p], ["$.kind.topicArn", false]);
    }
    assert.deepEqual(
      [STATES.markIncident, STATES.markCanaryIncident].map((s) => (d.States[s].Result as { topicArn: string }).topicArn),
      [TOPIC_ARN, CANARY_TOPIC_ARN],
    );
    assert.throws(() => incidentDefinition(spec(undefined, TOPIC_ARN)), /canaryTopicArn must not be the alert topic/);
  });

  it("without a canary topic the definition is exactly as before: the alert topic in every publish, no topic in the kinds", () => {
    const d = incidentDefinition(spec());
    for (const st of Object.values(d.States).filter((x) => x.Resource === TASK_RESOURCES.snsPublish))
      assert.equal((st.Parameters as Record<string, unknown>).TopicArn, TOPIC_ARN);
    for (const s of [STATES.markIncident, STATES.markCanaryIncident]) assert.ok(!("topicArn" in (d.States[s].Result as object)), s);
  });
});

describe("incident workflow: canary incidents executed offline", function () {
  this.timeout(30_000);
  let local: LocalWorkflow;
  before(async () => {
    // As deployed with a canary: canary incidents to its topic, every other to the alert topic.
    local = await startLocalWorkflow({ canaryTopicArn: CANARY_TOPIC_ARN });
  });
  after(async () => {
    await local?.stop();
  });

  const message = (call: Record<string, unknown>) => JSON.parse(String(call.Message)) as Record<string, unknown>;
  const attribute = (call: Record<string, unknown>) =>
    (call.MessageAttributes as Record<string, { DataType: string; StringValue: string }>)[CANARY_MESSAGE_ATTRIBUTE];
  const report = (out: { output?: Record<string, unknown> }) => (out.output!.report as { location: WriteReportResponse }).location;

  it("a canary incident skips Macie, still queries the access history and writes the report, and both messages say canary", async () => {
    const f = fakes();
    const out = await local.run(incident({ canary: true }), nameOf(1), f);
    assert.equal(out.error, undefined, String(out.error));
    assert.equal(f.macieCalls.length, 0, "no Macie job");
    assert.deepEqual(f.order, [
      STATES.publishIncidentAlert,
      "Lambda prepare-query",
      STATES.queryAccessHistory,
      "Lambda write-report",
      STATES.publishReportReady,
    ]);
    assert.deepEqual(
      [f.snsCalls[0].Subject, f.snsCalls[1].Subject],
      [INCIDENT_SUBJECTS.canary.alert, INCIDENT_SUBJECTS.canary.reportReady],
    );
    for (const call of f.snsCalls) assert.deepEqual(attribute(call), { DataType: "String", StringValue: "true" });
    // Only to the canary topic: the alert topic (people's e-mail) never sees a canary message.
    assert.deepEqual(
      f.snsCalls.map((c) => c.TopicArn),
      [CANARY_TOPIC_ARN, CANARY_TOPIC_ARN],
    );
    const [alert, outcome] = f.snsCalls.map(message);
    assert.deepEqual([alert.alert, alert.canary, alert.eventTime], ["PHI_ACCESS_INCIDENT", true, incident().eventTime]);
    assert.deepEqual([outcome.alert, outcome.canary, outcome.classification], ["PHI_ACCESS_INCIDENT_REPORT_READY", true, "SKIPPED"]);
    const written = JSON.parse(await local.read(report(out).key)) as {
      event: { canary?: boolean };
      classification: { status: string; reason: string };
    };
    assert.equal(written.event.canary, true);
    assert.deepEqual(written.classification.status, "SKIPPED");
    assert.match(written.classification.reason, /^canary incident/);
    assert.match(await local.read(report(out).summaryKey), /^PHI access incident \S+ \(canary: the scheduled detection probe/);
  });

  it("a normal incident (no canary field) still runs Macie and publishes with canary=false and the usual subjects", async () => {
    const f = fakes();
    const input = incident();
    assert.ok(!("canary" in input));
    const out = await local.run(input, nameOf(2), f);
    assert.equal(out.error, undefined, String(out.error));
    assert.equal(f.macieCalls.length, 1);
    assert.deepEqual(
      [f.snsCalls[0].Subject, f.snsCalls[1].Subject],
      [INCIDENT_SUBJECTS.incident.alert, INCIDENT_SUBJECTS.incident.reportReady],
    );
    for (const call of f.snsCalls) assert.deepEqual(attribute(call), { DataType: "String", StringValue: "false" });
    assert.deepEqual(
      f.snsCalls.map((c) => c.TopicArn),
      [TOPIC_ARN, TOPIC_ARN],
    );
    assert.deepEqual(
      f.snsCalls.map((c) => [message(c).canary, message(c).eventTime]),
      [
        [false, input.eventTime],
        [false, input.eventTime],
      ],
    );
    const written = JSON.parse(await local.read(report(out).key)) as { event: Record<string, unknown> };
    assert.ok(!("canary" in written.event));
    assert.doesNotMatch(await local.read(report(out).summaryKey), /canary/);
  });

  it("a canary field that is not the boolean true (a string, false) is a normal incident: Macie runs, canary=false", async () => {
    for (const [i, value] of [
      [3, "true"],
      [4, false],
    ] as const) {
      const f = fakes();
      const out = await local.run({ ...incident(), canary: value }, nameOf(i), f);
      assert.equal(out.error, undefined, String(out.error));
      assert.equal(f.macieCalls.length, 1, String(value));
      assert.equal(attribute(f.snsCalls[0]).StringValue, "false");
      assert.deepEqual(new Set(f.snsCalls.map((c) => c.TopicArn)), new Set([TOPIC_ARN]));
      assert.equal(f.snsCalls[0].Subject, INCIDENT_SUBJECTS.incident.alert);
    }
  });

  it("a canary incident whose report cannot be written: the failure message says canary too, attribute true", async () => {
    const f = { ...fakes(), failReportPuts: 99 };
    const out = await local.run(incident({ canary: true }), nameOf(5), f);
    assert.ok(out.error, "the execution fails");
    assert.equal(f.macieCalls.length, 0);
    assert.deepEqual(
      f.snsCalls.map((c) => [c.TopicArn, c.Subject, attribute(c).StringValue, message(c).canary]),
      [
        [CANARY_TOPIC_ARN, INCIDENT_SUBJECTS.canary.alert, "true", true],
        [CANARY_TOPIC_ARN, INCIDENT_SUBJECTS.canary.reportFailed, "true", true],
      ],
    );
  });
});
