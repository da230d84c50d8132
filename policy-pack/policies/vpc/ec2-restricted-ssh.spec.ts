// Specs of the ec2-restricted-ssh policy (./ec2-restricted-ssh.ts).

import { UNKNOWN_NUMBER, UNKNOWN_STRING } from "../lib/unknown";
import { ec2RestrictedSsh } from "./ec2-restricted-ssh";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";
import { albSg, world } from "../../test-support/specs/vpc";

const sgRule = (p: Platform) => p.find("aws:ec2/securityGroupRule:SecurityGroupRule");

const ingressRule = (p: Platform) => p.find("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");

describe("vpc", () => {
  policySuite(ec2RestrictedSsh, {
    cases: [
      {
        name: "inline ingress 22 from the internet",
        mutate: (p) => set(albSg(p), "ingress", world(22)),
        expect: { violation: "alb-sg", message: /SSH/ },
      },
      {
        name: "all traffic from ::/0",
        mutate: (p) => set(albSg(p), "ingress", [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }]),
        expect: { violation: "alb-sg" },
      },
      {
        name: "SecurityGroupRule with a port range over 22",
        mutate: (p) => {
          set(sgRule(p), "fromPort", 0);
          set(sgRule(p), "toPort", 1024);
          set(sgRule(p), "cidrBlocks", ["0.0.0.0/0"]);
        },
        expect: { violation: "db-from-app" },
      },
      {
        name: "vpc.SecurityGroupIngressRule from 0.0.0.0/0",
        mutate: (p) => {
          set(ingressRule(p), "referencedSecurityGroupId", undefined);
          set(ingressRule(p), "cidrIpv4", "0.0.0.0/0");
          set(ingressRule(p), "fromPort", 22);
          set(ingressRule(p), "toPort", 22);
        },
        expect: { violation: "app-from-alb" },
      },
      {
        name: "egress rules are not ingress",
        mutate: (p) => {
          set(sgRule(p), "type", "egress");
          set(sgRule(p), "fromPort", 22);
          set(sgRule(p), "toPort", 22);
          set(sgRule(p), "cidrBlocks", ["0.0.0.0/0"]);
        },
        expect: "clean",
      },
      {
        name: "preview: a CIDR unknown is a computed range, not the internet -> passes",
        mutate: (p) => set(sgRule(p), "cidrBlocks", [UNKNOWN_STRING]),
        expect: "clean",
      },
      {
        name: "preview: port of a world-open rule unknown -> can't run",
        mutate: (p) => set(albSg(p), "ingress", [{ protocol: "tcp", fromPort: UNKNOWN_NUMBER, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }]),
        expect: "unknown",
      },
    ],
  });
});
