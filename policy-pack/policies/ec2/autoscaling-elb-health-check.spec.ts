// Specs of the autoscaling-elb-health-check policy (./autoscaling-elb-health-check.ts).

import { autoscalingElbHealthCheck } from "./autoscaling-elb-health-check";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";

const asg = (p: Platform) => p.find("aws:autoscaling/group:Group");

describe("ec2", () => {
  policySuite(autoscalingElbHealthCheck, {
    cases: [
      {
        name: "EC2 health checks behind a target group",
        mutate: (p) => set(asg(p), "healthCheckType", "EC2"),
        expect: { violation: "app-asg" },
      },
      {
        name: "no load balancer, EC2 checks are fine",
        mutate: (p) => {
          set(asg(p), "targetGroupArns", undefined);
          set(asg(p), "healthCheckType", "EC2");
        },
        expect: "clean",
      },
      {
        name: "preview: healthCheckType unknown -> can't run",
        mutate: (p) => set(asg(p), "healthCheckType", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
});
