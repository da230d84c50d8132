import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isTrue, num } from "../lib/util";

export const opensearchProdAvailability = resourcePolicy<{ minAvailabilityZones: number; minDedicatedMasters: number }>({
  name: "opensearch-prod-availability",
  description: "Prod OpenSearch domains spread data nodes over Availability Zones (zone awareness) and run dedicated master nodes.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.availability),
  awsConfig: ["opensearch-data-node-fault-tolerance", "opensearch-primary-node-fault-tolerance"],
  resourceTypes: [T.openSearchDomain],
  environmentAware: true,
  config: {
    minAvailabilityZones: {
      type: "integer",
      minimum: 2,
      maximum: 3,
      default: 2,
      description: "Fewest Availability Zones for a prod domain's data nodes.",
    },
    minDedicatedMasters: {
      type: "integer",
      enum: [3, 5],
      default: 3,
      description: "Fewest dedicated master nodes of a prod domain (3 or 5).",
    },
  },
  remediationSteps:
    "In prod set `clusterConfig: { zoneAwarenessEnabled: true, zoneAwarenessConfig: { availabilityZoneCount: 2 | 3 }, " +
    "instanceCount: <a multiple of the zone count>, dedicatedMasterEnabled: true, dedicatedMasterCount: 3, dedicatedMasterType: ... }` " +
    "(https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html). Judged on the domain " +
    "itself: subnets in several AZs elsewhere in the stack do not make the domain zone-aware.",
  examines: [{ rule: "prod domains (Environment tag, else the config's environment)", where: (ctx) => ctx.isProd() }],
  validate: (ctx, report) => {
    const cluster = get(ctx.props, "clusterConfig");
    if (!isTrue(get(cluster, "zoneAwarenessEnabled"))) {
      report(`Zone awareness is off (clusterConfig.zoneAwarenessEnabled) in ${ctx.env()}: one AZ outage takes the domain's data offline.`);
    } else {
      const zones = num(get(cluster, "zoneAwarenessConfig", "availabilityZoneCount")) ?? 2;
      if (zones < ctx.config.minAvailabilityZones) {
        report(`The domain spans ${zones} Availability Zones; at least ${ctx.config.minAvailabilityZones} are required in ${ctx.env()}.`);
      }
    }
    if (!isTrue(get(cluster, "dedicatedMasterEnabled"))) {
      report(`Dedicated master nodes are off (clusterConfig.dedicatedMasterEnabled) in ${ctx.env()}: data nodes also manage the cluster.`);
    } else {
      const masters = num(get(cluster, "dedicatedMasterCount")) ?? 3;
      if (masters < ctx.config.minDedicatedMasters) {
        report(
          `The domain has ${masters} dedicated master nodes; at least ${ctx.config.minDedicatedMasters} are required in ${ctx.env()}.`,
        );
      }
    }
  },
});
