// Specs of the lambda-no-public-access policy (./lambda-no-public-access.ts).

import { lambdaNoPublicAccess } from "./lambda-no-public-access";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { perm } from "../../test-support/specs/lambda";

describe("lambda", () => {
  policySuite(lambdaNoPublicAccess, {
    cases: [
      {
        name: "principal * without source",
        mutate: (p) => {
          set(perm(p), "principal", "*");
          set(perm(p), "sourceArn", undefined);
          set(perm(p), "sourceAccount", undefined);
        },
        expect: { violation: "data-processor-invoke-from-s3", message: /any AWS principal/ },
      },
      {
        name: "service principal without sourceArn/sourceAccount",
        mutate: (p) => {
          set(perm(p), "sourceArn", undefined);
          set(perm(p), "sourceAccount", undefined);
        },
        expect: { violation: "data-processor-invoke-from-s3", message: /s3\.amazonaws\.com/ },
      },
      {
        name: "an account principal is not public",
        mutate: (p) => {
          set(perm(p), "principal", "123456789012");
          set(perm(p), "sourceArn", undefined);
          set(perm(p), "sourceAccount", undefined);
        },
        expect: "clean",
      },
      {
        name: "function URL without auth",
        mutate: (p) => p.add("aws:lambda/functionUrl:FunctionUrl", "url", { functionName: "f", authorizationType: "NONE" }),
        expect: { violation: "url" },
      },
      {
        name: "permission for unauthenticated URL calls",
        mutate: (p) => set(perm(p), "functionUrlAuthType", "NONE"),
        expect: { violation: "data-processor-invoke-from-s3", message: /unauthenticated/ },
      },
      {
        name: "preview: sourceArn unknown -> passes (scoped to a resource being created)",
        mutate: (p) => {
          set(perm(p), "sourceArn", UNKNOWN_STRING);
          set(perm(p), "sourceAccount", undefined);
        },
        expect: "clean",
      },
      { name: "preview: principal unknown -> can't run", mutate: (p) => set(perm(p), "principal", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
});
