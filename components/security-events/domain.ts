/**
 * The analytics domain of the security-event pipeline: Amazon OpenSearch Service in the VPC's
 * private subnets, where every access to PHI is searchable within seconds.
 *
 * - Encrypted at rest with the pipeline key, node-to-node encrypted, HTTPS only with a TLS 1.2+
 *   policy; fine-grained access control with an IAM master user (the deploy-time configuration
 *   function's role) and no internal user database; slow, application and audit logs to
 *   KMS-encrypted log groups of the platform.
 * - prod: zone awareness over up to three AZs, three dedicated masters, data nodes a multiple of
 *   the zone count; dev: one small data node in one subnet.
 * - Reachable on 443 only from the security groups the caller names (the Firehose stream's and the
 *   configuration function's).
 *
 * AWS: https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html,
 * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html,
 * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/createdomain-configure-slow-logs.html
 * (log publishing needs a CloudWatch Logs resource policy for `es.amazonaws.com`),
 * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html.
 *
 * HIPAA Security Rule: 164.312(a)(2)(iv) encryption, 164.312(e)(1) transmission security,
 * 164.312(b) audit controls, 164.308(a)(7) availability (prod).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, StackContext } from "../config";
import { logGroupName, physicalName } from "../lib/naming";
import { statefulOptions } from "../lib/stateful";
import { accountServiceLinkedRole } from "../service-linked-roles";
import { platformTags } from "../lib/tags";

/** The engine version: the current OpenSearch line. */
export const OPENSEARCH_ENGINE_VERSION = "OpenSearch_2.19";
/** TLS 1.2 minimum with perfect forward secrecy (the domain endpoint's strictest policy). */
export const OPENSEARCH_TLS_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10";

/** The log types a domain publishes (all four: slow logs, error logs and the FGAC audit log). */
export const OPENSEARCH_LOG_TYPES = ["INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS", "ES_APPLICATION_LOGS", "AUDIT_LOGS"] as const;

/** The domain's size in each environment. */
export interface DomainSizing {
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly zoneCount: number;
  readonly dedicatedMasterType?: string;
  readonly dedicatedMasterCount?: number;
  readonly volumeSizeInGb: number;
}

/**
 * prod: as many zones as the network has, up to three (OpenSearch's maximum), one data node per zone
 * (a multiple of the zone count, so every zone holds a replica), three dedicated masters (the count
 * AWS recommends for production); dev: one burstable node, no masters.
 */
export function domainSizing(environment: "dev" | "prod", availabilityZoneCount: number): DomainSizing {
  if (environment === "dev") return { instanceType: "t3.medium.search", instanceCount: 1, zoneCount: 1, volumeSizeInGb: 20 };
  const zoneCount = Math.min(3, availabilityZoneCount);
  return {
    instanceType: "r7g.large.search",
    instanceCount: zoneCount,
    zoneCount,
    dedicatedMasterType: "m7g.large.search",
    dedicatedMasterCount: 3,
    volumeSizeInGb: 100,
  };
}

/** Problems with a sizing (empty when valid): what AWS refuses at CreateDomain. */
export function domainSizingProblems(s: DomainSizing): string[] {
  const problems: string[] = [];
  if (s.zoneCount < 1 || s.zoneCount > 3) problems.push(`zoneCount must be 1 to 3 (OpenSearch zone awareness), got ${s.zoneCount}`);
  if (s.instanceCount % s.zoneCount !== 0) problems.push(`instanceCount ${s.instanceCount} must be a multiple of zoneCount ${s.zoneCount}`);
  if (s.dedicatedMasterCount !== undefined && ![3, 5].includes(s.dedicatedMasterCount)) {
    problems.push(`dedicatedMasterCount must be 3 or 5, got ${s.dedicatedMasterCount}`);
  }
  return problems;
}

