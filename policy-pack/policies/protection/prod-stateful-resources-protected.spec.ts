// Specs of the prod-stateful-resources-protected policy (./prod-stateful-resources-protected.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { prodStatefulResourcesProtected } from "./prod-stateful-resources-protected";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { table } from "../../test-support/specs/governance";

describe("prod protection", () => {
  policySuite(prodStatefulResourcesProtected, {
    env: "prod",
    cases: [
      {
        name: "prod table without protect",
        mutate: (p) => {
          table(p).protect = false;
        },
        expect: { violation: "audit-table" },
      },
      { name: "dev needs no protect", env: "dev", expect: "clean" },
      {
        name: "preview: Environment tag unknown -> can't run",
        mutate: (p) => {
          table(p).protect = false;
          set(table(p), "tags", UNKNOWN_STRING);
        },
        expect: "unknown",
      },
    ],
  });
});
