/**
 * Dependency recovery of the offline plan: where the registration did not report a dependency,
 * an input that holds another resource's id or ARN names it.
 */
import * as assert from "assert";
import { DeploymentResource, engineUrns, recoverDependencies, toDeployment } from "../../tools/deployment";

const URN = (type: string, name: string) => `urn:pulumi:prod::healthcare-platform::${type}::${name}`;

function resource(type: string, name: string, fields: Partial<DeploymentResource> = {}): DeploymentResource {
  return {
    urn: URN(type, name),
    custom: true,
    type,
    inputs: {},
    outputs: {},
    dependencies: [],
    propertyDependencies: {},
    protect: false,
    ...fields,
  };
}

const BUCKET = "hcp-prod-phi-data-123456789012-us-east-1";

describe("recoverDependencies", () => {
  it("links an input that holds another resource's ARN, nested or inside a policy string", () => {
    const key = resource("aws:kms/key:Key", "phi", {
      id: "1234abcd-12ab-4cde-a123-1234567890ab",
      outputs: { arn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-4cde-a123-1234567890ab" },
    });
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
    const notification = resource("aws:s3/bucketNotification:BucketNotification", "phi-notification", {
      id: BUCKET,
      inputs: { bucket: BUCKET },
    });
    const replication = resource("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "phi-replication", {
      inputs: { bucket: BUCKET },
    });
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

describe("engineUrns: the plan's URNs in the engine's form", () => {
  const mock = (qualified: string, name: string) => `urn:pulumi:prod::healthcare-platform::${qualified}::${name}`;
  const stack = { urn: mock("pulumi:pulumi:Stack", "healthcare-platform-prod"), type: "pulumi:pulumi:Stack", parent: undefined };
  // As the SDK's mock monitor names them: the root stack's type kept, only the parent's last type.
  const processing = {
    urn: mock("pulumi:pulumi:Stack$healthcare:processing:Processing", "processing"),
    type: "healthcare:processing:Processing",
    parent: stack.urn,
  };
  const secure = {
    urn: mock("healthcare:processing:Processing$healthcare:storage:SecureBucket", "processing-phi-data"),
    type: "healthcare:storage:SecureBucket",
    parent: processing.urn,
  };
  const bucket = {
    urn: mock("healthcare:storage:SecureBucket$aws:s3/bucket:Bucket", "processing-phi-data-bucket"),
    type: "aws:s3/bucket:Bucket",
    parent: secure.urn,
  };
  const urns = engineUrns([stack, processing, secure, bucket]);

  it("keeps the root stack's URN and drops its type from its children's", () => {
    assert.strictEqual(urns.get(stack.urn), stack.urn);
    assert.strictEqual(urns.get(processing.urn), mock("healthcare:processing:Processing", "processing"));
  });

  it("qualifies a nested resource with the whole chain of its parents' types", () => {
    assert.strictEqual(
      urns.get(bucket.urn),
      mock("healthcare:processing:Processing$healthcare:storage:SecureBucket$aws:s3/bucket:Bucket", "processing-phi-data-bucket"),
    );
  });

  it("toDeployment rewrites every reference: parents, dependencies and providers", () => {
    const recorded = [stack, processing, secure, bucket].map((r) => ({
      ...r,
      custom: r.type.startsWith("aws:"),
      id: r.type.startsWith("aws:") ? "b" : undefined,
      provider: r.type.startsWith("aws:") ? `${mock("pulumi:pulumi:Stack$pulumi:providers:aws", "aws")}::p-1` : undefined,
      inputs: {},
      outputs: {},
      dependencies: r.parent ? [r.parent] : [],
      propertyDependencies: {},
      protect: false,
      retainOnDelete: false,
    }));
    const provider = {
      ...recorded[0],
      urn: mock("pulumi:pulumi:Stack$pulumi:providers:aws", "aws"),
      type: "pulumi:providers:aws",
      parent: stack.urn,
      custom: true,
      id: "p-1",
      provider: undefined,
      dependencies: [],
    };
    const deployment = toDeployment([recorded[0], provider, ...recorded.slice(1)] as never, {
      project: "healthcare-platform",
      stack: "prod",
      awsVersion: "7.0.0",
    });
    const all = new Set(deployment.deployment.resources.map((r) => r.urn));
    for (const r of deployment.deployment.resources) {
      for (const ref of [r.parent, ...r.dependencies].filter((x): x is string => x !== undefined))
        assert.ok(all.has(ref), `${r.urn} -> ${ref}`);
      assert.doesNotMatch(r.urn, /::pulumi:pulumi:Stack\$/);
    }
    const b = deployment.deployment.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
    assert.strictEqual(b.provider, `${mock("pulumi:providers:aws", "aws")}::p-1`);
  });
});
