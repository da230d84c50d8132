// Specs of the phi-bucket-macie-scope policy (./phi-bucket-macie-scope.ts).

import { phiBucketMacieScope } from "./phi-bucket-macie-scope";
import { UNKNOWN_ARRAY } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";

const JOB = "aws:macie2/classificationJob:ClassificationJob";

const job = (p: Platform) => p.find(JOB);

describe("the PHI path across resources", () => {
  policySuite(phiBucketMacieScope, {
    cases: [
      {
        name: "a PHI bucket left out of every job fails",
        mutate: (p) =>
          set(job(p), "s3JobDefinition.bucketDefinitions.0.buckets", [
            String(p.archive.bucket.inputs.bucket),
            String(p.incidentReports.bucket.inputs.bucket),
          ]),
        expect: { violation: "phi-data-bucket", message: /Macie.*macieScopeOutsideStack.*macieExcludedBuckets/ },
      },
      {
        name: "a cancelled job scans nothing: every PHI bucket fails",
        mutate: (p) => set(job(p), "jobStatus", "CANCELLED"),
        expect: { violation: true },
      },
      {
        name: "no Macie job in the stack fails on every PHI bucket",
        mutate: (p) => p.remove(job(p)),
        expect: { violation: true },
      },
      {
        name: "a bucket named in macieExcludedBuckets passes",
        mutate: (p) =>
          set(job(p), "s3JobDefinition.bucketDefinitions.0.buckets", [
            String(p.archive.bucket.inputs.bucket),
            String(p.incidentReports.bucket.inputs.bucket),
          ]),
        config: { "phi-bucket-macie-scope": { macieExcludedBuckets: ["hcp-dev-phi-data-*"] } },
        expect: "clean",
      },
      {
        name: "macieScopeOutsideStack declares Macie's scope elsewhere",
        mutate: (p) => p.remove(job(p)),
        config: { "phi-bucket-macie-scope": { macieScopeOutsideStack: true } },
        expect: "clean",
      },
      {
        name: "a job selecting buckets by criteria passes",
        mutate: (p) =>
          set(job(p), "s3JobDefinition", {
            bucketCriteria: {
              includes: { ands: [{ tagCriterion: { comparator: "EQ", tagValues: [{ key: "DataClassification", value: "PHI" }] } }] },
            },
          }),
        expect: "clean",
      },
      {
        name: "an empty bucketCriteria beside the bucket definitions does not widen the scope",
        mutate: (p) => {
          set(job(p), "s3JobDefinition.bucketDefinitions.0.buckets", [
            String(p.archive.bucket.inputs.bucket),
            String(p.incidentReports.bucket.inputs.bucket),
          ]);
          set(job(p), "s3JobDefinition.bucketCriteria", {});
        },
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "preview: a job whose bucket list is unknown stays silent",
        mutate: (p) => {
          set(job(p), "s3JobDefinition.bucketDefinitions.0.buckets", UNKNOWN_ARRAY);
        },
        expect: "unknown",
      },
    ],
  });
});
