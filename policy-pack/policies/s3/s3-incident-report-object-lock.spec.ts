// Specs of the s3-incident-report-object-lock policy (./s3-incident-report-object-lock.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { s3IncidentReportObjectLock } from "./s3-incident-report-object-lock";
import { StateResource } from "../../checker/deployment";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";

describe("s3", () => {
  policySuite(s3IncidentReportObjectLock, {
    env: "prod",
    cases: [
      {
        name: "GOVERNANCE in prod",
        mutate: (p) => set(p.incidentReports.lock as StateResource, "rule.defaultRetention", { mode: "GOVERNANCE", years: 6 }),
        expect: { violation: "incident-reports-bucket", message: /COMPLIANCE/ },
      },
      {
        name: "one year of retention in prod",
        mutate: (p) => set(p.incidentReports.lock as StateResource, "rule.defaultRetention", { mode: "COMPLIANCE", years: 1 }),
        expect: { violation: "incident-reports-bucket", message: /2192/ },
      },
      { name: "GOVERNANCE is allowed in dev", env: "dev", expect: "clean" },
      {
        name: "Object Lock not enabled on the bucket",
        mutate: (p) => set(p.incidentReports.bucket, "objectLockEnabled", undefined),
        expect: { violation: "incident-reports-bucket", message: /not enabled/ },
      },
      {
        name: "no default retention",
        mutate: (p) => p.remove(p.incidentReports.lock as StateResource),
        expect: { violation: "incident-reports-bucket" },
      },
      {
        name: "preview: mode unknown -> can't run",
        mutate: (p) => set(p.incidentReports.lock as StateResource, "rule.defaultRetention.mode", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
});
