// IAM: least privilege for every role, user and policy of the platform.

import { PolicyResource } from "@pulumi/policy";
import { CITES, hipaa } from "./lib/hipaa";
import { resourcePolicy, ResourceCtx, StackCtx, stackPolicy } from "./lib/define";
import {
  allActions,
  conditionKeys,
  grants,
  isAllow,
  isAnyone,
  onAllResources,
  serviceWildcards,
  Statement,
  statementsOf,
} from "./lib/iamdoc";
import { companionsOf, identifiers, ofTypes } from "./lib/join";
import { isPhiBucket, structureOf } from "./lib/structure";
import { isClassifiedAs } from "./lib/tags";
import { BUCKET_TYPES, IAM_ATTACHMENT_TYPES, IAM_POLICY_DOC_TYPES, T } from "./lib/types";
import { get, isRec, list, probe, str, UNKNOWN } from "./lib/util";

const PERMISSION_TYPES = [...IAM_POLICY_DOC_TYPES, T.iamRole, ...IAM_ATTACHMENT_TYPES];

interface Doc {
  label: string;
  statements: Statement[];
}

/** Permission policy documents carried by the resource (not the role trust policy). */
function permissionDocs<C>(ctx: ResourceCtx<C>, report: (m: string) => void): Doc[] {
  const docs: Doc[] = [];
  const add = (label: string, raw: unknown) => {
    if (raw === undefined || raw === null || raw === "") {
      return;
    }
    const statements = statementsOf(raw);
    if (!statements) {
      report(`${label} is not a valid JSON policy document.`);
      return;
    }
    docs.push({ label, statements });
  };
  if ((IAM_POLICY_DOC_TYPES as readonly string[]).includes(ctx.type)) {
    add("The policy", get(ctx.props, "policy"));
  } else if (ctx.type === T.iamRole) {
    list(get(ctx.props, "inlinePolicies")).forEach((p, i) => add(`Inline policy ${str(get(p, "name")) ?? `#${i}`}`, get(p, "policy")));
  }
  return docs;
}

/** AWS-managed policy ARNs attached by the resource. */
function managedArns<C>(ctx: ResourceCtx<C>): string[] {
  if (ctx.type === T.iamRole) {
    return list(get(ctx.props, "managedPolicyArns")).filter((a): a is string => typeof a === "string");
  }
  if ((IAM_ATTACHMENT_TYPES as readonly string[]).includes(ctx.type)) {
    const arn = str(get(ctx.props, "policyArn"));
    return arn ? [arn] : [];
  }
  return [];
}

function awsManagedName(arn: string): string | undefined {
  const m = arn.match(/^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/);
  return m ? m[1] : undefined;
}

function label(doc: Doc, s: Statement, i: number): string {
  return `${doc.label}, ${s.sid ? `statement "${s.sid}"` : `statement ${i + 1}`}`;
}

export const iamNoAdminAccess = resourcePolicy<{ adminManagedPolicies: string[] }>({
  name: "iam-no-admin-access",
  description: "No IAM policy grants every action on every resource, and no identity gets an administrator managed policy.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.leastPrivilege),
  cdkNag: ["IAMPolicyNoStatementsWithAdminAccess"],
  awsConfig: ["iam-policy-no-statements-with-admin-access"],
  resourceTypes: PERMISSION_TYPES,
  config: {
    adminManagedPolicies: {
      type: "array",
      items: { type: "string" },
      default: ["AdministratorAccess", "PowerUserAccess"],
      description: "AWS-managed policies that amount to administrator access.",
    },
  },
  remediationSteps:
    'Replace `Action: "*"`/`Resource: "*"` (and NotAction allow statements) with the specific actions ' +
    "and resource ARNs the role needs; do not attach AdministratorAccess or PowerUserAccess.",
  validate: (ctx, report) => {
    for (const doc of permissionDocs(ctx, report)) {
      doc.statements.forEach((s, i) => {
        if (isAllow(s) && allActions(s) && onAllResources(s)) {
          report(`${label(doc, s, i)} allows ${s.notAction ? "every action but a few (NotAction)" : "every action"} on every resource.`);
        }
      });
    }
    for (const arn of managedArns(ctx)) {
      const name = awsManagedName(arn);
      if (name && ctx.config.adminManagedPolicies.includes(name)) {
        report(`The AWS-managed policy ${name} grants administrator access.`);
      }
    }
  },
});

export const iamNoFullServiceAccess = resourcePolicy<{ allowedServiceWildcards: string[] }>({
  name: "iam-no-full-service-access",
  description: "No IAM policy grants `service:*` (all actions of a service), and no *FullAccess managed policy is attached.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.leastPrivilege),
  cdkNag: ["IAMPolicyNoStatementsWithFullAccess"],
  awsConfig: ["iam-policy-no-statements-with-full-access"],
  resourceTypes: PERMISSION_TYPES,
  config: {
    allowedServiceWildcards: {
      type: "array",
      items: { type: "string" },
      default: [],
      description: '`service:*` actions that are accepted (e.g. "xray:*"), if any.',
    },
  },
  remediationSteps:
    "List the actions the workload calls (e.g. s3:GetObject, s3:PutObject) instead of `s3:*`; use " +
    "customer-managed policies instead of AWS *FullAccess policies.",
  validate: (ctx, report) => {
    for (const doc of permissionDocs(ctx, () => undefined)) {
      doc.statements.forEach((s, i) => {
        if (!isAllow(s)) {
          return;
        }
        const wild = serviceWildcards(s).filter((a) => !ctx.config.allowedServiceWildcards.includes(a));
        if (wild.length > 0) {
          report(`${label(doc, s, i)} grants ${wild.join(", ")}.`);
        }
      });
    }
    for (const arn of managedArns(ctx)) {
      const name = awsManagedName(arn);
      if (name && name.endsWith("FullAccess")) {
        report(`The AWS-managed policy ${name} grants full access to a service.`);
      }
    }
  },
});

const DECRYPT_ACTIONS = ["kms:Decrypt", "kms:ReEncryptFrom"];
const SCOPING_KMS_CONDITIONS = ["kms:viaservice", "kms:callerAccount".toLowerCase(), "kms:encryptioncontextkeys"];

export const iamNoKmsDecryptAllKeys = resourcePolicy({
  name: "iam-no-kms-decrypt-all-keys",
  description: "No IAM policy allows kms:Decrypt or kms:ReEncryptFrom on all KMS keys.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.312(a)(2)(iv)", ...CITES.leastPrivilege),
  awsConfig: ["iam-customer-policy-blocked-kms-actions", "iam-inline-policy-blocked-kms-actions"],
  resourceTypes: [...IAM_POLICY_DOC_TYPES, T.iamRole],
  remediationSteps:
    "Name the key ARNs in Resource (e.g. the PHI key's ARN), or scope the statement with kms:ViaService " +
    "or kms:EncryptionContext conditions.",
  validate: (ctx, report) => {
    for (const doc of permissionDocs(ctx, () => undefined)) {
      doc.statements.forEach((s, i) => {
        if (!isAllow(s)) {
          return;
        }
        const everyKey =
          s.notResource ||
          s.resources.some((r) => r === "*" || /^arn:aws[a-z-]*:kms:\*?:\*?:(key\/)?\*$/.test(r) || r === "arn:aws:kms:*:*:*");
        if (!everyKey) {
          return;
        }
        const scoped = conditionKeys(s).some((k) => SCOPING_KMS_CONDITIONS.includes(k) || k.startsWith("kms:encryptioncontext:"));
        const hit = DECRYPT_ACTIONS.filter((a) => grants(s, a));
        if (hit.length > 0 && !scoped) {
          report(`${label(doc, s, i)} allows ${hit.join(", ")} on every KMS key.`);
        }
      });
    }
  },
});

export const iamRoleTrustRestricted = resourcePolicy({
  name: "iam-role-trust-restricted",
  description: "Role trust policies do not let anyone (`*`) or an unconditioned federated identity assume the role.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.leastPrivilege, "164.312(d)"),
  resourceTypes: [T.iamRole],
  remediationSteps:
    "Name the trusted service or account principal; give web-identity/SAML trust conditions on the " +
    "audience and subject; add sts:ExternalId for third-party accounts.",
  validate: (ctx, report) => {
    const raw = get(ctx.props, "assumeRolePolicy");
    if (raw === undefined || raw === null || raw === "") {
      return;
    }
    const statements = statementsOf(raw);
    if (!statements) {
      report("The role's trust policy is not a valid JSON policy document.");
      return;
    }
    statements.filter(isAllow).forEach((s, i) => {
      const where = s.sid ? `Trust statement "${s.sid}"` : `Trust statement ${i + 1}`;
      if (!s.condition && (s.notPrincipal || s.principals.some(isAnyone))) {
        report(`${where} lets any AWS principal assume the role.`);
      }
      if (!s.condition && s.principals.some((p) => p.kind === "Federated")) {
        report(`${where} trusts a federated identity provider without audience/subject conditions.`);
      }
    });
  },
});

export const iamNoInlinePolicy = resourcePolicy({
  name: "iam-no-inline-policy",
  description: "Permissions are granted with managed policies rather than inline policies.",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.leastPrivilege),
  cdkNag: ["IAMNoInlinePolicy"],
  awsConfig: ["iam-no-inline-policy-check"],
  resourceTypes: [T.iamRolePolicy, T.iamUserPolicy, T.iamGroupPolicy, T.iamRole],
  remediationSteps: "Create an aws.iam.Policy and attach it with aws.iam.RolePolicyAttachment.",
  validate: (ctx, report) => {
    if (ctx.type === T.iamRole) {
      if (list(get(ctx.props, "inlinePolicies")).length > 0) {
        report("The role embeds inline policies (inlinePolicies).");
      }
      return;
    }
    report("This is an inline policy.");
  },
});

