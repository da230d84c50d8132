// ALB, WAFv2 and OpenSearch.
import { albAccessLogsEnabled, albDropInvalidHeaders, albListenerTls, albWafEnabled } from "../../policy-pack/policies/alb";
import { UNKNOWN_ARRAY, UNKNOWN_BOOLEAN, UNKNOWN_STRING } from "../../policy-pack/policies/lib/unknown";
import {
  opensearchDomainName,
  opensearchEncryptedAtRest,
  opensearchHttpsTls,
  opensearchInVpc,
  opensearchLogsToCloudwatch,
  opensearchNodeToNodeEncryption,
} from "../../policy-pack/policies/opensearch";
import { wafv2LoggingEnabled, wafv2ManagedRuleGroups } from "../../policy-pack/policies/wafv2";
import { StateResource } from "../../policy-pack/checker/deployment";
import { set } from "../../policy-pack/test-support/builder";
import { Platform } from "../../policy-pack/test-support/platform";
import { policySuite } from "../../policy-pack/test-support/suite";

const lb = (p: Platform) => p.find("aws:lb/loadBalancer:LoadBalancer");
const https = (p: Platform) => p.find("aws:lb/listener:Listener", "https-listener");
const http = (p: Platform) => p.find("aws:lb/listener:Listener", "http-redirect");
const acl = (p: Platform) => p.find("aws:wafv2/webAcl:WebAcl");
const assoc = (p: Platform) => p.find("aws:wafv2/webAclAssociation:WebAclAssociation");
const aclLogging = (p: Platform) => p.find("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
const domain = (p: Platform) => p.find("aws:opensearch/domain:Domain");
const unlink = (r: StateResource) => {
  r.propertyDependencies = {};
  r.dependencies = [];
};
/** The aws:alb aliases are judged like aws:lb. */
const toAlbAlias = (r: StateResource, to: string) => {
  r.urn = r.urn.replace(r.type, to);
  r.type = to;
};

describe("alb", () => {
  policySuite(albDropInvalidHeaders, {
    cases: [
      { name: "invalid headers forwarded", mutate: (p) => set(lb(p), "dropInvalidHeaderFields", false), expect: { violation: "alb" } },
      {
        name: "aws:alb alias judged the same",
        mutate: (p) => {
          const r = lb(p);
          toAlbAlias(r, "aws:alb/loadBalancer:LoadBalancer");
          set(r, "dropInvalidHeaderFields", undefined);
        },
        expect: { violation: "alb" },
      },
      {
        name: "network load balancers have no HTTP headers",
        mutate: (p) => {
          set(lb(p), "loadBalancerType", "network");
          set(lb(p), "dropInvalidHeaderFields", undefined);
        },
        expect: "clean",
      },
      {
        name: "preview: flag unknown -> can't run",
        mutate: (p) => set(lb(p), "dropInvalidHeaderFields", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
  policySuite(albAccessLogsEnabled, {
    cases: [
      { name: "access logs off", mutate: (p) => set(lb(p), "accessLogs.enabled", false), expect: { violation: "alb" } },
      { name: "no accessLogs block", mutate: (p) => set(lb(p), "accessLogs", undefined), expect: { violation: "alb" } },
      {
        name: "preview: bucket unknown -> passes (bucket being created)",
        mutate: (p) => set(lb(p), "accessLogs.bucket", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: enabled unknown -> can't run",
        mutate: (p) => set(lb(p), "accessLogs.enabled", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
  policySuite(albListenerTls, {
    cases: [
      {
        name: "HTTP listener forwarding traffic",
        mutate: (p) => set(http(p), "defaultActions", [{ type: "forward", targetGroupArn: "arn:tg" }]),
        expect: { violation: "http-redirect", message: /redirecting to HTTPS/ },
      },
      {
        name: "redirect to HTTP",
        mutate: (p) => set(http(p), "defaultActions.0.redirect.protocol", "HTTP"),
        expect: { violation: "http-redirect" },
      },
      {
        name: "outdated TLS policy",
        mutate: (p) => set(https(p), "sslPolicy", "ELBSecurityPolicy-2016-08"),
        expect: { violation: "https-listener", message: /outdated TLS/ },
      },
      { name: "default TLS policy", mutate: (p) => set(https(p), "sslPolicy", undefined), expect: { violation: "https-listener" } },
      {
        name: "IAM server certificate instead of ACM",
        mutate: (p) => set(https(p), "certificateArn", "arn:aws:iam::123456789012:server-certificate/x"),
        expect: { violation: "https-listener", message: /ACM/ },
      },
      {
        name: "aws:alb/listener alias judged the same",
        mutate: (p) => {
          const r = https(p);
          toAlbAlias(r, "aws:alb/listener:Listener");
          set(r, "sslPolicy", "ELBSecurityPolicy-2016-08");
        },
        expect: { violation: "https-listener" },
      },
      {
        name: "preview: certificate ARN unknown -> passes (certificate being created)",
        mutate: (p) => set(https(p), "certificateArn", UNKNOWN_STRING),
        expect: "clean",
      },
      { name: "preview: protocol unknown -> can't run", mutate: (p) => set(https(p), "protocol", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
  policySuite(albWafEnabled, {
    cases: [
      { name: "no web ACL association", mutate: (p) => p.remove(assoc(p)), expect: { violation: "alb" } },
      {
        name: "association of another load balancer",
        mutate: (p) => {
          set(assoc(p), "resourceArn", "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/other/1");
          unlink(assoc(p));
        },
        expect: { violation: "alb" },
      },
      {
        name: "internal load balancers are not required by default",
        mutate: (p) => {
          p.remove(assoc(p));
          set(lb(p), "internal", true);
        },
        expect: "clean",
      },
      {
        name: "...unless configured",
        config: { "alb-waf-enabled": { requireForInternal: true } },
        mutate: (p) => {
          p.remove(assoc(p));
          set(lb(p), "internal", true);
        },
        expect: { violation: "alb" },
      },
      {
        name: "preview: resourceArn unknown, joined through propertyDependencies -> passes",
        mutate: (p) => set(assoc(p), "resourceArn", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: resourceArn unknown without dependencies -> can't run",
        mutate: (p) => {
          set(assoc(p), "resourceArn", UNKNOWN_STRING);
          assoc(p).propertyDependencies = { webAclArn: [] };
        },
        expect: "unknown",
      },
    ],
  });
});

describe("wafv2", () => {
  policySuite(wafv2LoggingEnabled, {
    cases: [
      { name: "no logging configuration", mutate: (p) => p.remove(aclLogging(p)), expect: { violation: "web-acl" } },
      {
        name: "preview: destinations unknown -> passes",
        mutate: (p) => set(aclLogging(p), "logDestinationConfigs", [UNKNOWN_STRING]),
        expect: "clean",
      },
      {
        name: "preview: resourceArn unknown without dependencies -> can't run",
        mutate: (p) => {
          set(aclLogging(p), "resourceArn", UNKNOWN_STRING);
          aclLogging(p).propertyDependencies = { logDestinationConfigs: [] };
        },
        expect: "unknown",
      },
    ],
  });
  policySuite(wafv2ManagedRuleGroups, {
    env: "prod",
    cases: [
      {
        name: "managed rule group in count mode in prod",
        mutate: (p) => set(acl(p), "rules.0.overrideAction", { count: {} }),
        expect: { violation: "web-acl", message: /count mode/ },
      },
      {
        name: "count mode allowed in dev",
        env: "dev",
        mutate: (p) => set(acl(p), "rules.0.overrideAction", { count: {} }),
        expect: "clean",
      },
      {
        name: "rule group without overrideAction",
        mutate: (p) => {
          set(acl(p), "rules.0.overrideAction", undefined);
          set(acl(p), "rules.0.action", { block: {} });
        },
        expect: { violation: "web-acl", message: /without overrideAction/ },
      },
      {
        name: "no managed rule group at all",
        mutate: (p) => set(acl(p), "rules", [(acl(p).inputs.rules as unknown[])[1]]),
        expect: { violation: "web-acl", message: /no managed rule group/ },
      },
      {
        name: "required managed group missing",
        config: { "wafv2-managed-rule-groups": { requiredManagedRuleGroups: ["AWSManagedRulesKnownBadInputsRuleSet"] } },
        expect: { violation: "web-acl", message: /KnownBadInputs/ },
      },
      {
        name: "rules given as ruleJson",
        mutate: (p) => {
          set(acl(p), "rules", undefined);
          set(
            acl(p),
            "ruleJson",
            JSON.stringify([
              {
                Name: "common",
                Priority: 1,
                OverrideAction: { Count: {} },
                Statement: { ManagedRuleGroupStatement: { VendorName: "AWS", Name: "AWSManagedRulesCommonRuleSet" } },
              },
            ]),
          );
        },
        expect: { violation: "web-acl", message: /count mode/ },
      },
      { name: "preview: rules unknown -> can't run", mutate: (p) => set(acl(p), "rules", UNKNOWN_ARRAY), expect: "unknown" },
    ],
  });
});

describe("opensearch", () => {
  policySuite(opensearchEncryptedAtRest, {
    cases: [
      { name: "unencrypted", mutate: (p) => set(domain(p), "encryptAtRest", { enabled: false }), expect: { violation: "events-domain" } },
      {
        name: "AWS-managed key on a PHI domain",
        mutate: (p) => set(domain(p), "encryptAtRest", { enabled: true }),
        expect: { violation: "events-domain", message: /customer-managed/ },
      },
      {
        name: "preview: enabled unknown -> can't run",
        mutate: (p) => set(domain(p), "encryptAtRest.enabled", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
  policySuite(opensearchNodeToNodeEncryption, {
    cases: [
      { name: "off", mutate: (p) => set(domain(p), "nodeToNodeEncryption", undefined), expect: { violation: "events-domain" } },
      {
        name: "preview: unknown -> can't run",
        mutate: (p) => set(domain(p), "nodeToNodeEncryption.enabled", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
  policySuite(opensearchHttpsTls, {
    cases: [
      {
        name: "HTTPS not enforced",
        mutate: (p) => set(domain(p), "domainEndpointOptions.enforceHttps", false),
        expect: { violation: "events-domain", message: /HTTPS/ },
      },
      {
        name: "TLS 1.0 policy",
        mutate: (p) => set(domain(p), "domainEndpointOptions.tlsSecurityPolicy", "Policy-Min-TLS-1-0-2019-07"),
        expect: { violation: "events-domain", message: /older than 1.2/ },
      },
      {
        name: "preview: TLS policy unknown -> can't run",
        mutate: (p) => set(domain(p), "domainEndpointOptions.tlsSecurityPolicy", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
  policySuite(opensearchInVpc, {
    cases: [
      { name: "public endpoint", mutate: (p) => set(domain(p), "vpcOptions", undefined), expect: { violation: "events-domain" } },
      {
        name: "preview: subnet ids unknown -> passes",
        mutate: (p) => set(domain(p), "vpcOptions.subnetIds", UNKNOWN_ARRAY),
        expect: "clean",
      },
    ],
  });
  policySuite(opensearchLogsToCloudwatch, {
    cases: [
      {
        name: "no log publishing",
        mutate: (p) => set(domain(p), "logPublishingOptions", undefined),
        expect: { violation: "events-domain", message: /ES_APPLICATION_LOGS/ },
      },
      {
        name: "application logs disabled",
        mutate: (p) => set(domain(p), "logPublishingOptions.0.enabled", false),
        expect: { violation: "events-domain" },
      },
      {
        name: "audit logs required by config",
        config: { "opensearch-logs-to-cloudwatch": { requiredLogTypes: ["ES_APPLICATION_LOGS", "AUDIT_LOGS"] } },
        expect: { violation: "events-domain", message: /AUDIT_LOGS/ },
      },
      {
        name: "preview: log group ARN unknown -> passes",
        mutate: (p) => set(domain(p), "logPublishingOptions.0.cloudwatchLogGroupArn", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: log type unknown -> can't run",
        mutate: (p) => set(domain(p), "logPublishingOptions.0.logType", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
  policySuite(opensearchDomainName, {
    cases: [
      {
        name: "29 characters",
        mutate: (p) => set(domain(p), "domainName", "hcp-production-security-event"),
        expect: { violation: "events-domain", message: /29 characters/ },
      },
      {
        name: "uppercase",
        mutate: (p) => set(domain(p), "domainName", "Hcp-events"),
        expect: { violation: "events-domain", message: /lowercase/ },
      },
      { name: "auto-named (no domainName) passes", mutate: (p) => set(domain(p), "domainName", undefined), expect: "clean" },
      { name: "preview: name unknown -> can't run", mutate: (p) => set(domain(p), "domainName", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
});
