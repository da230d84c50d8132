// Specs of the s3-log-bucket-retention-lifecycle policy (./s3-log-bucket-retention-lifecycle.ts).

import { UNKNOWN_NUMBER } from "../lib/unknown";
import { s3LogBucketRetentionLifecycle } from "./s3-log-bucket-retention-lifecycle";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { phi } from "../../test-support/specs/s3";

describe("s3", () => {
  policySuite(s3LogBucketRetentionLifecycle, {
    env: "prod",
    cases: [
      {
        name: "audit logs expire after 90 days in prod",
        mutate: (p) => set(p.auditLogs.lifecycle, "rules.0.expiration", { days: 90 }),
        expect: { violation: "audit-logs-bucket", message: /90 days/ },
      },
      {
        name: "a CloudTrail bucket (Purpose audit-trail) is a log bucket too",
        mutate: (p) => {
          set(p.auditLogs.bucket, "tags.Purpose", "audit-trail");
          set(p.auditLogs.lifecycle, "rules.0.noncurrentVersionExpiration", { noncurrentDays: 90 });
        },
        expect: { violation: "audit-logs-bucket", message: /audit-trail bucket .*noncurrent versions after 90 days/ },
      },
      {
        name: "noncurrent versions deleted after 30 days",
        mutate: (p) => set(p.accessLogs.lifecycle, "rules.0.noncurrentVersionExpiration", { noncurrentDays: 30 }),
        expect: { violation: "access-logs-bucket", message: /noncurrent/ },
      },
      {
        name: "noncurrent versions are not checked when configured off",
        config: { "s3-log-bucket-retention-lifecycle": { checkNoncurrentVersions: false } },
        mutate: (p) => set(p.accessLogs.lifecycle, "rules.0.noncurrentVersionExpiration", { noncurrentDays: 30 }),
        expect: "clean",
      },
      {
        name: "fixed expiration date",
        mutate: (p) => set(p.auditLogs.lifecycle, "rules.0.expiration", { date: "2026-01-01T00:00:00Z" }),
        expect: { violation: "audit-logs-bucket", message: /fixed date/ },
      },
      {
        name: "a disabled rule does not count",
        mutate: (p) => {
          set(p.auditLogs.lifecycle, "rules.0.expiration", { days: 90 });
          set(p.auditLogs.lifecycle, "rules.0.status", "Disabled");
        },
        expect: "clean",
      },
      {
        name: "90 days is fine in dev",
        env: "dev",
        mutate: (p) => set(p.auditLogs.lifecycle, "rules.0.expiration", { days: 90 }),
        expect: "clean",
      },
      {
        name: "a dev floor from config",
        env: "dev",
        config: { "s3-log-bucket-retention-lifecycle": { minRetentionDays: 365 } },
        mutate: (p) => set(p.auditLogs.lifecycle, "rules.0.expiration", { days: 90 }),
        expect: { violation: "audit-logs-bucket" },
      },
      {
        name: "non-log buckets are not checked",
        mutate: (p) => set(phi(p).lifecycle, "rules.0.expiration", { days: 30 }),
        expect: "clean",
      },
      {
        name: "preview: expiration days unknown -> can't run",
        mutate: (p) => set(p.auditLogs.lifecycle, "rules.0.expiration", { days: UNKNOWN_NUMBER }),
        expect: "unknown",
      },
    ],
  });
});
