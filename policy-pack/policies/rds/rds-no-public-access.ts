import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isTrue } from "../lib/util";
import { CLUSTER_INSTANCE } from "./lib";

export const rdsNoPublicAccess = resourcePolicy({
  name: "rds-no-public-access",
  description: "RDS instances are not publicly accessible.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.publicAccess),
  cdkNag: ["RDSInstancePublicAccess"],
  awsConfig: ["rds-instance-public-access-check"],
  resourceTypes: [T.rdsInstance, CLUSTER_INSTANCE],
  remediationSteps: "Set `publiclyAccessible: false` and place the database in isolated subnets.",
  validate: (ctx, report) => {
    if (isTrue(get(ctx.props, "publiclyAccessible"))) {
      report("The database is publicly accessible (publiclyAccessible: true).");
    }
  },
});
