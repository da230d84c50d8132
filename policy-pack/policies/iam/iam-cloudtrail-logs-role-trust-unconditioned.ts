import { CITES, hipaa } from "../lib/hipaa";
import { PolicyResource } from "@pulumi/policy";
import { StackCtx, stackPolicy } from "../lib/define";
import { conditionKeys, isAllow, statementsOf } from "../lib/iamdoc";
import { T } from "../lib/types";
import { get, probe } from "../lib/util";
import { roleFor } from "./lib";

const DOC_TRAIL_LOGS_ROLE =
  "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html";

/** The trail's CloudWatch Logs role when the trail names one and the role is in the stack. */
function logsRoleOf(ctx: StackCtx<object>, t: PolicyResource): PolicyResource | undefined {
  const arn = probe(t.props, "cloudWatchLogsRoleArn");
  return arn === undefined || arn === null || arn === "" ? undefined : roleFor(ctx, t, "cloudWatchLogsRoleArn", arn);
}

export const iamCloudtrailLogsRoleTrustUnconditioned = stackPolicy({
  name: "iam-cloudtrail-logs-role-trust-unconditioned",
  description:
    "The role a trail uses to write to CloudWatch Logs trusts cloudtrail.amazonaws.com without conditions: AWS documents that " +
    "this path supports neither aws:SourceArn nor aws:SourceAccount, so a conditioned trust makes the trail fail to deliver " +
    `(${DOC_TRAIL_LOGS_ROLE}).`,
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.audit),
  resourceTypes: [T.trail],
  relatedTypes: [T.iamRole],
  examines: [
    { rule: "trails that deliver to CloudWatch Logs through a role of the stack", where: (t, ctx) => logsRoleOf(ctx, t) !== undefined },
    {
      types: [T.iamRole],
      rule: "the CloudWatch Logs role of a trail of the stack (cloudWatchLogsRoleArn), no other role",
      where: (role, ctx) => ctx.ofType([T.trail]).some((t) => logsRoleOf(ctx, t) === role),
    },
  ],
  tags: ["deploy-trap"],
  remediationSteps:
    "Trust cloudtrail.amazonaws.com with sts:AssumeRole and no Condition block; limit what the role can do instead " +
    `(logs:CreateLogStream and logs:PutLogEvents on the trail's log group only) (${DOC_TRAIL_LOGS_ROLE}).`,
  validate: (ctx, report) => {
    ctx.each(ctx.subjects(), (t) => {
      const role = logsRoleOf(ctx, t) as PolicyResource; // subjects() are the trails with a role in the stack
      const statements = statementsOf(get(role.props, "assumeRolePolicy")) ?? [];
      for (const st of statements) {
        if (isAllow(st) && st.condition && st.principals.some((p) => p.kind === "Service" && p.value === "cloudtrail.amazonaws.com")) {
          report(
            role.urn,
            `The trust of this role (used by ${t.name} for CloudWatch Logs) puts a condition on cloudtrail.amazonaws.com ` +
              `(${conditionKeys(st).join(", ")}); CloudTrail sends no aws:Source* key on this path, so it cannot assume the role. ` +
              "Remove the condition.",
          );
        }
      }
    });
  },
});
