// Create-time value constraints (policy-pack/policies/constraints/): what AWS refuses at create time
// is reported at preview; an unknown value stays silent.

import { ec2SecurityGroupRuleDescription } from "../../policy-pack/policies/constraints/ec2-security-group-rule-description";
import { ec2SecurityGroupCreateValues } from "../../policy-pack/policies/constraints/ec2-security-group-create-values";
import { wafv2Description } from "../../policy-pack/policies/constraints/wafv2-description-pattern";
import { UNKNOWN_ARRAY, UNKNOWN_STRING } from "../../policy-pack/policies/lib/unknown";
import { set } from "../../policy-pack/test-support/builder";
import { Platform } from "../../policy-pack/test-support/platform";
import { policySuite } from "../../policy-pack/test-support/suite";

const sg = (p: Platform, name = "alb-sg") => p.find("aws:ec2/securityGroup:SecurityGroup", name);
const acl = (p: Platform) => p.find("aws:wafv2/webAcl:WebAcl");

describe("create-time constraints", () => {
  policySuite(ec2SecurityGroupCreateValues, {
    cases: [
      {
        name: "description with every allowed character passes",
        mutate: (p) => set(sg(p), "description", "OpenSearch 443 from app tier: VPC-only (HIPAA) #1, @ops [a+b=c&d;{e}!$*] _x/y"),
        expect: "clean",
      },
      {
        name: "apostrophe in the description fails",
        mutate: (p) => set(sg(p), "description", "Allow HTTPS to the domain's endpoint"),
        expect: { violation: "alb-sg", message: /description .* refuses: "'"/ },
      },
      {
        name: "non-ASCII in the description fails",
        mutate: (p) => set(sg(p), "description", "Zugriff für Lambda"),
        expect: { violation: "alb-sg", message: /"ü"/ },
      },
      {
        name: "description over 255 characters fails",
        mutate: (p) => set(sg(p), "description", "a".repeat(256)),
        expect: { violation: "alb-sg", message: /256 characters long/ },
      },
      {
        name: "name starting with sg- fails",
        mutate: (p) => set(sg(p), "name", "sg-app"),
        expect: { violation: "alb-sg", message: /starts with "sg-"/ },
      },
      {
        name: "preview: unknown description stays silent",
        mutate: (p) => set(sg(p), "description", UNKNOWN_STRING),
        expect: "clean",
      },
    ],
  });

  policySuite(ec2SecurityGroupRuleDescription, {
    cases: [
      {
        name: "allowed rule descriptions pass",
        mutate: (p) => set(sg(p), "ingress.0.description", "HTTPS from the internet (ALB)"),
        expect: "clean",
      },
      {
        name: "apostrophe in an inline ingress rule description fails",
        mutate: (p) => set(sg(p), "ingress.1.description", "Redirect to HTTPS: don't serve"),
        expect: { violation: "alb-sg", message: /ingress rule 2/ },
      },
      {
        name: "apostrophe in a vpc.SecurityGroupIngressRule description fails",
        mutate: (p) => set(p.find("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"), "description", "ALB's traffic"),
        expect: { violation: "app-from-alb" },
      },
      {
        name: "preview: unknown rule description and unknown rule list stay silent",
        mutate: (p) => {
          set(sg(p), "ingress.0.description", UNKNOWN_STRING);
          set(sg(p), "egress", UNKNOWN_ARRAY);
        },
        expect: "clean",
      },
    ],
  });

  policySuite(wafv2Description, {
    cases: [
      {
        name: "a description in the EntityDescription pattern passes",
        mutate: (p) => set(acl(p), "description", "Regional web ACL for the API ALB: AWS managed rules, rate limit 2000/5min"),
        expect: "clean",
      },
      {
        name: "parenthesis in the web ACL description fails",
        mutate: (p) => set(acl(p), "description", "Web ACL (prod)"),
        expect: { violation: "web-acl", message: /"\(", "\)"/ },
      },
      {
        name: "apostrophe fails",
        mutate: (p) => set(acl(p), "description", "The platform's ACL"),
        expect: { violation: "web-acl" },
      },
      {
        name: "trailing space fails",
        mutate: (p) => set(acl(p), "description", "web acl "),
        expect: { violation: "web-acl", message: /pattern/ },
      },
      {
        name: "preview: unknown description stays silent",
        mutate: (p) => set(acl(p), "description", UNKNOWN_STRING),
        expect: "clean",
      },
    ],
  });
});
