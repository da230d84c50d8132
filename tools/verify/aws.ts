/**
 * How verify talks to AWS: one client per service and region with the caller's credentials (the
 * default chain), every call bounded by a timeout (the HTTP handler's connection and request
 * timeouts, an AbortSignal, and a timer that wins even when the SDK does not listen), and every
 * error turned into a sentence that names the action and what to do, never a stack trace and never
 * an AWS message (S3 messages may echo an object key).
 */
import type { AwsCredentialIdentity } from "@aws-sdk/types";

/** The check could not be evaluated: the call timed out, the network failed, or the caller may not call it. */
export class Unreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Unreachable";
  }
}

/** The call reached AWS and AWS said the resource the outputs name does not exist: a failure of the stack. */
export class Missing extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Missing";
  }
}

export interface AwsOptions {
  readonly region: string;
  /** Bound of one call, in milliseconds. */
  readonly timeoutMs: number;
  /** Tests only: a local server (s3rver) or a closed port. */
  readonly endpoint?: string;
  readonly forcePathStyle?: boolean;
  readonly credentials?: AwsCredentialIdentity;
}

type ClientClass<C> = new (config: Record<string, unknown>) => C;

const DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "AuthorizationError",
  "UnauthorizedException",
  "WAFAccessDeniedException",
]);
const REFUSED = new Set([
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "ExpiredToken",
  "ExpiredTokenException",
  "SignatureDoesNotMatch",
  "InvalidSignatureException",
  "InvalidAccessKeyId",
]);
const NOT_FOUND = new Set([
  "ResourceNotFoundException",
  "TrailNotFoundException",
  "NoSuchBucket",
  "StateMachineDoesNotExist",
  "LoadBalancerNotFoundException",
  "WAFNonexistentItemException",
  "NotFound",
]);
const NETWORK = new Set(["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** A one-line reason for an error of an AWS call (its name and network code only). */
export function describeError(action: string, error: unknown, timeoutMs: number): Unreachable | Missing {
  const e = (error ?? {}) as {
    name?: string;
    code?: string;
    Code?: string;
    $metadata?: { httpStatusCode?: number };
    cause?: { code?: string };
  };
  const name = e.name ?? "Error";
  const code = e.code ?? e.cause?.code ?? e.Code;
  if (DENIED.has(name)) return new Unreachable(`${action} was refused (${name}): attach iam/verifier-policy.json to the caller`);
  if (REFUSED.has(name)) return new Unreachable(`${action}: the credentials were refused (${name}): renew them`);
  if (NOT_FOUND.has(name))
    return new Missing(`${action}: ${name}: the resource the outputs name does not exist (pulumi refresh, then pulumi up)`);
  if (name === "TimeoutError" || name === "AbortError" || name === "RequestTimeout" || name === "VerifyTimeout") {
    return new Unreachable(`${action}: no answer within ${timeoutMs / 1000} s`);
  }
  if (code !== undefined && NETWORK.has(code)) return new Unreachable(`${action}: network error ${code}`);
  if (name === "CredentialsProviderError")
    return new Unreachable(`${action}: no AWS credentials found (set a profile or AWS_ACCESS_KEY_ID)`);
  const status = e.$metadata?.httpStatusCode;
  return new Unreachable(`${action}: ${name}${code ? ` ${code}` : ""}${status ? ` (HTTP ${status})` : ""}`);
}

/** `promise`, or a rejection named VerifyTimeout after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error("timeout"), { name: "VerifyTimeout" })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class Aws {
  private readonly clients = new Map<string, unknown>();

  constructor(readonly options: AwsOptions) {}

  /** The client of `Class` in `region` (the stack's by default), made once. */
  client<C>(Class: ClientClass<C>, region: string = this.options.region): C {
    const key = `${Class.name}@${region}`;
    let client = this.clients.get(key) as C | undefined;
    if (client === undefined) {
      const { timeoutMs, endpoint, forcePathStyle, credentials } = this.options;
      client = new Class({
        region,
        maxAttempts: 2,
        // https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-maxsockets.html (requestHandler options)
        requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs },
        ...(endpoint ? { endpoint } : {}),
        ...(forcePathStyle ? { forcePathStyle } : {}),
        ...(credentials ? { credentials } : {}),
      });
      this.clients.set(key, client);
    }
    return client;
  }

  /** `send(signal)` bounded by the timeout; its errors as Unreachable or Missing naming `action`. */
  async call<T>(action: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const { timeoutMs } = this.options;
    try {
      return await withTimeout(send(AbortSignal.timeout(timeoutMs)), timeoutMs + 500);
    } catch (error) {
      throw describeError(action, error, timeoutMs);
    }
  }
}
