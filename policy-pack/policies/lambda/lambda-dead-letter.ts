import { hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { asyncFailuresKept } from "../lib/lambda-paths";
import { T } from "../lib/types";

export const lambdaDeadLetter = stackPolicy({
  name: "lambda-dead-letter",
  description: "Lambda functions send failed asynchronous invocations to a dead-letter queue or an on-failure destination.",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.312(b)"),
  cdkNag: ["LambdaDLQ"],
  awsConfig: ["lambda-dlq-check"],
  resourceTypes: [T.lambdaFunction],
  relatedTypes: [T.lambdaEventInvokeConfig],
  remediationSteps:
    "Set `deadLetterConfig: { targetArn: dlq.arn }` (an encrypted SQS queue) or add an " +
    "aws.lambda.FunctionEventInvokeConfig with destinationConfig.onFailure. A function the stack shows to be invoked only " +
    "synchronously (a Firehose stream's transform, an aws.lambda.Invocation) and that grants no service an invoke " +
    "permission has no asynchronous invocations to lose and passes.",
  validate: (ctx, report) => {
    ctx.each(ctx.ofType([T.lambdaFunction]), (fn) => {
      const kept = asyncFailuresKept(ctx, fn);
      if (kept === "yes") {
        return;
      }
      if (kept === "maybe") {
        ctx.undecided([fn.type, fn.name, "arn"]);
        return;
      }
      report(fn.urn, "Failed asynchronous invocations are dropped: no dead-letter queue or on-failure destination.");
    });
  },
});
