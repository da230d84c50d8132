/**
 * The VPC endpoint policies alone (issue 17 defect 4): with an identity that allows everything (an
 * over-granted or compromised workload role), the S3 gateway still refuses a write to a bucket outside
 * the stack; without the endpoint policy
 * (AWS's default full access, https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html)
 * the same calls go through. iam-simulate evaluates VPC endpoint policies with the request.
 */
import * as assert from "assert";
import type { PolicyIndex } from "./policy-index";
import { loadPlan, planSpec } from "../support/plans";
import { simulate } from "./simulate";
import { endpointPolicies } from "./storage-network-rows";
import { TLS } from "./row-factory";

const ALLOW_ALL = [{ name: "what-if", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }];

describe("VPC endpoint policies, on their own", function () {
  this.timeout(120_000);
  let ix: PolicyIndex;
  let endpoints: ReturnType<typeof endpointPolicies>;
  before(async () => {
    ix = await loadPlan(planSpec("prod"));
    endpoints = endpointPolicies(ix);
  });
  const role = { role: "hcp-prod-data-processor" };
  const foreign = { "aws:ResourceAccount": "210987654321" };
  const cases = [{ service: "s3", action: "s3:PutObject", resource: "arn:aws:s3:::exfiltration-bucket/patient-123.json" }];
  for (const c of cases) {
    it(`${c.service}: ${c.action} on another account's resource is denied by the endpoint policy`, async () => {
      const call = { caller: role, action: c.action, resource: c.resource, context: { ...TLS, ...foreign } };
      const through = await simulate(ix, { ...call, vpcEndpointPolicy: endpoints.get(c.service) }, { identityPolicies: ALLOW_ALL });
      assert.notStrictEqual(through.decision, "Allowed", through.explain);
      // Without the endpoint policy nothing of ours stands in the way (a bucket with an open policy would take it).
      const open = await simulate(ix, call, { identityPolicies: ALLOW_ALL });
      assert.strictEqual(open.decision, "Allowed", open.explain);
    });
  }

  // Bucket names are first come, first served: a wildcard such as `al2023-repos-<region>-*` would admit a bucket anyone can
  // create and have dnf's requests land there. The AL2023 repository bucket is `al2023-repos-<region>-de612dc2`
  // (AL2023's /etc/yum.repos.d/amazonlinux.repo mirrorlist
  // `https://al2023-repos-$awsregion-de612dc2.s3$dualstack.$awsregion.$awsdomain/core/mirrors/...`,
  // https://docs.aws.amazon.com/linux/al2023/ug/managing-repos-os-updates.html).
  for (const [suffix, expected] of [
    ["attacker0", false],
    ["de612dc2", true],
  ] as const) {
    it(`s3: GetObject on al2023-repos-<region>-${suffix} through the gateway is ${expected ? "allowed (AWS's repository)" : "denied (a look-alike anyone can create)"}`, async () => {
      const bucket = `al2023-repos-${ix.region}-${suffix}`;
      const verdict = await simulate(
        ix,
        {
          caller: { role: `hcp-${ix.stack}-app-instance` },
          action: "s3:GetObject",
          resource: `arn:aws:s3:::${bucket}/core/mirrors/latest/x86_64/mirror.list`,
          context: { ...TLS, ...foreign },
          vpcEndpointPolicy: endpoints.get("s3"),
        },
        { identityPolicies: ALLOW_ALL },
      );
      assert.strictEqual(verdict.decision === "Allowed", expected, verdict.explain);
    });
  }

  it("s3: every AWS-owned bucket the gateway admits is named exactly, no wildcard in a bucket name (ssm-agent-minimum-s3-permissions)", () => {
    const policy = endpoints.get("s3") as { Statement: { Sid?: string; Resource: string | string[] }[] };
    const aws = policy.Statement.find((s) => s.Sid === "AwsOwnedBucketsInstancesRead")!;
    const buckets = [aws.Resource].flat().map((r) => r.replace(/^arn:aws:s3:::/, "").replace(/\/\*$/, ""));
    assert.deepStrictEqual(
      buckets.filter((b) => b.includes("*") || b.includes("?")),
      [],
    );
  });

  it("s3: the stack's own bucket is still reachable through the gateway", async () => {
    const phi = [...ix.buckets.values()].find((b) => b.name.startsWith(`hcp-${ix.stack}-phi-data-`))!;
    const verdict = await simulate(
      ix,
      {
        caller: role,
        action: "s3:GetObject",
        resource: `${phi.arn}/intake/x.json`,
        context: { ...TLS, "aws:ResourceAccount": ix.account },
        vpcEndpointPolicy: endpoints.get("s3"),
      },
      { identityPolicies: ALLOW_ALL },
    );
    assert.strictEqual(verdict.decision, "Allowed", verdict.explain);
  });
});
