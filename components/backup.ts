/**
 * AWS Backup of the platform's records: a KMS-encrypted vault (locked in compliance mode in prod),
 * a daily backup plan whose recovery points are kept at least `config.dataRetentionInDays`, a
 * selection of the resources it covers (the processing audit table; later the database), and in
 * prod a copy of every recovery point to a vault in the recovery region.
 *
 * Why AWS Backup on top of DynamoDB point-in-time recovery: PITR restores to any second of the
 * last 35 days only, while the audit records must last six years (45 CFR 164.316(b)(2)(i)); a
 * locked vault also keeps them from anyone who can delete the table.
 *
 * AWS facts relied on:
 * - DynamoDB backups are encrypted with the vault's key, and can be copied to another Region, only
 *   with AWS Backup's advanced DynamoDB backup on; without it they keep the table's key
 *   (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html,
 *   https://docs.aws.amazon.com/aws-backup/latest/devguide/advanced-ddb-backup.html). That is an
 *   account-and-region setting (on by default for accounts that started using AWS Backup after
 *   November 2021), so the stack does not manage it; the README says to check it.
 * - "Your IAM role must have access to the KMS key being used to back up and restore the object"
 *   (encryption.html above): the role may use the vault keys through AWS Backup and the protected
 *   resources' keys through their own service.
 * - Vault Lock: "AWS Backup enforces a 72-hour cooling-off period before Vault Lock takes effect
 *   and becomes immutable. Therefore, you must set ChangeableForDays to 3 or greater ... On and
 *   after the lock date, the Vault Lock becomes immutable and cannot be changed or deleted"; with
 *   MinRetentionDays "any backup or copy job to the vault must have a lifecycle policy with a
 *   retention period equal to or longer than the minimum retention period"
 *   (https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html,
 *   https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html).
 *
 * HIPAA Security Rule: 164.308(a)(7)(ii)(A) data backup plan, 164.308(a)(7)(ii)(B) disaster
 * recovery plan, 164.310(d)(2)(iv) data backup and storage, 164.312(c)(1) integrity.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, StackContext } from "./config";
import type { PlatformContext } from "./platform-context";
import type { KeyPurposeSpec } from "./encryption";
import { statefulOptions } from "./lib/stateful";
import { physicalName } from "./lib/naming";
import { createServiceRole, kmsViaServiceCondition, PolicyStatement } from "./lib/service-role";
import { platformTags } from "./lib/tags";

// ---------------------------------------------------------------------------------------------
// Pure settings and validation (exported and tested).

/**
 * The key purpose of the backup vaults (an entry of KEY_PURPOSES, encryption.ts), one key per region:
 * the records' recovery points (the PHI audit table, the database) under a key of their own, not the
 * audit key, whose other users (CloudTrail, EventBridge, CloudWatch) have nothing to do with them.
 * - backup: "Your IAM role must have access to the KMS key being used to back up and restore the
 *   object" (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html); AWS Backup
 *   creates grants on the vault key for what it stores.
 * - rds: a copy is re-encrypted with the destination vault's key, and for a resource type AWS Backup
 *   does not fully manage (RDS) the copy is an RDS snapshot copy: RDS itself creates a grant on the
 *   destination key, through `rds.<destination region>`
 *   (https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html,
 *   https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.Keys.html).
 * Both are calls of IAM principals of the account (the backup role) made through the service: no
 * service principal appears in the key policy.
 */
export const BACKUP_KEY_PURPOSE = {
  name: "backup",
  description:
    "AWS Backup recovery points of the platform's records (the audit table, the database) and their cross-region copies. " +
    "Usable only through AWS Backup and RDS.",
  tagPurpose: "backup-encryption",
  viaServices: ["backup", "rds"],
  grantServices: ["backup", "rds"],
  servicePrincipalGrants: [],
} as const satisfies KeyPurposeSpec;

