import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, str } from "../lib/util";

export const opensearchDomainName = resourcePolicy<{ maxLength: number }>({
  name: "opensearch-domain-name",
  description: "OpenSearch domain names fit AWS limits (3-28 characters, lowercase, starting with a letter).",
  severity: "medium",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.availability),
  resourceTypes: [T.openSearchDomain],
  config: {
    maxLength: { type: "integer", minimum: 3, maximum: 28, default: 28, description: "Longest allowed domain name." },
  },
  remediationSteps:
    "Derive `domainName` from the stack with the naming helper so it stays within 28 characters " +
    "(or leave it unset and let Pulumi auto-name it within the limit).",
  validate: (ctx, report) => {
    const name = str(get(ctx.props, "domainName"));
    if (name === undefined) {
      return; // auto-named by the provider within the limit
    }
    if (name.length > ctx.config.maxLength || name.length < 3) {
      report(`domainName "${name}" has ${name.length} characters; OpenSearch allows 3-${ctx.config.maxLength}.`);
    }
    if (!/^[a-z][a-z0-9-]*$/.test(name)) {
      report(`domainName "${name}" must start with a lowercase letter and contain only a-z, 0-9 and hyphens.`);
    }
  },
});
