// Specs of the phi-reader-function-cmk-log-group policy (./phi-reader-function-cmk-log-group.ts).

import { phiReaderFunctionCmkLogGroup } from "./phi-reader-function-cmk-log-group";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { fn, readerPolicy } from "../../test-support/specs/phi-path";

describe("the PHI path across resources", () => {
  policySuite(phiReaderFunctionCmkLogGroup, {
    cases: [
      {
        name: "a PHI reader logging to a group without a key fails",
        mutate: (p) => set(p.find("aws:cloudwatch/logGroup:LogGroup", "data-processor-logs"), "kmsKeyId", undefined),
        expect: { violation: "data-processor", message: /data-processor-logs, which has no kmsKeyId/ },
      },
      {
        name: "a PHI reader with no log group in the stack fails",
        mutate: (p) => p.remove(p.find("aws:cloudwatch/logGroup:LogGroup", "data-processor-logs")),
        expect: { violation: "data-processor", message: /no log group of the stack/ },
      },
      {
        name: "preview: an unknown role policy stays silent",
        mutate: (p) => {
          set(p.find("aws:cloudwatch/logGroup:LogGroup", "data-processor-logs"), "kmsKeyId", undefined);
          set(readerPolicy(p), "policy", UNKNOWN_STRING);
        },
        expect: "unknown",
      },
      {
        name: "preview: an unknown log group name with no recorded dependency stays silent",
        mutate: (p) => {
          set(fn(p), "loggingConfig.logGroup", UNKNOWN_STRING);
          delete fn(p).propertyDependencies.loggingConfig;
        },
        expect: "unknown",
      },
    ],
  });
});