export const iamUserNoDirectPolicies = resourcePolicy({
  name: "iam-user-no-direct-policies",
  description: "IAM users receive permissions only through groups (no user policies or user attachments).",
  severity: "medium",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.leastPrivilege),
  cdkNag: ["IAMUserNoPolicies"],
  awsConfig: ["iam-user-no-policies-check"],
  resourceTypes: [T.iamUserPolicy, T.iamUserPolicyAttachment, T.iamPolicyAttachment],
  remediationSteps: "Attach the policy to a group (aws.iam.GroupPolicyAttachment) and add the user to the group.",
  validate: (ctx, report) => {
    if (ctx.type === T.iamPolicyAttachment) {
      if (list(get(ctx.props, "users")).length > 0) {
        report("The policy attachment attaches the policy directly to users.");
      }
      return;
    }
    report("The policy is attached directly to a user.");
  },
});

const isUser = ofTypes([T.iamUser]);
const isGroup = ofTypes([T.iamGroup]);

export const iamUserGroupMembership = stackPolicy({
  name: "iam-user-group-membership",
  description: "Every IAM user belongs to at least one group.",
  severity: "medium",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.leastPrivilege),
  cdkNag: ["IAMUserGroupMembership"],
  awsConfig: ["iam-user-group-membership-check"],
  resourceTypes: [T.iamUser],
  relatedTypes: [T.iamUserGroupMembership, T.iamGroupMembership],
  remediationSteps: "Add the user to a group with aws.iam.UserGroupMembership (or GroupMembership).",
  validate: (ctx, report) => {
    const memberships = [
      ...ctx.ofType([T.iamUserGroupMembership]).map((m) => ({ m, key: "user" })),
      ...ctx.ofType([T.iamGroupMembership]).map((m) => ({ m, key: "users" })),
    ];
    ctx.each(ctx.ofType([T.iamUser]), (u) => {
      let undecided = false;
      for (const { m, key } of memberships) {
        const r = companionsOf(u, [m], [key], isUser);
        if (r.matched.length > 0) {
          return;
        }
        undecided = undecided || r.undecided;
      }
      if (undecided) {
        ctx.undecided([u.type, u.name, "name"]);
        return;
      }
      report(u.urn, "The IAM user belongs to no group.");
    });
  },
});

