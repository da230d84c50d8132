// Specs of the lambda-supported-runtime policy (./lambda-supported-runtime.ts).

import { strict as assert } from "assert";
import { lambdaSupportedRuntime, runtimeProblem } from "./lambda-supported-runtime";
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

describe("lambda", () => {
  describe("runtimeProblem", () => {
    const cfg = {
      minimumVersions: { nodejs: 22, python: "3.10", java: 11, dotnet: 8, ruby: "3.3" },
      allowedCustomRuntimes: ["provided.al2023", "provided.al2"],
    };
    const table: [string, boolean][] = [
      ["nodejs22.x", true],
      ["nodejs24.x", true],
      ["nodejs20.x", false],
      ["nodejs18.x", false],
      ["nodejs", false],
      ["python3.13", true],
      ["python3.10", true],
      ["python3.9", false],
      ["python2.7", false],
      ["java21", true],
      ["java8.al2", false],
      ["dotnet8", true],
      ["dotnetcore3.1", false],
      ["ruby3.3", true],
      ["ruby2.7", false],
      ["provided.al2023", true],
      ["provided", false],
      ["go1.x", false],
    ];
    for (const [runtime, ok] of table) {
      it(`${runtime} is ${ok ? "allowed" : "rejected"}`, () => assert.equal(runtimeProblem(runtime, cfg) === undefined, ok));
    }
  });
});
