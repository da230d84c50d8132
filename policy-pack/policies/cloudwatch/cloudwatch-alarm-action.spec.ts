// Specs of the cloudwatch-alarm-action policy (./cloudwatch-alarm-action.ts).

import { cloudwatchAlarmAction } from "./cloudwatch-alarm-action";
import { UNKNOWN_ARRAY } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";

const alarm = (p: Platform) => p.find("aws:cloudwatch/metricAlarm:MetricAlarm");

describe("cloudwatch", () => {
  policySuite(cloudwatchAlarmAction, {
    cases: [
      { name: "no alarm actions", mutate: (p) => set(alarm(p), "alarmActions", []), expect: { violation: "root-login-alarm" } },
      {
        name: "OK action only fails by default",
        mutate: (p) => {
          set(alarm(p), "alarmActions", undefined);
          set(alarm(p), "okActions", ["arn:aws:sns:us-east-1:123456789012:t"]);
        },
        expect: { violation: "root-login-alarm" },
      },
      {
        name: "OK action only passes with requireAlarmActions false",
        config: { "cloudwatch-alarm-action": { requireAlarmActions: false } },
        mutate: (p) => {
          set(alarm(p), "alarmActions", undefined);
          set(alarm(p), "okActions", ["arn:aws:sns:us-east-1:123456789012:t"]);
        },
        expect: "clean",
      },
      {
        name: "actions disabled",
        mutate: (p) => set(alarm(p), "actionsEnabled", false),
        expect: { violation: "root-login-alarm", message: /disabled/ },
      },
      {
        name: "preview: alarmActions unknown -> passes (topic being created)",
        mutate: (p) => set(alarm(p), "alarmActions", UNKNOWN_ARRAY),
        expect: "clean",
      },
    ],
  });
});
