// Specs of the rds-auto-minor-version-upgrade policy (./rds-auto-minor-version-upgrade.ts).

import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { rdsAutoMinorVersionUpgrade } from "./rds-auto-minor-version-upgrade";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { db } from "../../test-support/specs/data";

describe("rds", () => {
  policySuite(rdsAutoMinorVersionUpgrade, {
    cases: [
      { name: "minor upgrades off", mutate: (p) => set(db(p), "autoMinorVersionUpgrade", false), expect: { violation: "app-db" } },
      {
        name: "preview: flag unknown -> can't run",
        mutate: (p) => set(db(p), "autoMinorVersionUpgrade", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
});
