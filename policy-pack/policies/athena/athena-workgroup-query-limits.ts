import { hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isFalse, num } from "../lib/util";

export const athenaWorkgroupQueryLimits = resourcePolicy({
  name: "athena-workgroup-query-limits",
  description: "Athena workgroups bound the data a query may scan and publish CloudWatch metrics.",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.312(b)"),
  resourceTypes: [T.athenaWorkgroup],
  remediationSteps: "Set `configuration.bytesScannedCutoffPerQuery` and `publishCloudwatchMetricsEnabled: true`.",
  validate: (ctx, report) => {
    const cfg = get(ctx.props, "configuration");
    if (num(get(cfg, "bytesScannedCutoffPerQuery")) === undefined) {
      report("No bytesScannedCutoffPerQuery: a query can scan the whole archive.");
    }
    if (isFalse(get(cfg, "publishCloudwatchMetricsEnabled"))) {
      report("CloudWatch metrics are not published.");
    }
  },
});
