/**
 * Signed JSON requests to the domain over HTTPS (node's https module, certificate and host name
 * verified, TLS 1.2 or later), each with a timeout, retried with a bound on transient failures:
 * HTTP 429 and 5xx, timeouts and connection errors. OpenSearch Service documents 429 and 5xx as
 * retryable with backoff (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/handling-errors.html);
 * a PUT of this function replaces a resource, so repeating one is safe.
 *
 * Response bodies are read and discarded, never logged or put in an error: a status code is all a
 * failure reports. The one exception is a GET's 200 body (the ISM policy's stored version, ism.ts),
 * parsed and handed to the caller, never logged. Headers (the signature and session token) are never
 * logged either.
 */
import * as http from "http";
import * as https from "https";
import { BASE_BACKOFF_MS, MAX_ATTEMPTS, MAX_BACKOFF_MS, PlannedRequest, REQUEST_TIMEOUT_MS } from "./contract";
import { Logger } from "./log";
import { RequestSigner } from "./signer";

/**
 * Where to connect instead of `<endpoint>:443`: tests point it at a local server. The `host` header,
 * the signature and the TLS server name (certificate check) stay the endpoint's. Production passes
 * nothing and always uses HTTPS to the endpoint; `protocol: "http"` exists only for a test machine
 * without openssl to make a certificate.
 */
export interface Transport {
  readonly host: string;
  readonly port: number;
  /** @default "https" */
  readonly protocol?: "https" | "http";
  /** Extra trusted certificate authorities (PEM), in addition to node's bundled ones. */
  readonly ca?: string | Buffer;
}

export interface ClientOptions {
  readonly endpoint: string;
  readonly sign: RequestSigner;
  readonly log: Logger;
  readonly requestId: string;
  readonly transport?: Transport;
  /** @default {@link REQUEST_TIMEOUT_MS} */
  readonly timeoutMs?: number;
  /** @default {@link MAX_ATTEMPTS} */
  readonly maxAttempts?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/** A step that did not succeed: names the step, the path and the HTTP status or error code, never a body. */
export class OpenSearchRequestError extends Error {
  constructor(
    readonly step: string,
    readonly path: string,
    readonly attempts: number,
    readonly status: number | undefined,
    readonly code: string | undefined,
    readonly method: string = "PUT",
  ) {
    const what = status !== undefined ? `HTTP ${status}` : `${code ?? "unknown error"}`;
    super(
      `opensearch-config step "${step}" (${method} ${path}) failed: ${what} after ${attempts} attempt${attempts === 1 ? "" : "s"}${hint(status, code)}`,
    );
    this.name = "OpenSearchRequestError";
  }
}

function hint(status: number | undefined, code: string | undefined): string {
  if (status === 401 || status === 403) {
    return (
      "; the function's execution role must be the domain's fine-grained-access-control master user (masterUserArn) " +
      "and its IAM policy and the domain access policy must allow this method (es:ESHttpGet / es:ESHttpPut) on this path"
    );
  }
  if (status === 400) return "; OpenSearch rejected the request body (check the engine version's Security REST API)";
  if (status !== undefined && (status === 429 || status >= 500))
    return "; the domain kept failing or throttling: retry the deployment when it is healthy";
  if (code === "TIMEOUT" || code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return "; check that the function's subnets and security group reach the domain endpoint on 443";
  }
  return "";
}

/** Statuses worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** Connection-level errors worth another attempt (TLS and certificate errors are not). */
const RETRYABLE_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "TIMEOUT",
]);

export interface StepOutcome {
  readonly step: string;
  readonly status: number;
  readonly attempts: number;
}

/** A step's outcome with the parsed body of a GET's 200 answer (never logged). */
export interface Exchange extends StepOutcome {
  readonly body?: unknown;
}

/** The most of a GET's body read (an ISM policy is a few KB). */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** One signed HTTPS connection pool per run; `close()` frees its sockets. */
export class OpenSearchClient {
  private readonly agent: http.Agent;
  private readonly secure: boolean;

