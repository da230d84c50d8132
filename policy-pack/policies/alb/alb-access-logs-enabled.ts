import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { LB_TYPES } from "../lib/types";
import { get, isTrue, present } from "../lib/util";

export const albAccessLogsEnabled = resourcePolicy({
  name: "alb-access-logs-enabled",
  description: "Load balancers write access logs to S3.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.audit),
  cdkNag: ["ELBLoggingEnabled"],
  awsConfig: ["elb-logging-enabled"],
  resourceTypes: [...LB_TYPES],
  remediationSteps:
    'Set `accessLogs: { bucket: accessLogsBucket.bucket, enabled: true, prefix: "alb" }` (the bucket ' +
    "uses SSE-S3 and a policy for the ELB log delivery service).",
  validate: (ctx, report) => {
    if (!isTrue(get(ctx.props, "accessLogs", "enabled")) || !present(ctx.props, "accessLogs", "bucket")) {
      report("Access logging is not enabled (accessLogs.enabled with a bucket).");
    }
  },
});
