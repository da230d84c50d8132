// Specs of the alb-access-logs-enabled policy (./alb-access-logs-enabled.ts).

import { albAccessLogsEnabled } from "./alb-access-logs-enabled";
import { UNKNOWN_BOOLEAN, UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { lb } from "../../test-support/specs/edge";

describe("alb", () => {
  policySuite(albAccessLogsEnabled, {
    cases: [
      { name: "access logs off", mutate: (p) => set(lb(p), "accessLogs.enabled", false), expect: { violation: "alb" } },
      { name: "no accessLogs block", mutate: (p) => set(lb(p), "accessLogs", undefined), expect: { violation: "alb" } },
      {
        name: "preview: bucket unknown -> passes (bucket being created)",
        mutate: (p) => set(lb(p), "accessLogs.bucket", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: enabled unknown -> can't run",
        mutate: (p) => set(lb(p), "accessLogs.enabled", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
});
