import { hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isRec, list, str } from "../lib/util";

/** Task states of a definition, nested Parallel branches and Map processors included. */
function taskStates(states: unknown, out: { name: string; state: Record<string, unknown> }[] = []) {
  if (!isRec(states)) {
    return out;
  }
  for (const [name, state] of Object.entries(states)) {
    if (!isRec(state)) {
      continue;
    }
    if (state.Type === "Task") {
      out.push({ name, state });
    }
    for (const b of list(state.Branches)) {
      taskStates(get(b, "States"), out);
    }
    taskStates(get(state.ItemProcessor, "States"), out);
    taskStates(get(state.Iterator, "States"), out);
  }
  return out;
}

const MACIE_CREATE_JOB = /^arn:aws[a-z-]*:states:::aws-sdk:macie2:createClassificationJob$/i;

/** The definition's tasks that create a Macie classification job (none when it is absent or not ASL JSON). */
function macieJobTasks(props: unknown): { name: string; state: Record<string, unknown> }[] {
  const text = str(get(props, "definition"));
  if (text === undefined) {
    return [];
  }
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch {
    return []; // not ASL JSON: Step Functions rejects it at deploy time
  }
  return taskStates(get(definition, "States")).filter(
    ({ state }) => typeof state.Resource === "string" && MACIE_CREATE_JOB.test(state.Resource),
  );
}

export const sfnMacieJobIdempotent = resourcePolicy({
  name: "sfn-macie-job-idempotent",
  description:
    "State machine tasks that create Macie classification jobs pass a ClientToken, so a retried task returns " +
    "the same job (https://docs.aws.amazon.com/macie/latest/APIReference/jobs.html#CreateClassificationJob).",
  severity: "medium",
  enforcementLevel: "advisory",
  category: "hygiene",
  // A retried job creation is a response-procedure defect (a second job, a second set of findings); it
  // does not decide whether activity is recorded, so it is not 164.312(b) Audit controls.
  framework: hipaa("164.308(a)(6)(ii)"),
  resourceTypes: [T.stateMachine],
  remediationSteps:
    'Add `"ClientToken.$": "$$.Execution.Name"` (or another value stable across retries) to the task\'s ' +
    "Parameters (`Arguments` in JSONata): without it a Retry or a redriven execution starts a second billed job and a second set of findings.",
  examines: [
    { rule: "state machines with a task that creates a Macie classification job", where: (ctx) => macieJobTasks(ctx.props).length > 0 },
  ],
  validate: (ctx, report) => {
    for (const { name, state } of macieJobTasks(ctx.props)) {
      const params = isRec(state.Parameters) ? state.Parameters : isRec(state.Arguments) ? state.Arguments : {};
      if (!("ClientToken" in params) && !("ClientToken.$" in params)) {
        report(`Task "${name}" creates a Macie classification job without a ClientToken: a retry creates a second job.`);
      }
    }
  },
});