/** AWS Backup's floor for `ChangeableForDays`: its 72-hour cooling-off period. */
export const MIN_CHANGEABLE_FOR_DAYS = 3;
/** @default grace period of a compliance lock: the shortest AWS allows, so the lock binds as soon as it can. */
export const DEFAULT_CHANGEABLE_FOR_DAYS = MIN_CHANGEABLE_FOR_DAYS;
/** @default schedule: daily at 05:00 UTC (AWS Backup cron has six fields). */
export const DEFAULT_BACKUP_SCHEDULE = "cron(0 5 ? * * *)";
/** Minutes a scheduled job may wait to start, and to complete, before AWS Backup cancels it. */
export const BACKUP_START_WINDOW_MINUTES = 60;
export const BACKUP_COMPLETION_WINDOW_MINUTES = 24 * 60;

/** An RDS instance's own windows (UTC): the daily `hh24:mi-hh24:mi` backup window and the weekly `ddd:hh24:mi-ddd:hh24:mi` maintenance window. */
export interface RdsWindows {
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
}

const DAY = 24 * 60;
const WEEK = 7 * DAY;
const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const minuteOfDay = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The minutes of the week (from Sunday 00:00 UTC) a window occupies; undefined when it is not in RDS's form. */
function weekSpans(window: string): [number, number][] | undefined {
  const daily = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/.test(window) ? window.split("-") : undefined;
  if (daily) {
    const [start, end] = daily.map(minuteOfDay);
    return WEEKDAYS.map((_, d) => [d * DAY + start, d * DAY + end + (end <= start ? DAY : 0)]);
  }
  const weekly = /^([a-z]{3}):(\d\d:\d\d)-([a-z]{3}):(\d\d:\d\d)$/.exec(window);
  if (!weekly || !WEEKDAYS.includes(weekly[1]) || !WEEKDAYS.includes(weekly[3])) return undefined;
  const start = WEEKDAYS.indexOf(weekly[1]) * DAY + minuteOfDay(weekly[2]);
  const end = WEEKDAYS.indexOf(weekly[3]) * DAY + minuteOfDay(weekly[4]);
  return [[start, end + (end <= start ? WEEK : 0)]];
}

/** Whether two sets of week spans meet (closed intervals, the week wrapping around). */
const meet = (a: [number, number][], b: [number, number][]) =>
  a.some(([s1, e1]) => b.some(([s2, e2]) => [-WEEK, 0, WEEK].some((k) => s1 <= e2 + k && s2 + k <= e1)));

/**
 * Why a daily plan's jobs could not start on an RDS instance with these windows (empty when they can):
 * "AWS database services cannot start backups 1 hour before or during their maintenance window or
 * automatic backup window ... Snapshot backups scheduled during those times will fail"
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/troubleshooting.html#troubleshooting-create-backup).
 * A job may start from the scheduled time to the end of the start window, on any day of the week; RDS
 * itself refuses a backup window overlapping the maintenance window
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ManagingAutomatedBackups.html#USER_WorkingWithAutomatedBackups.BackupWindow).
 */
export function rdsWindowConflicts(schedule: string, startWindowMinutes: number, windows: RdsWindows): string[] {
  const cron = /^cron\((\d{1,2}) (\d{1,2}) \? \* \* \*\)$/.exec(schedule);
  if (!cron) return [`schedule must be a daily cron(M H ? * * *) to be checked against the database's windows, got ${schedule}`];
  const start = Number(cron[2]) * 60 + Number(cron[1]);
  const jobStarts = WEEKDAYS.map((_, d): [number, number] => [d * DAY + start, d * DAY + start + startWindowMinutes]);
  const problems: string[] = [];
  const spans: Record<string, [number, number][]> = {};
  for (const [kind, window] of [
    ["backup", windows.backupWindow],
    ["maintenance", windows.maintenanceWindow],
  ] as const) {
    const found = weekSpans(window);
    if (found === undefined) {
      problems.push(
        `the database's ${kind} window must be ${kind === "backup" ? "hh24:mi-hh24:mi" : "ddd:hh24:mi-ddd:hh24:mi"} (UTC), got ${window}`,
      );
      continue;
    }
    spans[kind] = found;
    if (
      meet(
        jobStarts,
        found.map(([s, e]) => [s - 60, e]),
      )
    )
      problems.push(
        `AWS Backup cannot start a backup of the database in the hour before or during its ${kind} window ${window}, ` +
          `and the plan's jobs start at ${schedule} within ${startWindowMinutes} minutes: move the window or the schedule`,
      );
  }
  if (spans.backup && spans.maintenance && meet(spans.backup, spans.maintenance))
    problems.push(
      `the database's backup window ${windows.backupWindow} must not overlap its maintenance window ${windows.maintenanceWindow}`,
    );
  return problems;
}

