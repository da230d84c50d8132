/**
 * healthcare-platform: the composition root. Loads and validates the stack's config, then builds
 * the platform from its components and exports what an operator needs. Nothing else lives here.
 */
import * as aws from "@pulumi/aws";
import { loadPlatformConfig, readAwsRegion } from "./components/config";
import { platformTags } from "./components/tags";
import { Encryption } from "./components/encryption";
import { Network } from "./components/network";
import { SecureBucket } from "./components/secure-bucket";
import { Audit, SecurityAlerts } from "./components/audit";
import { Backup } from "./components/backup";
import { AccountGuardrails } from "./components/guardrails";
import { Processing } from "./components/processing";
import { Recovery } from "./components/recovery";

const config = loadPlatformConfig();

// One explicit provider: region from `aws:region`, the platform's tags as defaultTags (every
// resource also carries them explicitly, so policy checks and mocks see them).
const provider = new aws.Provider("aws", {
  region: readAwsRegion() as aws.Region,
  defaultTags: { tags: { ...platformTags(config) } },
});
const opts = { providers: [provider] };

// The recovery region (prod requires one): its own provider, keys, access logs, the PHI and trail
// replicas and the vault backups are copied into.
const recovery = config.recoveryRegion === undefined ? undefined : new Recovery("recovery", { config });

const encryption = new Encryption("encryption", { config }, opts);
const network = new Network("network", { config, auditKeyArn: encryption.audit.arn }, opts);

// Server access logs of every bucket land here (the bucket itself logs nowhere).
const accessLogs = SecureBucket.forAccessLogs("access-logs", { config }, opts);

const alerts = new SecurityAlerts("alerts", { config, kmsKeyArn: encryption.audit.arn }, opts);

const processing = new Processing(
  "processing",
  {
    config,
    phiKeyArn: encryption.phi.arn,
    auditKeyArn: encryption.audit.arn,
    accessLogBucket: accessLogs.bucketName,
    alertTopicArn: alerts.topicArn,
    privateSubnetIds: network.privateSubnetIds,
    vpcId: network.vpcId,
    vpcCidr: config.vpcCidr,
    gatewayEndpointPrefixListIds: network.gatewayPrefixListIds,
    phiReplica: recovery?.phiReplica,
  },
  opts,
);

// Account-wide (one Config recorder and GuardDuty detector per account and region): only in a
// standalone account; in an AWS Organization the organization runs them (README).
const guardrails = config.enableAccountGuardrails
  ? new AccountGuardrails("guardrails", { config, auditKeyArn: encryption.audit.arn, accessLogBucket: accessLogs.bucketName }, opts)
  : undefined;

const audit = new Audit(
  "audit",
  {
    config,
    auditKeyArn: encryption.audit.arn,
    accessLogBucket: accessLogs.bucketName,
    alertTopicArn: alerts.topicArn,
    // Object-level reads and writes of every PHI bucket, the replica included (the trail is multi-region).
    phiBucketArns: recovery === undefined ? [processing.dataBucketArn] : [processing.dataBucketArn, recovery.phiReplicaBucketArn],
    // Who reads or deletes logs: the access-log buckets of both regions, the trail replica, Config's bucket.
    logBucketArns: [
      accessLogs.arn,
      ...(recovery === undefined ? [] : [recovery.accessLogBucketArn, recovery.trailReplicaBucketArn]),
      ...(guardrails === undefined ? [] : [guardrails.configBucketArn]),
    ],
    trailReplica: recovery?.trailReplica,
  },
  opts,
);

// The audit records' long-term copy: the processing audit table (and, later, the database).
const backup = new Backup(
  "backup",
  {
    config,
    kmsKeyArn: encryption.audit.arn,
    resources: [{ arn: processing.tableArn, kmsKeyArn: encryption.phi.arn, service: "dynamodb" }],
    copyTo: recovery?.backupVault,
  },
  opts,
);

export const environment = config.environment;
export const keyAliases = { phi: encryption.phi.aliasName, audit: encryption.audit.aliasName };
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
// Only a stack with a recovery region has these; without one the output is an empty object, never
// `undefined` (which Pulumi drops from the outputs with a warning on every preview and update).
export const recoveryCopy =
  recovery === undefined
    ? {}
    : {
        region: recovery.region,
        phiReplicaBucket: recovery.phiReplicaBucketName,
        trailReplicaBucket: recovery.trailReplicaBucketName,
        backupVaultName: recovery.backupVaultName,
        accessLogBucket: recovery.accessLogBucketName,
        keyAliases: { phi: recovery.encryption.phi.aliasName, audit: recovery.encryption.audit.aliasName },
      };
