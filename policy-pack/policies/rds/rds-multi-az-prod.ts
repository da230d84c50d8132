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
  validate: (ctx, report) => {
    const members = ctx.ofType([CLUSTER_INSTANCE]);
    ctx.each(ctx.ofType([T.rdsInstance, T.rdsCluster]), (db) => {
      if (!ctx.isProd(db)) {
        return;
      }
      const engine = str(get(db.props, "engine"));
      if (db.type === T.rdsInstance) {
        if (isAurora(engine) || present(db.props, "replicateSourceDb")) {
          return;
        }
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