export interface AnalyticsDomainArgs {
  readonly config: StackContext & Pick<PlatformConfig, "availabilityZoneCount" | "logRetentionInDays" | "existingServiceLinkedRoles">;
  /** The pipeline key (encryption at rest). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The audit key (the domain's log groups). */
  readonly logKeyArn: pulumi.Input<string>;
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets, one per AZ, in AZ order; the domain uses the first `zoneCount`. */
  readonly privateSubnetIds: pulumi.Output<string[]>;
  /** IAM principal ARN of the FGAC master user (the configuration function's role). */
  readonly masterUserArn: pulumi.Input<string>;
  /**
   * Who may call which HTTP paths of the domain (its access policy), one statement each. In one
   * account the access policy and IAM are a union, so each principal gets only its own paths here:
   * FGAC is not the only check. Paths are relative to the domain ARN (`_bulk`, `_plugins/...`).
   */
  readonly httpAccess: readonly DomainHttpAccess[];
  /** @default domainSizing(config.environment, config.availabilityZoneCount) */
  readonly sizing?: DomainSizing;
}

/** One statement of the domain's access policy. */
export interface DomainHttpAccess {
  readonly sid: string;
  readonly principalArn: pulumi.Input<string>;
  readonly actions: readonly string[];
  /** Request paths relative to the domain (`""` is the root, `GET /`). */
  readonly paths: pulumi.Input<readonly string[]>;
}

export class AnalyticsDomain extends pulumi.ComponentResource {
  readonly domainName: string;
  readonly domainArn: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;
  readonly sizing: DomainSizing;

  constructor(name: string, args: AnalyticsDomainArgs, opts?: pulumi.ComponentResourceOptions) {
    const { config } = args;
    const sizing = args.sizing ?? domainSizing(config.environment, config.availabilityZoneCount);
    const problems = domainSizingProblems(sizing);
    if (problems.length > 0) throw new Error(`AnalyticsDomain ${name}: invalid sizing: ${problems.join("; ")}`);
    super("healthcare:security-events:AnalyticsDomain", name, {}, opts);

    const parent = { parent: this };
    const tags = (purpose: string) => platformTags(config, { dataClassification: "PHI", purpose });
    const identity = aws.getCallerIdentityOutput({}, parent);
    const region = aws.getRegionOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent);
    this.sizing = sizing;
    this.domainName = physicalName(config.stack, "openSearchDomain", "events");
    const domainArn = pulumi.interpolate`arn:${partition.partition}:es:${region.region}:${identity.accountId}:domain/${this.domainName}`;

