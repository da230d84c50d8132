import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { BUCKET_TYPES, T } from "../lib/types";

const STATEFUL = [...BUCKET_TYPES, T.rdsInstance, T.rdsCluster, T.dynamoTable, T.kmsKey, T.openSearchDomain, T.logGroup, T.secret];

export const prodStatefulResourcesProtected = resourcePolicy({
  name: "prod-stateful-resources-protected",
  description:
    "In prod, stateful resources (buckets, databases, tables, keys, domains, log groups, secrets) carry the `protect` resource option.",
  severity: "medium",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.availability),
  resourceTypes: STATEFUL,
  environmentAware: true,
  remediationSteps: "Pass `{ protect: true, retainOnDelete: true }` for stateful children when `protectData` is on.",
  examines: [{ rule: "prod resources (Environment tag, else the config's environment)", where: (ctx) => ctx.isProd() }],
  validate: (ctx, report) => {
    if (!ctx.args.opts.protect) {
      report(`This stateful resource is not protected (set the resource option protect: true; prod rules apply: ${ctx.envReason()}).`);
    }
  },
});
