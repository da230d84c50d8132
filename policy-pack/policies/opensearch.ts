// OpenSearch: the security-event analytics domain (records of who accessed which PHI).

import { CITES, hipaa } from "./lib/hipaa";
import { resourcePolicy } from "./lib/define";
import { isClassifiedAs } from "./lib/tags";
import { T } from "./lib/types";
import { get, isFalse, isTrue, list, num, present, probe, str, UNKNOWN } from "./lib/util";

export const opensearchEncryptedAtRest = resourcePolicy<{ cmkClassifications: string[] }>({
  name: "opensearch-encrypted-at-rest",
  description: "OpenSearch domains encrypt data at rest; PHI and confidential domains with a customer-managed key.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  cdkNag: ["OpenSearchEncryptedAtRest"],
  awsConfig: ["opensearch-encrypted-at-rest", "elasticsearch-encrypted-at-rest"],
  resourceTypes: [T.openSearchDomain],
  config: {
    cmkClassifications: {
      type: "array",
      items: { type: "string" },
      default: ["PHI", "Confidential"],
      description: "DataClassification values that need a customer-managed key (an untagged domain counts as PHI).",
    },
  },
  remediationSteps: "Set `encryptAtRest: { enabled: true, kmsKeyId: key.arn }`.",
  validate: (ctx, report) => {
    if (!isTrue(get(ctx.props, "encryptAtRest", "enabled"))) {
      report("Encryption at rest is off: set encryptAtRest.enabled: true.");
      return;
    }
    if (isClassifiedAs(ctx.tags(), ctx.config.cmkClassifications) && !present(ctx.props, "encryptAtRest", "kmsKeyId")) {
      report("The domain is encrypted with the AWS-managed key: set encryptAtRest.kmsKeyId to a customer-managed key.");
    }
  },
});

export const opensearchNodeToNodeEncryption = resourcePolicy({
  name: "opensearch-node-to-node-encryption",
  description: "OpenSearch domains encrypt traffic between nodes.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.transmission),
  cdkNag: ["OpenSearchNodeToNodeEncryption"],
  awsConfig: ["opensearch-node-to-node-encryption-check", "elasticsearch-node-to-node-encryption-check"],
  resourceTypes: [T.openSearchDomain],
  remediationSteps: "Set `nodeToNodeEncryption: { enabled: true }`.",
  validate: (ctx, report) => {
    if (!isTrue(get(ctx.props, "nodeToNodeEncryption", "enabled"))) {
      report("Node-to-node encryption is off.");
    }
  },
});

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

export const opensearchInVpc = resourcePolicy({
  name: "opensearch-in-vpc",
  description: "OpenSearch domains are reachable only inside the VPC.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.publicAccess),
  cdkNag: ["OpenSearchInVPCOnly"],
  awsConfig: ["opensearch-in-vpc-only", "elasticsearch-in-vpc-only"],
  resourceTypes: [T.openSearchDomain],
  remediationSteps: "Set `vpcOptions: { subnetIds: <private subnets, one per AZ>, securityGroupIds: [...] }`.",
  validate: (ctx, report) => {
    if (!present(ctx.props, "vpcOptions", "subnetIds")) {
      report("The domain has a public endpoint: set vpcOptions.subnetIds.");
    }
  },
});

