// The PHI path across resources (issue 22 section 3, docs/design.md, "The policy pack's stance"): what no
// single-resource rule set sees. One policy per file. The data-event selector of a trail that
// covers each PHI bucket is cloudtrail-phi-bucket-data-events (and, when no trail is in the stack,
// cloudtrail-trail-in-stack) in ../cloudtrail.ts: not repeated here.

import { phiBucketBackupOrReplica } from "./phi-bucket-backup-or-replica";
import { phiBucketKeyReaders } from "./phi-bucket-key-readers";
import { phiBucketMacieScope } from "./phi-bucket-macie-scope";
import { phiReaderFunctionCmkLogGroup } from "./phi-reader-function-cmk-log-group";
import { phiReaderFunctionDlq } from "./phi-reader-function-dlq";
import { phiReaderFunctionInVpc } from "./phi-reader-function-in-vpc";

export const phiPathPolicies = [
  phiBucketBackupOrReplica,
  phiBucketMacieScope,
  phiBucketKeyReaders,
  phiReaderFunctionDlq,
  phiReaderFunctionCmkLogGroup,
  phiReaderFunctionInVpc,
];
