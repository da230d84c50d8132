// CloudTrail: the audit trail of who did what to PHI (164.312(b)).

import { PolicyResource } from "@pulumi/policy";
import { CITES, hipaa } from "./lib/hipaa";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { ofTypes } from "./lib/join";
import { isClassifiedAs } from "./lib/tags";
import { isPhiBucket } from "./lib/structure";
import { BUCKET_TYPES, T } from "./lib/types";
import { attempt, get, isFalse, isRec, isTrue, list, present, probe, UNKNOWN } from "./lib/util";

export const cloudtrailEncryptionEnabled = resourcePolicy({
  name: "cloudtrail-encryption-enabled",
  description: "CloudTrail trails encrypt their log files with a customer-managed KMS key.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  cdkNag: ["CloudTrailEncryptionEnabled"],
  awsConfig: ["cloud-trail-encryption-enabled"],
  resourceTypes: [T.trail],
  remediationSteps:
    "Set `kmsKeyId` on the aws.cloudtrail.Trail to the ARN of a customer-managed key whose policy lets " +
    "cloudtrail.amazonaws.com use it under an aws:SourceArn condition.",
  validate: (ctx, report) => {
    if (!present(ctx.props, "kmsKeyId")) {
      report("The trail's log files are not encrypted with a KMS key: set kmsKeyId.");
    }
  },
});

export const cloudtrailLogFileValidation = resourcePolicy({
  name: "cloudtrail-log-file-validation",
  description: "CloudTrail trails have log file integrity validation enabled.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.integrity, "164.312(b)"),
  cdkNag: ["CloudTrailLogFileValidationEnabled"],
  awsConfig: ["cloud-trail-log-file-validation-enabled"],
  resourceTypes: [T.trail],
  remediationSteps: "Set `enableLogFileValidation: true` on the aws.cloudtrail.Trail.",
  validate: (ctx, report) => {
    if (!isTrue(get(ctx.props, "enableLogFileValidation"))) {
      report("Log file validation is off: set enableLogFileValidation: true so tampering with audit logs is detectable.");
    }
  },
});

export const cloudtrailCloudWatchLogs = resourcePolicy({
  name: "cloudtrail-cloudwatch-logs",
  description: "CloudTrail trails deliver events to CloudWatch Logs for monitoring and alerting.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.audit, "164.308(a)(1)(ii)(D)"),
  cdkNag: ["CloudTrailCloudWatchLogsEnabled"],
  awsConfig: ["cloud-trail-cloud-watch-logs-enabled"],
  resourceTypes: [T.trail],
  remediationSteps:
    "Set `cloudWatchLogsGroupArn` (the log group ARN followed by `:*`) and `cloudWatchLogsRoleArn` " +
    "(a role CloudTrail can assume to write to it) on the trail.",
  validate: (ctx, report) => {
    if (!present(ctx.props, "cloudWatchLogsGroupArn") || !present(ctx.props, "cloudWatchLogsRoleArn")) {
      report("The trail does not deliver to CloudWatch Logs: set cloudWatchLogsGroupArn and cloudWatchLogsRoleArn.");
    }
  },
});

function logsManagementEvents(t: PolicyResource): boolean {
  const basic = list(get(t.props, "eventSelectors"));
  const advanced = list(get(t.props, "advancedEventSelectors"));
  if (basic.length === 0 && advanced.length === 0) {
    return true; // the default selector logs all management events
  }
  if (basic.some((s) => !isFalse(get(s, "includeManagementEvents")))) {
    return true;
  }
  return advanced.some((s) =>
    list(get(s, "fieldSelectors")).some((f) => get(f, "field") === "eventCategory" && list(get(f, "equals")).includes("Management")),
  );
}

