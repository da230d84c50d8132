/**
 * healthcare-platform: the composition root. Loads and validates the stack's config, then builds
 * the platform from its components and exports what an operator needs. Nothing else lives here.
 */
import * as aws from "@pulumi/aws";
import { loadPlatformConfig, readAwsRegion } from "./components/config";
import { platformTags } from "./components/tags";

const config = loadPlatformConfig();

// One explicit provider: region from `aws:region`, the platform's tags as defaultTags (every
// resource also carries them explicitly, so policy checks and mocks see them).
const provider = new aws.Provider("aws", {
  region: readAwsRegion() as aws.Region,
  defaultTags: { tags: { ...platformTags(config) } },
});
void provider;

export const environment = config.environment;
