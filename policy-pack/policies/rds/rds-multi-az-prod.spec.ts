// Specs of the rds-multi-az-prod policy (./rds-multi-az-prod.ts).

import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { rdsMultiAzProd } from "./rds-multi-az-prod";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { aurora, db } from "../../test-support/specs/data";

describe("rds", () => {
  policySuite(rdsMultiAzProd, {
    env: "prod",
    cases: [
      { name: "single-AZ prod instance", mutate: (p) => set(db(p), "multiAz", false), expect: { violation: "app-db" } },
      { name: "single-AZ dev instance passes", env: "dev", mutate: (p) => set(db(p), "multiAz", false), expect: "clean" },
      {
        name: "Aurora cluster with one instance in prod",
        mutate: (p) => aurora(p, 1),
        expect: { violation: "aurora", message: /1 instance/ },
      },
      { name: "Aurora cluster with two instances in prod", mutate: (p) => aurora(p, 2), expect: "clean" },
      { name: "preview: multiAz unknown -> can't run", mutate: (p) => set(db(p), "multiAz", UNKNOWN_BOOLEAN), expect: "unknown" },
    ],
  });
});
