// WAFv2 descriptions (web ACLs, rule groups, IP sets, regex pattern sets): the API's EntityDescription
// is 1 to 256 characters matching ^[\w+=:#@/\-,\.][\w+=:#@/\-,\.\s]+[\w+=:#@/\-,\.]$ (no parentheses,
// apostrophes or quotes; no leading or trailing space). The provider checks the length only
// (terraform-provider-aws internal/service/wafv2 web_acl.go: `description` StringLenBetween(1, 256));
// names it does check (^[0-9A-Za-z_-]+$, 1 to 128), so they need no policy here.
// https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html

import { resourcePolicy } from "../lib/define";
import { CITES, hipaa } from "../lib/hipaa";
import { T } from "../lib/types";
import { knownString, valueProblem } from "../lib/values";

const DOC = "https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html";

export const wafv2Description = resourcePolicy({
  name: "wafv2-description-pattern",
  description:
    "WAFv2 web ACL, rule group, IP set and regex pattern set descriptions match the API's EntityDescription pattern " +
    `(letters, digits, _ + = : # @ / - , . and inner spaces; 1 to 256 characters) (${DOC}).`,
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.availability),
  resourceTypes: [T.webAcl, T.wafRuleGroup, T.wafIpSet, T.wafRegexPatternSet],
  tags: ["deploy-trap", "create-time-constraint"],
  remediationSteps:
    "Rewrite the description without parentheses, apostrophes, quotes or other punctuation outside _+=:#@/-,. and " +
    `without leading or trailing spaces (${DOC}).`,
  validate: (ctx, report) => {
    const description = knownString(ctx.props, "description");
    if (description === undefined) return;
    const problem = valueProblem(description, {
      what: "The description",
      char: /[\w+=:#@/\-,.\s]/,
      pattern: /^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]+[\w+=:#@/\-,.]$/,
      allowed: "allowed: letters, digits, spaces inside and _+=:#@/-,.",
      minLength: 1,
      maxLength: 256,
    });
    if (problem) report(problem);
  },
});
