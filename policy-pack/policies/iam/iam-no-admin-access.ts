import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { allActions, isAllow, onAllResources } from "../lib/iamdoc";
import { PERMISSION_TYPES, awsManagedName, label, managedArns, permissionDocs } from "./lib";

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
