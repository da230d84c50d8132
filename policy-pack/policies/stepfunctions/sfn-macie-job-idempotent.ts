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

export const sfnMacieJobIdempotent = resourcePolicy({
  name: "sfn-macie-job-idempotent",
  description:
    "State machine tasks that create Macie classification jobs pass a ClientToken, so a retried task returns " +
    "the same job (https://docs.aws.amazon.com/macie/latest/APIReference/jobs.html#CreateClassificationJob).",
  severity: "medium",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.308(a)(6)(ii)", "164.312(b)"),
  resourceTypes: [T.stateMachine],
  remediationSteps:
    'Add `"ClientToken.$": "$$.Execution.Name"` (or another value stable across retries) to the task\'s ' +
    "Parameters (`Arguments` in JSONata): without it a Retry or a redriven execution starts a second billed job and a second set of findings.",
  validate: (ctx, report) => {
    const text = str(get(ctx.props, "definition"));
    if (text === undefined) {
      return;
    }
    let definition: unknown;
    try {
      definition = JSON.parse(text);
    } catch {
      return; // not ASL JSON: Step Functions rejects it at deploy time
    }
    for (const { name, state } of taskStates(get(definition, "States"))) {
      if (typeof state.Resource !== "string" || !MACIE_CREATE_JOB.test(state.Resource)) {
        continue;
      }
      const params = isRec(state.Parameters) ? state.Parameters : isRec(state.Arguments) ? state.Arguments : {};
      if (!("ClientToken" in params) && !("ClientToken.$" in params)) {
        report(`Task "${name}" creates a Macie classification job without a ClientToken: a retry creates a second job.`);
      }
    }
  },
});
