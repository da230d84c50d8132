/**
 * Security groups of both plans use one rule style: a group that standalone rules target carries no
 * inline `ingress`/`egress` list (not even an empty one). The provider documents that a group with
 * inline rules manages the whole rule set of that direction and removes rules managed elsewhere, so
 * after `pulumi refresh` the next `up` deletes the standalone rules (here the Firehose -> OpenSearch
 * path): "You should not use the aws_security_group resource with in-line rules (using the ingress
 * and egress arguments of aws_security_group) in conjunction with the aws_vpc_security_group_egress_rule
 * and aws_vpc_security_group_ingress_rule resources or the aws_security_group_rule resource. Doing so
 * may cause rule conflicts, perpetual differences, and result in rules being overwritten"
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group,
 * https://www.pulumi.com/registry/packages/aws/api-docs/ec2/securitygroup/, pulumi/pulumi-aws#2391).
 *
 * "No egress" needs no inline `egress: []`: the provider revokes the allow-all egress rule AWS adds
 * to every new VPC group when it creates the group, whatever the group's arguments
 * (terraform-provider-aws internal/service/ec2/vpc_security_group.go, resourceSecurityGroupCreate:
 * "AWS defaults all Security Groups to have an ALLOW ALL egress rule. Here we revoke that rule").
 */
import * as assert from "assert";
import { loadPlan, planSpec, STACKS } from "../support/plans";
import { asString } from "../../policy-pack/policies/lib/util";

const GROUP = "aws:ec2/securityGroup:SecurityGroup";
const STANDALONE = [
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  "aws:ec2/securityGroupRule:SecurityGroupRule",
];

describe("security groups: one rule style per group (inline lists never mixed with standalone rules)", function () {
  this.timeout(600_000);
  for (const stack of STACKS) {
    it(`${stack}: no group that a standalone rule targets has an inline ingress or egress list`, async () => {
      const ix = await loadPlan(planSpec(stack));
      const groups = ix.ofType(GROUP);
      // 11 since the canary function has its own group (components/canary/).
      assert.strictEqual(groups.length, 11, "the plan's security groups");
      const targeted = new Set(STANDALONE.flatMap((t) => ix.ofType(t)).map((r) => String(r.inputs.securityGroupId)));
      const mixed = groups
        .filter((g) => targeted.has(asString(g.outputs.id ?? g.id)))
        .filter((g) => g.inputs.ingress !== undefined || g.inputs.egress !== undefined)
        .map((g) => `${String(g.inputs.name)} (inline ${["ingress", "egress"].filter((k) => g.inputs[k] !== undefined).join(" and ")})`);
      assert.deepStrictEqual(mixed, []);
      // Every group the pipeline adds standalone rules to is among those checked.
      for (const purpose of ["opensearch", "firehose", "opensearch-config", "authorizer"]) {
        const g = groups.find((x) => x.inputs.name === `hcp-${stack}-${purpose}`);
        assert.ok(g && targeted.has(asString(g.outputs.id ?? g.id)), `hcp-${stack}-${purpose} has standalone rules`);
      }
    });
  }
});
