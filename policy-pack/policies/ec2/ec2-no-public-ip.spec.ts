// Specs of the ec2-no-public-ip policy (./ec2-no-public-ip.ts).

import { ec2NoPublicIp } from "./ec2-no-public-ip";
import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { instance, lt } from "../../test-support/specs/ec2";

describe("ec2", () => {
  policySuite(ec2NoPublicIp, {
    cases: [
      {
        name: "launch template network interface with a public IP",
        mutate: (p) => set(lt(p), "networkInterfaces", [{ associatePublicIpAddress: "true", deviceIndex: 0 }]),
        expect: { violation: "app-lt" },
      },
      {
        name: "instance with a public IP",
        mutate: (p) => instance(p, { associatePublicIpAddress: true }),
        expect: { violation: "bastion" },
      },
      {
        name: "launch configuration with a public IP",
        mutate: (p) =>
          p.add("aws:ec2/launchConfiguration:LaunchConfiguration", "lc", {
            imageId: "ami-1",
            instanceType: "t3.micro",
            associatePublicIpAddress: true,
          }),
        expect: { violation: "lc" },
      },
      {
        name: "preview: associatePublicIpAddress unknown -> can't run",
        mutate: (p) => instance(p, { associatePublicIpAddress: UNKNOWN_BOOLEAN }),
        expect: "unknown",
      },
    ],
  });
});
