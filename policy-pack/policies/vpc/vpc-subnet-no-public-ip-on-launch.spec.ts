// Specs of the vpc-subnet-no-public-ip-on-launch policy (./vpc-subnet-no-public-ip-on-launch.ts).

import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { vpcSubnetNoPublicIpOnLaunch } from "./vpc-subnet-no-public-ip-on-launch";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";

describe("vpc", () => {
  policySuite(vpcSubnetNoPublicIpOnLaunch, {
    cases: [
      {
        name: "auto-assigned public IPs",
        mutate: (p) => set(p.find("aws:ec2/subnet:Subnet", "public-subnet-a"), "mapPublicIpOnLaunch", true),
        expect: { violation: "public-subnet-a" },
      },
      {
        name: "preview: flag unknown -> can't run",
        mutate: (p) => set(p.find("aws:ec2/subnet:Subnet", "public-subnet-a"), "mapPublicIpOnLaunch", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
});
