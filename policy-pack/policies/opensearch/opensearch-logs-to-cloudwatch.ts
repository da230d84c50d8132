import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isFalse, list, probe, str, UNKNOWN } from "../lib/util";

export const opensearchLogsToCloudwatch = resourcePolicy<{ requiredLogTypes: string[] }>({
  name: "opensearch-logs-to-cloudwatch",
  description: "OpenSearch domains publish their error logs (and any other configured log types) to CloudWatch Logs.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.audit),
  cdkNag: ["OpenSearchErrorLogsToCloudWatch"],
  awsConfig: ["opensearch-logs-to-cloudwatch", "elasticsearch-logs-to-cloudwatch"],
  resourceTypes: [T.openSearchDomain],
  config: {
    requiredLogTypes: {
      type: "array",
      items: { type: "string", enum: ["ES_APPLICATION_LOGS", "AUDIT_LOGS", "INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS"] },
      default: ["ES_APPLICATION_LOGS"],
      description: "Log types that must be published.",
    },
  },
  remediationSteps:
    'Add `logPublishingOptions: [{ logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: group.arn }]` ' +
    "and an aws.cloudwatch.LogResourcePolicy that lets es.amazonaws.com write to the group.",
  validate: (ctx, report) => {
    const options = list(get(ctx.props, "logPublishingOptions"));
    const published = new Set<string>();
    for (const o of options) {
      const type = str(get(o, "logType"));
      const arn = probe(o, "cloudwatchLogGroupArn");
      if (type && !isFalse(get(o, "enabled")) && (arn === UNKNOWN || (typeof arn === "string" && arn !== ""))) {
        published.add(type);
      }
    }
    const missing = ctx.config.requiredLogTypes.filter((t) => !published.has(t));
    if (missing.length > 0) {
      report(`The domain does not publish ${missing.join(", ")} to CloudWatch Logs.`);
    }
  },
});
