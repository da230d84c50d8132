// Specs of the cloudtrail-phi-bucket-data-events policy (./cloudtrail-phi-bucket-data-events.ts).

import { cloudtrailPhiBucketDataEvents } from "./cloudtrail-phi-bucket-data-events";
import { UNKNOWN_ARRAY, UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";
import { trail } from "../../test-support/specs/cloudtrail";

const dataSelector = (p: Platform) =>
  (p.trail.inputs.advancedEventSelectors as { fieldSelectors: { field: string; startsWiths?: string[]; equals?: string[] }[] }[])[1];

describe("cloudtrail", () => {
  policySuite(cloudtrailPhiBucketDataEvents, {
    cases: [
      {
        name: "a PHI bucket missing from the selector",
        mutate: (p) => {
          const f = dataSelector(p).fieldSelectors[2];
          f.startsWiths = f.startsWiths?.filter((v) => !v.includes("phi-data"));
          trail(p).propertyDependencies.advancedEventSelectors = trail(p).propertyDependencies.advancedEventSelectors.filter(
            (u) => !u.includes("phi-data"),
          );
        },
        expect: { violation: "phi-data-bucket", message: /reads and writes/ },
      },
      {
        name: "write-only data events",
        mutate: (p) => dataSelector(p).fieldSelectors.push({ field: "readOnly", equals: ["false"] }),
        expect: { violation: true, message: /\(reads\)/ },
      },
      {
        name: "read-only data events",
        mutate: (p) => dataSelector(p).fieldSelectors.push({ field: "readOnly", equals: ["true"] }),
        expect: { violation: true, message: /\(writes\)/ },
      },
      {
        name: "filtered by event name is partial coverage",
        mutate: (p) => dataSelector(p).fieldSelectors.push({ field: "eventName", equals: ["PutObject"] }),
        expect: { violation: true },
      },
      // Stance change: no trail in the stack is an absence, reported by cloudtrail-trail-in-stack.
      { name: "no trail at all: left to cloudtrail-trail-in-stack", mutate: (p) => p.remove(trail(p)), expect: "clean" },
      {
        name: "data events recorded by an organization trail, declared in config",
        config: { "cloudtrail-phi-bucket-data-events": { dataEventsTrailOutsideStack: true } },
        mutate: (p) => set(p.trail, "advancedEventSelectors", []),
        expect: "clean",
      },
      // Structure before tags: the access-log target is never PHI (AWS writes it only with SSE-S3), even untagged.
      { name: "an untagged access-log target is not PHI", mutate: (p) => set(p.accessLogs.bucket, "tags", {}), expect: "clean" },
      {
        name: "an untagged bucket counts as PHI",
        mutate: (p) =>
          p.add("aws:s3/bucket:Bucket", "untagged-bucket", { bucket: "untagged-x" }, { outputs: { arn: "arn:aws:s3:::untagged-x" } }),
        expect: { violation: "untagged-bucket" },
      },
      {
        name: "all-bucket selector (no resources.ARN) covers every bucket",
        mutate: (p) => dataSelector(p).fieldSelectors.splice(2, 1),
        expect: "clean",
      },
      {
        name: "basic event selectors with All read/write",
        mutate: (p) => {
          set(trail(p), "advancedEventSelectors", undefined);
          set(trail(p), "eventSelectors", [
            {
              readWriteType: "All",
              includeManagementEvents: true,
              dataResources: [
                {
                  type: "AWS::S3::Object",
                  values: [p.phiData, p.archive, p.incidentReports].map((s) => `${String(s.bucket.outputs.arn)}/`),
                },
              ],
            },
          ]);
        },
        expect: "clean",
      },
      {
        name: "basic selector WriteOnly",
        mutate: (p) => {
          set(trail(p), "advancedEventSelectors", undefined);
          set(trail(p), "eventSelectors", [
            { readWriteType: "WriteOnly", dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }] },
          ]);
        },
        expect: { violation: true, message: /\(reads\)/ },
      },
      {
        name: "preview: an unknown ARN that comes from exactly one bucket (propertyDependencies) covers it",
        mutate: (p) => {
          const f = dataSelector(p).fieldSelectors[2];
          f.startsWiths = [UNKNOWN_STRING, `${String(p.archive.bucket.outputs.arn)}/`, `${String(p.incidentReports.bucket.outputs.arn)}/`];
          trail(p).propertyDependencies.advancedEventSelectors = [p.phiData.bucket.urn];
        },
        expect: "clean",
      },
      {
        name: "preview: unknown ARNs from several buckets cannot be told apart -> can't run",
        mutate: (p) => {
          dataSelector(p).fieldSelectors[2].startsWiths = [UNKNOWN_STRING, UNKNOWN_STRING, UNKNOWN_STRING];
        },
        expect: "unknown",
      },
      {
        name: "preview: an unknown ARN that comes from no bucket covers none",
        mutate: (p) => {
          dataSelector(p).fieldSelectors[2].startsWiths = [UNKNOWN_STRING];
          trail(p).propertyDependencies.advancedEventSelectors = [];
          trail(p).dependencies = [];
        },
        expect: { violation: true },
      },
      {
        name: "preview: selectors unknown -> can't run",
        mutate: (p) => set(trail(p), "advancedEventSelectors", UNKNOWN_ARRAY),
        expect: "unknown",
      },
    ],
  });
});
