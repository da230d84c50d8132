// KMS: customer-managed keys protect every PHI store, so their rotation and key policies are
// PHI controls.

import { CITES, hipaa } from "./lib/hipaa";
import { resourcePolicy } from "./lib/define";
import { allActions, isAccountRoot, isAllow, isAnyone, isService, statementsOf } from "./lib/iamdoc";
import { T } from "./lib/types";
import { get, isFalse, isTrue, num, str } from "./lib/util";

const SYMMETRIC = "SYMMETRIC_DEFAULT";

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

export const kmsKeyRotationEnabled = resourcePolicy<{ maxRotationPeriodInDays: number }>({
  name: "kms-key-rotation-enabled",
  description: "Customer-managed symmetric KMS keys rotate their key material automatically.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  awsConfig: [],
  resourceTypes: [T.kmsKey],
  config: {
    maxRotationPeriodInDays: {
      type: "integer",
      minimum: 90,
      maximum: 2560,
      default: 365,
      description: "Longest allowed rotationPeriodInDays.",
    },
  },
  remediationSteps:
    "Set `enableKeyRotation: true` on the aws.kms.Key (and, if you set `rotationPeriodInDays`, " +
    "keep it at or below the configured maximum). Asymmetric, HMAC and external-store keys cannot rotate and are not checked.",
  validate: (ctx, report) => {
    const spec = str(get(ctx.props, "customerMasterKeySpec")) ?? SYMMETRIC;
    const usage = str(get(ctx.props, "keyUsage")) ?? "ENCRYPT_DECRYPT";
    if (spec !== SYMMETRIC || usage !== "ENCRYPT_DECRYPT" || str(get(ctx.props, "customKeyStoreId"))) {
      return;
    }
    if (!isTrue(get(ctx.props, "enableKeyRotation"))) {
      report("Key rotation is not enabled: set enableKeyRotation: true.");
      return;
    }
    const period = num(get(ctx.props, "rotationPeriodInDays"));
    if (period !== undefined && period > ctx.config.maxRotationPeriodInDays) {
      report(`rotationPeriodInDays is ${period}; it must be at most ${ctx.config.maxRotationPeriodInDays}.`);
    }
  },
});

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

export const kmsKeyDeletionSafeguards = resourcePolicy<{ minDeletionWindowInDaysProd: number; minDeletionWindowInDays: number }>({
  name: "kms-key-deletion-safeguards",
  description: "KMS keys are enabled and keep a deletion waiting period long enough to recover from a mistaken deletion.",
  severity: "medium",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.availability),
  awsConfig: ["kms-cmk-not-scheduled-for-deletion"],
  resourceTypes: [T.kmsKey],
  environmentAware: true,
  config: {
    minDeletionWindowInDaysProd: {
      type: "integer",
      minimum: 7,
      maximum: 30,
      default: 30,
      description: "Minimum deletionWindowInDays in prod.",
    },
    minDeletionWindowInDays: {
      type: "integer",
      minimum: 7,
      maximum: 30,
      default: 7,
      description: "Minimum deletionWindowInDays elsewhere.",
    },
  },
  remediationSteps:
    "Leave `isEnabled` unset (or true) and set `deletionWindowInDays` to the configured minimum or more " + "(AWS defaults to 30 days).",
  validate: (ctx, report) => {
    if (isFalse(get(ctx.props, "isEnabled"))) {
      report("The key is disabled (isEnabled: false): data encrypted under it cannot be read.");
    }
    const window = num(get(ctx.props, "deletionWindowInDays"));
    const min = ctx.isProd() ? ctx.config.minDeletionWindowInDaysProd : ctx.config.minDeletionWindowInDays;
    if (window !== undefined && window < min) {
      report(`deletionWindowInDays is ${window}; it must be at least ${min} in ${ctx.env()}.`);
    }
  },
});

export const kmsPolicies = [kmsKeyRotationEnabled, kmsKeyPolicyLeastPrivilege, kmsKeyDeletionSafeguards];