  constructor(private readonly options: ClientOptions) {
    this.secure = (options.transport?.protocol ?? "https") === "https";
    this.agent = this.secure
      ? new https.Agent({
          keepAlive: true,
          maxSockets: 1,
          minVersion: "TLSv1.2",
          rejectUnauthorized: true,
          ...(options.transport?.ca === undefined ? {} : { ca: options.transport.ca }),
        })
      : new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  close(): void {
    this.agent.destroy();
  }

  /**
   * Sends one planned request, retrying transient failures; throws {@link OpenSearchRequestError}.
   * `alsoAccept`: non-2xx statuses returned to the caller instead of thrown (404 of a GET, 409 of an ISM update).
   */
  async send(request: PlannedRequest, alsoAccept: readonly number[] = []): Promise<Exchange> {
    const { log, requestId } = this.options;
    const maxAttempts = this.options.maxAttempts ?? MAX_ATTEMPTS;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const random = this.options.random ?? Math.random;
    const body = request.body === undefined ? "" : JSON.stringify(request.body);
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let status: number | undefined;
      let code: string | undefined;
      let received = "";
      try {
        // Signed again for every attempt: a fresh x-amz-date each time.
        const headers = await this.options.sign({ method: request.method, hostname: this.options.endpoint, path: request.path, body });
        ({ status, body: received } = await this.once(request.method, request.path, headers, body));
      } catch (e) {
        code = errorCode(e);
      }
      const durationMs = Date.now() - started;
      if (status !== undefined && ((status >= 200 && status <= 299) || alsoAccept.includes(status))) {
        log("INFO", "step.done", { requestId, step: request.step, status, attempts: attempt, durationMs });
        const parsed = request.method === "GET" && status === 200 ? parseJson(received) : undefined;
        return { step: request.step, status, attempts: attempt, ...(parsed === undefined ? {} : { body: parsed }) };
      }
      const retryable = status !== undefined ? isRetryableStatus(status) : code !== undefined && RETRYABLE_CODES.has(code);
      if (!retryable || attempt >= maxAttempts) {
        log("ERROR", "step.failed", { requestId, step: request.step, status, code, attempts: attempt, durationMs });
        throw new OpenSearchRequestError(request.step, request.path, attempt, status, code, request.method);
      }
      // Exponential backoff with full jitter (https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/).
      const delayMs = Math.floor(random() * Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1)));
      log("WARN", "step.retry", { requestId, step: request.step, status, code, attempt, delayMs });
      await sleep(delayMs);
    }
  }

  /** One HTTP exchange: resolves with the status once the body has arrived (kept for a GET only, up to {@link MAX_RESPONSE_BYTES}). */
  private once(method: string, path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
    const timeoutMs = this.options.timeoutMs ?? REQUEST_TIMEOUT_MS;
    const target = this.options.transport;
    const options: https.RequestOptions = {
      host: target?.host ?? this.options.endpoint,
      port: target?.port ?? 443,
      method,
      path,
      headers,
      agent: this.agent,
      // The certificate is checked against the endpoint's name even when connecting elsewhere (tests).
      ...(this.secure ? { servername: this.options.endpoint } : {}),
    };
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const settle = (fn: () => void) => {
        clearTimeout(timer);
        fn();
      };
      const req = (this.secure ? https : http).request(options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (method === "GET" && size <= MAX_RESPONSE_BYTES) chunks.push(c);
        });
        res.on("error", (e) => settle(() => reject(e)));
        res.on("end", () => settle(() => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") })));
      });
      // One deadline for the whole exchange (connect, TLS, headers and body).
      timer = setTimeout(() => req.destroy(Object.assign(new Error(`no response within ${timeoutMs} ms`), { code: "TIMEOUT" })), timeoutMs);
      req.on("error", (e) => settle(() => reject(e)));
      req.end(body);
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : ((e as Error | undefined)?.name ?? "Error");
}
