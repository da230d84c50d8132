/**
 * healthcare-platform: the composition root. Loads and validates the stack's config, then builds
 * the platform from its components and exports what an operator needs. Nothing else lives here.
 */
import * as aws from "@pulumi/aws";
import { loadPlatformConfig, placeholderProblems, PlatformConfigError, readAwsRegion } from "./components/config";
import { platformTags } from "./components/lib/tags";
import { Encryption, KEY_PURPOSE_NAMES } from "./components/encryption";
import { keySet } from "./components/key-set";
import { platformContext } from "./components/platform-context";
import { accountServiceLinkedRole } from "./components/service-linked-roles";
import { Network } from "./components/network";
import { GATEWAY_ENDPOINT_SERVICES } from "./components/network/plan";
import { SecureBucket } from "./components/lib/secure-bucket";
import { Audit, SecurityAlerts } from "./components/audit";
import { Backup } from "./components/backup";
import { AccountGuardrails } from "./components/guardrails";
import { Processing } from "./components/processing";
import { Recovery } from "./components/recovery";
import { ApplicationTier, DATABASE_WINDOWS, createAutoScalingServiceLinkedRole } from "./components/application";
import { SecurityEvents } from "./components/security-events";
import { IncidentWorkflow } from "./components/security-events/incident-workflow";
import { replicationGrants } from "./components/security-events/store";
import { Canary } from "./components/canary";
import { CANARY_METRIC_NAMESPACE, CANARY_PROBE_KEY } from "./lambda/canary/contract";

const config = loadPlatformConfig();

// One explicit provider: region from `aws:region`, the platform's tags as defaultTags (every
// resource also carries them explicitly, so policy checks and mocks see them).
// Every provider's region (this one and the recovery region's) waits for the caller identity and the
// placeholder check: against a real account, a committed placeholder ARN fails the run before any
// provider (and so anything built with one) registers; the offline plan runs as the placeholder
// account and passes.
const placeholderCheck = aws.getCallerIdentityOutput().accountId.apply((account) => {
  const problems = placeholderProblems(config, account);
  if (problems.length > 0) throw new PlatformConfigError(problems, "");
  return account;
});
const provider = new aws.Provider("aws", {
  region: placeholderCheck.apply(() => readAwsRegion() as aws.Region),
  defaultTags: { tags: { ...platformTags(config) } },
});
const opts = { providers: [provider] };

// The recovery region (prod requires one): its own provider, keys, access logs, the PHI and trail
// replicas and the vault backups are copied into.
const recovery = config.recoveryRegion === undefined ? undefined : new Recovery("recovery", { config, providerGate: placeholderCheck });

// The application tier's Auto Scaling service-linked role exists before the keys: the PHI key's
// policy names it (its instances' volumes are encrypted with that key), and KMS refuses a policy
// naming a role that does not exist.
const autoScalingRole = createAutoScalingServiceLinkedRole("application-autoscaling-role", config, { provider });
// Macie's service-linked role exists before the keys too: the PHI key's policy lets it decrypt what it classifies.
const macieRole = accountServiceLinkedRole("macie-service-linked-role", "macie.amazonaws.com", config, {
  provider,
});
const encryption = new Encryption(
  "encryption",
  { config, autoScalingServiceLinkedRoleArn: autoScalingRole.arn, macieServiceLinkedRoleArn: macieRole.arn },
  opts,
);
// Every key of the primary region, each present.
const keys = keySet(encryption, KEY_PURPOSE_NAMES);
const network = new Network("network", { config, auditKeyArn: keys.audit.arn }, opts);

// One entry per gateway endpoint (a length known at plan time): the functions' security groups get
// one standalone egress rule each.
const gatewayPrefixListIds = GATEWAY_ENDPOINT_SERVICES.map((_, i) => network.gatewayPrefixListIds.apply((ids) => ids[i]));

// Server access logs of every bucket land here (the bucket itself logs nowhere).
const accessLogs = SecureBucket.forAccessLogs("access-logs", { config }, opts);

const alerts = new SecurityAlerts("alerts", { config, kmsKeyArn: keys.audit.arn }, opts);

// What every component from here on receives: config, keys, the access-log bucket, the alert topic.
const platform = platformContext({ config, keys, accessLogBucket: accessLogs.bucketName, alertTopicArn: alerts.topicArn });

const processing = new Processing(
  "processing",
  {
    platform,
    privateSubnetIds: network.privateSubnetIds,
    vpcId: network.vpcId,
    gatewayEndpointPrefixListIds: gatewayPrefixListIds,
    phiReplica: recovery?.phiReplica,
  },
  opts,
);

