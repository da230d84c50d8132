import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, num } from "../lib/util";

export const lambdaReservedConcurrencyNotZero = resourcePolicy({
  name: "lambda-reserved-concurrency-not-zero",
  description:
    "No function reserves a concurrency of 0: that throttles every invocation, so the function silently never runs " +
    "(https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.availability),
  resourceTypes: [T.lambdaFunction],
  tags: ["deploy-trap"],
  remediationSteps:
    "Leave reservedConcurrentExecutions unset (-1: the unreserved pool) or set it to the expected peak; 0 is only for " +
    "deliberately stopping a function (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).",
  validate: (ctx, report) => {
    if (num(get(ctx.props, "reservedConcurrentExecutions")) === 0) {
      report(
        "reservedConcurrentExecutions is 0: Lambda throttles every invocation of this function. Unset it or reserve the expected peak.",
      );
    }
  },
});
