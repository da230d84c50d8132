// Specs of the dynamodb-pitr-enabled policy (./dynamodb-pitr-enabled.ts).

import { dynamodbPitrEnabled } from "./dynamodb-pitr-enabled";
import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { table } from "../../test-support/specs/data";

describe("dynamodb", () => {
  policySuite(dynamodbPitrEnabled, {
    cases: [
      { name: "PITR off", mutate: (p) => set(table(p), "pointInTimeRecovery", { enabled: false }), expect: { violation: "audit-table" } },
      {
        name: "preview: flag unknown -> can't run",
        mutate: (p) => set(table(p), "pointInTimeRecovery.enabled", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
});
