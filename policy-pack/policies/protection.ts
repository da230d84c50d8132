// Production data protection: stateful resources cannot be destroyed by a mistaken `pulumi up`
// or `pulumi destroy` in prod. Dev stacks are destroyable by design (ARCHITECTURE.md section 5).

import { CITES, hipaa } from "./lib/hipaa";
import { resourcePolicy } from "./lib/define";
import { BUCKET_TYPES, LB_TYPES, T } from "./lib/types";
import { get, isTrue } from "./lib/util";

export const prodDeletionProtection = resourcePolicy({
  name: "prod-deletion-protection",
  description: "In prod, databases, tables and load balancers have deletion protection (and RDS keeps a final snapshot).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.availability, "164.308(a)(7)(ii)(A)"),
  cdkNag: ["RDSInstanceDeletionProtectionEnabled", "ELBDeletionProtectionEnabled"],
  awsConfig: ["rds-instance-deletion-protection-enabled", "rds-cluster-deletion-protection-enabled", "elb-deletion-protection-enabled"],
  resourceTypes: [T.rdsInstance, T.rdsCluster, T.dynamoTable, ...LB_TYPES],
  environmentAware: true,
  remediationSteps:
    "Derive the flags from the platform's `protectData` switch: `deletionProtection: true` and " +
    "`skipFinalSnapshot: false` on RDS, `deletionProtectionEnabled: true` on DynamoDB, `enableDeletionProtection: true` on the ALB.",
  validate: (ctx, report) => {
    if (!ctx.isProd()) {
      return;
    }
    const why = `prod rules apply: ${ctx.envReason()}`;
    if (ctx.type === T.rdsInstance || ctx.type === T.rdsCluster) {
      if (!isTrue(get(ctx.props, "deletionProtection"))) {
        report(`This database has no deletion protection (set deletionProtection: true; ${why}).`);
      }
      if (isTrue(get(ctx.props, "skipFinalSnapshot"))) {
        report(`This database skips its final snapshot on deletion (set skipFinalSnapshot: false; ${why}).`);
      }
    } else if (ctx.type === T.dynamoTable) {
      if (!isTrue(get(ctx.props, "deletionProtectionEnabled"))) {
        report(`This table has no deletion protection (set deletionProtectionEnabled: true; ${why}).`);
      }
    } else if (!isTrue(get(ctx.props, "enableDeletionProtection"))) {
      report(`This load balancer has no deletion protection (set enableDeletionProtection: true; ${why}).`);
    }
  },
});

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
  validate: (ctx, report) => {
    if (ctx.isProd() && isTrue(get(ctx.props, "forceDestroy"))) {
      report(`forceDestroy is true on this bucket: deleting it would erase every object in it (prod rules apply: ${ctx.envReason()}).`);
    }
  },
});

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
  validate: (ctx, report) => {
    if (ctx.isProd() && !ctx.args.opts.protect) {
      report(`This stateful resource is not protected (set the resource option protect: true; prod rules apply: ${ctx.envReason()}).`);
    }
  },
});

export const protectionPolicies = [prodDeletionProtection, prodNoForceDestroy, prodStatefulResourcesProtected];
