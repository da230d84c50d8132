// Specs of the vpc-flow-logs-enabled policy (./vpc-flow-logs-enabled.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { vpcFlowLogsEnabled } from "./vpc-flow-logs-enabled";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";

const flow = (p: Platform) => p.find("aws:ec2/flowLog:FlowLog");

describe("vpc", () => {
  policySuite(vpcFlowLogsEnabled, {
    cases: [
      { name: "no flow log", mutate: (p) => p.remove(flow(p)), expect: { violation: "vpc", message: /no flow log/ } },
      { name: "REJECT-only flow log", mutate: (p) => set(flow(p), "trafficType", "REJECT"), expect: { violation: "vpc", message: /ALL/ } },
      {
        name: "a flow log of another VPC does not count",
        mutate: (p) => {
          set(flow(p), "vpcId", "vpc-00000000000000000");
          flow(p).propertyDependencies = {};
          flow(p).dependencies = [];
        },
        expect: { violation: "vpc" },
      },
      {
        name: "joined by id when there are no property dependencies",
        mutate: (p) => {
          flow(p).propertyDependencies = {};
        },
        expect: "clean",
      },
      {
        name: "joined by dependencies when property dependencies are absent and the id is unknown",
        mutate: (p) => {
          flow(p).propertyDependencies = {};
          set(flow(p), "vpcId", UNKNOWN_STRING);
        },
        expect: "clean",
      },
      {
        name: "preview: vpcId unknown but joined through propertyDependencies -> passes",
        mutate: (p) => set(flow(p), "vpcId", UNKNOWN_STRING),
        expect: "clean",
      },
      { name: "preview: trafficType unknown -> can't run", mutate: (p) => set(flow(p), "trafficType", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
});
