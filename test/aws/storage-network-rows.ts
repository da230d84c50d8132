/**
 * Behaviour rows of the platform's storage and network hardening (issue 17): the upload-header
 * denies of a data bucket, the backup keys and the RDS cross-region copy grant, the VPC endpoint
 * policies, and the paths whose documentation leaves a first deploy something to check (the
 * `verify` notes). Added to `ROWS` in behaviour.ts as `...STORAGE_NETWORK_ROWS`.
 */
import type { Row, RowSource } from "./behaviour";
import type { PolicyDocument, PolicyIndex } from "./policy-index";
import { neededCallsOf, TLS } from "./row-factory";

export const STORAGE_NETWORK_DOCS = {
  putObject: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html",
  s3EncryptionContext: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context",
  backupCrossRegion: "https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html",
  rdsKeys: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.Keys.html",
  endpointPolicies: "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html",
} as const;

/** The plan's VPC endpoints by service short name (`s3`, `kinesis-firehose`), with their policies. */
export function endpointPolicies(ix: PolicyIndex): Map<string, PolicyDocument> {
  return new Map(
    ix
      .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
      .filter((e) => typeof e.inputs.policy === "string")
      .map((e) => [String(e.inputs.serviceName).split(".").slice(3).join("."), JSON.parse(String(e.inputs.policy)) as PolicyDocument]),
  );
}

/** The endpoint service an IAM action's calls go through (`firehose:` through `kinesis-firehose`). */
export const endpointServiceOf = (action: string): string => {
  const prefix = action.split(":")[0];
  return prefix === "firehose" ? "kinesis-firehose" : prefix;
};

/** The roles of the plan's VPC workloads: the Lambda functions in the VPC and the application instances. */
export function vpcWorkloadRoles(ix: PolicyIndex): string[] {
  const lambdas = [...ix.functions.values()].filter((f) => f.subnetIds.length > 0).map((f) => f.roleArn.split("/").pop()!);
  const instance = ix.roles.has(`hcp-${ix.stack}-app-instance`) ? [`hcp-${ix.stack}-app-instance`] : [];
  return [...new Set([...lambdas, ...instance])];
}

/**
 * The data processor's uploads and the PHI bucket's header denies: its own CopyObject (no SSE header)
 * and an upload naming the bucket's key stay allowed; `aws:kms` without a key id (S3 would use the AWS
 * managed aws/s3 key, PutObject API reference) is denied, as is tagging a processed/ copy.
 */
const uploadHeaders: RowSource = (ix) => {
  const fn = [...ix.functions.values()].find((f) => f.name === `hcp-${ix.stack}-data-processor`);
  const phi = [...ix.buckets.values()].find((b) => b.name.startsWith(`hcp-${ix.stack}-phi-data-`));
  if (!fn || !phi?.kmsKeyArn) return [];
  const call = neededCallsOf("data-processor headers", { role: fn.roleArn.split("/").pop()! });
  const object = (prefix: string) => `${phi.arn}/${prefix}/patient-123.json`;
  const kmsHeader = { "s3:x-amz-server-side-encryption": "aws:kms" };
  const denied = (note: string): Partial<Row> => ({ expected: "Denied", note });
  return [
    call("own copy, no header", "s3:PutObject", object("processed"), {}, STORAGE_NETWORK_DOCS.putObject, {
      note: "The handler's CopyObject sends no SSE header: the bucket's default encryption applies its key.",
    }),
    call(
      "aws:kms with the bucket's key",
      "s3:PutObject",
      object("quarantine"),
      { ...kmsHeader, "s3:x-amz-server-side-encryption-aws-kms-key-id": phi.kmsKeyArn },
      STORAGE_NETWORK_DOCS.putObject,
    ),
    call(
      "aws:kms without a key id",
      "s3:PutObject",
      object("processed"),
      kmsHeader,
      STORAGE_NETWORK_DOCS.putObject,
      denied("S3 would encrypt under the AWS managed aws/s3 key: DenyKmsHeaderWithoutKeyId of the bucket policy."),
    ),
    call(
      "aws:kms with another key",
      "s3:PutObject",
      object("processed"),
      { ...kmsHeader, "s3:x-amz-server-side-encryption-aws-kms-key-id": `arn:aws:kms:${phi.region}:${ix.account}:key/other` },
      STORAGE_NETWORK_DOCS.putObject,
      denied("DenyForeignKmsKeyHeader of the bucket policy."),
    ),
    call("tag processed/", "s3:PutObjectTagging", object("processed"), {}, STORAGE_NETWORK_DOCS.putObject, {
      ...denied("Only quarantined copies carry tags: PutObjectTagging is granted on quarantine/ only."),
    }),
    call("tag quarantine/", "s3:PutObjectTagging", object("quarantine"), {}, STORAGE_NETWORK_DOCS.putObject),
  ];
};

