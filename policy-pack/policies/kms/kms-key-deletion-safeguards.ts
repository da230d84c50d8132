import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isFalse, num } from "../lib/util";

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
