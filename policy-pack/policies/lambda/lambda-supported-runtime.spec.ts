// Specs of the lambda-supported-runtime policy (./lambda-supported-runtime.ts).

import { lambdaSupportedRuntime } from "./lambda-supported-runtime";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { fn } from "../../test-support/specs/lambda";

describe("lambda", () => {
  policySuite(lambdaSupportedRuntime, {
    cases: [
      {
        name: "nodejs20.x",
        mutate: (p) => set(fn(p), "runtime", "nodejs20.x"),
        expect: { violation: "data-processor", message: /Node.js 20/ },
      },
      { name: "no runtime", mutate: (p) => set(fn(p), "runtime", undefined), expect: { violation: "data-processor" } },
      {
        name: "container images carry their runtime",
        mutate: (p) => {
          set(fn(p), "runtime", undefined);
          set(fn(p), "packageType", "Image");
        },
        expect: "clean",
      },
      { name: "preview: runtime unknown -> can't run", mutate: (p) => set(fn(p), "runtime", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
});
