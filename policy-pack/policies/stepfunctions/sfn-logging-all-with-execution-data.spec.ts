// Specs of the sfn-logging-all-with-execution-data policy (./sfn-logging-all-with-execution-data.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { sfnLoggingAllWithExecutionData } from "./sfn-logging-all-with-execution-data";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { sfn } from "../../test-support/specs/pipeline";

describe("stepfunctions", () => {
  policySuite(sfnLoggingAllWithExecutionData, {
    cases: [
      {
        name: "ERROR level",
        mutate: (p) => set(sfn(p), "loggingConfiguration.level", "ERROR"),
        expect: { violation: "incident", message: /ERROR, not ALL/ },
      },
      {
        name: "no execution data",
        mutate: (p) => set(sfn(p), "loggingConfiguration.includeExecutionData", false),
        expect: { violation: "incident", message: /includeExecutionData/ },
      },
      {
        name: "no logging configuration",
        mutate: (p) => set(sfn(p), "loggingConfiguration", undefined),
        expect: { violation: "incident" },
      },
      {
        name: "preview: log destination unknown -> passes",
        mutate: (p) => set(sfn(p), "loggingConfiguration.logDestination", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: level unknown -> can't run",
        mutate: (p) => set(sfn(p), "loggingConfiguration.level", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
});
