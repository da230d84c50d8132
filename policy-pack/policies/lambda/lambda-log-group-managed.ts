import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { logGroupOf } from "../lib/lambda-paths";
import { T } from "../lib/types";

export const lambdaLogGroupManaged = stackPolicy({
  name: "lambda-log-group-managed",
  description:
    "Every Lambda function logs to a log group declared in the stack (encrypted, with retention), not to one Lambda creates on first run.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest, "164.312(b)"),
  resourceTypes: [T.lambdaFunction],
  relatedTypes: [T.logGroup],
  examines: [
    {},
    {
      types: [T.logGroup],
      rule: "the log group a function of the stack logs to (its loggingConfig.logGroup or /aws/lambda/<name>)",
      where: (group, ctx) => ctx.ofType([T.lambdaFunction]).some((fn) => logGroupOf(fn, ctx.ofType([T.logGroup])).group === group),
    },
  ],
  remediationSteps:
    "Declare an aws.cloudwatch.LogGroup (kmsKeyId, retentionInDays) named `/aws/lambda/${fn.name}` or " +
    'pass it as `loggingConfig: { logFormat: "JSON", logGroup: group.name }`; create it before the function.',
  validate: (ctx, report) => {
    const groups = ctx.ofType([T.logGroup]);
    ctx.each(ctx.ofType([T.lambdaFunction]), (fn) => {
      const r = logGroupOf(fn, groups);
      if (r.group) {
        return;
      }
      if (r.undecided) {
        ctx.undecided([fn.type, fn.name, "name"]);
        return;
      }
      report(
        fn.urn,
        "The function's log group is not declared in the stack, so Lambda creates it unencrypted " +
          "and with no retention on first invocation.",
      );
    });
  },
});
