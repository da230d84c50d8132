/**
 * AWS Backup and the database's own windows: "AWS database services cannot start backups 1 hour
 * before or during their maintenance window or automatic backup window"
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/troubleshooting.html#troubleshooting-create-backup).
 * The plan's jobs may start from the scheduled time to the end of its start window; neither of the
 * database's windows (or the hour before each) may meet that span on any day of the week.
 */
import * as assert from "assert";
import { installMocks, testConfig, ACCOUNT_ID, REGION } from "../mocks";
import { testPlatform } from "../support/platform";

const cloud = installMocks();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const backup: typeof import("../../components/backup") = require("../../components/backup");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const application: typeof import("../../components/application") = require("../../components/application");

const { DEFAULT_BACKUP_SCHEDULE, BACKUP_START_WINDOW_MINUTES, rdsWindowConflicts } = backup;
const conflicts = (windows: { backupWindow: string; maintenanceWindow: string }) =>
  rdsWindowConflicts(DEFAULT_BACKUP_SCHEDULE, BACKUP_START_WINDOW_MINUTES, windows);

describe("AWS Backup vs the database's backup and maintenance windows", () => {
  it("the database's windows are set, and apart from the plan's start window and the hour before each", () => {
    const w = application.DATABASE_WINDOWS;
    assert.match(w.backupWindow, /^\d\d:\d\d-\d\d:\d\d$/);
    assert.match(w.maintenanceWindow, /^(mon|tue|wed|thu|fri|sat|sun):\d\d:\d\d-(mon|tue|wed|thu|fri|sat|sun):\d\d:\d\d$/);
    assert.deepStrictEqual(conflicts(w), []);
  });

  it("finds a daily backup window inside the plan's start window, or starting within the hour after it", () => {
    assert.strictEqual(conflicts({ backupWindow: "05:30-06:00", maintenanceWindow: "sun:09:00-sun:09:30" }).length, 1);
    assert.strictEqual(conflicts({ backupWindow: "06:30-07:00", maintenanceWindow: "sun:09:00-sun:09:30" }).length, 1);
    assert.strictEqual(conflicts({ backupWindow: "04:00-05:00", maintenanceWindow: "sun:09:00-sun:09:30" }).length, 1);
    assert.deepStrictEqual(conflicts({ backupWindow: "07:01-07:31", maintenanceWindow: "sun:09:00-sun:09:30" }), []);
    assert.deepStrictEqual(conflicts({ backupWindow: "03:30-04:00", maintenanceWindow: "sun:09:00-sun:09:30" }), []);
  });

  it("finds a weekly maintenance window on any day, including one across midnight and the week's end", () => {
    const daily = "08:00-08:30";
    assert.match(conflicts({ backupWindow: daily, maintenanceWindow: "wed:05:15-wed:05:45" })[0], /maintenance/);
    assert.match(conflicts({ backupWindow: daily, maintenanceWindow: "sat:23:30-sun:05:10" })[0], /maintenance/);
    assert.match(conflicts({ backupWindow: daily, maintenanceWindow: "tue:06:30-tue:07:00" })[0], /maintenance/);
    assert.deepStrictEqual(conflicts({ backupWindow: daily, maintenanceWindow: "sat:23:30-sun:00:30" }), []);
  });

  it("refuses a schedule it cannot check (not daily at a fixed time)", () => {
    assert.match(
      rdsWindowConflicts("rate(12 hours)", 60, application.DATABASE_WINDOWS)[0],
      /schedule must be a daily cron\(M H \? \* \* \*\)/,
    );
  });

  it("the Backup component refuses a database whose windows meet the plan's", async () => {
    assert.throws(
      () =>
        new backup.Backup("backup", {
          platform: testPlatform(testConfig("dev"), {
            keyArns: { backup: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/k` },
            accessLogBucket: `hcp-dev-access-logs-${ACCOUNT_ID}-${REGION}`,
          }),
          resources: [
            {
              arn: `arn:aws:rds:${REGION}:${ACCOUNT_ID}:db:hcp-dev-app`,
              kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/k`,
              service: "rds",
              windows: { backupWindow: "05:30-06:00", maintenanceWindow: "sun:09:00-sun:09:30" },
            },
          ],
        }),
      /resources\[0\]: AWS Backup cannot start .* backup window 05:30-06:00/,
    );
    await cloud.settle();
  });
});
