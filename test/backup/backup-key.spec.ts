/**
 * The backup key (issue 17 defect 2): recovery points of the platform's records, in each region, under
 * their own customer-managed key whose policy admits AWS Backup and RDS, for use and for grants. AWS
 * Backup re-encrypts a copy with the destination vault's key, and for a resource type it does not
 * fully manage (RDS) the copy is made by the resource's service: RDS creates a grant on the destination
 * key through rds.<destination region>
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html,
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.Keys.html).
 */
import * as assert from "assert";
import { keyPolicyStatements, KEY_PURPOSES, type KeyPolicyContext } from "../../components/encryption";

const ctx = (region: string): KeyPolicyContext => ({
  accountId: "123456789012",
  region,
  partition: "aws",
  dnsSuffix: "amazonaws.com",
  trailNames: ["hcp-prod-audit"],
  logGroupNamePatterns: ["/aws/lambda/hcp-prod-*"],
  alarmNamePattern: "hcp-prod-*",
});

describe("the backup key", () => {
  for (const region of ["us-east-1", "us-west-2"]) {
    it(`${region}: IAM principals of the account use it and create grants through AWS Backup and RDS of ${region} only`, () => {
      const statements = keyPolicyStatements("backup", ctx(region));
      const sid = (id: string) => statements.find((s) => s.sid === id)!;
      const via = (id: string) => sid(id).conditions!.find((c) => c.variable === "kms:ViaService")!.values;
      const endpoints = [`backup.${region}.amazonaws.com`, `rds.${region}.amazonaws.com`];
      assert.deepStrictEqual(via("KeyUseThroughAwsServices"), endpoints);
      assert.deepStrictEqual(via("GrantsForAwsResources"), endpoints);
      assert.deepStrictEqual(sid("GrantsForAwsResources").conditions!.find((c) => c.variable === "kms:GrantIsForAWSResource")!.values, [
        "true",
      ]);
      assert.deepStrictEqual(
        statements.flatMap((s) => (s.principals ?? []).filter((p) => p.type === "Service")),
        [],
        "no service principal uses the backup key on its own authority",
      );
    });
  }

  it("is a purpose of its own: the audit key's services are not the backup key's", () => {
    assert.deepStrictEqual([...KEY_PURPOSES.backup.viaServices], ["backup", "rds"]);
    assert.ok(!(KEY_PURPOSES.audit.viaServices as readonly string[]).includes("rds"));
  });
});
