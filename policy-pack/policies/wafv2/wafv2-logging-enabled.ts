import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { companionsOf, ofTypes } from "../lib/join";
import { T } from "../lib/types";
import { present } from "../lib/util";

const isAcl = ofTypes([T.webAcl]);

export const wafv2LoggingEnabled = stackPolicy({
  name: "wafv2-logging-enabled",
  description: "Every WAFv2 web ACL has a logging configuration.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.audit),
  cdkNag: ["WAFv2LoggingEnabled"],
  awsConfig: ["wafv2-logging-enabled"],
  resourceTypes: [T.webAcl],
  relatedTypes: [T.webAclLogging],
  examines: [
    {},
    {
      types: [T.webAclLogging],
      rule: "the logging configurations of the stack's web ACLs (their destinations are judged)",
      where: (c, ctx) => ctx.ofType([T.webAcl]).some((acl) => companionsOf(acl, [c], ["resourceArn"], isAcl).matched.length > 0),
    },
  ],
  remediationSteps:
    "Add an aws.wafv2.WebAclLoggingConfiguration with `resourceArn: webAcl.arn` and a destination " +
    "(a KMS-encrypted log group named `aws-waf-logs-...`), redacting authorization headers.",
  validate: (ctx, report) => {
    const configs = ctx.ofType([T.webAclLogging]);
    ctx.each(ctx.ofType([T.webAcl]), (acl) => {
      const joined = companionsOf(acl, configs, ["resourceArn"], isAcl);
      if (joined.matched.some((c) => present(c.props, "logDestinationConfigs"))) {
        return;
      }
      if (joined.undecided) {
        ctx.undecided([acl.type, acl.name, "arn"]);
        return;
      }
      report(acl.urn, "The web ACL has no logging configuration.");
    });
  },
});
