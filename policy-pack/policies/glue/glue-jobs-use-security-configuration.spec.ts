// Specs of the glue-jobs-use-security-configuration policy (./glue-jobs-use-security-configuration.ts).

import { glueJobsUseSecurityConfiguration } from "./glue-jobs-use-security-configuration";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";

const job = (p: Platform) => p.find("aws:glue/job:Job");

describe("glue", () => {
  policySuite(glueJobsUseSecurityConfiguration, {
    cases: [
      {
        name: "job without security configuration",
        mutate: (p) => set(job(p), "securityConfiguration", undefined),
        expect: { violation: "compaction" },
      },
      {
        name: "crawler without security configuration",
        mutate: (p) => p.add("aws:glue/crawler:Crawler", "crawler", { databaseName: "db", role: "r" }),
        expect: { violation: "crawler" },
      },
      {
        name: "preview: configuration name unknown -> passes",
        mutate: (p) => set(job(p), "securityConfiguration", UNKNOWN_STRING),
        expect: "clean",
      },
    ],
  });
});
