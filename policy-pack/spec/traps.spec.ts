// Deploy traps: what AWS documents as unsupported or required, found in the review of our own plans
// (test/aws/behaviour.ts AVOIDED and the component comments). Each policy: the compliant fixture
// passes, one mutation per violation, a wrong-type resource stays silent, preview-unknown decided.
import { firehoseOpenSearchVpcConfig, firehoseProcessorParametersNotDefault } from "../policies/firehose";
import { iamCloudtrailLogsRoleTrustUnconditioned, iamPhiRoleNoAwsManagedLogsWildcard } from "../policies/iam";
import { lambdaReservedConcurrencyNotZero } from "../policies/lambda";
import { UNKNOWN_ARRAY, UNKNOWN_BOOLEAN, UNKNOWN_NUMBER, UNKNOWN_STRING } from "../policies/lib/unknown";
import { s3LogTargetSseS3, s3NoHeaderRequiringDenyOnServiceBuckets, s3ObjectLockAtCreation } from "../policies/s3";
import { ACCOUNT, set } from "../test-support/builder";
import { Platform } from "../test-support/platform";
import { policySuite } from "../test-support/suite";

const stream = (p: Platform) => p.find("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream");
const trailRole = (p: Platform) => p.find("aws:iam/role:Role", "cloudtrail-logs-role");
const readerRole = (p: Platform) => p.find("aws:iam/role:Role", "reader-role");
const kmsSse = (p: Platform) => ({
  rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: p.arn(p.dataKey) } }],
});
const lambdaProcessor = (params: { parameterName: string; parameterValue: string }[]) => ({
  enabled: true,
  processors: [
    {
      type: "Lambda",
      parameters: [{ parameterName: "LambdaArn", parameterValue: "arn:aws:lambda:us-east-1:123456789012:function:f" }, ...params],
    },
  ],
});
const headerDeny = (p: Platform, condition: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
  const bucketArn = p.arn(p.archive.bucket);
  const doc = JSON.parse(String(p.archive.policy.inputs.policy)) as { Statement: unknown[] };
  doc.Statement.push({
    Sid: "RequireKmsHeader",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:PutObject",
    Resource: `${bucketArn}/*`,
    Condition: condition,
    ...extra,
  });
  set(p.archive.policy, "policy", JSON.stringify(doc));
};
const managed = (name: string) => `arn:aws:iam::aws:policy/service-role/${name}`;
const attach = (p: Platform, policyArn: string) =>
  p.add(
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "reader-managed",
    {
      role: readerRole(p).inputs.name,
      policyArn,
    },
    { pd: { role: [readerRole(p)] } },
  );

