// Specs of the lambda-log-group-managed policy (./lambda-log-group-managed.ts).

import { lambdaLogGroupManaged } from "./lambda-log-group-managed";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";
import { fn } from "../../test-support/specs/lambda";

const group = (p: Platform) => p.find("aws:cloudwatch/logGroup:LogGroup", "data-processor-logs");

describe("lambda", () => {
  policySuite(lambdaLogGroupManaged, {
    cases: [
      {
        name: "no log group for the function",
        mutate: (p) => {
          p.remove(group(p));
          set(fn(p), "loggingConfig", undefined);
          fn(p).propertyDependencies = {};
        },
        expect: { violation: "data-processor", message: /unencrypted/ },
      },
      {
        name: "the default /aws/lambda/<name> group joined by name",
        mutate: (p) => {
          set(fn(p), "loggingConfig", undefined);
          fn(p).propertyDependencies = {};
        },
        expect: "clean",
      },
      {
        name: "a group whose name comes from the function's name output",
        mutate: (p) => {
          set(fn(p), "loggingConfig", undefined);
          set(group(p), "name", UNKNOWN_STRING);
          group(p).propertyDependencies.name = [fn(p).urn];
        },
        expect: "clean",
      },
      {
        name: "loggingConfig naming a group outside the stack",
        mutate: (p) => {
          set(fn(p), "loggingConfig.logGroup", "/elsewhere");
          fn(p).propertyDependencies = {};
        },
        expect: { violation: "data-processor" },
      },
      {
        name: "preview: loggingConfig.logGroup unknown and from a declared group -> passes",
        mutate: (p) => set(fn(p), "loggingConfig.logGroup", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: function name unknown and no loggingConfig -> can't run",
        mutate: (p) => {
          set(fn(p), "loggingConfig", undefined);
          fn(p).propertyDependencies = {};
          set(fn(p), "name", UNKNOWN_STRING);
        },
        expect: "unknown",
      },
    ],
  });
});
