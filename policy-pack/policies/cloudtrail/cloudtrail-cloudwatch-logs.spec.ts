// Specs of the cloudtrail-cloudwatch-logs policy (./cloudtrail-cloudwatch-logs.ts).

import { cloudtrailCloudWatchLogs } from "./cloudtrail-cloudwatch-logs";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { trail } from "../../test-support/specs/cloudtrail";

describe("cloudtrail", () => {
  policySuite(cloudtrailCloudWatchLogs, {
    cases: [
      { name: "no log group", mutate: (p) => set(trail(p), "cloudWatchLogsGroupArn", undefined), expect: { violation: "audit-trail" } },
      { name: "no delivery role", mutate: (p) => set(trail(p), "cloudWatchLogsRoleArn", ""), expect: { violation: "audit-trail" } },
      {
        name: "preview: ARNs unknown -> passes (set to outputs)",
        mutate: (p) => {
          set(trail(p), "cloudWatchLogsGroupArn", UNKNOWN_STRING);
          set(trail(p), "cloudWatchLogsRoleArn", UNKNOWN_STRING);
        },
        expect: "clean",
      },
    ],
  });
});
