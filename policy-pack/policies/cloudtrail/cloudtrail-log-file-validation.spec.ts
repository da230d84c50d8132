// Specs of the cloudtrail-log-file-validation policy (./cloudtrail-log-file-validation.ts).

import { cloudtrailLogFileValidation } from "./cloudtrail-log-file-validation";
import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { trail } from "../../test-support/specs/cloudtrail";

describe("cloudtrail", () => {
  policySuite(cloudtrailLogFileValidation, {
    cases: [
      { name: "validation off", mutate: (p) => set(trail(p), "enableLogFileValidation", false), expect: { violation: "audit-trail" } },
      {
        name: "preview: flag unknown -> can't run",
        mutate: (p) => set(trail(p), "enableLogFileValidation", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
});
