// Specs of the rds-backup-enabled policy (./rds-backup-enabled.ts).

import { UNKNOWN_NUMBER } from "../lib/unknown";
import { rdsBackupEnabled } from "./rds-backup-enabled";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { db } from "../../test-support/specs/data";

describe("rds", () => {
  policySuite(rdsBackupEnabled, {
    env: "prod",
    cases: [
      { name: "backups off", mutate: (p) => set(db(p), "backupRetentionPeriod", 0), expect: { violation: "app-db" } },
      {
        name: "not set explicitly",
        mutate: (p) => set(db(p), "backupRetentionPeriod", undefined),
        expect: { violation: "app-db", message: /explicitly/ },
      },
      {
        name: "3 days in prod",
        mutate: (p) => set(db(p), "backupRetentionPeriod", 3),
        expect: { violation: "app-db", message: /at least 7/ },
      },
      { name: "1 day in dev", env: "dev", mutate: (p) => set(db(p), "backupRetentionPeriod", 1), expect: "clean" },
      {
        name: "preview: retention unknown -> can't run",
        mutate: (p) => set(db(p), "backupRetentionPeriod", UNKNOWN_NUMBER),
        expect: "unknown",
      },
    ],
  });
});
