import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { num, probe, UNKNOWN } from "../lib/util";

export const lambdaConcurrencyLimit = resourcePolicy({
  name: "lambda-concurrency-limit",
  description: "Lambda functions reserve a function-level concurrency limit.",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  // Reserved concurrency keeps the function able to run when others take the account's pool: availability
  // (contingency, emergency-mode operation), not the recording of activity that 164.312(b) asks for.
  framework: hipaa(...CITES.availability),
  cdkNag: ["LambdaConcurrency"],
  awsConfig: ["lambda-concurrency-check"],
  resourceTypes: [T.lambdaFunction],
  remediationSteps: "Set `reservedConcurrentExecutions` to the function's expected peak.",
  validate: (ctx, report) => {
    const raw = probe(ctx.props, "reservedConcurrentExecutions");
    if (raw === UNKNOWN) {
      return;
    }
    const n = num(raw);
    if (n === undefined || n < 0) {
      report("No reserved concurrency is set (reservedConcurrentExecutions).");
    }
  },
});