// Account-wide (one Config recorder and GuardDuty detector per account and region): only in a
// standalone account; in an AWS Organization the organization runs them (README).
const guardrails = config.enableAccountGuardrails
  ? new AccountGuardrails("guardrails", { platform, catalogKeyArn: keys.pipeline.arn }, opts)
  : undefined;

// The security-event archive: built before the trail, which records access to it as to every PHI bucket.
const eventArchive = SecurityEvents.createArchive("security-events-archive", { platform, replicateTo: recovery?.eventsReplica }, opts);

// The incident reports (Object Lock): PHI like the archive, so built before the trail and replicated in prod.
const incidentReports = IncidentWorkflow.createReportBucket(
  "security-events-reports",
  { platform, replicateTo: recovery?.reportsReplica },
  opts,
);

const audit = new Audit(
  "audit",
  {
    platform,
    // Object-level reads and writes of every PHI bucket, the replicas included (the trail is multi-region).
    phiBucketArns: [processing.dataBucketArn, eventArchive.arn, incidentReports.arn, ...(recovery?.phiBucketArns ?? [])],
    // Who reads or deletes logs: the access-log buckets of both regions, the trail replica, Config's bucket.
    logBucketArns: [accessLogs.arn, ...(recovery?.logBucketArns ?? []), ...(guardrails === undefined ? [] : [guardrails.configBucketArn])],
    trailReplica: recovery?.trailReplica,
  },
  opts,
);

// The canary: every run proves the PHI path and that an ungranted read of PHI becomes an alert.
const canaryComponent = new Canary(
  "canary",
  {
    platform,
    dataBucket: { name: processing.dataBucketName, arn: processing.dataBucketArn },
    auditTable: { name: processing.tableName, arn: processing.tableArn },
    network: { vpcId: network.vpcId, subnetIds: network.privateSubnetIds },
  },
  opts,
);

// Every access to PHI: authorized against the declared grants, searchable, archived; a denied one opens an incident.
const securityEvents = new SecurityEvents(
  "security-events",
  {
    platform,
    archive: eventArchive,
    reportBucket: incidentReports,
    // The guardrails encrypt the Glue Data Catalog with the pipeline key (issue 16, defect 10).
    catalogKeyArn: guardrails ? keys.pipeline.arn : undefined,
    trailLogGroupName: audit.logGroupName,
    trailLogGroupArn: audit.logGroupArn,
    network: {
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      privateSubnetIds: network.privateSubnetIds,
      vpcCidr: config.vpcCidr,
      gatewayEndpointPrefixListIds: gatewayPrefixListIds,
    },
    phiBucketNames: {
      "phi-data": processing.dataBucketName,
      "security-events": eventArchive.bucketName,
      ...recovery?.phiBucketNames,
    },
    // The platform's own access to PHI: the data processor reads intake/ and files processed/ and quarantine/.
    platformGrants: [
      {
        holder: "data-processor",
        principal: processing.roleArn,
        bucket: "phi-data",
        prefix: "intake/",
        access: ["read"],
        reason: "reads each intake object",
      },
      {
        holder: "data-processor",
        principal: processing.roleArn,
        bucket: "phi-data",
        prefix: "processed/",
        access: ["write"],
        reason: "files valid records",
      },
      {
        holder: "data-processor",
        principal: processing.roleArn,
        bucket: "phi-data",
        prefix: "quarantine/",
        access: ["write"],
        reason: "files invalid records",
      },
      // The canary's own role (its probe role is deliberately not granted).
      ...canaryComponent.platformGrants,
      // Each replicated bucket's replication role and S3 itself (store.ts replicationGrants).
      ...replicationGrants({
        holder: "phi-replication",
        role: processing.replicationRoleArn,
        source: "phi-data",
        replica: "phi-replica",
        reasons: ["replicates every new version", "writes the replicas"],
      }),
      ...replicationGrants({
        holder: "events-replication",
        role: eventArchive.replication?.role,
        source: "security-events",
        replica: "security-events-replica",
        reasons: ["replicates the archive", "writes its replicas"],
      }),
      ...replicationGrants({
        holder: "reports-replication",
        role: incidentReports.replication?.role,
        source: "incident-reports",
        replica: "incident-reports-replica",
        reasons: ["replicates the reports", "writes their replicas"],
      }),
    ],
    canary: canaryComponent.securityEventsCanary,
  },
  opts,
);

// The application tier: ALB + WAF -> Auto Scaling group -> RDS PostgreSQL; the developers group.
const application = new ApplicationTier(
  "application",
  {
    platform,
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    isolatedSubnetIds: network.isolatedSubnetIds,
    endpointSecurityGroupId: network.endpointSecurityGroupId,
    gatewayPrefixListIds: network.gatewayPrefixListIds,
    autoScalingServiceLinkedRoleArn: autoScalingRole.arn,
  },
  opts,
);