export const cloudtrailMultiRegionEnabled = stackPolicy<{ managementTrailOutsideStack: boolean }>({
  name: "cloudtrail-multi-region-enabled",
  description:
    "When the stack contains CloudTrail trails, they log, and one is multi-region with management and global service events " +
    "(a stack without a trail is judged by cloudtrail-trail-in-stack).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.audit, "164.308(a)(1)(ii)(D)", "164.308(a)(5)(ii)(C)"),
  awsConfig: ["cloudtrail-enabled", "multi-region-cloudtrail-enabled"],
  resourceTypes: [T.trail],
  config: {
    managementTrailOutsideStack: {
      type: "boolean",
      default: false,
      description: "An organization trail managed elsewhere records management events; only logging trails in this stack are checked.",
    },
  },
  remediationSteps:
    "Create one aws.cloudtrail.Trail with `isMultiRegionTrail: true`, `includeGlobalServiceEvents: true` " +
    "and management events (the default, or an advanced selector with eventCategory = Management); never set `enableLogging: false`.",
  validate: (ctx, report) => {
    const trails = ctx.ofType([T.trail]);
    ctx.each(trails, (t) => {
      if (isFalse(get(t.props, "enableLogging"))) {
        report(t.urn, "Logging is turned off on this trail (enableLogging: false).");
      }
    });
    if (ctx.config.managementTrailOutsideStack) {
      return;
    }
    let found = false;
    let unknown = false;
    for (const t of trails) {
      const ok = probe(t.props, "isMultiRegionTrail");
      if (ok === UNKNOWN) {
        unknown = true;
        continue;
      }
      const rest = attempt(
        () => !isFalse(get(t.props, "includeGlobalServiceEvents")) && !isFalse(get(t.props, "enableLogging")) && logsManagementEvents(t),
      );
      if (rest === UNKNOWN) {
        unknown = true;
      } else if (isTrue(ok) && rest) {
        found = true;
      }
    }
    if (found) {
      return;
    }
    if (unknown) {
      ctx.undecided([T.trail, "isMultiRegionTrail"]);
      return;
    }
    for (const t of trails) {
      report(
        t.urn,
        "No trail in the stack is multi-region with management and global service events: " +
          "set isMultiRegionTrail: true and includeGlobalServiceEvents: true on this trail.",
      );
    }
  },
});

type Tri = "yes" | "no" | "maybe";

function or(a: Tri, b: Tri): Tri {
  if (a === "yes" || b === "yes") {
    return "yes";
  }
  return a === "maybe" || b === "maybe" ? "maybe" : "no";
}

const isBucket = ofTypes(BUCKET_TYPES);

/** "arn:aws:s3:::<bucket>/" for the bucket, or UNKNOWN. */
function objectRoot(b: PolicyResource): string | typeof UNKNOWN {
  const arn = probe(b.props, "arn");
  if (typeof arn === "string" && arn.startsWith("arn:")) {
    return `${arn}/`;
  }
  const name = probe(b.props, "bucket");
  if (typeof name === "string" && name !== "") {
    return `arn:aws:s3:::${name}/`;
  }
  return UNKNOWN;
}

/** Does a selector value (known or not) cover every object of bucket `b`? */
function valueCovers(v: unknown, b: PolicyResource, trail: PolicyResource, pdKey: string): Tri {
  if (v === UNKNOWN || v === undefined) {
    const pd = (trail.propertyDependencies ?? {})[pdKey] ?? [];
    const buckets = pd.filter(isBucket);
    if (!buckets.some((x) => x.urn === b.urn)) {
      return "no";
    }
    return buckets.length === 1 ? "yes" : "maybe";
  }
  if (typeof v !== "string") {
    return "no";
  }
  if (v === "arn:aws:s3" || v === "arn:aws:s3:::") {
    return "yes";
  }
  const root = objectRoot(b);
  if (root === UNKNOWN) {
    return v.startsWith("arn:aws:s3:::") ? "maybe" : "no";
  }
  return root.startsWith(v) || `${v}/` === root ? "yes" : "no";
}

function valuesOf(container: unknown, key: string): unknown[] {
  const raw = probe(container, key);
  if (raw === UNKNOWN) {
    return [UNKNOWN];
  }
  if (!Array.isArray(raw)) {
    return raw === undefined ? [] : [raw];
  }
  const out: unknown[] = [];
  for (let i = 0; i < raw.length; i++) {
    out.push(probe(raw, i));
  }
  return out;
}

interface Coverage {
  read: Tri;
  write: Tri;
}

