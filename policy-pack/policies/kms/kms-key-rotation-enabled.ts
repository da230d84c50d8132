import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isTrue, num, str } from "../lib/util";

const SYMMETRIC = "SYMMETRIC_DEFAULT";

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
  examines: [
    {
      rule: "symmetric encryption keys outside a custom key store (only they can rotate automatically)",
      where: (ctx) =>
        (str(get(ctx.props, "customerMasterKeySpec")) ?? SYMMETRIC) === SYMMETRIC &&
        (str(get(ctx.props, "keyUsage")) ?? "ENCRYPT_DECRYPT") === "ENCRYPT_DECRYPT" &&
        !str(get(ctx.props, "customKeyStoreId")),
    },
  ],
  validate: (ctx, report) => {
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