/** A compliance-mode Vault Lock. */
export interface VaultLockSettings {
  /** Recovery points younger than this can be deleted by nobody; every job must keep them at least this long. */
  readonly minRetentionInDays: number;
  /** Days before the lock becomes immutable (at least 3). */
  readonly changeableForDays: number;
}

const isWhole = (n: number) => Number.isInteger(n);

/** Problems with a vault lock (empty when valid). */
export function vaultLockProblems(lock: VaultLockSettings | undefined): string[] {
  if (lock === undefined) return [];
  const problems: string[] = [];
  if (!isWhole(lock.minRetentionInDays) || lock.minRetentionInDays < 1 || lock.minRetentionInDays > 36500) {
    problems.push(`lock.minRetentionInDays must be a whole number of days from 1 to 36500, got ${lock.minRetentionInDays}`);
  }
  if (!isWhole(lock.changeableForDays) || lock.changeableForDays < MIN_CHANGEABLE_FOR_DAYS) {
    problems.push(
      `lock.changeableForDays must be a whole number of at least ${MIN_CHANGEABLE_FOR_DAYS} (AWS Backup's 72-hour cooling-off period), ` +
        `got ${lock.changeableForDays}`,
    );
  }
  return problems;
}

/** What {@link backupArgProblems} checks. */
export interface BackupSettings {
  readonly retentionInDays: number;
  readonly dataRetentionInDays: number;
  readonly resourceCount: number;
  readonly lock: VaultLockSettings | undefined;
  readonly copies: boolean;
  readonly environment: string;
}

