/**
 * The one mock harness of the test suite. Call `installMocks()` at the top of a spec, before the
 * program modules are imported (require them after it), then build components with
 * `testConfig(...)` and assert on `cloud.resources` after `await cloud.settle()`.
 */
import { MockCloud } from "../tools/mock-cloud";
import { parsePlatformConfig, PlatformConfig, PROJECT_NAME } from "../components/config";

export { ACCOUNT_ID, REGION, PARTITION, AVAILABILITY_ZONES, UNKNOWN } from "../tools/mock-cloud";
export type { RecordedResource } from "../tools/mock-cloud";

/** The stack name of the mocked runtime (URNs carry it). */
export const TEST_STACK = "test";

let cloud: MockCloud | undefined;

/** Installs the mock cloud once per process and returns it. */
export function installMocks(): MockCloud {
  cloud ??= new MockCloud({ project: PROJECT_NAME, stack: TEST_STACK });
  return cloud;
}

/** The raw config of a typical stack of each environment (as `pulumi config` would hold it). */
export const RAW_CONFIG: Readonly<Record<"dev" | "prod", Readonly<Record<string, string>>>> = {
  dev: {
    environment: "dev",
    alertEmail: "security-alerts@example.org",
    vpcCidr: "10.20.0.0/16",
    availabilityZoneCount: "2",
    natGatewayMode: "single",
    logRetentionInDays: "30",
    dataRetentionInDays: "30",
    reportRetentionInDays: "30",
    eventIndexRetentionInDays: "30",
    kmsDeletionWindowInDays: "7",
    protectData: "false",
  },
  prod: {
    environment: "prod",
    alertEmail: "security-alerts@example.org",
    vpcCidr: "10.30.0.0/16",
    availabilityZoneCount: "3",
    natGatewayMode: "per-az",
    recoveryRegion: "us-west-2",
  },
};

/** A valid, frozen PlatformConfig for `env`, with raw-value overrides validated like real config. */
export function testConfig(env: "dev" | "prod", overrides: Record<string, string> = {}): PlatformConfig {
  return parsePlatformConfig({ ...RAW_CONFIG[env], ...overrides }, { stack: env, project: PROJECT_NAME });
}

/** Parses an IAM/key policy input (a JSON string) into data. */
export function policyOf(value: unknown): { Version: string; Statement: Record<string, unknown>[] } {
  if (typeof value !== "string") throw new Error(`expected a JSON policy string, got ${typeof value}`);
  return JSON.parse(value);
}
