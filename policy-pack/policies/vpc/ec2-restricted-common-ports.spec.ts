// Specs of the ec2-restricted-common-ports policy (./ec2-restricted-common-ports.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { ec2RestrictedCommonPorts } from "./ec2-restricted-common-ports";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { albSg, world } from "../../test-support/specs/vpc";

describe("vpc", () => {
  policySuite(ec2RestrictedCommonPorts, {
    cases: [
      {
        name: "PostgreSQL open to the internet",
        mutate: (p) => set(albSg(p), "ingress", world(5432)),
        expect: { violation: "alb-sg", message: /5432/ },
      },
      {
        name: "RDP open to the internet",
        mutate: (p) => set(albSg(p), "ingress", world(3389)),
        expect: { violation: "alb-sg", message: /3389/ },
      },
      { name: "UDP 3306 is not a TCP exposure", mutate: (p) => set(albSg(p), "ingress", world(3306, "udp")), expect: "clean" },
      {
        name: "configured blocked ports",
        config: { "ec2-restricted-common-ports": { blockedPorts: [443] } },
        expect: { violation: "alb-sg", message: /443/ },
      },
      {
        name: "preview: protocol unknown on a world-open rule -> can't run",
        mutate: (p) => set(albSg(p), "ingress", [{ protocol: UNKNOWN_STRING, fromPort: 3306, toPort: 3306, cidrBlocks: ["0.0.0.0/0"] }]),
        expect: "unknown",
      },
    ],
  });
});
