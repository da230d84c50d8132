// Specs of the alb-drop-invalid-headers policy (./alb-drop-invalid-headers.ts).

import { albDropInvalidHeaders } from "./alb-drop-invalid-headers";
import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { lb, toAlbAlias } from "../../test-support/specs/edge";

describe("alb", () => {
  policySuite(albDropInvalidHeaders, {
    cases: [
      { name: "invalid headers forwarded", mutate: (p) => set(lb(p), "dropInvalidHeaderFields", false), expect: { violation: "alb" } },
      {
        name: "aws:alb alias judged the same",
        mutate: (p) => {
          const r = lb(p);
          toAlbAlias(r, "aws:alb/loadBalancer:LoadBalancer");
          set(r, "dropInvalidHeaderFields", undefined);
        },
        expect: { violation: "alb" },
      },
      {
        name: "network load balancers have no HTTP headers",
        mutate: (p) => {
          set(lb(p), "loadBalancerType", "network");
          set(lb(p), "dropInvalidHeaderFields", undefined);
        },
        expect: "clean",
      },
      {
        name: "preview: flag unknown -> can't run",
        mutate: (p) => set(lb(p), "dropInvalidHeaderFields", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
});
