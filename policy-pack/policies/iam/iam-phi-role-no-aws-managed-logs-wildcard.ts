import { PolicyResource } from "@pulumi/policy";
import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { grants, isAllow, statementsOf } from "../lib/iamdoc";
import { identifiers } from "../lib/join";
import { isPhiBucket } from "../lib/structure";
import { isClassifiedAs } from "../lib/tags";
import { BUCKET_TYPES, IAM_ATTACHMENT_TYPES, IAM_POLICY_DOC_TYPES, T } from "../lib/types";
import { list, probe } from "../lib/util";
import { awsManagedName, roleFor } from "./lib";

/** AWS-managed policies that grant logs:* actions (create groups, put events) on every log group. */
const AWS_MANAGED_LOGS_WILDCARD = [
  "AWSLambdaBasicExecutionRole",
  "AWSLambdaVPCAccessExecutionRole",
  "AWSLambdaExecute",
  "CloudWatchLogsFullAccess",
  "AWSLambdaKinesisExecutionRole",
  "AWSLambdaSQSQueueExecutionRole",
  "AWSLambdaDynamoDBExecutionRole",
];

const PHI_ACTIONS = [
  "s3:getobject",
  "s3:putobject",
  "kms:decrypt",
  "dynamodb:getitem",
  "dynamodb:query",
  "dynamodb:scan",
  "dynamodb:batchgetitem",
  "secretsmanager:getsecretvalue",
  "rds-db:connect",
];

export const iamPhiRoleNoAwsManagedLogsWildcard = stackPolicy({
  name: "iam-phi-role-no-aws-managed-logs-wildcard",
  description:
    "A role that holds PHI permissions (reads or writes PHI data, decrypts with a key) has no AWS-managed policy granting " +
    "logs actions on every log group (AWSLambdaBasicExecutionRole, AWSLambdaVPCAccessExecutionRole, ...): it could write PHI to any " +
    "log group, including unencrypted ones with no retention " +
    "(https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaVPCAccessExecutionRole.html, " +
    "https://docs.aws.amazon.com/lambda/latest/dg/permissions-executionrole-update.html).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.leastPrivilege),
  resourceTypes: [T.iamRole],
  relatedTypes: [...IAM_ATTACHMENT_TYPES, ...IAM_POLICY_DOC_TYPES],
  tags: ["deploy-trap"],
  remediationSteps:
    "Detach the AWS-managed policy and grant logs:CreateLogStream and logs:PutLogEvents on the function's own log group " +
    "(and the ec2 ENI actions for VPC functions, scoped as in " +
    "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions) in a customer-managed policy.",
  validate: (ctx, report) => {
    const roles = ctx.ofType([T.iamRole]);
    const byRole = new Map<string, { managed: string[]; docs: unknown[] }>(roles.map((r) => [r.urn, { managed: [], docs: [] }]));
    const policies = structureIndex(ctx.ofType([T.iamPolicy]));
    const entry = (from: PolicyResource, value: unknown) => {
      const role = roleFor(ctx, from, "role", value);
      return role ? byRole.get(role.urn) : undefined;
    };
    for (const r of roles) {
      const e = byRole.get(r.urn)!;
      e.managed.push(...list(probe(r.props, "managedPolicyArns")).filter((a): a is string => typeof a === "string"));
      for (const p of list(probe(r.props, "inlinePolicies"))) {
        e.docs.push(probe(p, "policy"));
      }
    }
    for (const a of ctx.ofType([T.iamRolePolicyAttachment])) {
      const e = entry(a, probe(a.props, "role"));
      const arn = probe(a.props, "policyArn");
      if (!e || typeof arn !== "string") {
        continue;
      }
      e.managed.push(arn);
      const doc = policies.get(arn);
      if (doc) {
        e.docs.push(probe(doc.props, "policy"));
      }
    }
    for (const p of ctx.ofType([T.iamRolePolicy])) {
      entry(p, probe(p.props, "role"))?.docs.push(probe(p.props, "policy"));
    }
    const phiArns = new Set<string>();
    for (const b of ctx.ofType(BUCKET_TYPES)) {
      if (isPhiBucket(ctx.resources, b, isClassifiedAs(ctx.tags(b), ["PHI"]))) {
        for (const id of identifiers(b).known) {
          if (id.startsWith("arn:")) {
            phiArns.add(id);
          }
        }
      }
    }
    const holdsPhi = (docs: unknown[]) =>
      docs.some((d) =>
        (statementsOf(d) ?? []).some(
          (st) =>
            isAllow(st) &&
            PHI_ACTIONS.some((a) => grants(st, a)) &&
            (st.actions.some(
              (a) =>
                a.toLowerCase().startsWith("kms:") ||
                a.toLowerCase().startsWith("secretsmanager:") ||
                a.toLowerCase().startsWith("dynamodb:") ||
                a.toLowerCase().startsWith("rds-db:"),
            ) ||
              st.resources.some((res) => res === "*" || [...phiArns].some((arn) => res === arn || res.startsWith(`${arn}/`)))),
        ),
      );
    ctx.each(roles, (r) => {
      const e = byRole.get(r.urn)!;
      const managed = e.managed
        .map((a) => ({ arn: a, name: awsManagedName(a) }))
        .filter((m) => m.name && AWS_MANAGED_LOGS_WILDCARD.includes(m.name));
      if (managed.length > 0 && holdsPhi(e.docs)) {
        report(
          r.urn,
          `This role holds PHI permissions and ${managed.map((m) => m.name).join(", ")}, which grants logs actions on every ` +
            "log group: the function could write PHI to any log group. Grant logs actions on its own log group instead.",
        );
      }
    });
  },
});

function structureIndex(resources: PolicyResource[]): Map<string, PolicyResource> {
  const out = new Map<string, PolicyResource>();
  for (const r of resources) {
    for (const id of identifiers(r).known) {
      out.set(id, r);
    }
  }
  return out;
}
