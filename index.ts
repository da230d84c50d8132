/**
 * healthcare-platform: the composition root. Loads and validates the stack's config, then builds
 * the platform from its components and exports what an operator needs. Nothing else lives here.
 */
import * as aws from "@pulumi/aws";
import { loadPlatformConfig, readAwsRegion } from "./components/config";
import { platformTags } from "./components/tags";
import { Encryption } from "./components/encryption";
import { Network } from "./components/network";

const config = loadPlatformConfig();

// One explicit provider: region from `aws:region`, the platform's tags as defaultTags (every
// resource also carries them explicitly, so policy checks and mocks see them).
const provider = new aws.Provider("aws", {
  region: readAwsRegion() as aws.Region,
  defaultTags: { tags: { ...platformTags(config) } },
});
const opts = { providers: [provider] };

const encryption = new Encryption("encryption", { config }, opts);
const network = new Network("network", { config, auditKeyArn: encryption.audit.arn }, opts);

export const environment = config.environment;
export const keyAliases = { phi: encryption.phi.aliasName, audit: encryption.audit.aliasName };
export const vpcId = network.vpcId;
export const publicSubnetIds = network.publicSubnetIds;
export const privateSubnetIds = network.privateSubnetIds;
export const isolatedSubnetIds = network.isolatedSubnetIds;
