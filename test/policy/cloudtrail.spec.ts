import {
  cloudtrailTrailInStack,
  cloudtrailCloudWatchLogs,
  cloudtrailEncryptionEnabled,
  cloudtrailLogFileValidation,
  cloudtrailMultiRegionEnabled,
  cloudtrailPhiBucketDataEvents,
} from "../../policy-pack/policies/cloudtrail";
import { UNKNOWN_ARRAY, UNKNOWN_BOOLEAN, UNKNOWN_STRING } from "../../policy-pack/policies/lib/unknown";
import { set } from "../../policy-pack/test-support/builder";
import { Platform } from "../../policy-pack/test-support/platform";
import { policySuite } from "../../policy-pack/test-support/suite";

const trail = (p: Platform) => p.trail;
const dataSelector = (p: Platform) =>
  (p.trail.inputs.advancedEventSelectors as { fieldSelectors: { field: string; startsWiths?: string[]; equals?: string[] }[] }[])[1];

describe("cloudtrail", () => {
  policySuite(cloudtrailEncryptionEnabled, {
    cases: [
      { name: "no kmsKeyId", mutate: (p) => set(trail(p), "kmsKeyId", undefined), expect: { violation: "audit-trail" } },
      {
        name: "preview: kmsKeyId unknown is a key being created -> passes",
        mutate: (p) => set(trail(p), "kmsKeyId", UNKNOWN_STRING),
        expect: "clean",
      },
    ],
  });
  policySuite(cloudtrailLogFileValidation, {
    cases: [
      { name: "validation off", mutate: (p) => set(trail(p), "enableLogFileValidation", false), expect: { violation: "audit-trail" } },
      {
        name: "preview: flag unknown -> can't run",
        mutate: (p) => set(trail(p), "enableLogFileValidation", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
  policySuite(cloudtrailCloudWatchLogs, {
    cases: [
      { name: "no log group", mutate: (p) => set(trail(p), "cloudWatchLogsGroupArn", undefined), expect: { violation: "audit-trail" } },
      { name: "no delivery role", mutate: (p) => set(trail(p), "cloudWatchLogsRoleArn", ""), expect: { violation: "audit-trail" } },
      {
        name: "preview: ARNs unknown -> passes (set to outputs)",
        mutate: (p) => {
          set(trail(p), "cloudWatchLogsGroupArn", UNKNOWN_STRING);
          set(trail(p), "cloudWatchLogsRoleArn", UNKNOWN_STRING);
        },
        expect: "clean",
      },
    ],
  });
  policySuite(cloudtrailMultiRegionEnabled, {
    cases: [
      {
        name: "single-region trail",
        mutate: (p) => set(trail(p), "isMultiRegionTrail", false),
        expect: { violation: "audit-trail", message: /multi-region/ },
      },
      {
        name: "no global service events",
        mutate: (p) => set(trail(p), "includeGlobalServiceEvents", false),
        expect: { violation: "audit-trail" },
      },
      {
        name: "logging turned off",
        mutate: (p) => set(trail(p), "enableLogging", false),
        expect: { violation: "audit-trail", message: /turned off/ },
      },
      {
        name: "data-events-only selectors (no management events)",
        mutate: (p) => set(trail(p), "advancedEventSelectors", [(trail(p).inputs.advancedEventSelectors as unknown[])[1]]),
        expect: { violation: "audit-trail" },
      },
      // Stance change (ARCHITECTURE.md 7): a stack without a trail is judged by the advisory cloudtrail-trail-in-stack.
      { name: "no trail in the stack: not this policy's (absence) concern", mutate: (p) => p.remove(trail(p)), expect: "clean" },
      {
        name: "an organization trail elsewhere (config) accepts a stack without one",
        config: { "cloudtrail-multi-region-enabled": { managementTrailOutsideStack: true } },
        mutate: (p) => p.remove(trail(p)),
        expect: "clean",
      },
      {
        name: "preview: isMultiRegionTrail unknown -> can't run",
        mutate: (p) => set(trail(p), "isMultiRegionTrail", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
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
  policySuite(cloudtrailTrailInStack, {
    otherTypeExpect: { violation: "healthcare-platform-dev", message: /no logging CloudTrail trail/ },
    cases: [
      {
        name: "no trail in the stack: advisory, on the Stack, naming the PHI buckets",
        mutate: (p) => p.remove(trail(p)),
        expect: { violation: "healthcare-platform-dev", message: /3 PHI buckets.*trailOutsideStack/ },
      },
      {
        name: "a trail with logging off counts as none",
        mutate: (p) => set(p.trail, "enableLogging", false),
        expect: { violation: "healthcare-platform-dev" },
      },
      {
        name: "an organization trail declared in config",
        config: { "cloudtrail-trail-in-stack": { trailOutsideStack: true } },
        mutate: (p) => p.remove(trail(p)),
        expect: "clean",
      },
      {
        name: "preview: enableLogging unknown -> the trail counts (passes)",
        mutate: (p) => set(p.trail, "enableLogging", UNKNOWN_BOOLEAN),
        expect: "clean",
      },
    ],
  });
});
