import { hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { allActions, isAccountRoot, isAllow, isAnyone, isService, statementsOf } from "../lib/iamdoc";
import { T } from "../lib/types";
import { get } from "../lib/util";

/**
 * Service principals that AWS documents as sending no `aws:Source*` key to KMS, with the only
 * actions they need. EventBridge publishing to an SNS topic encrypted with a customer-managed key:
 * "Adding the aws:SourceAccount, aws:SourceArn, and aws:SourceOrgID to a AWS KMS policy is not
 * supported for EventBridge-to-encrypted topics"
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 * Such a statement needs no condition, and one with those keys silently drops every event.
 */
export const KMS_SERVICES_WITHOUT_SOURCE_KEYS: Readonly<Record<string, readonly string[]>> = {
  "events.amazonaws.com": ["kms:generatedatakey*", "kms:decrypt"],
};

const SOURCE_KEYS = ["aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths"];

/** The condition keys a statement tests, lowercased. */
function conditionKeys(condition: unknown): string[] {
  if (typeof condition !== "object" || condition === null) return [];
  return Object.values(condition as Record<string, unknown>)
    .flatMap((c) => (typeof c === "object" && c !== null ? Object.keys(c) : []))
    .map((k) => k.toLowerCase());
}

export const kmsKeyPolicyLeastPrivilege = resourcePolicy({
  name: "kms-key-policy-least-privilege",
  description:
    "KMS key policies grant no wildcard principal, no service principal and no `kms:*` to anyone but the account without conditions.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.308(a)(4)(ii)(B)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)", "164.312(a)(2)(iv)"),
  resourceTypes: [T.kmsKey, T.kmsKeyPolicy],
  remediationSteps:
    "Build the key policy with aws.iam.getPolicyDocumentOutput: keep the account-root statement " +
    "(`arn:aws:iam::<account>:root`, kms:*), grant named roles only the actions they need, and give every service " +
    "principal statement a condition such as aws:SourceArn / aws:SourceAccount, kms:ViaService or kms:EncryptionContext:*, " +
    "except EventBridge publishing to an encrypted SNS topic: AWS sends no aws:Source* key there " +
    "(https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services), so grant " +
    "events.amazonaws.com only kms:GenerateDataKey* and kms:Decrypt without a condition and narrow publishing in the topic policy.",
  validate: (ctx, report) => {
    const raw = get(ctx.props, "policy");
    if (raw === undefined || raw === null || raw === "") {
      return; // the default key policy: the account root only, delegated to IAM
    }
    const statements = statementsOf(raw);
    if (!statements) {
      report("The key policy is not a valid JSON policy document.");
      return;
    }
    statements.filter(isAllow).forEach((s, i) => {
      const label = s.sid ? `Statement "${s.sid}"` : `Statement ${i + 1}`;
      if (s.notPrincipal) {
        report(`${label} uses Allow with NotPrincipal, which grants the key to everyone not listed.`);
        return;
      }
      if (!s.condition && s.principals.some(isAnyone)) {
        report(`${label} allows the wildcard principal "*" without a condition.`);
      }
      const services = s.principals.filter(isService).map((p) => p.value);
      const documented = services.length > 0 && services.every((v) => KMS_SERVICES_WITHOUT_SOURCE_KEYS[v] !== undefined);
      const noSourceKeys = services.filter((v) => KMS_SERVICES_WITHOUT_SOURCE_KEYS[v] !== undefined);
      if (noSourceKeys.length > 0 && conditionKeys(s.condition).some((k) => SOURCE_KEYS.includes(k))) {
        report(
          `${label} grants ${noSourceKeys.join(", ")} under an aws:Source* condition, which AWS does not send on this path: ` +
            "every EventBridge event to the encrypted topic is dropped without an error. Remove the condition and narrow " +
            "publishing in the topic policy (aws:SourceArn of the rules) instead.",
        );
      }
      const onlyNeeded = s.actions.every((a) => services.every((v) => KMS_SERVICES_WITHOUT_SOURCE_KEYS[v]?.includes(a.toLowerCase())));
      if (!s.condition && documented && !onlyNeeded) {
        report(`${label} grants ${services.join(", ")} more than kms:GenerateDataKey* and kms:Decrypt without a condition.`);
      }
      if (!s.condition && services.length > 0 && !documented) {
        report(
          `${label} grants ${services.join(", ")} without a condition (add aws:SourceArn, aws:SourceAccount, ` +
            "kms:ViaService or kms:EncryptionContext).",
        );
      }
      const others = s.principals.filter((p) => !isAccountRoot(p) && !isAnyone(p));
      if (others.length > 0 && (allActions(s) || s.actions.some((a) => a.toLowerCase() === "kms:*"))) {
        report(`${label} grants every KMS action to ${others.map((p) => p.value).join(", ")}; grant only the needed actions.`);
      }
    });
  },
});
