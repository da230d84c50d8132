// Specs of the ec2-security-group-rule-description policy (./ec2-security-group-rule-description.ts).

import { ec2SecurityGroupRuleDescription } from "./ec2-security-group-rule-description";
import { UNKNOWN_ARRAY, UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { sg } from "../../test-support/specs/constraints";

describe("create-time constraints", () => {
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
});
