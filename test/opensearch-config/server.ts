/**
 * A local stand-in for the domain's HTTPS endpoint on 127.0.0.1: records every request (method,
 * path, headers, body), answers with scripted statuses, and keeps the PUT bodies per path like the
 * Security plugin does (201 when created, 200 when replaced).
 *
 * TLS: a self-signed certificate for the endpoint's host name, made with `openssl` for the test run,
 * is trusted through the client's `transport.ca`, so the handler's certificate and host-name checks
 * run for real. Without openssl the server falls back to plain HTTP (`transport.protocol: "http"`),
 * which only tests can select; production always connects with HTTPS to the endpoint.
 *
 * ISM policies (`/_plugins/_ism/policies/<id>`) behave as the ISM API documents
 * (https://docs.opensearch.org/latest/im-plugin/ism/api/): GET answers 404 or the stored policy with
 * `_seq_no`/`_primary_term` and the fields ISM adds; a PUT creates (201) or, with the matching
 * `if_seq_no`/`if_primary_term`, updates (200); a PUT on an existing policy without them, or with stale
 * ones, answers 409.
 *
 * Also an independent SigV4 verifier written from AWS's specification with node's crypto
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html), so the
 * signature is checked by code that shares nothing with the signer.
 */
import { execFileSync } from "child_process";
import { createHash, createHmac } from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { TLSSocket } from "tls";
import { Transport } from "../../lambda/opensearch-config/client";

export const ENDPOINT = "vpc-analytics-abc123def456.us-east-1.es.amazonaws.com";
export const REGION = "us-east-1";

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly rawBody: string;
  readonly body: unknown;
  /** TLS version negotiated and the server name the client sent (SNI); undefined over plain HTTP. */
  readonly tls?: { readonly protocol: string | null; readonly servername: string | false | null | undefined };
}

/** What to do with the n-th request (0-based) to a path: a status, "reset" (destroy the socket) or "hang" (never answer). */
export type Reply = number | "reset" | "hang";
export type Script = (request: RecordedRequest, index: number) => Reply | undefined;

export interface Certificate {
  readonly key: string;
  readonly cert: string;
}

/** Generates a key and self-signed certificate for `hostName`, or undefined when openssl is missing. */
export function makeCertificate(hostName: string): Certificate | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opensearch-config-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        `/CN=${hostName}`,
        "-addext",
        `subjectAltName=DNS:${hostName}`,
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    return { key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"), cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8") };
  } catch {
    return undefined;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export class RecordingServer {
  readonly requests: RecordedRequest[] = [];
  /** The body last PUT to each path: the domain's security configuration as the server holds it. */
  readonly state = new Map<string, unknown>();
  script: Script = () => undefined;
  /** Stored ISM policies by id, with their version. */
  readonly ism = new Map<string, { seqNo: number; primaryTerm: number; policy: Record<string, unknown> }>();
  private seqNo = 0;
  private readonly server: http.Server;
  private readonly perPath = new Map<string, number>();
  private readonly hanging = new Set<http.ServerResponse>();

  private constructor(private readonly certificate: Certificate | undefined) {
    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => this.handle(req, res);
    this.server = certificate
      ? https.createServer({ key: certificate.key, cert: certificate.cert }, listener)
      : http.createServer(listener);
  }

  static async start(certificate: Certificate | undefined): Promise<RecordingServer> {
    const s = new RecordingServer(certificate);
    await new Promise<void>((resolve) => s.server.listen(0, "127.0.0.1", resolve));
    return s;
  }

  get protocol(): "https" | "http" {
    return this.certificate ? "https" : "http";
  }

  /** The transport the handler is given: connect here, trust the test certificate. */
  transport(trust = true): Transport {
    const { port } = this.server.address() as AddressInfo;
    return { host: "127.0.0.1", port, protocol: this.protocol, ...(trust && this.certificate ? { ca: this.certificate.cert } : {}) };
  }

  reset(): void {
    this.requests.length = 0;
    this.state.clear();
    this.ism.clear();
    this.seqNo = 0;
    this.perPath.clear();
    this.script = () => undefined;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Seeds a stored policy at a version (as if another deployment had written it). */
  seedIsm(id: string, policy: Record<string, unknown>, seqNo: number, primaryTerm: number): void {
    this.ism.set(id, { seqNo, primaryTerm, policy });
    this.seqNo = Math.max(this.seqNo, seqNo);
  }

  private ismExchange(method: string, id: string, url: URL, body: unknown): [number, unknown] {
    const stored = this.ism.get(id);
    const conflict = { error: { type: "version_conflict_engine_exception", reason: "SECRET-RESPONSE-BODY version conflict" }, status: 409 };
    if (method === "GET") {
      return stored
        ? [200, ismStored(id, stored.policy, stored.seqNo, stored.primaryTerm)]
        : [404, { error: "policy not found", status: 404 }];
    }
    const policy = (body as { policy?: Record<string, unknown> } | undefined)?.policy;
    if (method !== "PUT" || policy === undefined) return [400, { error: "bad request", status: 400 }];
    const ifSeqNo = url.searchParams.get("if_seq_no");
    const ifPrimaryTerm = url.searchParams.get("if_primary_term");
    if (ifSeqNo === null && ifPrimaryTerm === null) {
      if (stored) return [409, conflict];
      this.ism.set(id, { seqNo: ++this.seqNo, primaryTerm: 1, policy });
      return [201, ismStored(id, policy, this.seqNo, 1)];
    }
    if (!stored || String(stored.seqNo) !== ifSeqNo || String(stored.primaryTerm) !== ifPrimaryTerm) return [409, conflict];
    this.ism.set(id, { seqNo: ++this.seqNo, primaryTerm: stored.primaryTerm, policy });
    return [200, ismStored(id, policy, this.seqNo, stored.primaryTerm)];
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const socket = req.socket as Partial<TLSSocket>;
      const tls = socket.encrypted ? { protocol: socket.getProtocol?.() ?? null, servername: socket.servername } : undefined;
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        rawBody,
        body,
        ...(tls ? { tls } : {}),
      };
      this.requests.push(recorded);
      const index = this.perPath.get(recorded.path) ?? 0;
      this.perPath.set(recorded.path, index + 1);
      const reply = this.script(recorded, index);
      if (reply === "reset") {
        req.socket.destroy();
        return;
      }
      if (reply === "hang") {
        this.hanging.add(res);
        return;
      }
      const url = new URL(recorded.path, "https://endpoint");
      if (reply === undefined && url.pathname.startsWith(ISM_PREFIX)) {
        const [status, payload] = this.ismExchange(recorded.method, decodeURIComponent(url.pathname.slice(ISM_PREFIX.length)), url, body);
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
        return;
      }
      let status = reply;
      if (status === undefined) {
        status = this.state.has(recorded.path) ? 200 : 201;
        this.state.set(recorded.path, body);
      }
      // A body a real domain could send on an error; the handler must never repeat it.
      const payload =
        status >= 400
          ? { error: { reason: "SECRET-RESPONSE-BODY no permissions for [cluster:admin/opendistro_security]" }, status }
          : { status: "OK", message: "updated" };
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    });
  }
}

