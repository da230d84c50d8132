// Specs of the lambda-concurrency-limit policy (./lambda-concurrency-limit.ts).

import { lambdaConcurrencyLimit } from "./lambda-concurrency-limit";
import { UNKNOWN_NUMBER } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { fn } from "../../test-support/specs/lambda";

describe("lambda", () => {
  policySuite(lambdaConcurrencyLimit, {
    cases: [
      {
        name: "no reserved concurrency",
        mutate: (p) => set(fn(p), "reservedConcurrentExecutions", undefined),
        expect: { violation: "data-processor" },
      },
      { name: "-1 (unreserved)", mutate: (p) => set(fn(p), "reservedConcurrentExecutions", -1), expect: { violation: "data-processor" } },
      {
        name: "preview: value unknown -> passes (it is set)",
        mutate: (p) => set(fn(p), "reservedConcurrentExecutions", UNKNOWN_NUMBER),
        expect: "clean",
      },
    ],
  });
});
