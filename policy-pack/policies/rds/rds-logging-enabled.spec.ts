// Specs of the rds-logging-enabled policy (./rds-logging-enabled.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { rdsLoggingEnabled } from "./rds-logging-enabled";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { db } from "../../test-support/specs/data";

describe("rds", () => {
  policySuite(rdsLoggingEnabled, {
    cases: [
      {
        name: "no log exports",
        mutate: (p) => set(db(p), "enabledCloudwatchLogsExports", undefined),
        expect: { violation: "app-db", message: /postgresql/ },
      },
      {
        name: "MySQL without general log",
        mutate: (p) => {
          set(db(p), "engine", "mysql");
          set(db(p), "enabledCloudwatchLogsExports", ["error"]);
        },
        expect: { violation: "app-db", message: /general/ },
      },
      {
        name: "Aurora instance members are checked on the cluster",
        mutate: (p) => {
          set(db(p), "engine", "aurora-postgresql");
          set(db(p), "enabledCloudwatchLogsExports", undefined);
        },
        expect: "clean",
      },
      { name: "preview: engine unknown -> can't run", mutate: (p) => set(db(p), "engine", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
});
