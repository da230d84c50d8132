import { strict as assert } from "assert";
import type { EncryptionKey, KeyPurpose } from "../../components/encryption";
import type { PrimaryKeys } from "../../components/key-set";
import { platformContext } from "../../components/platform-context";
import { testConfig } from "../mocks";

describe("platformContext", () => {
  // Each key's `arn` names its purpose, so a key handed out under the wrong purpose shows.
  const key = (purpose: KeyPurpose) => ({ purpose, arn: `arn-of-${purpose}` }) as unknown as EncryptionKey;
  const keys = { phi: key("phi"), audit: key("audit"), pipeline: key("pipeline"), backup: key("backup") } as PrimaryKeys;
  const config = testConfig("dev");

  it("gives each purpose's key ARN under that purpose, beside the config, access-log bucket and alert topic", () => {
    const platform = platformContext({ config, keys, accessLogBucket: "access-logs", alertTopicArn: "topic-arn" });
    assert.deepEqual(platform.keyArns, { phi: "arn-of-phi", audit: "arn-of-audit", pipeline: "arn-of-pipeline", backup: "arn-of-backup" });
    assert.equal(platform.config, config);
    assert.equal(platform.accessLogBucket, "access-logs");
    assert.equal(platform.alertTopicArn, "topic-arn");
  });

  it("is frozen: no component can change what the others receive", () => {
    const platform = platformContext({ config, keys, accessLogBucket: "access-logs", alertTopicArn: "topic-arn" });
    assert.ok(Object.isFrozen(platform));
    assert.ok(Object.isFrozen(platform.keyArns));
  });
});