/**
 * The RDS snapshot's cross-region copy: AWS Backup re-encrypts a copy with the destination vault's key,
 * and for RDS (not fully managed by AWS Backup) RDS copies the snapshot, creating a grant on that key
 * through rds.<destination region> with the backup role's credentials. The destination vault's key
 * (the recovery region's backup key) admits it; the recovery region's audit key, which the vault used
 * before, does not.
 */
const rdsCopyGrant: RowSource = (ix) => {
  const role = ix.roles.get(`hcp-${ix.stack}-backup`);
  const selection = ix.ofType("aws:backup/selection:Selection").find((s) => String(s.inputs.iamRoleArn) === role?.arn);
  const plan = ix.ofType("aws:backup/plan:Plan")[0];
  if (!role || !selection || !plan || !(selection.inputs.resources as string[]).some((r) => String(r).split(":")[2] === "rds")) return [];
  const rules = plan.inputs.rules as { copyActions?: { destinationVaultArn: string }[] }[];
  const vaults = ix.ofType("aws:backup/vault:Vault");
  const call = neededCallsOf("backup rds-copy", { role: role.name });
  const settledBy = { awsManagedDocumented: role.awsManaged };
  return rules.flatMap((rule) =>
    (rule.copyActions ?? []).flatMap((copy): Row[] => {
      const vault = vaults.find((v) => String(v.outputs.arn) === String(copy.destinationVaultArn));
      const key = ix.keyArn(String(vault?.inputs.kmsKeyArn));
      if (!vault || !key) return [];
      const region = key.split(":")[3];
      const auditKey = [...ix.keys.values()].find((k) => k.region === region && k.aliases.some((a) => a.endsWith(`hcp-${ix.stack}-audit`)));
      const rds = { "kms:ViaService": `rds.${region}.amazonaws.com`, "kms:CallerAccount": ix.account };
      const grant = { ...rds, "kms:GrantIsForAWSResource": "true" };
      const note =
        "RDS creates the grant with the calling role's credentials; the identity side is the AWS-managed AWSBackupServiceRolePolicyForBackup " +
        "(kms:CreateGrant with kms:GrantIsForAWSResource, kms:DescribeKey), the key side the backup key's GrantsForAwsResources.";
      return [
        call(`destination vault key ${region}`, "kms:CreateGrant", key, grant, STORAGE_NETWORK_DOCS.backupCrossRegion, {
          ...settledBy,
          note,
        }),
        call(`destination vault key ${region}`, "kms:DescribeKey", key, rds, STORAGE_NETWORK_DOCS.rdsKeys, settledBy),
        ...(auditKey
          ? [
              call(`audit key ${region}`, "kms:CreateGrant", auditKey.arn, grant, STORAGE_NETWORK_DOCS.rdsKeys, {
                ...settledBy,
                expected: "Denied" as const,
                note: "The audit key admits s3 and sns only: a vault under it could never receive the RDS copy (issue 17 defect 2).",
              }),
            ]
          : []),
      ];
    }),
  );
};

/**
 * Every unconditioned grant of a VPC workload's role on a service with an endpoint, called through that
 * endpoint with its policy (iam-simulate evaluates VPC endpoint policies): allowed. Calls a role makes
 * with conditions such as kms:ViaService are made by the service on its behalf, not through the VPC's
 * endpoint, and are left out. A write to a bucket outside the stack is denied.
 */
const throughEndpoints: RowSource = (ix) => {
  const endpoints = endpointPolicies(ix);
  if (endpoints.size === 0) return [];
  const rows: Row[] = [];
  // AWS sends the resource owner's account with every request (the global key aws:ResourceAccount).
  const owner = { "aws:ResourceAccount": ix.account };
  for (const roleName of vpcWorkloadRoles(ix)) {
    const call = neededCallsOf(`endpoint ${roleName}`, { role: roleName });
    for (const p of ix.role(roleName).managed) {
      for (const st of p.policy.Statement.filter((x) => x.Effect === "Allow" && !x.Condition)) {
        for (const action of [st.Action ?? []].flat()) {
          const policy = endpoints.get(endpointServiceOf(action));
          if (!policy) continue;
          for (const resource of [st.Resource ?? []].flat()) {
            // A log group's ARN in IAM form ends in `:*` (the Service Authorization Reference's log-group resource).
            const logGroup = /:log-group:[^:]+$/.test(resource);
            const concrete = resource === "*" ? "*" : `${resource.replace(/\*/g, "x")}${logGroup ? ":*" : ""}`;
            rows.push(
              call(
                `via ${endpointServiceOf(action)} ${concrete.split(/[:/]/).slice(-2).join("/")}`,
                action,
                concrete,
                owner,
                STORAGE_NETWORK_DOCS.endpointPolicies,
                {
                  vpcEndpointPolicy: policy,
                },
              ),
            );
          }
        }
      }
    }
  }
  const s3 = endpoints.get("s3");
  const processor = [...ix.functions.values()].find((f) => f.name === `hcp-${ix.stack}-data-processor`);
  if (s3 && processor)
    rows.push(
      neededCallsOf("endpoint data-processor", { role: processor.roleArn.split("/").pop()! })(
        "foreign bucket via s3",
        "s3:PutObject",
        "arn:aws:s3:::exfiltration-bucket/patient-123.json",
        { "aws:ResourceAccount": "210987654321" },
        STORAGE_NETWORK_DOCS.endpointPolicies,
        {
          vpcEndpointPolicy: s3,
          expected: "Denied",
          note: "Outside the stack's buckets: the endpoint policy (and the role) deny it; test/aws/endpoint-policies.spec.ts shows the endpoint alone denies it.",
        },
      ),
    );
  return rows;
};

