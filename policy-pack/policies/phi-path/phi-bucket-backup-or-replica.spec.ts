// Specs of the phi-bucket-backup-or-replica policy (./phi-bucket-backup-or-replica.ts).

import { phiBucketBackupOrReplica } from "./phi-bucket-backup-or-replica";
import { UNKNOWN_ARRAY } from "../lib/unknown";
import { ACCOUNT, set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";

const SELECTION = "aws:backup/selection:Selection";

/** The PHI data bucket without its replication: the bucket has no second copy in the stack. */
function noReplica(p: Platform): void {
  p.remove(p.phiData.replication!);
}

function selection(p: Platform, inputs: Record<string, unknown>): void {
  p.add(SELECTION, "phi-backup", {
    name: "phi",
    planId: "plan-1",
    iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`,
    ...inputs,
  });
}

describe("the PHI path across resources", () => {
  policySuite(phiBucketBackupOrReplica, {
    cases: [
      {
        name: "a PHI bucket that neither replicates nor is backed up fails",
        mutate: noReplica,
        expect: { violation: "phi-data-bucket", message: /no second copy.*backupOutsideStack/ },
      },
      {
        name: "a backup selection naming the bucket's ARN passes",
        mutate: (p) => {
          noReplica(p);
          selection(p, { resources: [p.arn(p.phiData.bucket)] });
        },
        expect: "clean",
      },
      {
        name: "a backup selection by wildcard ARN and tag condition passes",
        mutate: (p) => {
          noReplica(p);
          selection(p, {
            resources: ["arn:aws:s3:::*"],
            conditions: [{ stringEquals: [{ key: "aws:ResourceTag/DataClassification", value: "PHI" }] }],
          });
        },
        expect: "clean",
      },
      {
        name: "a backup selection whose tag condition the bucket does not meet fails",
        mutate: (p) => {
          noReplica(p);
          selection(p, {
            resources: ["arn:aws:s3:::*"],
            conditions: [{ stringEquals: [{ key: "aws:ResourceTag/backup", value: "daily" }] }],
          });
        },
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "a backup selection by ListOfTags passes",
        mutate: (p) => {
          noReplica(p);
          selection(p, { selectionTags: [{ type: "STRINGEQUALS", key: "DataClassification", value: "PHI" }] });
        },
        expect: "clean",
      },
      {
        name: "a backup selection that excludes the bucket in notResources fails",
        mutate: (p) => {
          noReplica(p);
          selection(p, { resources: ["arn:aws:s3:::*"], notResources: [p.arn(p.phiData.bucket)] });
        },
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "a disabled replication rule is no second copy",
        mutate: (p) => set(p.phiData.replication!, "rules.0.status", "Disabled"),
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "backupOutsideStack declares the copy elsewhere",
        mutate: noReplica,
        config: { "phi-bucket-backup-or-replica": { backupOutsideStack: true } },
        expect: "clean",
      },
      {
        name: "preview: a selection whose resources are unknown stays silent",
        mutate: (p) => {
          noReplica(p);
          selection(p, { resources: UNKNOWN_ARRAY });
        },
        expect: "unknown",
      },
    ],
  });
});
