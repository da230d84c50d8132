// Specs of the s3-phi-bucket-replication policy (./s3-phi-bucket-replication.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { s3PhiBucketReplication } from "./s3-phi-bucket-replication";
import { StateResource } from "../../checker/deployment";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { phi } from "../../test-support/specs/s3";

describe("s3", () => {
  policySuite(s3PhiBucketReplication, {
    cases: [
      { name: "no replication", mutate: (p) => p.remove(phi(p).replication as StateResource), expect: { violation: "phi-data-bucket" } },
      {
        name: "the destination of an enabled rule is the second copy",
        mutate: (p) => {
          const archive = p.archive.bucket;
          p.remove(p.archive.replication as StateResource);
          set(phi(p).replication as StateResource, "rules.0.destination.bucket", `arn:aws:s3:::${archive.inputs.bucket as string}`);
        },
        expect: "clean",
      },
      {
        name: "a disabled rule does not make its destination a replica",
        mutate: (p) => {
          const archive = p.archive.bucket;
          p.remove(p.archive.replication as StateResource);
          set(phi(p).replication as StateResource, "rules", [
            { id: "dr", status: "Enabled", destination: { bucket: "arn:aws:s3:::elsewhere-dr" } },
            { id: "old", status: "Disabled", destination: { bucket: `arn:aws:s3:::${archive.inputs.bucket as string}` } },
          ]);
        },
        expect: { violation: "event-archive-bucket" },
      },
      {
        name: "preview: rule status unknown -> can't run",
        mutate: (p) => set(phi(p).replication as StateResource, "rules.0.status", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
});
