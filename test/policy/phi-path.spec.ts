// The PHI path across resources (policy-pack/policies/phi-path/): each PHI bucket has a second copy,
// is in Macie's scope and is readable only through keys whose policies name its readers; each
// function whose role may read a PHI bucket keeps failed asynchronous events, logs to a CMK log
// group and runs in the VPC. The compliant fixture passes, each mutation produces its violation, and
// a preview-unknown value defers the policy instead of deciding it.

import { strict as assert } from "assert";
import { phiBucketBackupOrReplica } from "../../policy-pack/policies/phi-path/phi-bucket-backup-or-replica";
import { phiBucketKeyReaders } from "../../policy-pack/policies/phi-path/phi-bucket-key-readers";
import { phiBucketMacieScope } from "../../policy-pack/policies/phi-path/phi-bucket-macie-scope";
import { phiReaderFunctionCmkLogGroup } from "../../policy-pack/policies/phi-path/phi-reader-function-cmk-log-group";
import { phiReaderFunctionDlq } from "../../policy-pack/policies/phi-path/phi-reader-function-dlq";
import { phiReaderFunctionInVpc } from "../../policy-pack/policies/phi-path/phi-reader-function-in-vpc";
import { UNKNOWN_ARRAY, UNKNOWN_STRING } from "../../policy-pack/policies/lib/unknown";
import { ACCOUNT, REGION } from "../../policy-pack/test-support/builder";
import { set } from "../../policy-pack/test-support/builder";
import { check } from "../../policy-pack/test-support/harness";
import { Platform, platform } from "../../policy-pack/test-support/platform";
import { policySuite } from "../../policy-pack/test-support/suite";

const SELECTION = "aws:backup/selection:Selection";
const JOB = "aws:macie2/classificationJob:ClassificationJob";
const job = (p: Platform) => p.find(JOB);
const fn = (p: Platform) => p.lambda;
const readerPolicy = (p: Platform) => p.find("aws:iam/policy:Policy", "reader-policy");

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

function keyPolicy(p: Platform, ...statements: unknown[]): void {
  set(p.dataKey, "policy", JSON.stringify({ Version: "2012-10-17", Statement: statements }));
}

