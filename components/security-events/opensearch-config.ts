/**
 * The OpenSearch domain and its configuration: the deploy-time function whose role is the domain's
 * FGAC master user, the analytics domain with a per-principal access policy, HTTPS between the
 * stream, the function and the domain, and the run that maps the stream's role to a write-only role.
 */
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceRole } from "../lib/service-role";
import { createVpcFunction } from "../lib/vpc-function";
import {
  OPENSEARCH_CONFIG_ACTIONS,
  OPENSEARCH_CONFIG_READ_ACTIONS,
  OPENSEARCH_CONFIG_HANDLER,
  OPENSEARCH_CONFIG_MEMORY_MB,
  OPENSEARCH_CONFIG_TIMEOUT_SECONDS,
  OpenSearchConfigInput,
  opensearchConfigReadResources,
  opensearchConfigResources,
} from "../../lambda/opensearch-config/contract";
import type { PipelineContext } from "./context";
import { AnalyticsDomain } from "./domain";
import { EVENTS_INDEX_PATTERN, FIREHOSE_READ_PATHS, FIREHOSE_WRITE_PATHS } from "./stream";

export const OPENSEARCH_CONFIG_ENTRY = path.join(__dirname, "..", "..", "lambda", "opensearch-config", "index.ts");

/** The OpenSearch role the delivery stream's IAM role is mapped to (write-only on the pattern). */
export const WRITER_ROLE = "security-events-writer";

/** Reserved concurrency of the configuration function in prod: it runs once per deploy (see AUTHORIZER_RESERVED_CONCURRENCY_PROD). */
export const OPENSEARCH_CONFIG_RESERVED_CONCURRENCY_PROD = 1;

/** The domain, and the configuration run the stream waits for. */
export interface SearchDomain {
  readonly domain: AnalyticsDomain;
  readonly configRun: aws.lambda.Invocation;
}

