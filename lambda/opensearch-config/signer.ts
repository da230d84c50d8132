/**
 * Signature Version 4 for OpenSearch Service (service `es`) with `@smithy/signature-v4`, the AWS
 * SDK's own signer, and a SHA-256 over node's crypto (the role `@aws-crypto/sha256-js` or
 * `@smithy/hash-node` plays in the SDK; neither is installed here, and node's is the same
 * algorithm). https://docs.aws.amazon.com/opensearch-service/latest/developerguide/request-signing.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 *
 * The signer adds `x-amz-date`, `x-amz-content-sha256` (the payload hash) and, for temporary
 * credentials such as a Lambda execution role's, `x-amz-security-token`; then `authorization`.
 */
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Checksum, SourceData } from "@smithy/types";
import { createHash, createHmac, Hash, Hmac } from "crypto";

/** SHA-256 (or HMAC-SHA-256 with a secret) in the `Checksum` shape the signer takes. */
export class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }

  digest(): Promise<Uint8Array> {
    // Synchronous work behind the interface's promise; a failing digest rejects (as it would in an async method).
    return new Promise((resolve) => resolve(new Uint8Array(this.hash.digest())));
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(this.secret));
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** The service name OpenSearch Service domains sign with (`aoss` is Serverless, not used here). */
export const SIGNING_SERVICE = "es";

export interface UnsignedRequest {
  readonly method: string;
  /** The domain endpoint hostname: the `host` header that is signed and sent. */
  readonly hostname: string;
  /** The path, with a query string when there is one (`?if_seq_no=7&if_primary_term=1`): the query is signed too. */
  readonly path: string;
  readonly body: string;
}

export type RequestSigner = (request: UnsignedRequest, signingDate?: Date) => Promise<Record<string, string>>;

/** Returns a function giving the headers (signed, lower-case) to send with a JSON request. */
export function createSigner(region: string, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider): RequestSigner {
  const signer = new SignatureV4({
    service: SIGNING_SERVICE,
    region,
    credentials,
    sha256: NodeSha256,
    uriEscapePath: true,
    applyChecksum: true,
  });
  return async (request, signingDate) => {
    const [path, queryString = ""] = request.path.split("?", 2);
    const query: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(queryString)) query[k] = v;
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: "https:",
        hostname: request.hostname,
        path,
        query,
        headers: {
          host: request.hostname,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(request.body, "utf8")),
        },
        body: request.body,
      },
      signingDate === undefined ? {} : { signingDate },
    );
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = String(value);
    return headers;
  };
}
