import { strict as assert } from "assert";
import { runtimeProblem } from "../policies/lambda";

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
