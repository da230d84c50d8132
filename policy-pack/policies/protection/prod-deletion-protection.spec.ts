// Specs of the prod-deletion-protection policy (./prod-deletion-protection.ts).

import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { prodDeletionProtection } from "./prod-deletion-protection";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";
import { table } from "../../test-support/specs/governance";

const db = (p: Platform) => p.find("aws:rds/instance:Instance");

const lb = (p: Platform) => p.find("aws:lb/loadBalancer:LoadBalancer");

describe("prod protection", () => {
  policySuite(prodDeletionProtection, {
    env: "prod",
    cases: [
      {
        name: "prod database without deletion protection",
        mutate: (p) => set(db(p), "deletionProtection", false),
        expect: { violation: "app-db", message: /deletionProtection/ },
      },
      {
        name: "prod database skipping the final snapshot",
        mutate: (p) => set(db(p), "skipFinalSnapshot", true),
        expect: { violation: "app-db", message: /final snapshot/ },
      },
      {
        name: "prod table without deletion protection",
        mutate: (p) => set(table(p), "deletionProtectionEnabled", false),
        expect: { violation: "audit-table" },
      },
      {
        name: "prod ALB without deletion protection",
        mutate: (p) => set(lb(p), "enableDeletionProtection", false),
        expect: { violation: "alb" },
      },
      { name: "dev resources are destroyable by design", env: "dev", expect: "clean" },
      { name: "preview: flag unknown -> can't run", mutate: (p) => set(db(p), "deletionProtection", UNKNOWN_BOOLEAN), expect: "unknown" },
    ],
  });
});