/** Every problem of the Backup args, each naming the arg and the fix; empty when valid. */
export function backupArgProblems(s: BackupSettings): string[] {
  const problems: string[] = [];
  if (!isWhole(s.retentionInDays) || s.retentionInDays < s.dataRetentionInDays) {
    problems.push(
      `retentionInDays must be a whole number of at least config.dataRetentionInDays (${s.dataRetentionInDays}), got ${s.retentionInDays}: ` +
        "recovery points are the records' long-term copy; omit the arg to keep them exactly the data retention",
    );
  }
  if (s.resourceCount === 0) {
    problems.push("resources must list at least one resource to back up (the processing audit table)");
  }
  problems.push(...vaultLockProblems(s.lock));
  if (s.lock !== undefined && s.retentionInDays < s.lock.minRetentionInDays) {
    problems.push(
      `retentionInDays (${s.retentionInDays}) must be at least the vault lock's minRetentionInDays (${s.lock.minRetentionInDays}): ` +
        "the locked vault fails every backup and copy job kept shorter",
    );
  }
  if (s.environment === "prod" && !s.copies) {
    problems.push("copyTo is required in prod: every recovery point is copied to the recovery region (pass Recovery.backupVault)");
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// BackupVault

export interface BackupVaultArgs {
  /** The stack's validated configuration (stack name, protection, tags). */
  readonly config: StackContext & Pick<PlatformConfig, "dataRetentionInDays">;
  /** What the vault holds; part of its name (`hcp-<stack>-<purpose>`). */
  readonly purpose: string;
  /**
   * The customer-managed key of the vault's region that encrypts its recovery points. Its policy
   * must let IAM principals of the account use it and create grants through AWS Backup
   * (`backup` in the key purpose's viaServices and grantServices, encryption.ts).
   */
  readonly kmsKeyArn: pulumi.Input<string>;
  /**
   * A Vault Lock in compliance mode: once `changeableForDays` have passed it can never be changed
   * or removed, by anyone, AWS included, and no recovery point can be deleted before
   * `minRetentionInDays`.
   * @default no lock (dev: a destroyable stack)
   */
  readonly lock?: VaultLockSettings;
}

/** An AWS Backup vault under a customer-managed key, optionally under a compliance-mode Vault Lock. */
export class BackupVault extends pulumi.ComponentResource {
  readonly vaultName: pulumi.Output<string>;
  readonly vaultArn: pulumi.Output<string>;
  /** The key that encrypts the vault's recovery points. */
  readonly kmsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: BackupVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = vaultLockProblems(args.lock);
    if (problems.length > 0) throw new Error(`BackupVault ${name}: ${problems.join("; ")}`);
    super("healthcare:backup:BackupVault", name, {}, opts);
    const { config } = args;
    // Stateful: protected and retained in prod, like every store of records.
    const stateful = statefulOptions(this, config.protectData);

    const vault = new aws.backup.Vault(
      `${name}-vault`,
      {
        name: physicalName(config.stack, "backup", args.purpose),
        kmsKeyArn: args.kmsKeyArn,
        // Dev may delete a vault that still holds recovery points; prod never.
        forceDestroy: !config.protectData,
        tags: platformTags(config, { dataClassification: "PHI", purpose: args.purpose }),
      },
      stateful,
    );
    if (args.lock !== undefined) {
      // Compliance mode (changeableForDays set): after the grace period the lock is immutable and can
      // NEVER be removed, not by the account root, not by AWS; the vault then cannot be deleted while it
      // holds recovery points younger than minRetentionInDays. Deliberate: that is what makes the
      // six-year copy of the audit records safe from a compromised administrator.
      new aws.backup.VaultLockConfiguration(
        `${name}-lock`,
        { backupVaultName: vault.name, minRetentionDays: args.lock.minRetentionInDays, changeableForDays: args.lock.changeableForDays },
        stateful,
      );
    }
    this.vaultName = vault.name;
    this.vaultArn = vault.arn;
    this.kmsKeyArn = pulumi.output(args.kmsKeyArn);
    this.registerOutputs({ vaultName: this.vaultName, vaultArn: this.vaultArn });
  }
}

// ---------------------------------------------------------------------------------------------
// Backup

/** A resource the plan backs up, with the key it is encrypted with and the service that uses that key. */
export interface ProtectedResource {
  readonly arn: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Endpoint prefix of the resource's service (`dynamodb`, `rds`): the key is used only through it. */
  readonly service: "dynamodb" | "rds";
  /** An RDS instance's windows, required for `rds`: the plan's schedule must keep clear of them ({@link rdsWindowConflicts}). */
  readonly windows?: RdsWindows;
}

/** Where the plan copies every recovery point: a vault of the recovery region ({@link Recovery.backupVault}). */
export interface BackupCopyDestination {
  readonly vaultArn: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly region: pulumi.Input<string>;
}

/** What a {@link Backup}'s builders receive: its {@link BackupArgs} with the platform context unpacked. */
interface BackupWiring {
  /** The stack's validated configuration (stack name, retention, environment, protection, tags). */
  readonly config: StackContext & Pick<PlatformConfig, "dataRetentionInDays">;
  /** The key of the primary vault: the region's backup key ({@link BACKUP_KEY_PURPOSE}), usable through AWS Backup and RDS. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** What the plan backs up (at least one). */
  readonly resources: readonly ProtectedResource[];
  /**
   * The vault of the recovery region every recovery point is copied to.
   * @default no copy; required in prod
   */
  readonly copyTo?: BackupCopyDestination;
  /**
   * Days recovery points (and their copies) are kept, at least `config.dataRetentionInDays`.
   * @default config.dataRetentionInDays
   */
  readonly retentionInDays?: number;
  /**
   * AWS Backup cron expression of the backup rule.
   * @default "cron(0 5 ? * * *)", daily at 05:00 UTC
   */
  readonly schedule?: string;
  /**
   * Grace period of the prod vault's compliance lock, at least 3 days.
   * @default 3
   */
  readonly changeableForDays?: number;
}

/**
 * A {@link Backup}'s arguments: the platform context (config; the `backup` key for the primary vault)
 * and what it backs up, where it copies to, for how long and when.
 */
export interface BackupArgs extends Omit<BackupWiring, "config" | "kmsKeyArn"> {
  readonly platform: PlatformContext;
}

/** The platform's AWS Backup: vault (locked in prod), daily plan, selection, cross-region copies in prod. */
export class Backup extends pulumi.ComponentResource {
  readonly vaultName: pulumi.Output<string>;
  readonly vaultArn: pulumi.Output<string>;
  readonly planId: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;

  /** The vault lock of an environment: compliance mode in prod only. */
  static lockFor(
    config: Pick<PlatformConfig, "environment" | "dataRetentionInDays">,
    changeableForDays = DEFAULT_CHANGEABLE_FOR_DAYS,
  ): VaultLockSettings | undefined {
    return config.environment === "prod" ? { minRetentionInDays: config.dataRetentionInDays, changeableForDays } : undefined;
  }

  constructor(name: string, { platform, ...own }: BackupArgs, opts?: pulumi.ComponentResourceOptions) {
    const args: BackupWiring = { ...own, config: platform.config, kmsKeyArn: platform.keyArns.backup };
    const { config } = args;
    const retentionInDays = args.retentionInDays ?? config.dataRetentionInDays;
    const lock = Backup.lockFor(config, args.changeableForDays);
    const problems = backupArgProblems({
      retentionInDays,
      dataRetentionInDays: config.dataRetentionInDays,
      resourceCount: args.resources.length,
      lock,
      copies: args.copyTo !== undefined,
      environment: config.environment,
    });
    args.resources.forEach((r, i) => {
      if (r.service !== "rds") return;
      if (r.windows === undefined) problems.push(`resources[${i}] (rds) must give the database's backup and maintenance windows`);
      else
        problems.push(
          ...rdsWindowConflicts(args.schedule ?? DEFAULT_BACKUP_SCHEDULE, BACKUP_START_WINDOW_MINUTES, r.windows).map(
            (p) => `resources[${i}]: ${p}`,
          ),
        );
    });
    if (problems.length > 0) throw new Error(`Backup ${name}: invalid arguments:\n  - ${problems.join("\n  - ")}`);
    super("healthcare:backup:Backup", name, {}, opts);

    const parent = { parent: this };
    const tags = (purpose: string) => platformTags(config, { dataClassification: "PHI", purpose });
    const identity = aws.getCallerIdentityOutput({}, parent);
    const region = aws.getRegionOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent);
    const viaService = (service: string, r: pulumi.Input<string>) => kmsViaServiceCondition([service], r, partition.dnsSuffix);

    const vault = new BackupVault(`${name}-vault`, { config, purpose: "records", kmsKeyArn: args.kmsKeyArn, lock }, parent);
    this.vaultName = vault.vaultName;
    this.vaultArn = vault.vaultArn;

    // --- The role AWS Backup assumes for the plan's backups, copies and lifecycle deletions.
    const vaultKeyUse = (sid: string, keyArn: pulumi.Input<string>, r: pulumi.Input<string>): PolicyStatement[] => [
      {
        sid: `${sid}ThroughBackup`,
        effect: "Allow",
        actions: [
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncryptFrom",
          "kms:ReEncryptTo",
          "kms:GenerateDataKey",
          "kms:GenerateDataKeyWithoutPlaintext",
          "kms:DescribeKey",
        ],
        resources: [keyArn],
        conditions: [viaService("backup", r)],
      },
      {
        sid: `${sid}GrantsThroughBackup`,
        effect: "Allow",
        actions: ["kms:CreateGrant"],
        resources: [keyArn],
        conditions: [viaService("backup", r), { test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }],
      },
    ];
    const statements: PolicyStatement[] = [
      ...vaultKeyUse("UseVaultKey", args.kmsKeyArn, region.region),
      ...args.resources.map((r, i): PolicyStatement => ({
        sid: `ReadProtectedResource${i}KeyThroughItsService`,
        effect: "Allow",
        actions: ["kms:Decrypt", "kms:DescribeKey"],
        resources: [r.kmsKeyArn],
        conditions: [viaService(r.service, region.region)],
      })),
    ];
    if (args.copyTo !== undefined) {
      statements.push(...vaultKeyUse("UseRecoveryVaultKey", args.copyTo.kmsKeyArn, args.copyTo.region), {
        sid: "CopyIntoRecoveryVault",
        effect: "Allow",
        actions: ["backup:CopyIntoBackupVault"],
        resources: [args.copyTo.vaultArn],
      });
    }
    const role = createServiceRole(
      `${name}-role`,
      {
        roleName: physicalName(config.stack, "iamRole", "backup"),
        description: "AWS Backup: backs up the platform's records, copies them to the recovery region, expires them",
        servicePrincipal: "backup.amazonaws.com",
        // AWS Backup documents its service role's trust without a condition
        // (https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html) and documents
        // aws:SourceArn/aws:SourceAccount only for its SNS notifications
        // (https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-service-confused-deputy-prevention.html).
        // So the account is enforced whenever AWS Backup sends aws:SourceAccount, without making the role
        // unassumable when it does not. The control that holds either way: only principals of this account
        // can pass the role (iam:PassRole does not cross accounts).
        trustConditions: [{ test: "StringEqualsIfExists", variable: "aws:SourceAccount", values: [identity.accountId] }],
        statements,
        // AWSBackupServiceRolePolicyForBackup: the service-side actions of backing up, copying and
        // expiring (dynamodb:StartAwsBackupJob, CreateBackup, DeleteBackup, rds:CreateDBSnapshot, ...),
        // maintained by AWS as services change. Not ...ForRestores: a restore is an operator's deliberate act
        // with a role chosen then; a scheduled role that could also restore (create and overwrite tables and
        // databases) would be a needless standing privilege.
        // (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForBackup.html)
        awsManagedPolicies: ["service-role/AWSBackupServiceRolePolicyForBackup"],
        tags: tags("backup-role"),
      },
      parent,
    );
    this.roleArn = role.role.arn;

    const plan = new aws.backup.Plan(
      `${name}-plan`,
      {
        name: physicalName(config.stack, "backup", "records"),
        rules: [
          {
            ruleName: "daily",
            targetVaultName: vault.vaultName,
            schedule: args.schedule ?? DEFAULT_BACKUP_SCHEDULE,
            startWindow: BACKUP_START_WINDOW_MINUTES,
            completionWindow: BACKUP_COMPLETION_WINDOW_MINUTES,
            lifecycle: { deleteAfter: retentionInDays },
            recoveryPointTags: tags("records-backup"),
            copyActions:
              args.copyTo === undefined
                ? undefined
                : [{ destinationVaultArn: args.copyTo.vaultArn, lifecycle: { deleteAfter: retentionInDays } }],
          },
        ],
        tags: tags("records-backup"),
      },
      parent,
    );
    this.planId = plan.id;

    new aws.backup.Selection(
      `${name}-selection`,
      {
        name: physicalName(config.stack, "backup", "records"),
        planId: plan.id,
        iamRoleArn: role.role.arn,
        resources: args.resources.map((r) => r.arn),
      },
      // AWS Backup checks on CreateBackupSelection that it can assume the role.
      { parent: this, dependsOn: role.ready },
    );

    this.registerOutputs({ vaultName: this.vaultName, vaultArn: this.vaultArn, planId: this.planId, roleArn: this.roleArn });
  }
}
