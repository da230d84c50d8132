// Application Load Balancer: the only internet-facing entry point.

import { PolicyResource } from "@pulumi/policy";
import { CITES, hipaa } from "./lib/hipaa";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { companionsOf, ofTypes } from "./lib/join";
import { LB_TYPES, LISTENER_TYPES, T } from "./lib/types";
import { get, isTrue, list, present, probe, str, UNKNOWN } from "./lib/util";

function isApplication(props: Record<string, unknown>): boolean {
  return (str(get(props, "loadBalancerType")) ?? "application") === "application";
}

export const albDropInvalidHeaders = resourcePolicy({
  name: "alb-drop-invalid-headers",
  description: "Application load balancers drop requests with invalid HTTP header fields.",
  severity: "medium",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.transmission),
  cdkNag: ["ALBHttpDropInvalidHeaderEnabled"],
  awsConfig: ["alb-http-drop-invalid-header-enabled"],
  resourceTypes: [...LB_TYPES],
  remediationSteps: "Set `dropInvalidHeaderFields: true` on the aws.lb.LoadBalancer.",
  validate: (ctx, report) => {
    if (isApplication(ctx.props) && !isTrue(get(ctx.props, "dropInvalidHeaderFields"))) {
      report("Invalid header fields are forwarded (dropInvalidHeaderFields is not true): request smuggling risk.");
    }
  },
});

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

const RECOMMENDED_TLS = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
  "ELBSecurityPolicy-FS-1-2-Res-2020-10",
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
];

export const albListenerTls = resourcePolicy<{ allowedSslPolicies: string[] }>({
  name: "alb-listener-tls",
  description: "Listeners accept only HTTPS with an ACM certificate and a TLS 1.2+ policy, or plain HTTP that only redirects to HTTPS.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.transmission),
  cdkNag: ["ALBHttpToHttpsRedirection", "ELBv2ACMCertificateRequired"],
  awsConfig: ["alb-http-to-https-redirection-check", "elbv2-acm-certificate-required", "elb-predefined-security-policy-ssl-check"],
  resourceTypes: [...LISTENER_TYPES],
  config: {
    allowedSslPolicies: {
      type: "array",
      items: { type: "string" },
      default: RECOMMENDED_TLS,
      description: "ELB security policies allowed on HTTPS/TLS listeners (TLS 1.2 minimum, forward secrecy).",
    },
  },
  remediationSteps:
    "For HTTPS listeners set `certificateArn` (an ACM certificate) and " +
    '`sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06"`; make the port-80 listener\'s default action ' +
    '`{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }`.',
  validate: (ctx, report) => {
    const protocol = (str(get(ctx.props, "protocol")) ?? "HTTP").toUpperCase();
    if (protocol === "HTTPS" || protocol === "TLS") {
      const policy = str(get(ctx.props, "sslPolicy"));
      if (!policy || !ctx.config.allowedSslPolicies.includes(policy)) {
        report(
          `The ${protocol} listener's sslPolicy (${policy ?? "default ELBSecurityPolicy-2016-08"}) allows outdated TLS; ` +
            "use ELBSecurityPolicy-TLS13-1-2-2021-06.",
        );
      }
      const cert = probe(ctx.props, "certificateArn");
      if (cert === UNKNOWN) {
        return; // the ARN of a certificate created in this deployment
      }
      if (typeof cert === "string" && cert !== "" && !/^arn:aws[a-z-]*:acm:/.test(cert)) {
        report("The listener's certificate is not managed by ACM (certificateArn is not an ACM ARN).");
      } else if (cert === undefined || cert === "") {
        report("The HTTPS listener has no certificateArn.");
      }
      return;
    }
    if (protocol === "HTTP") {
      const actions = list(get(ctx.props, "defaultActions"));
      const redirects =
        actions.length > 0 &&
        actions.every((a) => str(get(a, "type")) === "redirect" && (str(get(a, "redirect", "protocol")) ?? "").toUpperCase() === "HTTPS");
      if (!redirects) {
        report("The HTTP listener serves traffic instead of redirecting to HTTPS: PHI would cross the network unencrypted.");
      }
    }
  },
});

const isLb = ofTypes(LB_TYPES);

export const albWafEnabled = stackPolicy<{ requireForInternal: boolean }>({
  name: "alb-waf-enabled",
  description: "Internet-facing application load balancers are protected by a WAFv2 web ACL.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.312(e)(1)", "164.312(a)(1)", "164.308(a)(1)(ii)(B)"),
  awsConfig: ["alb-waf-enabled"],
  resourceTypes: [...LB_TYPES],
  relatedTypes: [T.webAclAssociation],
  config: {
    requireForInternal: { type: "boolean", default: false, description: "Also require a web ACL on internal load balancers." },
  },
  remediationSteps: "Add an aws.wafv2.WebAclAssociation with `resourceArn: alb.arn` and `webAclArn: webAcl.arn` " + "(a REGIONAL web ACL).",
  validate: (ctx, report) => {
    const associations = ctx.ofType([T.webAclAssociation]);
    ctx.each(ctx.ofType(LB_TYPES), (lb: PolicyResource) => {
      if (!isApplication(lb.props) || (isTrue(get(lb.props, "internal")) && !ctx.config.requireForInternal)) {
        return;
      }
      const joined = companionsOf(lb, associations, ["resourceArn"], isLb);
      if (joined.matched.length > 0) {
        return;
      }
      if (joined.undecided) {
        ctx.undecided([lb.type, lb.name, "arn"]);
        return;
      }
      report(lb.urn, "The internet-facing load balancer has no WAFv2 web ACL association.");
    });
  },
});

export const albPolicies = [albDropInvalidHeaders, albAccessLogsEnabled, albListenerTls, albWafEnabled];