export function createSearchDomain(
  ctx: PipelineContext,
  parts: { readonly domainArn: pulumi.Output<string>; readonly streamSg: aws.ec2.SecurityGroup; readonly streamRole: ServiceRole },
): SearchDomain {
  const { name, component, args, tags, region } = ctx;
  const { config } = args;
  const { domainArn, streamSg, streamRole } = parts;
  const parent = { parent: component };
  // --- The domain's configuration function (its role is the FGAC master user) -----------------
  const domainSgIngressSources: pulumi.Output<string>[] = [streamSg.id];
  const configFunction = createVpcFunction(
    `${name}-domain-config`,
    {
      config,
      description: "Deploy-time: maps the delivery stream's role to a write-only OpenSearch role and turns on audit logging",
      entry: OPENSEARCH_CONFIG_ENTRY,
      handler: OPENSEARCH_CONFIG_HANDLER,
      memorySizeInMb: OPENSEARCH_CONFIG_MEMORY_MB,
      timeoutInSeconds: OPENSEARCH_CONFIG_TIMEOUT_SECONDS,
      reservedConcurrency: config.environment === "prod" ? OPENSEARCH_CONFIG_RESERVED_CONCURRENCY_PROD : undefined,
      environment: {},
      environmentKeyArn: args.pipelineKeyArn,
      logKeyArn: args.auditKeyArn,
      network: args.network,
      statements: [
        {
          sid: "ConfigureDomainSecurity",
          effect: "Allow",
          actions: [...OPENSEARCH_CONFIG_ACTIONS],
          resources: domainArn.apply((arn) => opensearchConfigResources(arn, [WRITER_ROLE], EVENTS_INDEX_PATTERN)),
        },
        {
          // The ISM policy's version before updating it (if_seq_no/if_primary_term): that one path only.
          sid: "ReadEventIndexPolicy",
          effect: "Allow",
          actions: [...OPENSEARCH_CONFIG_READ_ACTIONS],
          resources: domainArn.apply((arn) => opensearchConfigReadResources(arn, EVENTS_INDEX_PATTERN)),
        },
      ],
      tags,
      purpose: "opensearch-config",
    },
    { parent: component },
  );
  domainSgIngressSources.push(configFunction.securityGroup.id);

  // --- The analytics domain --------------------------------------------------------------------
  const domain = new AnalyticsDomain(
    `${name}-analytics`,
    {
      config,
      kmsKeyArn: args.pipelineKeyArn,
      logKeyArn: args.auditKeyArn,
      vpcId: args.network.vpcId,
      privateSubnetIds: args.network.privateSubnetIds,
      masterUserArn: configFunction.role.role.arn,
      // Per principal (defect 11): the stream only Firehose's documented calls on its index paths, the
      // configuration function only the security-API paths it writes; neither reaches the other's.
      httpAccess: [
        {
          sid: "FirehoseWritesEvents",
          principalArn: streamRole.role.arn,
          actions: ["es:ESHttpPost", "es:ESHttpPut"],
          paths: FIREHOSE_WRITE_PATHS,
        },
        { sid: "FirehoseReadsClusterState", principalArn: streamRole.role.arn, actions: ["es:ESHttpGet"], paths: FIREHOSE_READ_PATHS },
        {
          sid: "ConfigurationWritesSecurityApi",
          principalArn: configFunction.role.role.arn,
          actions: [...OPENSEARCH_CONFIG_ACTIONS],
          paths: opensearchConfigResources("", [WRITER_ROLE], EVENTS_INDEX_PATTERN).map((p) => p.replace(/^\//, "")),
        },
        {
          sid: "ConfigurationReadsIsmPolicy",
          principalArn: configFunction.role.role.arn,
          actions: [...OPENSEARCH_CONFIG_READ_ACTIONS],
          paths: opensearchConfigReadResources("", EVENTS_INDEX_PATTERN).map((p) => p.replace(/^\//, "")),
        },
      ],
    },
    parent,
  );
  // HTTPS between the stream and the configuration function and the domain, as standalone rules.
  const domainIngress = domainSgIngressSources.map((source, i) => {
    const who = i === 0 ? "stream" : "config";
    return new aws.vpc.SecurityGroupIngressRule(
      `${name}-domain-from-${who}`,
      {
        securityGroupId: domain.securityGroupId,
        referencedSecurityGroupId: source,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: `HTTPS from the ${who === "stream" ? "Firehose stream" : "configuration function"}`,
        tags: tags("opensearch"),
      },
      parent,
    );
  });
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-stream-to-domain`,
    {
      securityGroupId: streamSg.id,
      referencedSecurityGroupId: domain.securityGroupId,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "HTTPS to the OpenSearch domain",
      tags: tags("firehose"),
    },
    parent,
  );
  const configToDomain = new aws.vpc.SecurityGroupEgressRule(
    `${name}-config-to-domain`,
    {
      securityGroupId: configFunction.securityGroup.id,
      referencedSecurityGroupId: domain.securityGroupId,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "HTTPS to the OpenSearch domain",
      tags: tags("opensearch-config"),
    },
    parent,
  );

  // Map the stream's role to the write-only role, and turn on FGAC audit logs: at deploy time,
  // again whenever the input or the handler's code changes (the writer's permissions and the audit
  // settings live in the handler), and only once the function can reach the domain on 443.
  const configInput: pulumi.Output<OpenSearchConfigInput> = pulumi
    .all([domain.endpoint, region.region, streamRole.role.arn])
    .apply(([endpoint, regionName, writerArn]) => ({
      endpoint,
      region: regionName,
      indexPattern: EVENTS_INDEX_PATTERN,
      retentionDays: config.eventIndexRetentionInDays,
      writer: { roleName: WRITER_ROLE, backendRoles: [writerArn] },
    }));
  const configRun = new aws.lambda.Invocation(
    `${name}-domain-config-run`,
    {
      functionName: configFunction.fn.name,
      input: configInput.apply((i) => JSON.stringify(i)),
      triggers: { input: configInput.apply((i) => JSON.stringify(i)), codeSha256: configFunction.codeSha256 },
    },
    { parent: component, dependsOn: [domain, domainIngress[1], configToDomain] },
  );
  return { domain, configRun };
}
