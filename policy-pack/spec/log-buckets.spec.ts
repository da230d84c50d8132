// Issue 22 section 4: a log bucket is a log bucket whichever service writes to it (S3 server access
// logs, ELB access and connection logs, CloudTrail, WAF, Firehose): it is never required to log its
// own accesses. A bucket nothing delivers logs to, untagged, still must.

import { strict as assert } from "assert";
import { s3BucketServerAccessLogging } from "../policies/s3";
import { Builder } from "../test-support/builder";
import { check } from "../test-support/harness";

const bucket = (b: Builder, name: string, tags: Record<string, string> = {}) =>
  b.add("aws:s3/bucket:Bucket", name, { bucket: name, tags }, { id: name, outputs: { arn: `arn:aws:s3:::${name}` } });

const writers: [string, (b: Builder) => void][] = [
  [
    "S3 server access logs",
    (b) => b.add("aws:s3/bucketLogging:BucketLogging", "src-logging", { bucket: "src", targetBucket: "logs", targetPrefix: "src/" }),
  ],
  ["ELB access logs", (b) => b.add("aws:lb/loadBalancer:LoadBalancer", "alb", { accessLogs: { bucket: "logs", enabled: true } })],
  ["ELB connection logs", (b) => b.add("aws:lb/loadBalancer:LoadBalancer", "alb", { connectionLogs: { bucket: "logs", enabled: true } })],
  ["CloudTrail", (b) => b.add("aws:cloudtrail/trail:Trail", "trail", { s3BucketName: "logs" })],
  [
    "WAF (logging straight to S3)",
    (b) =>
      b.add("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "waf-logging", {
        resourceArn: "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/web/abc",
        logDestinationConfigs: ["arn:aws:s3:::logs"],
      }),
  ],
  [
    "Firehose",
    (b) =>
      b.add("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "stream", {
        destination: "extended_s3",
        extendedS3Configuration: { bucketArn: "arn:aws:s3:::logs", roleArn: "arn:aws:iam::123456789012:role/f" },
      }),
  ],
];

describe("log buckets are never required to log their own accesses (issue 22 section 4)", () => {
  for (const [writer, add] of writers) {
    it(`a bucket that receives ${writer} needs no BucketLogging of its own`, async () => {
      const b = new Builder("dev");
      bucket(b, "src");
      bucket(b, "logs");
      add(b);
      const o = await check(s3BucketServerAccessLogging, b);
      assert.deepEqual(
        o.violations.filter((v) => v.urn.endsWith("::logs")).map((v) => v.message),
        [],
      );
    });
  }

  for (const purpose of ["access-logs", "audit-logs", "audit-trail"]) {
    it(`a bucket tagged Purpose=${purpose} (its writers in another stack) needs none either`, async () => {
      const b = new Builder("dev");
      bucket(b, "logs", { Purpose: purpose });
      const o = await check(s3BucketServerAccessLogging, b);
      assert.deepEqual(o.violations, []);
    });
  }

  it("a bucket nothing delivers logs to still needs BucketLogging", async () => {
    const b = new Builder("dev");
    bucket(b, "data");
    const o = await check(s3BucketServerAccessLogging, b);
    assert.equal(o.violations.length, 1);
    assert.match(o.violations[0].urn, /::data$/);
  });
});
