// Specs of the vpc-default-security-group-closed policy (./vpc-default-security-group-closed.ts).

import { UNKNOWN_ARRAY } from "../lib/unknown";
import { vpcDefaultSecurityGroupClosed } from "./vpc-default-security-group-closed";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";

const dsg = (p: Platform) => p.find("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");

describe("vpc", () => {
  policySuite(vpcDefaultSecurityGroupClosed, {
    cases: [
      { name: "default security group not managed", mutate: (p) => p.remove(dsg(p)), expect: { violation: "vpc" } },
      {
        name: "default security group with rules",
        mutate: (p) => set(dsg(p), "ingress", [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }]),
        expect: { violation: "vpc-default-sg" },
      },
      { name: "preview: rules unknown -> can't run", mutate: (p) => set(dsg(p), "egress", UNKNOWN_ARRAY), expect: "unknown" },
    ],
  });
});