/** Stores a policy as ISM would (its own fields added), at a given version; returns what a GET answers. */
export function ismStored(id: string, policy: Record<string, unknown>, seqNo: number, primaryTerm: number): Record<string, unknown> {
  const states = (policy.states as { actions: Record<string, unknown>[] }[] | undefined) ?? [];
  const templates = (policy.ism_template as Record<string, unknown>[] | undefined) ?? [];
  return {
    _id: id,
    _version: seqNo + 1,
    _seq_no: seqNo,
    _primary_term: primaryTerm,
    policy: {
      policy_id: id,
      ...policy,
      last_updated_time: 1764806400000,
      schema_version: 21,
      error_notification: null,
      // ISM adds each action's default retry, and a template's last update time.
      states: states.map((st) => ({
        ...st,
        actions: st.actions.map((a) => ({ retry: { count: 3, backoff: "exponential", delay: "1m" }, ...a })),
      })),
      ism_template: templates.map((t) => ({ ...t, last_updated_time: 1764806400000 })),
    },
  };
}

const ISM_PREFIX = "/_plugins/_ism/policies/";

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

const sha256Hex = (data: string) => createHash("sha256").update(data, "utf8").digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

export interface SigV4Check {
  readonly valid: boolean;
  readonly credentialScope: string;
  readonly signedHeaders: string[];
}

/** Recomputes the request's SigV4 signature from the recorded request and the secret key. */
export function verifySigV4(request: RecordedRequest, credentials: Credentials): SigV4Check {
  const authorization = String(request.headers.authorization ?? "");
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) return { valid: false, credentialScope: "", signedHeaders: [] };
  const [, accessKeyId, date, region, service, signedHeaderList, signature] = match;
  const signedHeaders = signedHeaderList.split(";");
  const amzDate = String(request.headers["x-amz-date"] ?? "");
  const canonicalHeaders = signedHeaders
    .map(
      (h) =>
        `${h}:${String(request.headers[h] ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  // The canonical query string: parameters sorted by name, names and values URI-encoded.
  const [canonicalPath, query = ""] = request.path.split("?", 2);
  const canonicalQuery = [...new URLSearchParams(query)]
    .map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const canonicalRequest = [
    request.method,
    canonicalPath,
    canonicalQuery,
    canonicalHeaders,
    signedHeaderList,
    sha256Hex(request.rawBody),
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), region), service), "aws4_request");
  const expected = hmac(key, stringToSign).toString("hex");
  return {
    valid: accessKeyId === credentials.accessKeyId && amzDate.startsWith(date) && expected === signature,
    credentialScope: scope,
    signedHeaders,
  };
}
