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

// The recovery region (prod requires one): its own provider, keys, access logs and the PHI replica.
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

const audit = new Audit(
  "audit",
  {
    config,
    auditKeyArn: encryption.audit.arn,
    accessLogBucket: accessLogs.bucketName,
    alertTopicArn: alerts.topicArn,
    // Object-level reads and writes of every PHI bucket, the replica included (the trail is multi-region).
    phiBucketArns: recovery === undefined ? [processing.dataBucketArn] : [processing.dataBucketArn, recovery.phiReplicaBucketArn],
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
};
export const dataProcessorFunctionName = processing.functionName;
export const dataProcessorDeadLetterQueueArn = processing.deadLetterQueueArn;
export const auditTableName = processing.tableName;
export const dataProcessorConfigParameter = processing.configParameterName;
export const alertTopicArn = alerts.topicArn;
export const trailName = audit.trailName;
export const trailLogGroupName = audit.logGroupName;
export const recoveryCopy =
  recovery === undefined
    ? undefined
    : {
        region: recovery.region,
        phiReplicaBucket: recovery.phiReplicaBucketName,
        accessLogBucket: recovery.accessLogBucketName,
        keyAliases: { phi: recovery.encryption.phi.aliasName, audit: recovery.encryption.audit.aliasName },
      };
