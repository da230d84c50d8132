import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, present, str } from "../lib/util";

export const lambdaNoPublicAccess = resourcePolicy({
  name: "lambda-no-public-access",
  description:
    "Lambda functions cannot be invoked by anyone: no `*` principal, no unscoped service principal, no unauthenticated function URL.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.publicAccess),
  awsConfig: ["lambda-function-public-access-prohibited"],
  resourceTypes: [T.lambdaPermission, T.lambdaFunctionUrl],
  remediationSteps:
    "Grant invoke permission to a specific principal; for a service principal set `sourceArn` " +
    '(and `sourceAccount` for S3); give function URLs `authorizationType: "AWS_IAM"`.',
  validate: (ctx, report) => {
    if (ctx.type === T.lambdaFunctionUrl) {
      if (str(get(ctx.props, "authorizationType")) !== "AWS_IAM") {
        report("The function URL does not require IAM authentication (authorizationType NONE).");
      }
      return;
    }
    const principal = str(get(ctx.props, "principal")) ?? "";
    const scoped = present(ctx.props, "sourceArn") || present(ctx.props, "sourceAccount") || present(ctx.props, "principalOrgId");
    if (principal === "*" && !scoped) {
      report(
        'The permission lets any AWS principal invoke the function (principal "*" without sourceArn, sourceAccount or principalOrgId).',
      );
    } else if (principal.endsWith(".amazonaws.com") && !scoped) {
      report(`The permission lets ${principal} invoke the function on behalf of any account: set sourceArn (and sourceAccount).`);
    }
    if (str(get(ctx.props, "functionUrlAuthType")) === "NONE") {
      report("The permission allows unauthenticated function URL invocations (functionUrlAuthType NONE).");
    }
  },
});
