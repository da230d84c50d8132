// Specs of the cloudwatch-log-group-encrypted policy (./cloudwatch-log-group-encrypted.ts).

import { cloudwatchLogGroupEncrypted } from "./cloudwatch-log-group-encrypted";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { group } from "../../test-support/specs/cloudwatch";

describe("cloudwatch", () => {
  policySuite(cloudwatchLogGroupEncrypted, {
    cases: [
      { name: "no kmsKeyId", mutate: (p) => set(group(p), "kmsKeyId", undefined), expect: { violation: "cloudtrail-logs" } },
      { name: "preview: key unknown -> passes", mutate: (p) => set(group(p), "kmsKeyId", UNKNOWN_STRING), expect: "clean" },
    ],
  });
});
