import { hipaa } from "../lib/hipaa";
import { PolicyResource } from "@pulumi/policy";
import { StackCtx, stackPolicy } from "../lib/define";
import { identifiers } from "../lib/join";
import { T } from "../lib/types";
import { present, probe, UNKNOWN } from "../lib/util";

const DOC_FIREHOSE_VPC = "https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-es-vpc";

/**
 * The OpenSearch domain of the stack the stream delivers to, when that domain is placed in a VPC (or may be,
 * its subnets unknown in preview); undefined for a stream without an OpenSearch destination, a domain outside
 * the stack (its network placement cannot be seen) or a public domain.
 */
function vpcDomainOf(ctx: StackCtx<object>, s: PolicyResource): PolicyResource | undefined {
  const cfg = probe(s.props, "opensearchConfiguration") ?? probe(s.props, "elasticsearchConfiguration");
  if (cfg === undefined || cfg === null || cfg === UNKNOWN) {
    return undefined;
  }
  const byId = new Map<string, PolicyResource>();
  for (const d of ctx.ofType([T.openSearchDomain])) {
    for (const id of identifiers(d).known) {
      byId.set(id, d);
    }
    const name = probe(d.props, "domainName");
    if (typeof name === "string") {
      byId.set(`domain/${name}`, d);
    }
  }
  const arn = probe(cfg, "domainArn");
  let domain = typeof arn === "string" ? (byId.get(arn) ?? byId.get(arn.slice(arn.indexOf("domain/")))) : undefined;
  if (!domain) {
    const pd = [
      ...(s.propertyDependencies?.opensearchConfiguration ?? []),
      ...(s.propertyDependencies?.elasticsearchConfiguration ?? []),
    ].filter((r) => r.type === T.openSearchDomain);
    domain = pd.length === 1 ? pd[0] : undefined;
  }
  if (!domain) {
    return undefined;
  }
  const subnets = probe(domain.props, "vpcOptions", "subnetIds");
  return subnets === UNKNOWN || (Array.isArray(subnets) && subnets.length > 0) ? domain : undefined;
}

export const firehoseOpenSearchVpcConfig = stackPolicy({
  name: "firehose-opensearch-vpc-config",
  description:
    "A Firehose stream that delivers to an OpenSearch domain in a VPC declares the stream's own vpcConfig (subnets, security " +
    `groups, role): without it Firehose cannot reach the domain's endpoint and every record goes to the S3 backup (${DOC_FIREHOSE_VPC}).`,
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.312(b)", "164.308(a)(1)(ii)(D)"),
  resourceTypes: [T.firehose],
  relatedTypes: [T.openSearchDomain],
  tags: ["deploy-trap"],
  remediationSteps:
    "Set `opensearchConfiguration.vpcConfig: { subnetIds, securityGroupIds, roleArn }` with subnets that reach the " +
    `domain and a security group the domain's group admits on 443; the role needs the ec2 ENI actions (${DOC_FIREHOSE_VPC}).`,
  examines: [
    {
      rule: "streams that deliver to an OpenSearch domain of the stack placed in a VPC",
      where: (s, ctx) => vpcDomainOf(ctx, s) !== undefined,
    },
  ],
  validate: (ctx, report) => {
    ctx.each(ctx.subjects(), (s) => {
      const domain = vpcDomainOf(ctx, s) as PolicyResource; // subjects() are the streams that have one
      const cfg = probe(s.props, "opensearchConfiguration") ?? probe(s.props, "elasticsearchConfiguration");
      if (!present(cfg, "vpcConfig", "subnetIds")) {
        report(
          s.urn,
          `The stream delivers to ${domain.name}, a domain inside a VPC, but has no opensearchConfiguration.vpcConfig: ` +
            "Firehose cannot reach the VPC endpoint and delivery fails. Add vpcConfig with subnets, security groups and a role.",
        );
      }
    });
  },
});
