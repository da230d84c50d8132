// Specs of the wafv2-logging-enabled policy (./wafv2-logging-enabled.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { wafv2LoggingEnabled } from "./wafv2-logging-enabled";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";

const aclLogging = (p: Platform) => p.find("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");

describe("wafv2", () => {
  policySuite(wafv2LoggingEnabled, {
    cases: [
      { name: "no logging configuration", mutate: (p) => p.remove(aclLogging(p)), expect: { violation: "web-acl" } },
      {
        name: "preview: destinations unknown -> passes",
        mutate: (p) => set(aclLogging(p), "logDestinationConfigs", [UNKNOWN_STRING]),
        expect: "clean",
      },
      {
        name: "preview: resourceArn unknown without dependencies -> can't run",
        mutate: (p) => {
          set(aclLogging(p), "resourceArn", UNKNOWN_STRING);
          aclLogging(p).propertyDependencies = { logDestinationConfigs: [] };
        },
        expect: "unknown",
      },
    ],
  });
});
