/** Backups (both regions) and the database secret's rotation. */
import { BackupClient, ListBackupJobsCommand, ListCopyJobsCommand, type BackupJob, type CopyJob } from "@aws-sdk/client-backup";
import { DescribeSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { count, hoursAgo, type Check, type CheckContext } from "./check";
import { optionalOutput, requiredString } from "./outputs";

const DAY_MS = 86_400_000;
/**
 * The plan runs daily and a job starts within BACKUP_START_WINDOW_MINUTES (60) of its time
 * (components/backup.ts): a day's job was created in the last 26 h (24 h, the start window, an
 * hour's slack). It may run for up to the completion window (24 h), so while it runs the previous
 * day's job, created up to 50 h ago, is the last that can have completed.
 */
export const BACKUP_RECENT_MS = 26 * 3_600_000;
export const BACKUP_LOOKBACK_MS = BACKUP_RECENT_MS + 24 * 3_600_000;
const BAD_JOB_STATES = new Set(["FAILED", "ABORTED", "EXPIRED", "PARTIAL"]);
const RUNNING_JOB_STATES = new Set(["CREATED", "PENDING", "RUNNING"]);

async function backupJobs(ctx: CheckContext, vault: string, after: Date): Promise<BackupJob[]> {
  const backup = ctx.aws.client(BackupClient);
  const jobs: BackupJob[] = [];
  let token: string | undefined;
  do {
    const page = await ctx.aws.call("backup:ListBackupJobs", (abortSignal) =>
      backup.send(new ListBackupJobsCommand({ ByBackupVaultName: vault, ByCreatedAfter: after, NextToken: token }), { abortSignal }),
    );
    jobs.push(...(page.BackupJobs ?? []));
    token = page.NextToken;
  } while (token);
  return jobs;
}

async function copyJobs(ctx: CheckContext, destinationVaultArn: string, after: Date): Promise<CopyJob[]> {
  const backup = ctx.aws.client(BackupClient);
  const jobs: CopyJob[] = [];
  let token: string | undefined;
  do {
    const page = await ctx.aws.call("backup:ListCopyJobs", (abortSignal) =>
      backup.send(new ListCopyJobsCommand({ ByDestinationVaultArn: destinationVaultArn, ByCreatedAfter: after, NextToken: token }), {
        abortSignal,
      }),
    );
    jobs.push(...(page.CopyJobs ?? []));
    token = page.NextToken;
  } while (token);
  return jobs;
}

interface Job {
  readonly State?: string;
  readonly CreationDate?: Date;
}

/**
 * A day's jobs: none failed in the last 26 h, and the day's job completed, or it still runs and the
 * previous day's completed. `problem` is undefined when that holds.
 */
export function jobSummary(kind: string, jobs: readonly Job[], now: Date): { line: string; problem?: string } {
  const recentFrom = now.getTime() - BACKUP_RECENT_MS;
  // A job without a creation date is counted as recent (the listing asked for jobs created since the look-back).
  const recent = jobs.filter((j) => (j.CreationDate?.getTime() ?? now.getTime()) >= recentFrom);
  const completed = recent.filter((j) => j.State === "COMPLETED").length;
  const bad = recent.filter((j) => BAD_JOB_STATES.has(j.State ?? "")).length;
  const running = recent.filter((j) => RUNNING_JOB_STATES.has(j.State ?? "")).length;
  const earlierCompleted = jobs.some((j) => j.State === "COMPLETED" && (j.CreationDate?.getTime() ?? now.getTime()) < recentFrom);
  const line = `${count(recent.length, `${kind} job`)} in the last 26 h (${completed} completed, ${running} running, ${bad} failed)`;
  if (bad > 0) return { line, problem: `${count(bad, `${kind} job`)} failed` };
  if (completed > 0) return { line };
  if (running > 0 && earlierCompleted) return { line: `${line}; the previous day's completed` };
  if (running > 0) return { line, problem: `no ${kind} job completed in the last 50 h (one still runs)` };
  return { line, problem: `no completed ${kind} job in the last 26 h` };
}

/**
 * The backup jobs of the last day into the primary vault completed, and (with a recovery region) the
 * copy jobs into the recovery vault too. Copy jobs are listed in the source region and filtered by
 * the destination vault's ARN (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListCopyJobs.html);
 * job states: https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupJob.html
 */
export const backupCheck: Check = {
  id: "backup",
  title: "Backup and cross-region copy jobs of the last day completed",
  citation: "164.308(a)(7)(ii)(A) Data backup plan; 164.308(a)(7)(ii)(B) Disaster recovery plan",
  rows: [
    "backup:assume-role*",
    "backup hcp-<stack>-audit:kms:* table key via DynamoDB",
    "backup hcp-<stack>-app-db:kms:* instance key via RDS",
    "backup target vault *:kms:*",
    "backup copy vault *:kms:*",
  ],
  async run(ctx) {
    const vault = requiredString(ctx.outputs, "backupVaultName");
    const after = new Date(ctx.now.getTime() - BACKUP_LOOKBACK_MS);
    const primary = jobSummary("backup", await backupJobs(ctx, vault, after), ctx.now);
    const problems: string[] = [];
    if (primary.problem) problems.push(primary.problem);
    const lines = [`vault ${vault}: ${primary.line}`];
    const recoveryRegion = optionalOutput(ctx.outputs, "recoveryCopy.region");
    if (typeof recoveryRegion === "string" && recoveryRegion !== "") {
      const copyVault = requiredString(ctx.outputs, "recoveryCopy.backupVaultName");
      // The partition of the stack's own ARNs (aws, aws-us-gov, aws-cn).
      const partition = requiredString(ctx.outputs, "alertTopicArn").split(":")[1];
      const arn = `arn:${partition}:backup:${recoveryRegion}:${ctx.account}:backup-vault:${copyVault}`;
      const copies = jobSummary("copy", await copyJobs(ctx, arn, after), ctx.now);
      lines.push(`copy to ${copyVault} (${recoveryRegion}): ${copies.line}`);
      if (copies.problem) problems.push(copies.problem);
    } else {
      lines.push("no recovery region: no copy expected");
    }
    if (problems.length > 0) {
      return {
        status: "fail",
        detail: `${problems.join("; ")} (${lines.join("; ")})`,
        lookAt: "the AWS Backup console's jobs (the status message names the key or role that refused), the backup role's trust",
      };
    }
    return { status: "pass", detail: lines.join("; ") };
  },
};

/**
 * The database's RDS-managed secret rotates and did so on schedule: RotationEnabled, and the last
 * rotation no older than AutomaticallyAfterDays plus a day's grace (or, for a schedule expression,
 * NextRotationDate not overdue by a day):
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html
 * Its LastAccessedDate ("the date that the secret was last accessed in the Region", rounded to the
 * day; omitted if never retrieved) is reported: of the platform's roles only the application
 * instance role may read the secret (components/application/compute.ts), so a retrieval in the
 * window settles its rows (EC2 assumed it; GetSecretValue with the aws:rds:primaryDBInstanceArn tag
 * condition allowed) unless a person read it; never retrieved leaves them unsettled, not failed.
 */
export const secretCheck: Check = {
  id: "secret",
  title: "The database secret rotated on schedule",
  citation: "164.308(a)(5)(ii)(D) Password management",
  rows: ["rds-secret rotation:kms:GenerateDataKey as secretsmanager itself", "application instance-role:secretsmanager:*"],
  async run(ctx) {
    const arn = requiredString(ctx.outputs, "applicationDatabase.secretArn");
    const sm = ctx.aws.client(SecretsManagerClient);
    const s = await ctx.aws.call("secretsmanager:DescribeSecret", (abortSignal) =>
      sm.send(new DescribeSecretCommand({ SecretId: arn }), { abortSignal }),
    );
    const id = arn.split(":").pop() ?? arn;
    const days = s.RotationRules?.AutomaticallyAfterDays;
    const problems: string[] = [];
    if (s.RotationEnabled !== true) problems.push("rotation is not enabled");
    const last = s.LastRotatedDate;
    if (last === undefined) problems.push("never rotated");
    else if (days !== undefined && ctx.now.getTime() - last.getTime() > (days + 1) * DAY_MS) {
      problems.push(`last rotated ${hoursAgo(ctx.now, last)}, the rule is every ${days} days`);
    }
    if (s.NextRotationDate && ctx.now.getTime() - s.NextRotationDate.getTime() > DAY_MS)
      problems.push(`the rotation due ${hoursAgo(ctx.now, s.NextRotationDate)} did not happen`);
    if (problems.length > 0) {
      return {
        status: "fail",
        detail: `secret ${id}: ${problems.join("; ")}`,
        lookAt: "the secret's rotation status in Secrets Manager, and the PHI key's policy for secretsmanager/RDS",
      };
    }
    const accessed = s.LastAccessedDate;
    // Rounded to the day: a retrieval on the window's first day counts.
    const sinceDay = Date.UTC(ctx.since.getUTCFullYear(), ctx.since.getUTCMonth(), ctx.since.getUTCDate());
    const read =
      accessed === undefined
        ? "never retrieved (the application instance-role rows stay unsettled)"
        : accessed.getTime() >= sinceDay
          ? `retrieved on ${accessed.toISOString().slice(0, 10)} (the application instance role's read)`
          : `last retrieved on ${accessed.toISOString().slice(0, 10)}, before the window (the application instance-role rows stay unsettled)`;
    return {
      status: "pass",
      detail: `secret ${id}: rotation enabled (every ${days ?? "?"} days), last ${last ? hoursAgo(ctx.now, last) : "?"}; ${read}`,
    };
  },
};
