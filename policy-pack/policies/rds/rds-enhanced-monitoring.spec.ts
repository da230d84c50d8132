// Specs of the rds-enhanced-monitoring policy (./rds-enhanced-monitoring.ts).

import { UNKNOWN_NUMBER } from "../lib/unknown";
import { rdsEnhancedMonitoring } from "./rds-enhanced-monitoring";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { db } from "../../test-support/specs/data";

describe("rds", () => {
  policySuite(rdsEnhancedMonitoring, {
    cases: [
      { name: "monitoring interval 0", mutate: (p) => set(db(p), "monitoringInterval", 0), expect: { violation: "app-db" } },
      {
        name: "preview: interval unknown -> can't run",
        mutate: (p) => set(db(p), "monitoringInterval", UNKNOWN_NUMBER),
        expect: "unknown",
      },
    ],
  });
});
