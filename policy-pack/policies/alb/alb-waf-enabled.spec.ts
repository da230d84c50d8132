// Specs of the alb-waf-enabled policy (./alb-waf-enabled.ts).

import { albWafEnabled } from "./alb-waf-enabled";
import { UNKNOWN_STRING } from "../lib/unknown";
import { StateResource } from "../../checker/deployment";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";
import { lb } from "../../test-support/specs/edge";

const assoc = (p: Platform) => p.find("aws:wafv2/webAclAssociation:WebAclAssociation");

const unlink = (r: StateResource) => {
  r.propertyDependencies = {};
  r.dependencies = [];
};

describe("alb", () => {
  policySuite(albWafEnabled, {
    cases: [
      { name: "no web ACL association", mutate: (p) => p.remove(assoc(p)), expect: { violation: "alb" } },
      {
        name: "association of another load balancer",
        mutate: (p) => {
          set(assoc(p), "resourceArn", "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/other/1");
          unlink(assoc(p));
        },
        expect: { violation: "alb" },
      },
      {
        name: "internal load balancers are not required by default",
        mutate: (p) => {
          p.remove(assoc(p));
          set(lb(p), "internal", true);
        },
        expect: "clean",
      },
      {
        name: "...unless configured",
        config: { "alb-waf-enabled": { requireForInternal: true } },
        mutate: (p) => {
          p.remove(assoc(p));
          set(lb(p), "internal", true);
        },
        expect: { violation: "alb" },
      },
      {
        name: "preview: resourceArn unknown, joined through propertyDependencies -> passes",
        mutate: (p) => set(assoc(p), "resourceArn", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: resourceArn unknown without dependencies -> can't run",
        mutate: (p) => {
          set(assoc(p), "resourceArn", UNKNOWN_STRING);
          assoc(p).propertyDependencies = { webAclArn: [] };
        },
        expect: "unknown",
      },
    ],
  });
});