function basicCoverage(trail: PolicyResource, b: PolicyResource): Coverage {
  const cov: Coverage = { read: "no", write: "no" };
  for (const sel of list(get(trail.props, "eventSelectors"))) {
    const rw = (get(sel, "readWriteType") as string | undefined) ?? "All";
    let covers: Tri = "no";
    for (const dr of list(get(sel, "dataResources"))) {
      if (get(dr, "type") !== "AWS::S3::Object") {
        continue;
      }
      for (const v of valuesOf(dr, "values")) {
        covers = or(covers, valueCovers(v, b, trail, "eventSelectors"));
      }
    }
    if (rw === "All" || rw === "ReadOnly") {
      cov.read = or(cov.read, covers);
    }
    if (rw === "All" || rw === "WriteOnly") {
      cov.write = or(cov.write, covers);
    }
  }
  return cov;
}

const NEUTRAL_FIELDS = new Set(["eventCategory", "resources.type", "readOnly", "resources.ARN", "eventSource"]);

function advancedCoverage(trail: PolicyResource, b: PolicyResource): Coverage {
  const cov: Coverage = { read: "no", write: "no" };
  for (const sel of list(get(trail.props, "advancedEventSelectors"))) {
    const fields = list(get(sel, "fieldSelectors")).filter(isRec);
    const field = (name: string) => fields.find((f) => get(f, "field") === name);
    const equals = (name: string) => list(get(field(name), "equals"));
    if (!equals("eventCategory").includes("Data") || !equals("resources.type").includes("AWS::S3::Object")) {
      continue;
    }
    if (fields.some((f) => !NEUTRAL_FIELDS.has(String(get(f, "field"))))) {
      continue; // filtered by event name or similar: only part of the activity is recorded
    }
    const source = field("eventSource");
    if (source && !list(get(source, "equals")).includes("s3.amazonaws.com")) {
      continue;
    }
    let covers: Tri = "yes";
    const arnField = field("resources.ARN");
    if (arnField) {
      if (["notStartsWiths", "notEquals", "notEndsWiths", "endsWiths", "equals"].some((k) => list(get(arnField, k)).length > 0)) {
        covers = "no";
      } else {
        covers = "no";
        for (const v of valuesOf(arnField, "startsWiths")) {
          covers = or(covers, valueCovers(v, b, trail, "advancedEventSelectors"));
        }
      }
    }
    const readOnly = list(get(field("readOnly"), "equals"));
    const reads = readOnly.length === 0 || readOnly.includes("true");
    const writes = readOnly.length === 0 || readOnly.includes("false");
    if (reads) {
      cov.read = or(cov.read, covers);
    }
    if (writes) {
      cov.write = or(cov.write, covers);
    }
  }
  return cov;
}

export const cloudtrailPhiBucketDataEvents = stackPolicy<{ phiClassifications: string[]; dataEventsTrailOutsideStack: boolean }>({
  name: "cloudtrail-phi-bucket-data-events",
  description:
    "When the stack contains a logging trail, every PHI bucket of the stack is covered by its S3 data events for both reads " +
    "and writes (a stack without a trail is judged by cloudtrail-trail-in-stack).",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.audit, "164.308(a)(1)(ii)(D)", "164.312(c)(1)"),
  awsConfig: ["cloudtrail-s3-dataevents-enabled"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [T.trail],
  config: {
    phiClassifications: {
      type: "array",
      items: { type: "string" },
      default: ["PHI"],
      description: "DataClassification values whose buckets need data events (an untagged bucket counts as PHI).",
    },
    dataEventsTrailOutsideStack: {
      type: "boolean",
      default: false,
      description:
        "A trail in another stack or account (an organization trail) records the data events of this stack's PHI buckets; " +
        "trails in this stack are then not required to.",
    },
  },
  remediationSteps:
    "On a logging trail, add an advanced event selector with eventCategory = Data, resources.type = " +
    "AWS::S3::Object and resources.ARN startsWith `${bucket.arn}/` for each PHI bucket (no readOnly filter, so reads " +
    "and writes are both recorded), or a basic event selector with readWriteType All and a data resource of that ARN.",
  validate: (ctx, report) => {
    const trails = ctx.ofType([T.trail]).filter((t) => !isFalse(probe(t.props, "enableLogging")));
    if (trails.length === 0 || ctx.config.dataEventsTrailOutsideStack) {
      return; // nothing in the stack to judge: cloudtrail-trail-in-stack reports the absence
    }
    const buckets = phiBuckets(ctx.resources, (b) => ctx.tags(b), ctx.config.phiClassifications);
    ctx.each(buckets, (b) => {
      let read: Tri = "no";
      let write: Tri = "no";
      for (const t of trails) {
        const basic = basicCoverage(t, b);
        const adv = advancedCoverage(t, b);
        read = or(read, or(basic.read, adv.read));
        write = or(write, or(basic.write, adv.write));
      }
      if (read === "yes" && write === "yes") {
        return;
      }
      if (read !== "no" && write !== "no") {
        ctx.undecided([b.type, b.name, "arn"]);
        return;
      }
      const missing = [read === "no" ? "reads" : "", write === "no" ? "writes" : ""].filter(Boolean).join(" and ");
      report(
        b.urn,
        `No CloudTrail trail of the stack records S3 data events (${missing}) for this PHI bucket; if an organization ` +
          "trail elsewhere records them, set dataEventsTrailOutsideStack: true in this policy's config.",
      );
    });
  },
});

