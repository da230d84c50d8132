import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isTrue, str } from "../lib/util";

export const opensearchHttpsTls = resourcePolicy<{ allowedTlsPolicies: string[] }>({
  name: "opensearch-https-tls",
  description: "OpenSearch domains require HTTPS with a TLS 1.2+ security policy.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.transmission),
  awsConfig: ["opensearch-https-required"],
  resourceTypes: [T.openSearchDomain],
  config: {
    allowedTlsPolicies: {
      type: "array",
      items: { type: "string" },
      default: ["Policy-Min-TLS-1-2-PFS-2023-10", "Policy-Min-TLS-1-2-2019-07"],
      description: "Accepted domainEndpointOptions.tlsSecurityPolicy values.",
    },
  },
  remediationSteps: 'Set `domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" }`.',
  validate: (ctx, report) => {
    if (!isTrue(get(ctx.props, "domainEndpointOptions", "enforceHttps"))) {
      report("HTTPS is not enforced (domainEndpointOptions.enforceHttps).");
    }
    const policy = str(get(ctx.props, "domainEndpointOptions", "tlsSecurityPolicy"));
    if (!policy || !ctx.config.allowedTlsPolicies.includes(policy)) {
      report(`The TLS security policy (${policy ?? "default Policy-Min-TLS-1-0-2019-07"}) allows TLS older than 1.2.`);
    }
  },
});
