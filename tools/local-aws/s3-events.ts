/** S3 event notifications as S3 delivers them to Lambda. */

export const BUCKET = "phi-data-test";

let sequencer = 0;

/** An S3 ObjectCreated notification record, as S3 delivers it (key URL-encoded, `+` for spaces). */
export function s3Record(
  key: string,
  sizeBytes: number,
  opts: { versionId?: string; sequencer?: string; bucket?: string; eventName?: string } = {},
) {
  const encoded = encodeURIComponent(key).replace(/%2F/g, "/").replace(/%20/g, "+");
  return {
    eventVersion: "2.1",
    eventSource: "aws:s3",
    awsRegion: "us-east-1",
    eventTime: "2026-01-01T00:00:00.000Z",
    eventName: opts.eventName ?? "ObjectCreated:Put",
    userIdentity: { principalId: "AWS:EXAMPLE" },
    requestParameters: { sourceIPAddress: "127.0.0.1" },
    responseElements: { "x-amz-request-id": "EXAMPLE", "x-amz-id-2": "EXAMPLE" },
    s3: {
      s3SchemaVersion: "1.0",
      configurationId: "data-processor",
      bucket: { name: opts.bucket ?? BUCKET, ownerIdentity: { principalId: "EXAMPLE" }, arn: `arn:aws:s3:::${opts.bucket ?? BUCKET}` },
      object: {
        key: encoded,
        size: sizeBytes,
        eTag: "0123456789abcdef0123456789abcdef",
        ...(opts.versionId === undefined ? {} : { versionId: opts.versionId }),
        sequencer: opts.sequencer ?? (++sequencer).toString(16).toUpperCase().padStart(18, "0"),
      },
    },
  };
}

export function s3Event(...records: ReturnType<typeof s3Record>[]) {
  return { Records: records };
}