/**
 * Issue 17 section 2: paths the documentation leaves a first deploy to check. Each note says what
 * `npm run verify` (the in-account verification) must look at.
 */
const firstDeployChecks: RowSource = (ix) => {
  const rows: Row[] = [];
  const db = ix.ofType("aws:rds/instance:Instance")[0];
  const phiKey = ix.keyArn(db?.inputs.masterUserSecretKmsKeyId as string | undefined);
  if (db && phiKey)
    rows.push({
      id: "rds-secret rotation:kms:GenerateDataKey as secretsmanager itself",
      caller: { service: "secretsmanager.amazonaws.com" },
      action: "kms:GenerateDataKey",
      resource: phiKey,
      context: { "kms:CallerAccount": ix.account },
      expected: "Denied",
      doc: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html",
      settled: false,
      settledBy: "secret",
      note:
        "RDS manages and rotates the master secret itself (managed rotation); the PHI key admits no service principal, so rotation must run on " +
        "the grant RDS creates through rds.<region> at CreateDBInstance (GrantsForAwsResources) or on the caller's kms:ViaService use. " +
        "AWS does not document which. verify: RotateSecret on the database's secret once, expect success, and find in CloudTrail the " +
        "GenerateDataKey/Decrypt of the PHI key for the secret (encryption context SecretARN) with its grant id or via secretsmanager.",
    });
  const channel = ix.ofType("aws:cfg/deliveryChannel:DeliveryChannel")[0];
  const bucket = channel ? ix.buckets.get(String(channel.inputs.s3BucketName)) : undefined;
  const configRole = ix.roles.get(`hcp-${ix.stack}-aws-config`);
  if (bucket && configRole) {
    const verifyConfig =
      "verify: after enabling, DescribeDeliveryChannelStatus shows configSnapshotDeliveryInfo and configHistoryDeliveryInfo lastStatus SUCCESS, " +
      "and CloudTrail shows no AccessDenied for the Config role on the bucket.";
    rows.push({
      id: "config role:s3:PutObjectAcl (not a delivery call)",
      caller: { role: configRole.name },
      action: "s3:PutObjectAcl",
      resource: `${bucket.arn}/AWSLogs/${ix.account}/Config/x.json.gz`,
      context: TLS,
      expected: "Denied",
      doc: "https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html",
      settled: false,
      settledBy: "guardrails",
      note: `Config sets bucket-owner-full-control with PutObject's x-amz-acl header, authorized as s3:PutObject; AWS does not list PutObjectAcl. ${verifyConfig}`,
      awsManagedDocumented: configRole.awsManaged,
    });
  }
  const s3 = endpointPolicies(ix).get("s3");
  const instance = ix.roles.get(`hcp-${ix.stack}-app-instance`);
  if (s3 && instance)
    rows.push({
      id: "app-instance dnf:s3:GetObject AL2023 repository through the S3 gateway",
      caller: { role: instance.name },
      action: "s3:GetObject",
      resource: `arn:aws:s3:::al2023-repos-${ix.region}-de612dc2/core/mirrors/latest/x86_64/mirror.list`,
      context: { ...TLS, "aws:ResourceAccount": "137112412989" },
      expected: "Denied",
      doc: "https://docs.aws.amazon.com/linux/al2023/ug/managing-repos-os-updates.html",
      settled: false,
      settledBy: "app-logs",
      vpcEndpointPolicy: s3,
      note:
        "dnf's requests are unsigned, so AWS evaluates them as anonymous: the endpoint policy's AwsOwnedBucketsInstancesRead admits any principal " +
        "for GetObject on al2023-repos-<region>-de612dc2, and the repository bucket's own policy decides. Simulated as the instance role, the identity " +
        "(no S3 grant for AWS's buckets) denies it, so this row cannot show the anonymous path. The owner account is not " +
        "documented. verify: on an instance, `dnf makecache` succeeds through the gateway with no NAT route used (flow logs).",
    });
  return rows;
};

export const STORAGE_NETWORK_ROWS: readonly RowSource[] = [uploadHeaders, rdsCopyGrant, throughEndpoints, firstDeployChecks];
