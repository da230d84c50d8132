// IAM: least privilege for every role, user and policy of the platform.

import { CITES, hipaa } from "./lib/hipaa";
import { resourcePolicy, ResourceCtx, stackPolicy } from "./lib/define";
import {
    allActions, conditionKeys, grants, isAllow, isAnyone, onAllResources, serviceWildcards, Statement, statementsOf,
} from "./lib/iamdoc";
import { companionsOf, ofTypes } from "./lib/join";
import { IAM_ATTACHMENT_TYPES, IAM_POLICY_DOC_TYPES, T } from "./lib/types";
import { get, list, str } from "./lib/util";

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
            type: "array", items: { type: "string" }, default: ["AdministratorAccess", "PowerUserAccess"],
            description: "AWS-managed policies that amount to administrator access.",
        },
    },
    remediationSteps: "Replace `Action: \"*\"`/`Resource: \"*\"` (and NotAction allow statements) with the specific actions " +
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
            type: "array", items: { type: "string" }, default: [],
            description: "`service:*` actions that are accepted (e.g. \"xray:*\"), if any.",
        },
    },
    remediationSteps: "List the actions the workload calls (e.g. s3:GetObject, s3:PutObject) instead of `s3:*`; use " +
        "customer-managed policies instead of AWS *FullAccess policies.",
    validate: (ctx, report) => {
        for (const doc of permissionDocs(ctx, () => undefined)) {
            doc.statements.forEach((s, i) => {
                if (!isAllow(s)) {
                    return;
                }
                const wild = serviceWildcards(s).filter(a => !ctx.config.allowedServiceWildcards.includes(a));
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
    remediationSteps: "Name the key ARNs in Resource (e.g. the PHI key's ARN), or scope the statement with kms:ViaService " +
        "or kms:EncryptionContext conditions.",
    validate: (ctx, report) => {
        for (const doc of permissionDocs(ctx, () => undefined)) {
            doc.statements.forEach((s, i) => {
                if (!isAllow(s)) {
                    return;
                }
                const everyKey = s.notResource || s.resources.some(r => r === "*" || /^arn:aws[a-z-]*:kms:\*?:\*?:(key\/)?\*$/.test(r) || r === "arn:aws:kms:*:*:*");
                if (!everyKey) {
                    return;
                }
                const scoped = conditionKeys(s).some(k => SCOPING_KMS_CONDITIONS.includes(k) || k.startsWith("kms:encryptioncontext:"));
                const hit = DECRYPT_ACTIONS.filter(a => grants(s, a));
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
    remediationSteps: "Name the trusted service or account principal; give web-identity/SAML trust conditions on the " +
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
            if (!s.condition && s.principals.some(p => p.kind === "Federated")) {
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
            ...ctx.ofType([T.iamUserGroupMembership]).map(m => ({ m, key: "user" })),
            ...ctx.ofType([T.iamGroupMembership]).map(m => ({ m, key: "users" })),
        ];
        ctx.each(ctx.ofType([T.iamUser]), u => {
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
            ...ctx.ofType([T.iamGroupMembership]).map(m => ({ m, key: "group" })),
            ...ctx.ofType([T.iamUserGroupMembership]).map(m => ({ m, key: "groups" })),
        ];
        ctx.each(ctx.ofType([T.iamGroup]), g => {
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

export const iamPolicies = [
    iamNoAdminAccess,
    iamNoFullServiceAccess,
    iamNoKmsDecryptAllKeys,
    iamRoleTrustRestricted,
    iamNoInlinePolicy,
    iamUserNoDirectPolicies,
    iamUserGroupMembership,
    iamGroupHasUsers,
];
