import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { companionsOf, ofTypes } from "../lib/join";
import { T } from "../lib/types";
import { get, isTrue, present, str } from "../lib/util";
import { CLUSTER_INSTANCE, isAurora } from "./lib";

const isCluster = ofTypes([T.rdsCluster]);

export const rdsMultiAzProd = stackPolicy({
  name: "rds-multi-az-prod",
  description: "Production databases survive the loss of an Availability Zone (Multi-AZ instance, or an Aurora cluster with a replica).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.availability),
  cdkNag: ["RDSMultiAZSupport"],
  awsConfig: ["rds-multi-az-support", "rds-cluster-multi-az-enabled"],
  resourceTypes: [T.rdsInstance, T.rdsCluster],
  relatedTypes: [CLUSTER_INSTANCE],
  environmentAware: true,
  remediationSteps:
    "In prod set `multiAz: true` on aws.rds.Instance; give an Aurora cluster at least two cluster " +
    "instances in different AZs. Dev stacks are single-AZ by design and are not checked.",
  examines: [
    {
      // an Aurora member's placement is its cluster's; a read replica is not the primary copy
      rule: "prod clusters and prod instances that are neither Aurora members nor read replicas",
      where: (db, ctx) =>
        ctx.isProd(db) &&
        (db.type !== T.rdsInstance || (!isAurora(str(get(db.props, "engine"))) && !present(db.props, "replicateSourceDb"))),
    },
  ],
  validate: (ctx, report) => {
    const members = ctx.ofType([CLUSTER_INSTANCE]);
    ctx.each(ctx.subjects(), (db) => {
      if (db.type === T.rdsInstance) {
        if (!isTrue(get(db.props, "multiAz"))) {
          report(db.urn, `This database instance is single-AZ: set multiAz: true (prod rules apply: ${ctx.envReason(db)}).`);
        }
        return;
      }
      if (present(db.props, "dbClusterInstanceClass")) {
        return; // a Multi-AZ DB cluster is always three instances in three AZs
      }
      const joined = companionsOf(db, members, ["clusterIdentifier"], isCluster);
      if (joined.matched.length >= 2) {
        return;
      }
      if (joined.undecided) {
        ctx.undecided([db.type, db.name, "clusterIdentifier"]);
        return;
      }
      report(
        db.urn,
        `This Aurora cluster has ${joined.matched.length} instance(s): add a replica in another AZ (prod rules apply: ${ctx.envReason(db)}).`,
      );
    });
  },
});
