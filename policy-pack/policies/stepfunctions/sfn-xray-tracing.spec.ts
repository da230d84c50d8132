// Specs of the sfn-xray-tracing policy (./sfn-xray-tracing.ts).

import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { sfnXrayTracing } from "./sfn-xray-tracing";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { sfn } from "../../test-support/specs/pipeline";

describe("stepfunctions", () => {
  policySuite(sfnXrayTracing, {
    cases: [
      { name: "tracing off", mutate: (p) => set(sfn(p), "tracingConfiguration", undefined), expect: { violation: "incident" } },
      {
        name: "preview: unknown -> can't run",
        mutate: (p) => set(sfn(p), "tracingConfiguration.enabled", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
});
