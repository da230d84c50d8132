import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isTrue } from "../lib/util";

export const cloudtrailLogFileValidation = resourcePolicy({
  name: "cloudtrail-log-file-validation",
  description: "CloudTrail trails have log file integrity validation enabled.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.integrity, "164.312(b)"),
  cdkNag: ["CloudTrailLogFileValidationEnabled"],
  awsConfig: ["cloud-trail-log-file-validation-enabled"],
  resourceTypes: [T.trail],
  remediationSteps: "Set `enableLogFileValidation: true` on the aws.cloudtrail.Trail.",
  validate: (ctx, report) => {
    if (!isTrue(get(ctx.props, "enableLogFileValidation"))) {
      report("Log file validation is off: set enableLogFileValidation: true so tampering with audit logs is detectable.");
    }
  },
});
