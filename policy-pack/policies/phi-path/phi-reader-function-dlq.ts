// A function that reads PHI keeps its failed asynchronous invocations, or is invoked only synchronously.

import { stackPolicy } from "../lib/define";
import { hipaa } from "../lib/hipaa";
import { asyncFailuresKept } from "../lib/lambda-paths";
import { PHI_CLASSIFICATIONS_SCHEMA, phiReaders } from "../lib/phi-path";
import { BUCKET_TYPES, IAM_ATTACHMENT_TYPES, IAM_POLICY_DOC_TYPES, T } from "../lib/types";

export const phiReaderFunctionDlq = stackPolicy<{ phiClassifications: string[] }>({
  name: "phi-reader-function-dlq",
  description:
    "A Lambda function whose execution role may read objects of a PHI bucket has a dead-letter queue or an on-failure " +
    "destination, or the stack shows it invoked only synchronously: Lambda discards an asynchronous event after two retries " +
    "otherwise, and the PHI it was to process is silently left unprocessed " +
    "(https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.312(b)", "164.312(c)(1)", "164.308(a)(7)(ii)(B)"),
  cdkNag: ["LambdaDLQ"],
  awsConfig: ["lambda-dlq-check"],
  resourceTypes: [T.lambdaFunction],
  relatedTypes: [
    T.lambdaEventInvokeConfig,
    T.lambdaPermission,
    T.firehose,
    T.lambdaInvocation,
    T.iamRole,
    ...IAM_POLICY_DOC_TYPES,
    ...IAM_ATTACHMENT_TYPES,
    ...BUCKET_TYPES,
  ],
  config: { phiClassifications: PHI_CLASSIFICATIONS_SCHEMA },
  remediationSteps:
    "Set `deadLetterConfig: { targetArn: dlq.arn }` (an SQS queue encrypted with a customer-managed key) or add an " +
    "aws.lambda.FunctionEventInvokeConfig with destinationConfig.onFailure " +
    "(https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html). A function the stack shows invoked " +
    "only synchronously (a Firehose stream's transform, an aws.lambda.Invocation) that grants no service an invoke permission passes.",
  examines: [
    {
      rule: "functions whose role may read a PHI bucket",
      where: (fn, ctx) => phiReaders(ctx.resources, (r) => ctx.tags(r), ctx.config.phiClassifications).some((x) => x.fn === fn),
    },
  ],
  validate: (ctx, report) => {
    const readers = phiReaders(ctx.resources, (r) => ctx.tags(r), ctx.config.phiClassifications);
    ctx.each(readers, (reader) => {
      const fn = reader.fn;
      const kept = asyncFailuresKept(ctx, fn);
      if (kept === "yes") {
        return;
      }
      if (kept === "maybe" || reader.reads === "maybe") {
        ctx.undecided([fn.type, fn.name, kept === "maybe" ? "arn" : "role"]);
        return;
      }
      report(
        fn.urn,
        `The function's role may read PHI (${reader.buckets.map((b) => b.name).join(", ")}) and a failed asynchronous ` +
          "invocation of it is discarded: no dead-letter queue, no on-failure destination, and the stack does not show it invoked " +
          "only synchronously.",
      );
    });
  },
});