function phiBuckets(resources: PolicyResource[], tags: (r: PolicyResource) => Record<string, string>, classes: string[]): PolicyResource[] {
  return resources.filter((r) => isBucket(r) && isPhiBucket(resources, r, isClassifiedAs(tags(r), classes)));
}

export const cloudtrailTrailInStack = stackPolicy<{ trailOutsideStack: boolean; phiClassifications: string[] }>({
  name: "cloudtrail-trail-in-stack",
  description:
    "The stack contains a logging CloudTrail trail (an absence check: advisory by default, since an organization trail in " +
    "another account may record the stack's activity; a profile that requires the trail in the stack sets it mandatory).",
  severity: "high",
  enforcementLevel: "advisory",
  category: "phi",
  framework: hipaa(...CITES.audit, "164.308(a)(1)(ii)(D)"),
  awsConfig: ["cloudtrail-enabled"],
  resourceTypes: [T.trail],
  relatedTypes: [...BUCKET_TYPES],
  evaluateWhenAbsent: true,
  absence: true,
  config: {
    trailOutsideStack: {
      type: "boolean",
      default: false,
      description:
        "A trail outside this stack (an organization trail) records management events and the data events of this stack's PHI buckets.",
    },
    phiClassifications: {
      type: "array",
      items: { type: "string" },
      default: ["PHI"],
      description: "DataClassification values of buckets named in the message when no trail is in the stack.",
    },
  },
  remediationSteps:
    "Add an aws.cloudtrail.Trail (multi-region, management events, S3 data events for each PHI bucket), or declare the " +
    "trail that lives elsewhere: set `trailOutsideStack: true` in this policy's config (and `managementTrailOutsideStack` / " +
    "`dataEventsTrailOutsideStack` for the trail policies) in the policy group's config.",
  validate: (ctx, report) => {
    if (ctx.config.trailOutsideStack) {
      return;
    }
    const trails = ctx.ofType([T.trail]);
    if (trails.some((t) => probe(t.props, "enableLogging") !== false)) {
      return;
    }
    const phi = phiBuckets(ctx.resources, (b) => ctx.tags(b), ctx.config.phiClassifications);
    report(
      ctx.stackUrn,
      "The stack has no logging CloudTrail trail" +
        (phi.length > 0 ? ` although it holds ${phi.length} PHI bucket${phi.length === 1 ? "" : "s"}` : "") +
        ". If an organization trail in another stack or account records this account, declare it with trailOutsideStack: true " +
        "in this policy's config; otherwise add a trail.",
    );
  },
});

export const cloudtrailPolicies = [
  cloudtrailEncryptionEnabled,
  cloudtrailLogFileValidation,
  cloudtrailCloudWatchLogs,
  cloudtrailMultiRegionEnabled,
  cloudtrailPhiBucketDataEvents,
  cloudtrailTrailInStack,
];