export const opensearchLogsToCloudwatch = resourcePolicy<{ requiredLogTypes: string[] }>({
  name: "opensearch-logs-to-cloudwatch",
  description: "OpenSearch domains publish their error logs (and any other configured log types) to CloudWatch Logs.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.audit),
  cdkNag: ["OpenSearchErrorLogsToCloudWatch"],
  awsConfig: ["opensearch-logs-to-cloudwatch", "elasticsearch-logs-to-cloudwatch"],
  resourceTypes: [T.openSearchDomain],
  config: {
    requiredLogTypes: {
      type: "array",
      items: { type: "string", enum: ["ES_APPLICATION_LOGS", "AUDIT_LOGS", "INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS"] },
      default: ["ES_APPLICATION_LOGS"],
      description: "Log types that must be published.",
    },
  },
  remediationSteps:
    'Add `logPublishingOptions: [{ logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: group.arn }]` ' +
    "and an aws.cloudwatch.LogResourcePolicy that lets es.amazonaws.com write to the group.",
  validate: (ctx, report) => {
    const options = list(get(ctx.props, "logPublishingOptions"));
    const published = new Set<string>();
    for (const o of options) {
      const type = str(get(o, "logType"));
      const arn = probe(o, "cloudwatchLogGroupArn");
      if (type && !isFalse(get(o, "enabled")) && (arn === UNKNOWN || (typeof arn === "string" && arn !== ""))) {
        published.add(type);
      }
    }
    const missing = ctx.config.requiredLogTypes.filter((t) => !published.has(t));
    if (missing.length > 0) {
      report(`The domain does not publish ${missing.join(", ")} to CloudWatch Logs.`);
    }
  },
});

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

export const opensearchProdAvailability = resourcePolicy<{ minAvailabilityZones: number; minDedicatedMasters: number }>({
  name: "opensearch-prod-availability",
  description: "Prod OpenSearch domains spread data nodes over Availability Zones (zone awareness) and run dedicated master nodes.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.availability),
  awsConfig: ["opensearch-data-node-fault-tolerance", "opensearch-primary-node-fault-tolerance"],
  resourceTypes: [T.openSearchDomain],
  environmentAware: true,
  config: {
    minAvailabilityZones: {
      type: "integer",
      minimum: 2,
      maximum: 3,
      default: 2,
      description: "Fewest Availability Zones for a prod domain's data nodes.",
    },
    minDedicatedMasters: {
      type: "integer",
      enum: [3, 5],
      default: 3,
      description: "Fewest dedicated master nodes of a prod domain (3 or 5).",
    },
  },
  remediationSteps:
    "In prod set `clusterConfig: { zoneAwarenessEnabled: true, zoneAwarenessConfig: { availabilityZoneCount: 2 | 3 }, " +
    "instanceCount: <a multiple of the zone count>, dedicatedMasterEnabled: true, dedicatedMasterCount: 3, dedicatedMasterType: ... }` " +
    "(https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html). Judged on the domain " +
    "itself: subnets in several AZs elsewhere in the stack do not make the domain zone-aware.",
  validate: (ctx, report) => {
    if (!ctx.isProd()) {
      return;
    }
    const cluster = get(ctx.props, "clusterConfig");
    if (!isTrue(get(cluster, "zoneAwarenessEnabled"))) {
      report(`Zone awareness is off (clusterConfig.zoneAwarenessEnabled) in ${ctx.env()}: one AZ outage takes the domain's data offline.`);
    } else {
      const zones = num(get(cluster, "zoneAwarenessConfig", "availabilityZoneCount")) ?? 2;
      if (zones < ctx.config.minAvailabilityZones) {
        report(`The domain spans ${zones} Availability Zones; at least ${ctx.config.minAvailabilityZones} are required in ${ctx.env()}.`);
      }
    }
    if (!isTrue(get(cluster, "dedicatedMasterEnabled"))) {
      report(`Dedicated master nodes are off (clusterConfig.dedicatedMasterEnabled) in ${ctx.env()}: data nodes also manage the cluster.`);
    } else {
      const masters = num(get(cluster, "dedicatedMasterCount")) ?? 3;
      if (masters < ctx.config.minDedicatedMasters) {
        report(
          `The domain has ${masters} dedicated master nodes; at least ${ctx.config.minDedicatedMasters} are required in ${ctx.env()}.`,
        );
      }
    }
  },
});

export const opensearchPolicies = [
  opensearchProdAvailability,
  opensearchEncryptedAtRest,
  opensearchNodeToNodeEncryption,
  opensearchHttpsTls,
  opensearchInVpc,
  opensearchLogsToCloudwatch,
  opensearchDomainName,
];
