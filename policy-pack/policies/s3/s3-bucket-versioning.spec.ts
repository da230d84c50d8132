// Specs of the s3-bucket-versioning policy (./s3-bucket-versioning.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { s3BucketVersioning } from "./s3-bucket-versioning";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { phi, toV2 } from "../../test-support/specs/s3";

describe("s3", () => {
  policySuite(s3BucketVersioning, {
    cases: [
      {
        name: "no versioning",
        mutate: (p) => p.remove(phi(p).versioning),
        expect: { violation: "phi-data-bucket", message: /no BucketVersioning/ },
      },
      {
        name: "suspended",
        mutate: (p) => set(phi(p).versioning, "versioningConfiguration.status", "Suspended"),
        expect: { violation: "phi-data-bucket", message: /Suspended/ },
      },
      { name: "Object Lock buckets are versioned by construction", mutate: (p) => p.remove(p.incidentReports.versioning), expect: "clean" },
      { name: "BucketVersioningV2 alias counts", mutate: (p) => toV2(p, phi(p)), expect: "clean" },
      {
        name: "preview: status unknown -> can't run",
        mutate: (p) => set(phi(p).versioning, "versioningConfiguration.status", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
});
