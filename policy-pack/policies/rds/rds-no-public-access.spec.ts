// Specs of the rds-no-public-access policy (./rds-no-public-access.ts).

import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { rdsNoPublicAccess } from "./rds-no-public-access";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { aurora, db } from "../../test-support/specs/data";

describe("rds", () => {
  policySuite(rdsNoPublicAccess, {
    cases: [
      { name: "publicly accessible", mutate: (p) => set(db(p), "publiclyAccessible", true), expect: { violation: "app-db" } },
      {
        name: "publicly accessible cluster instance",
        mutate: (p) => {
          aurora(p, 1);
          set(p.find("aws:rds/clusterInstance:ClusterInstance", "aurora-0"), "publiclyAccessible", true);
        },
        expect: { violation: "aurora-0" },
      },
      { name: "preview: flag unknown -> can't run", mutate: (p) => set(db(p), "publiclyAccessible", UNKNOWN_BOOLEAN), expect: "unknown" },
    ],
  });
});
