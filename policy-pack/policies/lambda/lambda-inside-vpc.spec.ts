// Specs of the lambda-inside-vpc policy (./lambda-inside-vpc.ts).

import { lambdaInsideVpc } from "./lambda-inside-vpc";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { fn } from "../../test-support/specs/lambda";

describe("lambda", () => {
  policySuite(lambdaInsideVpc, {
    cases: [
      {
        name: "PHI function outside the VPC",
        mutate: (p) => set(fn(p), "vpcConfig", undefined),
        expect: { violation: "data-processor", message: /PHI/ },
      },
      {
        name: "untagged function counts as PHI",
        mutate: (p) => {
          set(fn(p), "vpcConfig", undefined);
          set(fn(p), "tags", {});
        },
        expect: { violation: "data-processor" },
      },
      {
        name: "Internal function may run outside the VPC",
        mutate: (p) => {
          set(fn(p), "vpcConfig", undefined);
          set(fn(p), "tags", { DataClassification: "Internal" });
        },
        expect: "clean",
      },
      {
        name: "preview: subnet ids unknown -> passes (subnets being created)",
        mutate: (p) => set(fn(p), "vpcConfig.subnetIds", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: tags unknown -> can't run",
        mutate: (p) => {
          set(fn(p), "vpcConfig", undefined);
          set(fn(p), "tags", UNKNOWN_STRING);
        },
        expect: "unknown",
      },
    ],
  });
});