// The audit records' long-term copy: the processing audit table, and in prod the application database.
const backup = new Backup(
  "backup",
  {
    platform,
    resources: [
      { arn: processing.tableArn, kmsKeyArn: keys.phi.arn, service: "dynamodb" },
      ...(config.environment === "prod"
        ? [{ arn: application.databaseArn, kmsKeyArn: keys.phi.arn, service: "rds" as const, windows: DATABASE_WINDOWS }]
        : []),
    ],
    copyTo: recovery?.backupVault,
  },
  opts,
);

export const environment = config.environment;
// The region the provider deploys to (npm run verify reads it: tools/verify/outputs.ts).
export const region = readAwsRegion();
export const keyAliases = { phi: keys.phi.aliasName, audit: keys.audit.aliasName };
export const vpcId = network.vpcId;
export const publicSubnetIds = network.publicSubnetIds;
export const privateSubnetIds = network.privateSubnetIds;
export const isolatedSubnetIds = network.isolatedSubnetIds;
export const buckets = {
  phiData: processing.dataBucketName,
  accessLogs: accessLogs.bucketName,
  auditTrail: audit.trailBucketName,
  ...(guardrails === undefined ? {} : { awsConfig: guardrails.configBucketName }),
};
export const dataProcessorFunctionName = processing.functionName;
export const dataProcessorDeadLetterQueueArn = processing.deadLetterQueueArn;
export const auditTableName = processing.tableName;
export const dataProcessorConfigParameter = processing.configParameterName;
export const alertTopicArn = alerts.topicArn;
export const trailName = audit.trailName;
export const trailLogGroupName = audit.logGroupName;
export const backupVaultName = backup.vaultName;
export const securityEventPipeline = {
  streamName: securityEvents.streamName,
  domainEndpoint: securityEvents.domainEndpoint,
  // arn:<partition>:es:<region>:<account>:domain/<name>
  domainName: securityEvents.domainArn.apply((arn) => arn.split("/").pop() ?? ""),
  archiveBucket: securityEvents.archiveBucketName,
  glueTable: securityEvents.glueTableName,
  athenaWorkgroup: securityEvents.athenaWorkgroupName,
  authorizerFunction: securityEvents.authorizerFunctionName,
  incidentStateMachineArn: securityEvents.incidentStateMachineArn,
  incidentReportBucket: securityEvents.incidentReportBucketName,
  incidentReportFunction: securityEvents.incidentReportFunctionName,
};
// Only a stack with a recovery region has these; without one the output is an empty object, never
// `undefined` (which Pulumi drops from the outputs with a warning on every preview and update).
export const recoveryCopy =
  recovery === undefined
    ? {}
    : {
        region: recovery.region,
        phiReplicaBucket: recovery.phiReplicaBucketName,
        trailReplicaBucket: recovery.trailReplicaBucketName,
        reportsReplicaBucket: recovery.reportsReplicaBucketName,
        backupVaultName: recovery.backupVaultName,
        accessLogBucket: recovery.accessLogBucketName,
        keyAliases: { phi: recovery.keys.phi.aliasName, audit: recovery.keys.audit.aliasName },
      };
// The application tier. `databaseSecretArn` is the RDS-managed master secret (Secrets Manager, PHI key);
// `developersGroupName` is "" unless `enableDevelopersGroup` (an undefined output would be dropped with a warning).
export const applicationLoadBalancer = {
  dnsName: application.loadBalancerDnsName,
  arn: application.loadBalancerArn,
  accessLogBucket: application.loadBalancerLogBucketName,
};
export const applicationWebAclArn = application.webAclArn;
export const applicationWebAclLogGroupName = application.webAclLogGroupName;
export const applicationDatabase = { endpoint: application.databaseEndpoint, secretArn: application.databaseSecretArn };
export const applicationAutoScalingGroupName = application.autoScalingGroupName;
export const applicationInstanceRoleArn = application.instanceRoleArn;
export const applicationLogGroupName = application.applicationLogGroupName;
export const developersGroupName = application.developersGroupName ?? "";
// The canary: what `npm run verify` reads to find its function, metrics and objectives.
export const canary = {
  functionName: canaryComponent.functionName,
  probeRoleArn: canaryComponent.probeRoleArn,
  metricNamespace: CANARY_METRIC_NAMESPACE,
  metricDimensions: { Stack: config.stack },
  processingObjectiveSeconds: canaryComponent.processingObjectiveSeconds,
  detectionObjectiveSeconds: canaryComponent.detectionObjectiveSeconds,
  scheduleMinutes: canaryComponent.scheduleMinutes,
  bucket: processing.dataBucketName,
  probeObjectKey: CANARY_PROBE_KEY,
};
