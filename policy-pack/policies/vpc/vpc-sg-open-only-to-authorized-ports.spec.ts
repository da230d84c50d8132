// Specs of the vpc-sg-open-only-to-authorized-ports policy (./vpc-sg-open-only-to-authorized-ports.ts).

import { UNKNOWN_NUMBER } from "../lib/unknown";
import { vpcSgOpenOnlyToAuthorizedPorts } from "./vpc-sg-open-only-to-authorized-ports";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { albSg, world } from "../../test-support/specs/vpc";

describe("vpc", () => {
  policySuite(vpcSgOpenOnlyToAuthorizedPorts, {
    cases: [
      {
        name: "8080 open to the internet",
        mutate: (p) => set(albSg(p), "ingress", world(8080)),
        expect: { violation: "alb-sg", message: /not authorized/ },
      },
      {
        name: "all ports open",
        mutate: (p) => set(albSg(p), "ingress", world(0, "-1", 0)),
        expect: { violation: "alb-sg", message: /every port/ },
      },
      {
        name: "a range including 443 and more",
        mutate: (p) => set(albSg(p), "ingress", world(400, "tcp", 500)),
        expect: { violation: "alb-sg" },
      },
      { name: "ICMP from the internet carries no port", mutate: (p) => set(albSg(p), "ingress", world(-1, "icmp", -1)), expect: "clean" },
      {
        name: "port 80 not authorized by config",
        config: { "vpc-sg-open-only-to-authorized-ports": { authorizedTcpPorts: [443] } },
        expect: { violation: "alb-sg", message: /authorized: 443/ },
      },
      {
        name: "preview: toPort unknown on a world-open rule -> can't run",
        mutate: (p) => set(albSg(p), "ingress", [{ protocol: "tcp", fromPort: 443, toPort: UNKNOWN_NUMBER, cidrBlocks: ["0.0.0.0/0"] }]),
        expect: "unknown",
      },
    ],
  });
});