describe("deploy traps", () => {
  policySuite(s3LogTargetSseS3, {
    cases: [
      {
        name: "server-access-log target with SSE-KMS",
        mutate: (p) => set(p.accessLogs.sse, "rules", kmsSse(p).rules),
        expect: { violation: "access-logs-bucket", message: /S3 server access logs and load balancer access logs.*SSE-S3/ },
      },
      {
        name: "a log target recognised by structure, whatever its tags",
        mutate: (p) => {
          set(p.accessLogs.sse, "rules", kmsSse(p).rules);
          set(p.accessLogs.bucket, "tags", { DataClassification: "Internal" });
        },
        expect: { violation: "access-logs-bucket" },
      },
      {
        name: "a KMS bucket that receives no logs is not a target",
        mutate: (p) => set(p.phiData.sse, "rules", kmsSse(p).rules),
        expect: "clean",
      },
      {
        name: "preview: the target's encryption companion unknown bucket -> can't run",
        mutate: (p) => {
          p.remove(p.accessLogs.sse);
          p.add("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "late-sse", {
            bucket: UNKNOWN_STRING,
            ...kmsSse(p),
          });
        },
        expect: "unknown",
      },
    ],
  });
  policySuite(s3NoHeaderRequiringDenyOnServiceBuckets, {
    cases: [
      {
        name: "StringNotEqualsIfExists on a Firehose destination",
        mutate: (p) => headerDeny(p, { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" } }),
        expect: { violation: "event-archive-bucket", message: /RequireKmsHeader.*firehose-destination/ },
      },
      {
        name: "StringNotEquals without Null false",
        mutate: (p) => headerDeny(p, { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } }),
        expect: { violation: "event-archive-bucket" },
      },
      {
        name: "Null true on the header",
        mutate: (p) => headerDeny(p, { Null: { "s3:x-amz-server-side-encryption": "true" } }),
        expect: { violation: "event-archive-bucket" },
      },
      {
        name: "PrincipalIsAWSService false does not spare a role-based writer (Firehose)",
        mutate: (p) =>
          headerDeny(p, {
            StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
            Bool: { "aws:PrincipalIsAWSService": "false" },
          }),
        expect: { violation: "event-archive-bucket" },
      },
      {
        name: "a wrong header only (Null false) passes",
        mutate: (p) =>
          headerDeny(p, {
            StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
            Null: { "s3:x-amz-server-side-encryption": "false" },
          }),
        expect: "clean",
      },
      {
        name: "a bucket no service writes to may require the header",
        mutate: (p) => {
          const doc = JSON.parse(String(p.phiData.policy.inputs.policy)) as { Statement: unknown[] };
          doc.Statement.push({
            Effect: "Deny",
            Principal: "*",
            Action: "s3:PutObject",
            Resource: "*",
            Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" } },
          });
          set(p.phiData.policy, "policy", JSON.stringify(doc));
        },
        expect: "clean",
      },
      {
        name: "preview: the policy's bucket unknown -> can't run",
        mutate: (p) => {
          headerDeny(p, { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" } });
          set(p.archive.policy, "bucket", UNKNOWN_STRING);
          p.archive.policy.propertyDependencies = {};
          p.archive.policy.dependencies = [];
        },
        expect: "unknown",
      },
    ],
  });
  policySuite(s3ObjectLockAtCreation, {
    cases: [
      {
        name: "lock configuration on a bucket created without Object Lock, versioned",
        mutate: (p) => set(p.incidentReports.bucket, "objectLockEnabled", false),
        expect: { violation: "incident-reports-lock", message: /drifts/ },
      },
      {
        name: "lock configuration on an unversioned bucket without Object Lock",
        mutate: (p) => {
          set(p.incidentReports.bucket, "objectLockEnabled", undefined);
          p.remove(p.incidentReports.versioning);
        },
        expect: { violation: "incident-reports-lock", message: /rejects/ },
      },
      {
        name: "preview: objectLockEnabled unknown -> can't run",
        mutate: (p) => set(p.incidentReports.bucket, "objectLockEnabled", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
  policySuite(firehoseOpenSearchVpcConfig, {
    cases: [
      {
        name: "VPC domain, stream without vpcConfig",
        mutate: (p) => set(stream(p), "opensearchConfiguration.vpcConfig", undefined),
        expect: { violation: "security-events", message: /vpcConfig/ },
      },
      {
        name: "a public domain needs no vpcConfig",
        mutate: (p) => {
          set(stream(p), "opensearchConfiguration.vpcConfig", undefined);
          set(p.find("aws:opensearch/domain:Domain"), "vpcOptions", undefined);
        },
        expect: "clean",
      },
      {
        name: "a domain outside the stack is not judged",
        mutate: (p) => {
          set(stream(p), "opensearchConfiguration.vpcConfig", undefined);
          set(stream(p), "opensearchConfiguration.domainArn", `arn:aws:es:us-east-1:${ACCOUNT}:domain/elsewhere`);
        },
        expect: "clean",
      },
      {
        name: "preview: vpcConfig subnets unknown -> passes (set from another resource)",
        mutate: (p) => set(stream(p), "opensearchConfiguration.vpcConfig.subnetIds", UNKNOWN_ARRAY),
        expect: "clean",
      },
      {
        name: "preview: opensearch configuration unknown -> passes (nothing to judge)",
        mutate: (p) => set(stream(p), "opensearchConfiguration", UNKNOWN_STRING),
        expect: "clean",
      },
    ],
  });
  policySuite(firehoseProcessorParametersNotDefault, {
    cases: [
      {
        name: "BufferIntervalInSeconds 60",
        mutate: (p) =>
          set(
            stream(p),
            "opensearchConfiguration.processingConfiguration",
            lambdaProcessor([{ parameterName: "BufferIntervalInSeconds", parameterValue: "60" }]),
          ),
        expect: { violation: "security-events", message: /BufferIntervalInSeconds to its default 60/ },
      },
      {
        name: "NumberOfRetries 3",
        mutate: (p) =>
          set(
            stream(p),
            "opensearchConfiguration.processingConfiguration",
            lambdaProcessor([{ parameterName: "NumberOfRetries", parameterValue: "3" }]),
          ),
        expect: { violation: "security-events" },
      },
      {
        name: "non-default values pass",
        mutate: (p) =>
          set(
            stream(p),
            "opensearchConfiguration.processingConfiguration",
            lambdaProcessor([{ parameterName: "BufferIntervalInSeconds", parameterValue: "5" }]),
          ),
        expect: "clean",
      },
      {
        name: "preview: parameter value unknown -> can't run",
        mutate: (p) =>
          set(
            stream(p),
            "opensearchConfiguration.processingConfiguration",
            lambdaProcessor([{ parameterName: "BufferSizeInMBs", parameterValue: UNKNOWN_STRING }]),
          ),
        expect: "unknown",
      },
    ],
  });
  policySuite(lambdaReservedConcurrencyNotZero, {
    cases: [
      {
        name: "reserved concurrency 0",
        mutate: (p) => set(p.lambda, "reservedConcurrentExecutions", 0),
        expect: { violation: "data-processor", message: /throttles every invocation/ },
      },
      { name: "unset (-1) passes", mutate: (p) => set(p.lambda, "reservedConcurrentExecutions", undefined), expect: "clean" },
      {
        name: "preview: concurrency unknown -> can't run",
        mutate: (p) => set(p.lambda, "reservedConcurrentExecutions", UNKNOWN_NUMBER),
        expect: "unknown",
      },
    ],
  });
  policySuite(iamCloudtrailLogsRoleTrustUnconditioned, {
    cases: [
      {
        name: "aws:SourceArn on the CloudTrail -> CloudWatch Logs role trust",
        mutate: (p) =>
          set(
            trailRole(p),
            "assumeRolePolicy",
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Principal: { Service: "cloudtrail.amazonaws.com" },
                  Action: "sts:AssumeRole",
                  Condition: { StringEquals: { "aws:SourceArn": p.arn(p.trail) } },
                },
              ],
            }),
          ),
        expect: { violation: "cloudtrail-logs-role", message: /aws:sourcearn/ },
      },
      { name: "a role outside the stack is not judged", mutate: (p) => p.remove(trailRole(p)), expect: "clean" },
      {
        name: "preview: the role ARN unknown, joined by the trail's dependency -> judged",
        mutate: (p) => {
          set(p.trail, "cloudWatchLogsRoleArn", UNKNOWN_STRING);
          p.trail.propertyDependencies.cloudWatchLogsRoleArn = [trailRole(p).urn];
        },
        expect: "clean",
      },
    ],
  });
  policySuite(iamPhiRoleNoAwsManagedLogsWildcard, {
    cases: [
      {
        name: "AWSLambdaVPCAccessExecutionRole on a role reading PHI",
        mutate: (p) => attach(p, managed("AWSLambdaVPCAccessExecutionRole")),
        expect: { violation: "reader-role", message: /AWSLambdaVPCAccessExecutionRole/ },
      },
      {
        name: "AWSLambdaBasicExecutionRole in managedPolicyArns",
        mutate: (p) => set(readerRole(p), "managedPolicyArns", [managed("AWSLambdaBasicExecutionRole")]),
        expect: { violation: "reader-role" },
      },
      {
        name: "on a role without PHI permissions it is not this policy's concern",
        mutate: (p) => set(trailRole(p), "managedPolicyArns", [managed("AWSLambdaBasicExecutionRole")]),
        expect: "clean",
      },
      {
        name: "preview: attachment's role unknown, no dependency -> passes",
        mutate: (p) =>
          p.add("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "late", {
            role: UNKNOWN_STRING,
            policyArn: managed("AWSLambdaBasicExecutionRole"),
          }),
        expect: "clean",
      },
    ],
  });
});