const ROOT = `arn:aws:iam::${ACCOUNT}:root`;

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

  policySuite(phiBucketKeyReaders, {
    cases: [
      {
        name: "the account root with kms:* and no condition fails on every PHI bucket the key encrypts",
        mutate: (p) => keyPolicy(p, { Sid: "AccountRoot", Effect: "Allow", Principal: { AWS: ROOT }, Action: "kms:*", Resource: "*" }),
        expect: { violation: true, message: /account root without a kms:ViaService.*"AccountRoot"/ },
      },
      {
        name: "the wildcard principal allowed kms:Decrypt fails",
        mutate: (p) =>
          keyPolicy(p, {
            Effect: "Allow",
            Principal: "*",
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT } },
          }),
        expect: { violation: true, message: /wildcard principal/ },
      },
      {
        name: "a key without a policy gets the default policy and fails",
        mutate: (p) => set(p.dataKey, "policy", undefined),
        expect: { violation: true, message: /default key policy/ },
      },
      {
        name: "the account root bound to another service's encryption context (Step Functions state) passes: S3 objects never carry it",
        mutate: (p) =>
          keyPolicy(p, {
            Effect: "Allow",
            Principal: { AWS: ROOT },
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: "*",
            Condition: {
              ArnLike: { "kms:EncryptionContext:aws:states:stateMachineArn": `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:hcp-dev-*` },
            },
          }),
        expect: "clean",
      },
      {
        name: "the account root bound only to the S3 context, or to another context with IfExists, still fails",
        mutate: (p) =>
          keyPolicy(p, {
            Sid: "RootIfExists",
            Effect: "Allow",
            Principal: { AWS: ROOT },
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: {
              StringLikeIfExists: { "kms:EncryptionContext:aws:states:stateMachineArn": "*" },
              ArnLike: { "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::*" },
            },
          }),
        expect: { violation: true, message: /account root without a kms:ViaService.*"RootIfExists"/ },
      },
      {
        name: "reader roles named by ARN pass",
        mutate: (p) =>
          keyPolicy(p, {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/hcp-dev-reader` },
            Action: ["kms:Decrypt"],
            Resource: "*",
          }),
        expect: "clean",
      },
      {
        name: "the root limited to named principals by aws:PrincipalArn passes",
        mutate: (p) =>
          keyPolicy(p, {
            Effect: "Allow",
            Principal: { AWS: ROOT },
            Action: ["kms:Decrypt"],
            Resource: "*",
            Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/hcp-dev-reader` } },
          }),
        expect: "clean",
      },
      {
        name: "a separate aws.kms.KeyPolicy replaces the key's policy and is judged",
        mutate: (p) =>
          p.add(
            "aws:kms/keyPolicy:KeyPolicy",
            "data-key-policy",
            {
              keyId: String(p.dataKey.outputs.keyId),
              policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Sid: "Everyone", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }],
              }),
            },
            { pd: { keyId: [p.dataKey] } },
          ),
        expect: { violation: true, message: /"Everyone"/ },
      },
      {
        name: "a log bucket's key is not judged (not a PHI bucket)",
        mutate: (p) => {
          // The access-log bucket is SSE-S3; point the audit-log bucket (Confidential) at a key with the default policy.
          const other = p.kmsKey("other-key");
          set(other, "policy", undefined);
          set(p.auditLogs.sse, "rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId", p.arn(other));
        },
        expect: "clean",
      },
      {
        name: "preview: an unknown key policy stays silent",
        mutate: (p) => set(p.dataKey, "policy", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });

  policySuite(phiReaderFunctionDlq, {
    cases: [
      {
        name: "a PHI reader without a dead-letter queue fails",
        mutate: (p) => set(fn(p), "deadLetterConfig", undefined),
        expect: { violation: "data-processor", message: /read PHI \(phi-data-bucket\).*discarded/ },
      },
      {
        name: "an on-failure destination passes",
        mutate: (p) => {
          set(fn(p), "deadLetterConfig", undefined);
          p.add("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "dp-invoke", {
            functionName: String(fn(p).inputs.name),
            destinationConfig: { onFailure: { destination: `arn:aws:sqs:${REGION}:${ACCOUNT}:dp-failures` } },
          });
        },
        expect: "clean",
      },
      {
        name: "a function whose role reads no PHI bucket needs no DLQ here",
        mutate: (p) => {
          set(fn(p), "deadLetterConfig", undefined);
          set(
            readerPolicy(p),
            "policy",
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `${p.arn(p.accessLogs.bucket)}/*` }],
            }),
          );
        },
        expect: "clean",
      },
      {
        name: "a role allowed s3:GetObject on every resource reads PHI",
        mutate: (p) => {
          set(fn(p), "deadLetterConfig", undefined);
          set(
            readerPolicy(p),
            "policy",
            JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:Get*", Resource: "*" }] }),
          );
        },
        expect: { violation: "data-processor" },
      },
      {
        name: "preview: an unknown role policy stays silent",
        mutate: (p) => {
          set(fn(p), "deadLetterConfig", undefined);
          set(readerPolicy(p), "policy", UNKNOWN_STRING);
        },
        expect: "unknown",
      },
    ],
  });

  policySuite(phiReaderFunctionCmkLogGroup, {
    cases: [
      {
        name: "a PHI reader logging to a group without a key fails",
        mutate: (p) => set(p.find("aws:cloudwatch/logGroup:LogGroup", "data-processor-logs"), "kmsKeyId", undefined),
        expect: { violation: "data-processor", message: /data-processor-logs, which has no kmsKeyId/ },
      },
      {
        name: "a PHI reader with no log group in the stack fails",
        mutate: (p) => p.remove(p.find("aws:cloudwatch/logGroup:LogGroup", "data-processor-logs")),
        expect: { violation: "data-processor", message: /no log group of the stack/ },
      },
      {
        name: "preview: an unknown role policy stays silent",
        mutate: (p) => {
          set(p.find("aws:cloudwatch/logGroup:LogGroup", "data-processor-logs"), "kmsKeyId", undefined);
          set(readerPolicy(p), "policy", UNKNOWN_STRING);
        },
        expect: "unknown",
      },
      {
        name: "preview: an unknown log group name with no recorded dependency stays silent",
        mutate: (p) => {
          set(fn(p), "loggingConfig.logGroup", UNKNOWN_STRING);
          delete fn(p).propertyDependencies.loggingConfig;
        },
        expect: "unknown",
      },
    ],
  });

  policySuite(phiReaderFunctionInVpc, {
    cases: [
      {
        name: "a PHI reader outside the VPC fails, whatever its classification tag",
        mutate: (p) => {
          set(fn(p), "vpcConfig", undefined);
          set(fn(p), "tags.DataClassification", "Public");
        },
        expect: { violation: "data-processor", message: /not attached to the VPC/ },
      },
      {
        name: "subnets without security groups fail",
        mutate: (p) => set(fn(p), "vpcConfig.securityGroupIds", []),
        expect: { violation: "data-processor" },
      },
      {
        name: "a role reading PHI through an inline policy of its own is a reader too",
        mutate: (p) => {
          set(fn(p), "vpcConfig", undefined);
          set(readerPolicy(p), "policy", JSON.stringify({ Version: "2012-10-17", Statement: [] }));
          set(p.find("aws:iam/role:Role", "reader-role"), "inlinePolicies", [
            {
              name: "read",
              policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `${p.arn(p.archive.bucket)}/events/*` }],
              }),
            },
          ]);
        },
        expect: { violation: "data-processor", message: /event-archive-bucket/ },
      },
      {
        name: "a role reading PHI through a stack policy in managedPolicyArns is a reader too",
        mutate: (p) => {
          set(fn(p), "vpcConfig", undefined);
          p.remove(p.find("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "reader-attach"));
          set(p.find("aws:iam/role:Role", "reader-role"), "managedPolicyArns", [String(readerPolicy(p).outputs.arn)]);
        },
        expect: { violation: "data-processor", message: /phi-data-bucket/ },
      },
      {
        name: "preview: an unknown role stays silent",
        mutate: (p) => {
          set(fn(p), "vpcConfig", undefined);
          set(fn(p), "role", UNKNOWN_STRING);
          fn(p).propertyDependencies = {};
        },
        expect: "unknown",
      },
    ],
  });

  it("the join is indexed: 400 PHI buckets and 400 readers are judged in well under a second", async () => {
    const p = platform("dev");
    for (let i = 0; i < 400; i++) {
      p.bucketSet(`phi-extra-${i}`, { classification: "PHI", replicate: true });
    }
    const started = Date.now();
    const o = await check([phiBucketBackupOrReplica, phiBucketKeyReaders, phiReaderFunctionDlq], p);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    assert.equal(o.violations.length, 0);
  });
});
