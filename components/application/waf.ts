/**
 * The web ACL in front of the load balancer: AWS managed rule groups that block (group-level
 * `overrideAction: none`, never `count`), a per-IP rate rule, and the decision on the common rule
 * set's 8 KB body limit; logging to an `aws-waf-logs-*` CloudWatch log group under the audit key,
 * with the authorization header, cookies and query string redacted.
 *
 * ## The 8 KB body limit (SizeRestrictions_BODY)
 *
 * The common rule set's `SizeRestrictions_BODY` blocks request bodies over 8 KB
 * (https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html), and
 * a regional web ACL in front of an ALB inspects at most the first 8 KB of a body
 * (https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html).
 * FHIR bundles (transactions, batches of resources) are routinely larger. Decision: that one rule
 * runs in count mode inside the group (`ruleActionOverrides`, the group itself still blocks with
 * `overrideAction: none`), and the rule right after the group blocks what it labelled
 * (`awswaf:managed:aws:core-rule-set:SizeRestrictions_Body`) everywhere EXCEPT a POST to the FHIR
 * API prefix (`/fhir/` by default). So the 8 KB limit still holds on every other path; on the FHIR
 * path a large bundle passes, its first 8 KB inspected by every other rule (SQL injection, known bad
 * inputs, cross-site scripting), and the application validates the whole bundle (the data
 * processor's FHIR schema validation). Counting one rule of a managed group and acting on its label
 * in a later rule is AWS's documented way to narrow a managed rule
 * (https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-rule-group-override-options.html,
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-label-match.html).
 * Exempting the FHIR path entirely (or counting the whole group) would drop the limit where it
 * protects and the other common rules everywhere; raising the ALB body inspection limit is not
 * possible (only CloudFront, API Gateway, Cognito, App Runner and Verified Access go beyond 8 KB).
 */
import * as aws from "@pulumi/aws";

type Rule = aws.types.input.wafv2.WebAclRule;

/** The AWS managed rule groups the web ACL applies, in evaluation order (each blocks: `overrideAction: none`). */
export const MANAGED_RULE_GROUPS: readonly { name: string; purpose: string }[] = [
  { name: "AWSManagedRulesAmazonIpReputationList", purpose: "sources AWS threat intelligence lists as bots, scanners and attackers" },
  { name: "AWSManagedRulesCommonRuleSet", purpose: "OWASP Top 10 basics: size limits, XSS, LFI/RFI, bad bots" },
  { name: "AWSManagedRulesKnownBadInputsRuleSet", purpose: "request patterns of known exploits (Log4j, Java deserialization, ...)" },
  { name: "AWSManagedRulesSQLiRuleSet", purpose: "SQL injection in the query string, body, URI and cookies" },
];

/** The common rule set's rule that blocks bodies over 8 KB, and the label it adds to what it matches. */
export const BODY_SIZE_RULE = "SizeRestrictions_BODY";
export const BODY_SIZE_LABEL = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body";

/** @default path prefix of the FHIR API, where bundles over 8 KB are allowed (POST only). */
export const DEFAULT_LARGE_BODY_PATH_PREFIX = "/fhir/";

const visibility = (metricName: string): aws.types.input.wafv2.WebAclRuleVisibilityConfig => ({
  cloudwatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

/**
 * The web ACL's rules, as data: managed groups (IP reputation first, so known-bad sources never
 * count against the rate limit), the rate rule, the common rule set with its body-size rule
 * counted, the label rule that re-blocks oversize bodies outside the FHIR path, then known bad
 * inputs and SQL injection.
 */
export function webAclRules(args: { rateLimitPer5Minutes: number; largeBodyPathPrefix?: string; metricPrefix: string }): Rule[] {
  const prefix = args.largeBodyPathPrefix ?? DEFAULT_LARGE_BODY_PATH_PREFIX;
  const managed = (
    name: string,
    priority: number,
    extra: Partial<aws.types.input.wafv2.WebAclRuleStatementManagedRuleGroupStatement> = {},
  ): Rule => ({
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name, ...extra } },
    visibilityConfig: visibility(`${args.metricPrefix}-${name}`),
  });
  return [
    managed("AWSManagedRulesAmazonIpReputationList", 0),
    {
      name: "RateLimitPerClientIp",
      priority: 1,
      action: { block: {} },
      statement: { rateBasedStatement: { limit: args.rateLimitPer5Minutes, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
      visibilityConfig: visibility(`${args.metricPrefix}-RateLimitPerClientIp`),
    },
    managed("AWSManagedRulesCommonRuleSet", 2, { ruleActionOverrides: [{ name: BODY_SIZE_RULE, actionToUse: { count: {} } }] }),
    {
      name: "BlockOversizeBodiesOutsideFhir",
      priority: 3,
      action: { block: {} },
      statement: {
        andStatement: {
          statements: [
            { labelMatchStatement: { scope: "LABEL", key: BODY_SIZE_LABEL } },
            {
              notStatement: {
                statement: {
                  andStatement: {
                    statements: [
                      {
                        byteMatchStatement: {
                          fieldToMatch: { uriPath: {} },
                          positionalConstraint: "STARTS_WITH",
                          searchString: prefix,
                          textTransformations: [{ priority: 0, type: "URL_DECODE" }],
                        },
                      },
                      {
                        byteMatchStatement: {
                          fieldToMatch: { method: {} },
                          positionalConstraint: "EXACTLY",
                          searchString: "POST",
                          textTransformations: [{ priority: 0, type: "NONE" }],
                        },
                      },
                    ],
                  },
                },
              },
            },
          ],
        },
      },
      visibilityConfig: visibility(`${args.metricPrefix}-BlockOversizeBodiesOutsideFhir`),
    },
    managed("AWSManagedRulesKnownBadInputsRuleSet", 4),
    managed("AWSManagedRulesSQLiRuleSet", 5),
  ];
}

/** What the WAF log never holds: credentials and session tokens, and query strings (they may carry PHI). */
export function redactedFields(): aws.types.input.wafv2.WebAclLoggingConfigurationRedactedField[] {
  return [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }, { queryString: {} }];
}
