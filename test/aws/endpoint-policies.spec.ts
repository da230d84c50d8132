/**
 * The VPC endpoint policies alone (issue 17 defect 4): with an identity that allows everything (an
 * over-granted or compromised workload role), the S3 gateway still refuses a write to a bucket outside
 * the stack; without the endpoint policy
 * (AWS's default full access, https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html)
 * the same calls go through. iam-simulate evaluates VPC endpoint policies with the request.
 */
import * as assert from "assert";
import { PLANS, planIndexOf } from "./plans";
import { simulate } from "./simulate";
import { endpointPolicies } from "./storage-network-rows";
import { TLS } from "./row-factory";

const ALLOW_ALL = [{ name: "what-if", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }];

describe("VPC endpoint policies, on their own", function () {
  this.timeout(120_000);
  const ix = planIndexOf(PLANS.find((p) => p.label === "prod")!);
  const endpoints = endpointPolicies(ix);
  const role = { role: `hcp-${ix.stack}-data-processor` };
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
