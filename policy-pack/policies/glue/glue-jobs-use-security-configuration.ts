import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { present } from "../lib/util";

export const glueJobsUseSecurityConfiguration = resourcePolicy({
  name: "glue-jobs-use-security-configuration",
  description: "Glue jobs and crawlers run with a security configuration.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  resourceTypes: [T.glueJob, T.glueCrawler],
  remediationSteps: "Set `securityConfiguration` to an aws.glue.SecurityConfiguration that encrypts with KMS.",
  validate: (ctx, report) => {
    if (!present(ctx.props, "securityConfiguration")) {
      report("No securityConfiguration: output, logs and bookmarks are written unencrypted by Glue.");
    }
  },
});
