/**
 * Dependency recovery of the offline plan: where the registration did not report a dependency,
 * an input that holds another resource's id or ARN names it.
 */
import * as assert from "assert";
import { DeploymentResource, recoverDependencies } from "../../tools/deployment";

const URN = (type: string, name: string) => `urn:pulumi:prod::healthcare-platform::${type}::${name}`;

function resource(type: string, name: string, fields: Partial<DeploymentResource> = {}): DeploymentResource {
  return { urn: URN(type, name), custom: true, type, inputs: {}, outputs: {}, dependencies: [], propertyDependencies: {}, protect: false, ...fields };
}

const BUCKET = "hcp-prod-phi-data-123456789012-us-east-1";

describe("recoverDependencies", () => {
  it("links an input that holds another resource's ARN, nested or inside a policy string", () => {
    const key = resource("aws:kms/key:Key", "phi", { id: "1234abcd-12ab-4cde-a123-1234567890ab", outputs: { arn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-4cde-a123-1234567890ab" } });
    const sse = resource("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse", {
      inputs: { rules: [{ applyServerSideEncryptionByDefault: { kmsMasterKeyId: key.outputs.arn } }] },
    });
    const policy = resource("aws:iam/policy:Policy", "p", {
      inputs: { policy: JSON.stringify({ Statement: [{ Resource: `${String(key.outputs.arn)}` }] }) },
    });
    recoverDependencies([key, sse, policy]);
    assert.deepStrictEqual(sse.propertyDependencies, { rules: [key.urn] });
    assert.deepStrictEqual(sse.dependencies, [key.urn]);
    assert.deepStrictEqual(policy.propertyDependencies, { policy: [key.urn] });
  });

  it("resolves a bucket name that its companions share as id to the bucket itself", () => {
    const bucket = resource("aws:s3/bucket:Bucket", "phi-bucket", { id: BUCKET, outputs: { arn: `arn:aws:s3:::${BUCKET}` } });
    const versioning = resource("aws:s3/bucketVersioning:BucketVersioning", "phi-versioning", { id: BUCKET, inputs: { bucket: BUCKET } });
    const notification = resource("aws:s3/bucketNotification:BucketNotification", "phi-notification", { id: BUCKET, inputs: { bucket: BUCKET } });
    const replication = resource("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "phi-replication", { inputs: { bucket: BUCKET } });
    recoverDependencies([bucket, versioning, notification, replication]);
    assert.deepStrictEqual(replication.dependencies, [bucket.urn]);
    assert.deepStrictEqual(notification.dependencies, [bucket.urn], "never a companion, never itself");
  });

  it("keeps what the registration reported and adds nothing for unrelated strings or providers", () => {
    const provider = resource("pulumi:providers:aws", "aws", { id: "86dc9af2-2668-4e8f-a61b-66c4bf66129a" });
    const vpc = resource("aws:ec2/vpc:Vpc", "vpc", { id: "vpc-0123456789abcdef0" });
    const subnet = resource("aws:ec2/subnet:Subnet", "subnet", {
      inputs: { vpcId: "vpc-0123456789abcdef0", availabilityZone: "us-east-1a", note: "86dc9af2-2668-4e8f-a61b-66c4bf66129a" },
      dependencies: [vpc.urn],
      propertyDependencies: { vpcId: [vpc.urn] },
    });
    recoverDependencies([provider, vpc, subnet]);
    assert.deepStrictEqual(subnet.dependencies, [vpc.urn]);
    assert.deepStrictEqual(subnet.propertyDependencies, { vpcId: [vpc.urn] });
  });
});
