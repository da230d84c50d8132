// Specs of the opensearch-logs-to-cloudwatch policy (./opensearch-logs-to-cloudwatch.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { opensearchLogsToCloudwatch } from "./opensearch-logs-to-cloudwatch";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { domain } from "../../test-support/specs/edge";

describe("opensearch", () => {
  policySuite(opensearchLogsToCloudwatch, {
    cases: [
      {
        name: "no log publishing",
        mutate: (p) => set(domain(p), "logPublishingOptions", undefined),
        expect: { violation: "events-domain", message: /ES_APPLICATION_LOGS/ },
      },
      {
        name: "application logs disabled",
        mutate: (p) => set(domain(p), "logPublishingOptions.0.enabled", false),
        expect: { violation: "events-domain" },
      },
      {
        name: "audit logs required by config",
        config: { "opensearch-logs-to-cloudwatch": { requiredLogTypes: ["ES_APPLICATION_LOGS", "AUDIT_LOGS"] } },
        expect: { violation: "events-domain", message: /AUDIT_LOGS/ },
      },
      {
        name: "preview: log group ARN unknown -> passes",
        mutate: (p) => set(domain(p), "logPublishingOptions.0.cloudwatchLogGroupArn", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: log type unknown -> can't run",
        mutate: (p) => set(domain(p), "logPublishingOptions.0.logType", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
});
