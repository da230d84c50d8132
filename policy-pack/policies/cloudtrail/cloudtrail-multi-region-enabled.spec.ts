// Specs of the cloudtrail-multi-region-enabled policy (./cloudtrail-multi-region-enabled.ts).

import { cloudtrailMultiRegionEnabled } from "./cloudtrail-multi-region-enabled";
import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { trail } from "../../test-support/specs/cloudtrail";

describe("cloudtrail", () => {
  policySuite(cloudtrailMultiRegionEnabled, {
    cases: [
      {
        name: "single-region trail",
        mutate: (p) => set(trail(p), "isMultiRegionTrail", false),
        expect: { violation: "audit-trail", message: /multi-region/ },
      },
      {
        name: "no global service events",
        mutate: (p) => set(trail(p), "includeGlobalServiceEvents", false),
        expect: { violation: "audit-trail" },
      },
      {
        name: "logging turned off",
        mutate: (p) => set(trail(p), "enableLogging", false),
        expect: { violation: "audit-trail", message: /turned off/ },
      },
      {
        name: "data-events-only selectors (no management events)",
        mutate: (p) => set(trail(p), "advancedEventSelectors", [(trail(p).inputs.advancedEventSelectors as unknown[])[1]]),
        expect: { violation: "audit-trail" },
      },
      // Stance change (docs/design.md, "The policy pack's stance"): a stack without a trail is judged by the advisory cloudtrail-trail-in-stack.
      { name: "no trail in the stack: not this policy's (absence) concern", mutate: (p) => p.remove(trail(p)), expect: "clean" },
      {
        name: "an organization trail elsewhere (config) accepts a stack without one",
        config: { "cloudtrail-multi-region-enabled": { managementTrailOutsideStack: true } },
        mutate: (p) => p.remove(trail(p)),
        expect: "clean",
      },
      {
        name: "preview: isMultiRegionTrail unknown -> can't run",
        mutate: (p) => set(trail(p), "isMultiRegionTrail", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
});