export const iamGroupHasUsers = stackPolicy({
  name: "iam-group-has-users",
  description: "Every IAM group has at least one user.",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.leastPrivilege),
  cdkNag: ["IAMGroupHasUsers"],
  awsConfig: ["iam-group-has-users-check"],
  resourceTypes: [T.iamGroup],
  relatedTypes: [T.iamUserGroupMembership, T.iamGroupMembership],
  remediationSteps: "Add users to the group or delete it.",
  validate: (ctx, report) => {
    const memberships = [
      ...ctx.ofType([T.iamGroupMembership]).map((m) => ({ m, key: "group" })),
      ...ctx.ofType([T.iamUserGroupMembership]).map((m) => ({ m, key: "groups" })),
    ];
    ctx.each(ctx.ofType([T.iamGroup]), (g) => {
      let undecided = false;
      for (const { m, key } of memberships) {
        const r = companionsOf(g, [m], [key], isGroup);
        if (r.matched.length > 0) {
          return;
        }
        undecided = undecided || r.undecided;
      }
      if (undecided) {
        ctx.undecided([g.type, g.name, "name"]);
        return;
      }
      report(g.urn, "The IAM group has no users.");
    });
  },
});

const DOC_TRAIL_LOGS_ROLE =
  "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html";

/** The role a reference (ARN, name or id) names, else the single role behind the property's dependencies. */
function roleFor(ctx: StackCtx<object>, from: PolicyResource, pdKey: string, value: unknown): PolicyResource | undefined {
  const index = structureOf(ctx.resources).roleByIdentifier;
  if (typeof value === "string" && value !== "") {
    const hit = index.get(value) ?? index.get(value.replace(/^arn:aws[a-z-]*:iam::\d+:role\/(?:.*\/)?/, ""));
    if (hit) {
      return hit;
    }
  }
  const pd = (from.propertyDependencies?.[pdKey] ?? []).filter((r) => r.type === T.iamRole);
  return pd.length === 1 ? pd[0] : undefined;
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
  tags: ["deploy-trap"],
  remediationSteps:
    "Trust cloudtrail.amazonaws.com with sts:AssumeRole and no Condition block; limit what the role can do instead " +
    `(logs:CreateLogStream and logs:PutLogEvents on the trail's log group only) (${DOC_TRAIL_LOGS_ROLE}).`,
  validate: (ctx, report) => {
    ctx.each(ctx.ofType([T.trail]), (t) => {
      const arn = probe(t.props, "cloudWatchLogsRoleArn");
      if (arn === undefined || arn === null || arn === "") {
        return;
      }
      const role = roleFor(ctx, t, "cloudWatchLogsRoleArn", arn);
      if (!role) {
        return; // a role outside the stack
      }
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

const isPolicyDoc = ofTypes([T.iamPolicy]);

/** A Deny of everything (or of everything but a NotAction list) on every resource when the request carries no MFA. */
function deniesWithoutMfa(st: Statement): boolean {
  if (st.effect.toLowerCase() !== "deny" || !onAllResources(st) || !allActions(st)) {
    return false;
  }
  for (const [operator, block] of Object.entries(st.condition ?? {})) {
    const op = operator.toLowerCase();
    for (const [key, value] of Object.entries(isRec(block) ? block : {})) {
      const values = list(value).map((v) => String(v).toLowerCase());
      if (key.toLowerCase() === "aws:multifactorauthpresent" && (op === "boolifexists" || op === "bool") && values.includes("false")) {
        return true;
      }
      if (key.toLowerCase() === "aws:multifactorauthage" && op === "null" && values.includes("true")) {
        return true;
      }
    }
  }
  return false;
}

export const iamGroupMfaEnforced = stackPolicy({
  name: "iam-group-mfa-enforced",
  description:
    "An IAM group that grants permissions denies every action but MFA enrolment to requests without MFA " +
    "(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_mfa-selfmanage.html).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.312(d)", "164.312(a)(1)", "164.308(a)(5)(ii)(D)"),
  resourceTypes: [T.iamGroup],
  relatedTypes: [T.iamGroupPolicy, T.iamGroupPolicyAttachment, T.iamPolicy],
  remediationSteps:
    "Attach to the group (inline or as a customer-managed policy in the stack) AWS's statement " +
    '`DenyAllExceptListedIfNoMFA`: `{ Effect: "Deny", NotAction: [MFA enrolment actions], Resource: "*", Condition: { BoolIfExists: ' +
    '{ "aws:MultiFactorAuthPresent": "false" } } }` (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_mfa-selfmanage.html).',
  validate: (ctx, report) => {
    const inline = ctx.ofType([T.iamGroupPolicy]);
    const attachments = ctx.ofType([T.iamGroupPolicyAttachment]);
    const managed = ctx.ofType([T.iamPolicy]);
    const byArn = new Map<string, PolicyResource>();
    for (const m of managed) {
      for (const id of identifiers(m).known) {
        byArn.set(id, m);
      }
    }
    ctx.each(ctx.ofType([T.iamGroup]), (g) => {
      const docs: unknown[] = [];
      let grantsSomething = false;
      let undecided = false;
      const own = companionsOf(g, inline, ["group"], isGroup);
      undecided = own.undecided;
      docs.push(...own.matched.map((c) => get(c.props, "policy")));
      const attached = companionsOf(g, attachments, ["group"], isGroup);
      undecided = undecided || attached.undecided;
      for (const a of attached.matched) {
        const fromDeps = (a.propertyDependencies?.policyArn ?? []).filter(isPolicyDoc);
        const arn = probe(a.props, "policyArn");
        const policy = fromDeps.length === 1 ? fromDeps[0] : typeof arn === "string" ? byArn.get(arn) : undefined;
        if (policy) {
          docs.push(get(policy.props, "policy"));
        } else if (arn === UNKNOWN && fromDeps.length === 0) {
          undecided = true;
        } else {
          grantsSomething = true; // a policy outside the stack (AWS-managed or another stack's): it grants something
        }
      }
      let enforced = false;
      for (const doc of docs) {
        const statements = statementsOf(doc) ?? [];
        grantsSomething = grantsSomething || statements.some(isAllow);
        enforced = enforced || statements.some(deniesWithoutMfa);
      }
      if (enforced || (!grantsSomething && !undecided)) {
        return;
      }
      if (undecided) {
        ctx.undecided([g.type, g.name, "name"]);
        return;
      }
      report(
        g.urn,
        "The group grants permissions but no policy of the group denies requests without MFA " +
          '(a Deny of all actions but MFA enrolment on "*" when aws:MultiFactorAuthPresent is false): a user\'s password or access key alone reaches them.',
      );
    });
  },
});

export const iamPolicies = [
  iamNoAdminAccess,
  iamNoFullServiceAccess,
  iamNoKmsDecryptAllKeys,
  iamRoleTrustRestricted,
  iamNoInlinePolicy,
  iamUserNoDirectPolicies,
  iamUserGroupMembership,
  iamGroupHasUsers,
  iamGroupMfaEnforced,
  iamCloudtrailLogsRoleTrustUnconditioned,
  iamPhiRoleNoAwsManagedLogsWildcard,
];
