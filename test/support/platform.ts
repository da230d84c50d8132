/**
 * A {@link PlatformContext} for specs: the given key ARNs, access-log bucket and alert topic. A key
 * or topic a spec does not name gets a distinct ARN of its own (`.../key/unused-<purpose>`,
 * `...:unused-alerts`), so a component that used it unexpectedly would show in the spec's assertions.
 */
import type { PlatformConfig } from "../../components/config";
import type { KeyPurpose } from "../../components/encryption";
import type { KeyArns, PlatformContext } from "../../components/platform-context";
import { ACCOUNT_ID, REGION } from "../mocks";

export function testPlatform(
  config: PlatformConfig,
  args: { keyArns?: Partial<KeyArns>; accessLogBucket: string; alertTopicArn?: string },
): PlatformContext {
  const key = (purpose: KeyPurpose) => args.keyArns?.[purpose] ?? `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/unused-${purpose}`;
  const keyArns: KeyArns = { phi: key("phi"), audit: key("audit"), pipeline: key("pipeline"), backup: key("backup") };
  return {
    config,
    keyArns,
    accessLogBucket: args.accessLogBucket,
    alertTopicArn: args.alertTopicArn ?? `arn:aws:sns:${REGION}:${ACCOUNT_ID}:unused-alerts`,
  };
}
