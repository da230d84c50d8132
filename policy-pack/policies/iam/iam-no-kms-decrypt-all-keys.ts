import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { conditionKeys, grants, isAllow } from "../lib/iamdoc";
import { IAM_POLICY_DOC_TYPES, T } from "../lib/types";
import { label, permissionDocs } from "./lib";

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
