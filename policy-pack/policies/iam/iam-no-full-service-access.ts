import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { isAllow, serviceWildcards } from "../lib/iamdoc";
import { PERMISSION_TYPES, awsManagedName, label, managedArns, permissionDocs } from "./lib";

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
