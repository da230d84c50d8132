import { strict as assert } from "assert";
import { replicationGrants } from "../../components/security-events/store";

describe("replicationGrants", () => {
  const args = {
    holder: "phi-replication",
    source: "phi-data",
    replica: "phi-replica",
    reasons: ["reads", "writes"],
  } as const;

  it("grants the role a read of the source and a write of the replica, and S3 itself the write", () => {
    assert.deepEqual(replicationGrants({ ...args, role: "arn:aws:iam::111122223333:role/r" }), [
      {
        holder: "phi-replication",
        principal: "arn:aws:iam::111122223333:role/r",
        bucket: "phi-data",
        prefix: "",
        access: ["read"],
        reason: "reads",
      },
      {
        holder: "phi-replication",
        principal: "arn:aws:iam::111122223333:role/r",
        bucket: "phi-replica",
        prefix: "",
        access: ["write"],
        reason: "writes",
      },
      {
        holder: "s3-replication",
        principal: "s3.amazonaws.com",
        bucket: "phi-replica",
        prefix: "",
        access: ["write"],
        reason: "S3 replication as the service",
      },
    ]);
  });

  it("grants nothing for a bucket that does not replicate", () => {
    assert.deepEqual(replicationGrants({ ...args, role: undefined }), []);
  });
});
