import { cloudwatchAlarmAction, cloudwatchLogGroupEncrypted, cloudwatchLogGroupRetention } from "../../policy-pack/policies/cloudwatch";
import { UNKNOWN_ARRAY, UNKNOWN_NUMBER, UNKNOWN_STRING } from "../../policy-pack/policies/lib/unknown";
import { set } from "../../policy-pack/test-support/builder";
import { Platform } from "../../policy-pack/test-support/platform";
import { policySuite } from "../../policy-pack/test-support/suite";

const group = (p: Platform) => p.trailLogGroup;
const alarm = (p: Platform) => p.find("aws:cloudwatch/metricAlarm:MetricAlarm");

describe("cloudwatch", () => {
  policySuite(cloudwatchLogGroupEncrypted, {
    cases: [
      { name: "no kmsKeyId", mutate: (p) => set(group(p), "kmsKeyId", undefined), expect: { violation: "cloudtrail-logs" } },
      { name: "preview: key unknown -> passes", mutate: (p) => set(group(p), "kmsKeyId", UNKNOWN_STRING), expect: "clean" },
    ],
  });
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
