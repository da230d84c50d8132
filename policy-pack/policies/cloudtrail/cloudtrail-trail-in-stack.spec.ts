// Specs of the cloudtrail-trail-in-stack policy (./cloudtrail-trail-in-stack.ts).

import { cloudtrailTrailInStack } from "./cloudtrail-trail-in-stack";
import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { trail } from "../../test-support/specs/cloudtrail";

describe("cloudtrail", () => {
  policySuite(cloudtrailTrailInStack, {
    otherTypeExpect: { violation: "healthcare-platform-dev", message: /no logging CloudTrail trail/ },
    cases: [
      {
        name: "no trail in the stack: advisory, on the Stack, naming the PHI buckets",
        mutate: (p) => p.remove(trail(p)),
        expect: { violation: "healthcare-platform-dev", message: /3 PHI buckets.*trailOutsideStack/ },
      },
      {
        name: "a trail with logging off counts as none",
        mutate: (p) => set(p.trail, "enableLogging", false),
        expect: { violation: "healthcare-platform-dev" },
      },
      {
        name: "an organization trail declared in config",
        config: { "cloudtrail-trail-in-stack": { trailOutsideStack: true } },
        mutate: (p) => p.remove(trail(p)),
        expect: "clean",
      },
      {
        name: "preview: enableLogging unknown -> the trail counts (passes)",
        mutate: (p) => set(p.trail, "enableLogging", UNKNOWN_BOOLEAN),
        expect: "clean",
      },
    ],
  });
});
