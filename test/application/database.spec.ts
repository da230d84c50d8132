import * as assert from "assert";
import { masterSecretArn } from "../../components/application/database";

describe("application database: the RDS-managed master secret", () => {
  it("is the secret RDS reports in MasterUserSecret", () => {
    const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf";
    assert.strictEqual(masterSecretArn([{ secretArn: arn }]), arn);
  });

  it("is never exported as undefined: no secret reported is an error naming MasterUserSecret", () => {
    for (const secrets of [undefined, [], [{}]]) assert.throws(() => masterSecretArn(secrets), /MasterUserSecret/);
  });
});