    // No inline rules, not even empty lists: callers add ingress from their own security groups as
    // standalone rules (no cycle), and a group with inline lists would remove those rules on the next
    // update after a refresh (provider docs: never mix inline rules and rule resources). No egress:
    // the provider revokes AWS's default allow-all egress rule when it creates the group
    // (terraform-provider-aws vpc_security_group.go, resourceSecurityGroupCreate).
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        name: physicalName(config.stack, "securityGroup", "opensearch"),
        description: "OpenSearch domain: HTTPS from pipeline security groups only, no egress",
        tags: tags("opensearch"),
      },
      parent,
    );
    this.securityGroupId = securityGroup.id;

    // Slow, application and audit logs: KMS-encrypted, kept as the stack keeps logs.
    const logGroups = OPENSEARCH_LOG_TYPES.map(
      (type) =>
        new aws.cloudwatch.LogGroup(
          `${name}-${type.toLowerCase().replace(/_/g, "-")}`,
          {
            name: logGroupName(config.stack, "opensearch", type.toLowerCase().replace(/_/g, "-")),
            kmsKeyId: args.logKeyArn,
            retentionInDays: config.logRetentionInDays,
            deletionProtectionEnabled: config.protectData,
            tags: tags("opensearch-logs"),
          },
          statefulOptions(this, config.protectData),
        ),
    );
    // OpenSearch writes them as es.amazonaws.com; AWS documents aws:SourceAccount and aws:SourceArn
    // (the domain) for this policy. An account holds at most 10 such policies per region.
    const logPolicy = aws.iam.getPolicyDocumentOutput(
      {
        statements: [
          {
            sid: "OpenSearchPublishDomainLogs",
            effect: "Allow",
            principals: [{ type: "Service", identifiers: ["es.amazonaws.com"] }],
            actions: ["logs:PutLogEvents", "logs:CreateLogStream"],
            resources: logGroups.map((g) => pulumi.interpolate`${g.arn}:*`),
            conditions: [
              { test: "StringEquals", variable: "aws:SourceAccount", values: [identity.accountId] },
              { test: "ArnLike", variable: "aws:SourceArn", values: [domainArn] },
            ],
          },
        ],
      },
      parent,
    );
    const logResourcePolicy = new aws.cloudwatch.LogResourcePolicy(
      `${name}-log-policy`,
      { policyName: physicalName(config.stack, "logResourcePolicy", "opensearch-log-delivery"), policyDocument: logPolicy.json },
      parent,
    );

    // Who may reach the HTTP API at all; fine-grained access control decides what each may do.
    const accessPolicy = aws.iam.getPolicyDocumentOutput(
      {
        statements: args.httpAccess.map((a) => ({
          sid: a.sid,
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [a.principalArn] }],
          actions: [...a.actions],
          resources: pulumi.all([domainArn, a.paths]).apply(([arn, paths]) => paths.map((p) => `${arn}/${p}`)),
        })),
      },
      parent,
    );

    // CreateDomain in a VPC needs the account's OpenSearch service-linked role, which only the console
    // creates on its own (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/slr.html);
    // created here unless the stack lists it as existing (creating it twice fails).
    const serviceLinkedRole = accountServiceLinkedRole(`${name}-service-linked-role`, "opensearchservice.amazonaws.com", config, parent);

    const zoned = sizing.zoneCount > 1;
    const domain = new aws.opensearch.Domain(
      `${name}-domain`,
      {
        domainName: this.domainName,
        engineVersion: OPENSEARCH_ENGINE_VERSION,
        clusterConfig: {
          instanceType: sizing.instanceType,
          instanceCount: sizing.instanceCount,
          zoneAwarenessEnabled: zoned,
          ...(zoned ? { zoneAwarenessConfig: { availabilityZoneCount: sizing.zoneCount } } : {}),
          dedicatedMasterEnabled: sizing.dedicatedMasterCount !== undefined,
          ...(sizing.dedicatedMasterCount === undefined
            ? {}
            : { dedicatedMasterType: sizing.dedicatedMasterType, dedicatedMasterCount: sizing.dedicatedMasterCount }),
          multiAzWithStandbyEnabled: false,
        },
        ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: sizing.volumeSizeInGb },
        vpcOptions: {
          subnetIds: args.privateSubnetIds.apply((ids) => ids.slice(0, sizing.zoneCount)),
          securityGroupIds: [securityGroup.id],
        },
        encryptAtRest: { enabled: true, kmsKeyId: args.kmsKeyArn },
        nodeToNodeEncryption: { enabled: true },
        domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: OPENSEARCH_TLS_POLICY },
        advancedSecurityOptions: {
          enabled: true,
          anonymousAuthEnabled: false,
          internalUserDatabaseEnabled: false,
          masterUserOptions: { masterUserArn: args.masterUserArn },
        },
        logPublishingOptions: OPENSEARCH_LOG_TYPES.map((logType, i) => ({
          logType,
          cloudwatchLogGroupArn: logGroups[i].arn,
          enabled: true,
        })),
        softwareUpdateOptions: { autoSoftwareUpdateEnabled: true },
        accessPolicies: accessPolicy.json,
        tags: tags("opensearch"),
      },
      {
        ...statefulOptions(this, config.protectData),
        dependsOn: [logResourcePolicy, ...(serviceLinkedRole.resource === undefined ? [] : [serviceLinkedRole.resource])],
      },
    );
    this.domainArn = domain.arn;
    this.endpoint = domain.endpoint;
    this.registerOutputs({ domainName: this.domainName, domainArn: this.domainArn, endpoint: this.endpoint });
  }
}
