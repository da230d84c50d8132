// Specs of the ec2-detailed-monitoring policy (./ec2-detailed-monitoring.ts).

import { ec2DetailedMonitoring } from "./ec2-detailed-monitoring";
import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { instance, lt } from "../../test-support/specs/ec2";

describe("ec2", () => {
  policySuite(ec2DetailedMonitoring, {
    cases: [
      {
        name: "launch template without detailed monitoring",
        mutate: (p) => set(lt(p), "monitoring", undefined),
        expect: { violation: "app-lt" },
      },
      { name: "instance without detailed monitoring", mutate: (p) => instance(p, { monitoring: false }), expect: { violation: "bastion" } },
      {
        name: "preview: monitoring unknown -> can't run",
        mutate: (p) => set(lt(p), "monitoring.enabled", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
});
