// Specs of the athena-workgroup-query-limits policy (./athena-workgroup-query-limits.ts).

import { athenaWorkgroupQueryLimits } from "./athena-workgroup-query-limits";
import { UNKNOWN_NUMBER } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { wg } from "../../test-support/specs/pipeline";

describe("athena", () => {
  policySuite(athenaWorkgroupQueryLimits, {
    cases: [
      {
        name: "unbounded scans",
        mutate: (p) => set(wg(p), "configuration.bytesScannedCutoffPerQuery", undefined),
        expect: { violation: "investigations" },
      },
      {
        name: "preview: cutoff unknown -> can't run",
        mutate: (p) => set(wg(p), "configuration.bytesScannedCutoffPerQuery", UNKNOWN_NUMBER),
        expect: "unknown",
      },
    ],
  });
});
