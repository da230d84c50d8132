// Specs of the cloudwatch-log-group-retention policy (./cloudwatch-log-group-retention.ts).

import { cloudwatchLogGroupRetention } from "./cloudwatch-log-group-retention";
import { UNKNOWN_NUMBER } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { group } from "../../test-support/specs/cloudwatch";

describe("cloudwatch", () => {
  policySuite(cloudwatchLogGroupRetention, {
    env: "prod",
    cases: [
      {
        name: "one year in prod",
        mutate: (p) => set(group(p), "retentionInDays", 365),
        expect: { violation: "cloudtrail-logs", message: /at least 2192/ },
      },
      { name: "one year in dev passes", env: "dev", mutate: (p) => set(group(p), "retentionInDays", 365), expect: "clean" },
      {
        name: "a dev floor from config",
        env: "dev",
        config: { "cloudwatch-log-group-retention": { minRetentionDays: 30 } },
        mutate: (p) => set(group(p), "retentionInDays", 14),
        expect: { violation: "cloudtrail-logs", message: /at least 30/ },
      },
      {
        name: "not a CloudWatch value",
        mutate: (p) => set(group(p), "retentionInDays", 2200),
        expect: { violation: "cloudtrail-logs", message: /accepts/ },
      },
      { name: "never-expire passes by default", mutate: (p) => set(group(p), "retentionInDays", undefined), expect: "clean" },
      {
        name: "never-expire fails when an explicit period is required",
        config: { "cloudwatch-log-group-retention": { allowNeverExpire: false } },
        mutate: (p) => set(group(p), "retentionInDays", undefined),
        expect: { violation: "cloudtrail-logs" },
      },
      {
        name: "preview: retention unknown -> can't run",
        mutate: (p) => set(group(p), "retentionInDays", UNKNOWN_NUMBER),
        expect: "unknown",
      },
    ],
  });
});
