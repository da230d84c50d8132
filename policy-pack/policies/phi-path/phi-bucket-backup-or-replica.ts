// Every PHI bucket has a second copy: an AWS Backup selection of the stack assigns it to a backup
// plan, or it replicates (or is itself the replica of an enabled replication rule).

import { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/define";
import { CITES, hipaa } from "../lib/hipaa";
import { companionsOf, identifiers, ofTypes } from "../lib/join";
import { PHI_CLASSIFICATIONS_SCHEMA, phiBuckets, Tri } from "../lib/phi-path";
import { Tags } from "../lib/tags";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { get, globToRegExp, list, present, probe, str, UNKNOWN } from "../lib/util";
import { replicaOf } from "../s3";

export const BACKUP_SELECTION = "aws:backup/selection:Selection";
const isBucket = ofTypes(BUCKET_TYPES);

function strings(v: unknown): string[] {
  return list(v).filter((x): x is string => typeof x === "string");
}

/** `aws:ResourceTag/<key>` conditions of a selection, by operator. */
function conditionHolds(op: string, tagValue: string | undefined, value: string): boolean {
  switch (op) {
    case "stringEquals":
      return tagValue === value;
    case "stringNotEquals":
      return tagValue !== value;
    case "stringLikes":
      return tagValue !== undefined && globToRegExp(value).test(tagValue);
    case "stringNotLikes":
      return tagValue === undefined || !globToRegExp(value).test(tagValue);
    default:
      return false;
  }
}

/**
 * Whether a backup selection assigns the bucket: Resources (ARNs with `*`; none = every resource)
 * AND every Conditions entry, minus NotResources; ListOfTags entries (StringEquals) add resources
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html,
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html).
 */
export function selects(selection: PolicyResource, arns: string[], tags: Tags): Tri {
  const resources = probe(selection.props, "resources");
  const notResources = probe(selection.props, "notResources");
  const conditions = probe(selection.props, "conditions");
  const listOfTags = probe(selection.props, "selectionTags");
  if ([resources, notResources, conditions, listOfTags].includes(UNKNOWN) || arns.length === 0) {
    return "maybe";
  }
  const matches = (patterns: string[]) => patterns.some((p) => arns.some((arn) => globToRegExp(p).test(arn)));
  if (matches(strings(notResources))) {
    return "no";
  }
  const byTag = list(listOfTags).some(
    (t) => String(get(t, "type")).toUpperCase() === "STRINGEQUALS" && tags[String(get(t, "key"))] === str(get(t, "value")),
  );
  if (byTag) {
    return "yes";
  }
  const listed = strings(resources);
  if (listed.length === 0 && list(listOfTags).length > 0) {
    return "no"; // a tag-only selection whose tags the bucket lacks
  }
  if (listed.length > 0 && !matches(listed)) {
    return "no";
  }
  for (const c of list(conditions)) {
    for (const op of ["stringEquals", "stringNotEquals", "stringLikes", "stringNotLikes"]) {
      for (const entry of list(get(c, op))) {
        const key = String(get(entry, "key")).replace(/^aws:ResourceTag\//, "");
        if (!conditionHolds(op, tags[key], String(get(entry, "value")))) {
          return "no";
        }
      }
    }
  }
  return "yes";
}

export const phiBucketBackupOrReplica = stackPolicy<{ phiClassifications: string[]; backupOutsideStack: boolean }>({
  name: "phi-bucket-backup-or-replica",
  description:
    "Every PHI bucket is assigned to an AWS Backup plan by a backup selection of the stack, or replicates to a second bucket " +
    "(or is the replica of an enabled replication rule) (an absence check: advisory by default, since an organization backup " +
    "policy outside the stack may assign it).",
  severity: "high",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.backup, "164.310(d)(2)(iv)"),
  cdkNag: ["S3BucketReplicationEnabled"],
  awsConfig: ["s3-bucket-replication-enabled", "s3-resources-protected-by-backup-plan"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [BACKUP_SELECTION, ...S3.replication],
  absence: true,
  config: {
    phiClassifications: PHI_CLASSIFICATIONS_SCHEMA,
    backupOutsideStack: {
      type: "boolean",
      default: false,
      description:
        "A backup plan outside this stack (an AWS Organizations backup policy, another stack's selection by tag) assigns this " +
        "stack's PHI buckets; the stack is then not required to show a backup or a replica.",
    },
  },
  remediationSteps:
    "Add an aws.backup.Selection whose `resources` name the bucket's ARN (or whose `conditions` / `selectionTags` match its tags) " +
    "to a backup plan (S3 backups need versioning: https://docs.aws.amazon.com/aws-backup/latest/devguide/s3-backups.html), or an " +
    "aws.s3.BucketReplicationConfig with an Enabled rule. If a backup policy elsewhere covers it, set `backupOutsideStack: true` in " +
    "this policy's config.",
  examines: [
    {
      rule: "PHI buckets, unless backupOutsideStack says a backup plan elsewhere covers them",
      where: (b, ctx) =>
        !ctx.config.backupOutsideStack && phiBuckets(ctx.resources, (r) => ctx.tags(r), ctx.config.phiClassifications).includes(b),
    },
  ],
  validate: (ctx, report) => {
    const selections = ctx.ofType([BACKUP_SELECTION]);
    const replications = ctx.ofType(S3.replication);
    ctx.each(ctx.subjects(), (b) => {
      const arns = [...identifiers(b).known].filter((id) => id.startsWith("arn:"));
      let covered: Tri = "no";
      for (const s of selections) {
        const r = selects(s, arns, ctx.tags(b));
        if (r === "yes") {
          return;
        }
        if (r === "maybe") {
          covered = "maybe";
        }
      }
      const joined = companionsOf(b, replications, ["bucket"], isBucket);
      if (
        joined.matched.some((r) => list(get(r.props, "rules")).some((rule) => str(get(rule, "status")) === "Enabled")) ||
        present(b.props, "replicationConfiguration")
      ) {
        return;
      }
      const replica = replicaOf(replications, b);
      if (replica === "yes") {
        return;
      }
      if (covered === "maybe" || joined.undecided || replica === "maybe") {
        ctx.undecided([b.type, b.name, "arn"]);
        return;
      }
      report(
        b.urn,
        "This PHI bucket has no second copy in the stack: no backup selection assigns it to a backup plan and it neither " +
          "replicates nor is a replica. If a backup policy outside the stack covers it, set backupOutsideStack: true in this " +
          "policy's config.",
      );
    });
  },
});
