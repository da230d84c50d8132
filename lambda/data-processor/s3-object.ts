/**
 * Reads an intake object with a hard size bound: the event's size and the response's
 * Content-Length are checked first, and the stream is cut off as soon as it passes the bound, so a
 * wrong size never makes the function buffer more than `maxObjectBytes`.
 */
import { CopyObjectCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createHash } from "crypto";
import type { S3ObjectRef } from "./event";

export type ObjectRead =
  | { readonly kind: "tooLarge"; readonly sizeBytes: number }
  | { readonly kind: "read"; readonly bytes: Buffer; readonly sha256: string; readonly eTag?: string; readonly sizeBytes: number };

export async function readBounded(s3: S3Client, ref: S3ObjectRef, maxBytes: number): Promise<ObjectRead> {
  if (ref.sizeBytes > maxBytes) return { kind: "tooLarge", sizeBytes: ref.sizeBytes };
  const out = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }));
  const body = out.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
  if (out.ContentLength !== undefined && out.ContentLength > maxBytes) {
    body?.destroy?.();
    return { kind: "tooLarge", sizeBytes: out.ContentLength };
  }
  const chunks: Buffer[] = [];
  const hash = createHash("sha256");
  let total = 0;
  if (body) {
    for await (const chunk of body) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        // Leaving the loop destroys the stream; nothing past the bound is kept.
        return { kind: "tooLarge", sizeBytes: Math.max(total, out.ContentLength ?? 0) };
      }
      const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      hash.update(buf);
      chunks.push(buf);
    }
  }
  return { kind: "read", bytes: Buffer.concat(chunks, total), sha256: hash.digest("hex"), eTag: out.ETag, sizeBytes: total };
}

/** `bucket/key?versionId=v`, URL-encoded per path segment as CopyObject expects. */
export function copySource(bucket: string, key: string, versionId?: string): string {
  const path = `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;
  return versionId === undefined ? path : `${path}?versionId=${encodeURIComponent(versionId)}`;
}

export interface CopyRequest {
  readonly ref: S3ObjectRef;
  readonly destinationKey: string;
  /** Copy only while the source still has this ETag (the bytes that were validated). */
  readonly ifMatch?: string;
  /** Tags of the copy, replacing the source's (none when empty). */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Server-side copy within the bucket: the object's metadata is kept, its tags are replaced in the
 * same request (so a quarantined copy is never visible untagged), and the bucket's default
 * encryption applies. Returns the copy's version id, if any.
 */
export async function copyObject(s3: S3Client, req: CopyRequest): Promise<string | undefined> {
  const tagging = new URLSearchParams(Object.entries(req.tags)).toString();
  const out = await s3.send(
    new CopyObjectCommand({
      Bucket: req.ref.bucket,
      Key: req.destinationKey,
      CopySource: copySource(req.ref.bucket, req.ref.key, req.ref.versionId),
      CopySourceIfMatch: req.ifMatch,
      MetadataDirective: "COPY",
      TaggingDirective: "REPLACE",
      Tagging: tagging === "" ? undefined : tagging,
    }),
  );
  return out.VersionId;
}
