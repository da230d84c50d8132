import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isFalse } from "../lib/util";
import { CLUSTER_INSTANCE } from "./lib";

export const rdsAutoMinorVersionUpgrade = resourcePolicy({
  name: "rds-auto-minor-version-upgrade",
  description: "RDS instances apply minor engine versions (security patches) automatically.",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.patching),
  cdkNag: ["RDSAutomaticMinorVersionUpgradeEnabled"],
  awsConfig: ["rds-automatic-minor-version-upgrade-enabled"],
  resourceTypes: [T.rdsInstance, CLUSTER_INSTANCE],
  remediationSteps: "Leave `autoMinorVersionUpgrade` unset or true, and pin only the major version.",
  validate: (ctx, report) => {
    if (isFalse(get(ctx.props, "autoMinorVersionUpgrade"))) {
      report("Automatic minor version upgrades are disabled.");
    }
  },
});
