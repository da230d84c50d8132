/**
 * The opensearch-config handler against a real local HTTPS server (see server.ts): the requests it
 * sends, their signatures, idempotence, retries within a bound, failures that name the step and
 * status, certificate checks, and log lines without credentials.
 */
import { strict as assert } from "assert";
import { createHash } from "crypto";
import { OpenSearchRequestError } from "../../lambda/opensearch-config/client";
import {
  auditConfigBody,
  DEFAULT_AUDIT_SETTINGS,
  MAX_ATTEMPTS,
  OpenSearchConfigInputError,
  OpenSearchConfigResult,
} from "../../lambda/opensearch-config/contract";
import { createHandler, HandlerDependencies } from "../../lambda/opensearch-config/index";
import { ismPolicyBody, IsmPolicyError } from "../../lambda/opensearch-config/ism";
import { LogFields, Logger } from "../../lambda/opensearch-config/log";
import { ANALYST_ROLE, FIREHOSE_ROLE, INPUT } from "./fixtures";
import { Certificate, Credentials, ENDPOINT, makeCertificate, RecordingServer, REGION, verifySigV4 } from "./server";

const ISM_PATH = "/_plugins/_ism/policies/security-events-retention";
/** The policy the fixture's 365 days ask for, as the ISM API takes it (https://docs.opensearch.org/latest/im-plugin/ism/api/#create-policy). */
const ISM_BODY = {
  policy: {
    description:
      "Deletes security-events-* indices 365 days after creation; the S3 archive keeps the events for six years. " +
      "Managed by the platform's opensearch-config function (Pulumi); edits are replaced on the next deployment.",
    default_state: "searchable",
    states: [
      { name: "searchable", actions: [], transitions: [{ state_name: "delete", conditions: { min_index_age: "365d" } }] },
      { name: "delete", actions: [{ delete: {} }], transitions: [] },
    ],
    ism_template: [{ index_patterns: ["security-events-*"], priority: 100 }],
  },
};

const SESSION: Credentials = {
  accessKeyId: "ASIAEXAMPLESESSION01",
  secretAccessKey: "session/secret+key/EXAMPLE0123456789abcdef",
  sessionToken: "SESSION-TOKEN-EXAMPLE//abc+def==",
};
const LONG_TERM: Credentials = { accessKeyId: "AKIAEXAMPLELONGTERM1", secretAccessKey: "longterm/secret+key/EXAMPLE0123456789abcdef" };

const EXPECTED = [
  {
    method: "PUT",
    path: "/_plugins/_security/api/roles/security_events_writer",
    body: {
      description:
        "Write-only access to security-events-* for the security-event delivery stream. " +
        "Managed by the platform's opensearch-config function (Pulumi); edits are replaced on the next deployment.",
      cluster_permissions: ["cluster_composite_ops", "cluster_monitor"],
      index_permissions: [
        { index_patterns: ["security-events-*"], allowed_actions: ["crud", "create_index", "indices:admin/mapping/put"] },
      ],
    },
  },
  {
    method: "PUT",
    path: "/_plugins/_security/api/rolesmapping/security_events_writer",
    body: {
      description: "Managed by the platform's opensearch-config function (Pulumi); edits are replaced on the next deployment.",
      backend_roles: [FIREHOSE_ROLE],
      users: [],
      hosts: [],
    },
  },
  {
    method: "PUT",
    path: "/_plugins/_security/api/roles/security_events_reader",
    body: {
      description:
        "Read-only access to security-events-*. Managed by the platform's opensearch-config function (Pulumi); edits are replaced on the next deployment.",
      cluster_permissions: ["cluster_composite_ops_ro"],
      index_permissions: [{ index_patterns: ["security-events-*"], allowed_actions: ["read"] }],
    },
  },
  {
    method: "PUT",
    path: "/_plugins/_security/api/rolesmapping/security_events_reader",
    body: {
      description: "Managed by the platform's opensearch-config function (Pulumi); edits are replaced on the next deployment.",
      backend_roles: [ANALYST_ROLE],
      users: [],
      hosts: [],
    },
  },
  {
    method: "PUT",
    path: "/_plugins/_security/api/audit/config",
    body: {
      enabled: true,
      audit: {
        enable_rest: true,
        enable_transport: true,
        disabled_rest_categories: ["AUTHENTICATED", "GRANTED_PRIVILEGES"],
        disabled_transport_categories: ["AUTHENTICATED", "GRANTED_PRIVILEGES"],
        ignore_users: [],
        ignore_requests: [],
        resolve_bulk_requests: false,
        log_request_body: false,
        resolve_indices: true,
        exclude_sensitive_headers: true,
      },
      compliance: {
        enabled: true,
        internal_config: true,
        external_config: false,
        read_metadata_only: true,
        read_watched_fields: {},
        read_ignore_users: [],
        write_metadata_only: true,
        write_log_diffs: false,
        write_watched_indices: [],
        write_ignore_users: [],
      },
    },
  },
  {
    // Part 4 of issue 16: `events` nested, so one query cannot match fields of two different events.
    method: "PUT",
    path: "/_index_template/security-events",
    body: {
      index_patterns: ["security-events-*"],
      priority: 100,
      template: {
        mappings: {
          properties: {
            authorizerVersion: { type: "integer" },
            decision: { type: "keyword" },
            eventCount: { type: "integer" },
            events: { type: "nested" },
          },
        },
      },
    },
  },
  // Part 4 of issue 16: the retention policy, read for its version, then created (absent here).
  { method: "GET", path: ISM_PATH, body: undefined },
  { method: "PUT", path: ISM_PATH, body: ISM_BODY },
];

interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: LogFields;
}

describe("opensearch-config handler (local HTTPS server)", function () {
  let certificate: Certificate | undefined;
  let server: RecordingServer;
  let lines: LogLine[];
  const sleeps: number[] = [];

  const capture: Logger = (level, message, fields = {}) => {
    lines.push({ level, message, fields });
  };
  const handler = (credentials: Credentials = SESSION, extra: Partial<HandlerDependencies> = {}) =>
    createHandler({
      credentials,
      transport: server.transport(),
      log: capture,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
      ...extra,
    });

  before(async () => {
    certificate = makeCertificate(ENDPOINT);
    server = await RecordingServer.start(certificate);
  });
  after(async () => server.stop());
  beforeEach(() => {
    server.reset();
    lines = [];
    sleeps.length = 0;
  });

  it("connects with TLS 1.2 or later and sends the endpoint's name (SNI), when openssl can make the test certificate", async function () {
    if (!certificate) this.skip();
    await handler()(INPUT);
    assert.equal(server.requests.length, EXPECTED.length);
    for (const r of server.requests) {
      assert.ok(r.tls, "the request came over TLS");
      assert.ok(r.tls.protocol === "TLSv1.2" || r.tls.protocol === "TLSv1.3", `negotiated ${r.tls.protocol}`);
      assert.equal(r.tls.servername, ENDPOINT);
    }
  });

  it("sends the writer role, its mapping, the reader role, its mapping and the audit config, in order, with exact paths, methods and bodies", async () => {
    const result = await handler()(INPUT, { awsRequestId: "req-1" });
    assert.deepEqual(
      server.requests.map((r) => ({ method: r.method, path: r.path, body: r.body })),
      EXPECTED,
    );
    for (const r of server.requests) {
      assert.equal(r.headers["content-type"], "application/json");
      assert.equal(r.headers.host, ENDPOINT, "the Host header is the endpoint, not the address connected to");
    }
    assert.deepEqual(result, {
      endpoint: ENDPOINT,
      indexPattern: "security-events-*",
      outcome: "applied",
      roles: [
        {
          kind: "writer",
          roleName: "security_events_writer",
          clusterPermissions: ["cluster_composite_ops", "cluster_monitor"],
          indexActions: ["crud", "create_index", "indices:admin/mapping/put"],
          backendRoles: [FIREHOSE_ROLE],
        },
        {
          kind: "reader",
          roleName: "security_events_reader",
          clusterPermissions: ["cluster_composite_ops_ro"],
          indexActions: ["read"],
          backendRoles: [ANALYST_ROLE],
        },
      ],
      audit: DEFAULT_AUDIT_SETTINGS,
      retentionDays: 365,
      steps: [
        { step: "writer role", status: 201, attempts: 1 },
        { step: "writer role mapping", status: 201, attempts: 1 },
        { step: "reader role", status: 201, attempts: 1 },
        { step: "reader role mapping", status: 201, attempts: 1 },
        { step: "audit config", status: 201, attempts: 1 },
        { step: "index template", status: 201, attempts: 1 },
        { step: "ism policy", status: 201, attempts: 2, action: "created" },
      ],
    } satisfies OpenSearchConfigResult);
    assert.doesNotThrow(() => JSON.stringify(result), "the Invocation result is JSON");
  });

  it("without a reader sends only the writer role, its mapping and the audit config", async () => {
    const { reader: _reader, ...writerOnly } = INPUT;
    await handler()(writerOnly);
    assert.deepEqual(
      server.requests.map((r) => r.path),
      [EXPECTED[0].path, EXPECTED[1].path, EXPECTED[4].path, EXPECTED[5].path, ISM_PATH, ISM_PATH],
    );
  });

  it("applies audit settings from the input to the audit config body", async () => {
    const audit = {
      disabledRestCategories: ["AUTHENTICATED"],
      ignoreUsers: ["arn:aws:iam::111122223333:role/monitoring"],
      writeWatchedIndices: ["security-events-*"],
    };
    await handler()({ ...INPUT, audit });
    const body = server.requests.find((r) => r.path === EXPECTED[4].path)?.body;
    assert.deepEqual(body, auditConfigBody({ ...DEFAULT_AUDIT_SETTINGS, ...audit, disabledRestCategories: ["AUTHENTICATED"] }));
    assert.deepEqual((body as { audit: { ignore_users: string[] } }).audit.ignore_users, ["arn:aws:iam::111122223333:role/monitoring"]);
    assert.deepEqual((body as { compliance: { write_watched_indices: string[] } }).compliance.write_watched_indices, ["security-events-*"]);
  });

  it("signs every request with SigV4 for service es and the input's region, with x-amz-date, x-amz-content-sha256 and the session token", async () => {
    await handler(SESSION)(INPUT);
    assert.equal(server.requests.length, EXPECTED.length);
    for (const r of server.requests) {
      const check = verifySigV4(r, SESSION);
      assert.ok(check.valid, `signature of ${r.path} verifies with the secret key`);
      const amzDate = String(r.headers["x-amz-date"]);
      assert.match(amzDate, /^\d{8}T\d{6}Z$/);
      assert.ok(
        Math.abs(Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z")) - Date.now()) < 60_000,
        "x-amz-date is now",
      );
      assert.equal(check.credentialScope, `${amzDate.slice(0, 8)}/${REGION}/es/aws4_request`);
      assert.equal(r.headers["x-amz-content-sha256"], createHash("sha256").update(r.rawBody).digest("hex"));
      assert.equal(r.headers["x-amz-security-token"], SESSION.sessionToken);
      for (const h of ["host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"])
        assert.ok(check.signedHeaders.includes(h), `${h} is signed`);
      assert.ok(!verifySigV4(r, { ...SESSION, secretAccessKey: "wrong" }).valid, "a different secret does not verify");
    }
  });

  it("sends no x-amz-security-token when the credentials have no session token", async () => {
    await handler(LONG_TERM)(INPUT);
    for (const r of server.requests) {
      assert.equal(r.headers["x-amz-security-token"], undefined);
      assert.ok(verifySigV4(r, LONG_TERM).valid);
    }
  });

  it("is idempotent: a second run sends the same requests (the ISM policy only read, being equal) and leaves the same state", async () => {
    const run = handler();
    const first = await run(INPUT);
    const requestsOfFirst = server.requests.map((r) => ({ method: r.method, path: r.path, rawBody: r.rawBody }));
    const stateAfterFirst = new Map(server.state);
    const ismAfterFirst = new Map(server.ism);
    server.requests.length = 0;
    const second = await run(INPUT);
    assert.deepEqual(
      server.requests.map((r) => ({ method: r.method, path: r.path, rawBody: r.rawBody })),
      requestsOfFirst.slice(0, -1),
      "the same requests but the ISM PUT",
    );
    assert.deepEqual(server.state, stateAfterFirst);
    assert.deepEqual(server.ism, ismAfterFirst, "the policy keeps its version");
    assert.deepEqual(
      first.steps.map((s) => s.status),
      [201, 201, 201, 201, 201, 201, 201],
    );
    assert.deepEqual(
      second.steps.map((s) => s.status),
      [200, 200, 200, 200, 200, 200, 200],
      "the second run replaces what the first created",
    );
    assert.deepEqual(second.steps.at(-1), { step: "ism policy", status: 200, attempts: 1, action: "unchanged" });
  });

  it("retries a 503 and then succeeds, signing the retry afresh", async () => {
    server.script = (r, i) => (r.path === EXPECTED[1].path && i === 0 ? 503 : undefined);
    const result = await handler()(INPUT);
    assert.deepEqual(
      server.requests.map((r) => r.path),
      [
        EXPECTED[0].path,
        EXPECTED[1].path,
        EXPECTED[1].path,
        EXPECTED[2].path,
        EXPECTED[3].path,
        EXPECTED[4].path,
        EXPECTED[5].path,
        ISM_PATH,
        ISM_PATH,
      ],
    );
    assert.equal(server.requests[1].rawBody, server.requests[2].rawBody);
    assert.ok(verifySigV4(server.requests[2], SESSION).valid);
    assert.deepEqual(result.steps[1], { step: "writer role mapping", status: 201, attempts: 2 });
    assert.deepEqual(sleeps, [250], "one backoff: half (jitter 0.5) of the first 500 ms step");
    assert.ok(lines.some((l) => l.message === "step.retry" && l.fields.status === 503 && l.fields.step === "writer role mapping"));
  });

  it("retries a reset connection and a request that times out", async () => {
    server.script = (r, i) =>
      r.path === EXPECTED[0].path && i === 0 ? "reset" : r.path === EXPECTED[4].path && i === 0 ? "hang" : undefined;
    const result = await handler(SESSION, { timeoutMs: 300 })(INPUT);
    assert.equal(result.steps[0].attempts, 2);
    assert.equal(result.steps[4].attempts, 2);
    const retries = lines.filter((l) => l.message === "step.retry").map((l) => l.fields.code);
    assert.deepEqual(retries, ["ECONNRESET", "TIMEOUT"]);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts of a persistent 503, naming the step and the status`, async () => {
    server.script = (r) => (r.path === EXPECTED[4].path ? 503 : undefined);
    await assert.rejects(handler()(INPUT), (e: unknown) => {
      assert.ok(e instanceof OpenSearchRequestError);
      assert.equal(e.step, "audit config");
      assert.equal(e.status, 503);
      assert.equal(e.attempts, MAX_ATTEMPTS);
      assert.match(e.message, /step "audit config" \(PUT \/_plugins\/_security\/api\/audit\/config\) failed: HTTP 503 after 5 attempts/);
      return true;
    });
    assert.equal(server.requests.filter((r) => r.path === EXPECTED[4].path).length, MAX_ATTEMPTS);
    assert.equal(sleeps.length, MAX_ATTEMPTS - 1);
    assert.ok(
      sleeps.every((ms, i) => ms === Math.floor(0.5 * Math.min(8000, 500 * 2 ** i))),
      `bounded exponential backoff, got ${sleeps.join(", ")}`,
    );
  });

  it("fails at once on 403, naming the step and the status, never the response body, and stops before the next step", async () => {
    server.script = (r) => (r.path === EXPECTED[1].path ? 403 : undefined);
    await assert.rejects(handler()(INPUT), (e: unknown) => {
      assert.ok(e instanceof OpenSearchRequestError);
      assert.equal(e.step, "writer role mapping");
      assert.equal(e.status, 403);
      assert.equal(e.attempts, 1);
      assert.match(e.message, /step "writer role mapping" .* failed: HTTP 403 after 1 attempt;.*master user/);
      assert.ok(!e.message.includes("SECRET-RESPONSE-BODY"));
      return true;
    });
    assert.deepEqual(
      server.requests.map((r) => r.path),
      [EXPECTED[0].path, EXPECTED[1].path],
    );
    assert.deepEqual(sleeps, []);
    assert.ok(!JSON.stringify(lines).includes("SECRET-RESPONSE-BODY"));
    assert.ok(lines.some((l) => l.level === "ERROR" && l.message === "step.failed" && l.fields.status === 403));
  });

  it("refuses a server whose certificate it does not trust, without retrying", async function () {
    if (!certificate) this.skip();
    await assert.rejects(handler(SESSION, { transport: server.transport(false) })(INPUT), (e: unknown) => {
      assert.ok(e instanceof OpenSearchRequestError);
      assert.equal(e.step, "writer role");
      assert.equal(e.status, undefined);
      assert.equal(e.code, "DEPTH_ZERO_SELF_SIGNED_CERT");
      assert.equal(e.attempts, 1);
      return true;
    });
    assert.equal(server.requests.length, 0);
  });

  it("checks the certificate against the endpoint's host name", async function () {
    if (!certificate) this.skip();
    const other = "vpc-other-domain-0123456789.us-east-1.es.amazonaws.com";
    await assert.rejects(handler()({ ...INPUT, endpoint: other }), (e: unknown) => {
      assert.ok(e instanceof OpenSearchRequestError);
      assert.equal(e.code, "ERR_TLS_CERT_ALTNAME_INVALID");
      return true;
    });
    assert.equal(server.requests.length, 0);
  });

  it("rejects an invalid input with one error listing every problem, before any request", async () => {
    await assert.rejects(
      handler()({
        endpoint: "https://example.com/",
        region: "us-east-1",
        indexPattern: "*",
        writer: { roleName: "all_access", backendRoles: ["*"] },
      }),
      (e: unknown) => {
        assert.ok(e instanceof OpenSearchConfigInputError);
        assert.equal(e.problems.length, 5);
        assert.ok(e.problems.some((p) => p.startsWith("retentionDays is required")));
        return true;
      },
    );
    assert.equal(server.requests.length, 0);
    assert.ok(lines.some((l) => l.message === "input.invalid" && l.fields.problems === 5));
  });

  it("changes nothing when the CRUD Invocation is deleted", async () => {
    const result = await handler()({ ...INPUT, tf: { action: "delete", prev_input: INPUT } });
    assert.equal(server.requests.length, 0);
    assert.equal(result.outcome, "skipped-delete");
    const update = await handler()({ ...INPUT, tf: { action: "update", prev_input: INPUT } });
    assert.equal(update.outcome, "applied");
    assert.equal(server.requests.length, EXPECTED.length);
  });

  it("logs steps, statuses and attempts, and never credentials, headers, ARNs or bodies", async () => {
    server.script = (r, i) => (r.path === EXPECTED[2].path && i === 0 ? 500 : undefined);
    await handler()(INPUT, { awsRequestId: "req-logs" });
    const text = JSON.stringify(lines);
    for (const secret of [
      SESSION.accessKeyId,
      SESSION.secretAccessKey,
      SESSION.sessionToken!,
      "Signature=",
      "AWS4-HMAC-SHA256",
      "arn:aws",
      "x-amz",
      "cluster_composite_ops",
    ]) {
      assert.ok(!text.includes(secret), `logs do not contain ${secret}`);
    }
    assert.deepEqual(
      lines.map((l) => `${l.level} ${l.message} ${l.fields.step ?? ""}`.trim()),
      [
        "INFO step.done writer role",
        "INFO step.done writer role mapping",
        "WARN step.retry reader role",
        "INFO step.done reader role",
        "INFO step.done reader role mapping",
        "INFO step.done audit config",
        "INFO step.done index template",
        "INFO step.done ism policy read",
        "INFO step.done ism policy",
        "INFO run.done",
      ],
    );
    assert.ok(lines.every((l) => l.fields.requestId === "req-logs"));
  });
  describe("the event indices' ISM retention policy (GET, then create, update or leave it)", () => {
    const ID = "security-events-retention";
    const thirtyDays = ismPolicyBody("security-events-*", 30).policy as unknown as Record<string, unknown>;

    it("creates it when the GET answers 404: PUT without a version, min_index_age from the input, ism_template on the pattern", async () => {
      const result = await handler()({ ...INPUT, retentionDays: 30 });
      const ism = server.requests.filter((r) => r.path.startsWith(ISM_PATH));
      assert.deepEqual(
        ism.map((r) => `${r.method} ${r.path}`),
        [`GET ${ISM_PATH}`, `PUT ${ISM_PATH}`],
      );
      assert.deepEqual(ism[1].body, { policy: thirtyDays });
      assert.equal(ism[0].rawBody, "", "the GET has no body");
      assert.deepEqual(result.steps.at(-1), { step: "ism policy", status: 201, attempts: 2, action: "created" });
      assert.equal(server.ism.get(ID)?.seqNo, 1);
    });

    it("updates a different stored policy with the if_seq_no and if_primary_term its GET returned, signed with the query", async () => {
      server.seedIsm(ID, thirtyDays, 7, 3);
      const result = await handler()(INPUT);
      const ism = server.requests.filter((r) => r.path.startsWith(ISM_PATH));
      assert.deepEqual(
        ism.map((r) => `${r.method} ${r.path}`),
        [`GET ${ISM_PATH}`, `PUT ${ISM_PATH}?if_seq_no=7&if_primary_term=3`],
      );
      assert.deepEqual(ism[1].body, ISM_BODY);
      assert.ok(verifySigV4(ism[1], SESSION).valid, "the query string is part of the signature");
      assert.ok(
        !verifySigV4({ ...ism[1], path: `${ISM_PATH}?if_seq_no=8&if_primary_term=3` }, SESSION).valid,
        "another version does not verify",
      );
      assert.deepEqual(result.steps.at(-1), { step: "ism policy", status: 200, attempts: 2, action: "updated" });
      assert.deepEqual(server.ism.get(ID), { seqNo: 8, primaryTerm: 3, policy: ISM_BODY.policy });
    });

    it("leaves an equal stored policy alone (ISM's own fields, such as an action's default retry, do not count as a difference)", async () => {
      server.seedIsm(ID, ISM_BODY.policy, 4, 1);
      const result = await handler()(INPUT);
      assert.deepEqual(
        server.requests.filter((r) => r.path.startsWith(ISM_PATH)).map((r) => r.method),
        ["GET"],
      );
      assert.deepEqual(result.steps.at(-1), { step: "ism policy", status: 200, attempts: 1, action: "unchanged" });
      assert.equal(server.ism.get(ID)?.seqNo, 4);
    });

    it("updates a stored policy with one more state, or a changed index pattern (not contained: different)", async () => {
      const extra = { ...ISM_BODY.policy, states: [...ISM_BODY.policy.states, { name: "cold", actions: [], transitions: [] }] };
      server.seedIsm(ID, extra, 2, 1);
      assert.equal((await handler()(INPUT)).steps.at(-1)?.action, "updated");
      server.reset();
      server.seedIsm(ID, { ...ISM_BODY.policy, ism_template: [{ index_patterns: ["*"], priority: 100 }] }, 2, 1);
      assert.equal((await handler()(INPUT)).steps.at(-1)?.action, "updated");
    });

    it("answers a 409 (changed between GET and PUT) with a fresh GET and one more PUT at the new version", async () => {
      server.seedIsm(ID, thirtyDays, 7, 1);
      server.script = (r, i) => {
        // Another writer updates the policy just before our first PUT lands.
        if (r.method === "PUT" && r.path.startsWith(ISM_PATH) && i === 0) server.seedIsm(ID, thirtyDays, 9, 1);
        return undefined;
      };
      const result = await handler()(INPUT);
      assert.deepEqual(
        server.requests.filter((r) => r.path.startsWith(ISM_PATH)).map((r) => `${r.method} ${r.path}`),
        [
          `GET ${ISM_PATH}`,
          `PUT ${ISM_PATH}?if_seq_no=7&if_primary_term=1`,
          `GET ${ISM_PATH}`,
          `PUT ${ISM_PATH}?if_seq_no=9&if_primary_term=1`,
        ],
      );
      assert.deepEqual(result.steps.at(-1), { step: "ism policy", status: 200, attempts: 4, action: "updated" });
      assert.ok(lines.some((l) => l.level === "WARN" && l.message === "ism.conflict" && l.fields.round === 1));
      assert.deepEqual(sleeps, [], "a conflict is not a transient failure: no backoff");
    });

    it("fails with a clear error after a second 409, never repeating the response body", async () => {
      server.script = (r) => (r.method === "PUT" && r.path.startsWith(ISM_PATH) ? 409 : undefined);
      await assert.rejects(handler()(INPUT), (e: unknown) => {
        assert.ok(e instanceof IsmPolicyError);
        assert.match(
          e.message,
          /step "ism policy" failed: PUT \/_plugins\/_ism\/policies\/security-events-retention conflicted \(HTTP 409\) 2 times: another writer/,
        );
        assert.ok(!e.message.includes("SECRET-RESPONSE-BODY"));
        return true;
      });
      assert.equal(server.requests.filter((r) => r.path.startsWith(ISM_PATH)).length, 4, "two rounds of GET and PUT, no more");
      assert.ok(!JSON.stringify(lines).includes("SECRET-RESPONSE-BODY"));
    });

    it("fails at once when the GET is refused, naming GET and the path", async () => {
      server.script = (r) => (r.method === "GET" ? 403 : undefined);
      await assert.rejects(handler()(INPUT), (e: unknown) => {
        assert.ok(e instanceof OpenSearchRequestError);
        assert.match(
          e.message,
          /step "ism policy read" \(GET \/_plugins\/_ism\/policies\/security-events-retention\) failed: HTTP 403.*es:ESHttpGet/,
        );
        return true;
      });
      assert.ok(!server.requests.some((r) => r.method === "PUT" && r.path.startsWith(ISM_PATH)));
    });
  });
});
