/**
 * Behaviour rows of the platform's storage and network hardening (issue 17): the upload-header
 * denies of a data bucket, the backup keys and the RDS cross-region copy grant, the VPC endpoint
 * policies, and the paths whose documentation leaves a first deploy something to check (the
 * `verify` notes). Added to `ROWS` in behaviour.ts as `...STORAGE_NETWORK_ROWS`.
 */
import type { Row, RowSource } from "./behaviour";
import { neededCallsOf } from "./row-factory";

export const STORAGE_NETWORK_DOCS = {
  putObject: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html",
  s3EncryptionContext: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context",
} as const;

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

export const STORAGE_NETWORK_ROWS: readonly RowSource[] = [uploadHeaders];
