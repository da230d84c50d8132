import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { BUCKET_TYPES } from "../lib/types";
import { get, isTrue } from "../lib/util";

export const prodNoForceDestroy = resourcePolicy({
  name: "prod-no-force-destroy",
  description: "In prod, no bucket is created with forceDestroy (which deletes every object, every version, on delete).",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.backup, "164.316(b)(2)(i)"),
  resourceTypes: [...BUCKET_TYPES],
  environmentAware: true,
  remediationSteps: "Set `forceDestroy: false` (or leave it unset) in prod; keep it behind the `protectData` switch for dev.",
  examines: [{ rule: "prod buckets (Environment tag, else the config's environment)", where: (ctx) => ctx.isProd() }],
  validate: (ctx, report) => {
    if (isTrue(get(ctx.props, "forceDestroy"))) {
      report(`forceDestroy is true on this bucket: deleting it would erase every object in it (prod rules apply: ${ctx.envReason()}).`);
    }
  },
});
