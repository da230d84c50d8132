/** The opensearch-config contract: input validation, request bodies, IAM actions and resources. */
import { strict as assert } from "assert";
import {
  DEFAULT_AUDIT_SETTINGS,
  OPENSEARCH_CONFIG_ACTIONS,
  OPENSEARCH_CONFIG_READ_ACTIONS,
  opensearchConfigReadResources,
  OPENSEARCH_CONFIG_HANDLER,
  OPENSEARCH_CONFIG_TIMEOUT_SECONDS,
  OpenSearchConfigInputError,
  opensearchConfigResources,
  parseOpenSearchConfigInput,
  planRequests,
  writerRoleBody,
} from "../../lambda/opensearch-config/contract";
import { INPUT } from "./fixtures";

function problemsOf(event: unknown): string[] {
  try {
    parseOpenSearchConfigInput(event);
  } catch (e) {
    assert.ok(e instanceof OpenSearchConfigInputError, `an input error, got ${String(e)}`);
    assert.ok(e.message.includes(`(${e.problems.length})`));
    return [...e.problems];
  }
  return [];
}

describe("opensearch-config contract", () => {
  it("accepts a complete input, sorts and de-duplicates backend roles, and fills in the audit defaults", () => {
    const firehose = INPUT.writer.backendRoles[0];
    const second = "arn:aws:iam::111122223333:role/a-second-stream";
    const parsed = parseOpenSearchConfigInput({
      ...INPUT,
      writer: { roleName: "security_events_writer", backendRoles: [firehose, second, firehose] },
    });
    assert.deepEqual(parsed.writer.backendRoles, [second, firehose]);
    assert.deepEqual(parsed.audit, DEFAULT_AUDIT_SETTINGS);
    assert.equal(parsed.lifecycleAction, "create");
    assert.equal(parsed.reader?.roleName, "security_events_reader");
  });

  it("accepts the newer aos endpoint form and the tf key of a CRUD Invocation", () => {
    const parsed = parseOpenSearchConfigInput({
      ...INPUT,
      endpoint: "vpc-analytics-abc123.aos.us-east-1.on.aws",
      tf: { action: "update", prev_input: {} },
    });
    assert.equal(parsed.lifecycleAction, "update");
    assert.deepEqual(problemsOf({ ...INPUT, tf: { action: "destroy" } }), [
      'tf.action must be create, update or delete (the key aws.lambda.Invocation adds with lifecycleScope CRUD), got "destroy"',
    ]);
  });

  it("lists every problem of a bad input in one error", () => {
    const problems = problemsOf({
      endpoint: "https://vpc-analytics-abc123.us-east-1.es.amazonaws.com/",
      region: "us-east",
      indexPattern: ".opendistro_security",
      writer: { roleName: "", backendRoles: [], extra: true },
      reader: "analysts",
      audit: { logRequestBody: true },
      typo: 1,
    });
    const expected = [
      /unknown key "typo"/,
      /^endpoint must be the domain endpoint hostname/,
      /^region must be an AWS region/,
      /^indexPattern must be a lowercase index name/,
      /^retentionDays is required: whole days from 1 to 2192 \(stack key eventIndexRetentionInDays\), got undefined/,
      /^writer has unknown key "extra"/,
      /^writer.roleName is required/,
      /^writer.backendRoles is required/,
      /^reader is required: an object/,
      /^audit has unknown key "logRequestBody".*request bodies are never logged/,
    ];
    assert.equal(problems.length, expected.length, problems.join("\n"));
    expected.forEach((re, i) => assert.match(problems[i], re));
    for (const bad of [0, 2193, 30.5, "30", "30d"])
      assert.deepEqual(
        problemsOf({ ...INPUT, retentionDays: bad }),
        [`retentionDays is required: whole days from 1 to 2192 (stack key eventIndexRetentionInDays), got ${JSON.stringify(bad)}`],
        `retentionDays ${JSON.stringify(bad)}`,
      );
    assert.equal(parseOpenSearchConfigInput({ ...INPUT, retentionDays: 2192 }).retentionDays, 2192);
    assert.equal(parseOpenSearchConfigInput({ ...INPUT, retentionDays: 1 }).retentionDays, 1);
    assert.deepEqual(problemsOf(null), ["the input must be a JSON object, got null"]);
    assert.deepEqual(problemsOf([INPUT]), ["the input must be a JSON object, got an array"]);
  });

  it("refuses predefined role names, wildcard or non-role principals, a shared principal, and a region that does not match the endpoint", () => {
    const problems = problemsOf({
      ...INPUT,
      region: "us-west-2",
      indexPattern: "*",
      writer: {
        roleName: "all_access",
        backendRoles: ["arn:aws:iam::111122223333:role/*x", "arn:aws:iam::111122223333:user/alice", INPUT.reader.backendRoles[0]],
      },
      reader: { roleName: "security_manager", backendRoles: ["*", INPUT.reader.backendRoles[0]] },
    });
    const expected = [
      /^region "us-west-2" does not match the endpoint's region "us-east-1"/,
      /^indexPattern must be/,
      /^writer.roleName "all_access" is a predefined role/,
      /^writer.backendRoles\[0\] must be IAM role ARNs/,
      /^writer.backendRoles\[1\] must be IAM role ARNs/,
      /^reader.roleName "security_manager" is a predefined role/,
      /^reader.backendRoles\[0\] must be IAM role or user ARNs/,
      /hcp-prod-analysts is mapped to both the writer and the reader role/,
    ];
    assert.equal(problems.length, expected.length, problems.join("\n"));
    expected.forEach((re, i) => assert.match(problems[i], re));
    assert.match(
      problemsOf({ ...INPUT, reader: { ...INPUT.reader, roleName: INPUT.writer.roleName } }).join("\n"),
      /reader.roleName must differ from writer.roleName/,
    );
  });

  it("refuses audit settings that would stop auditing or hide denied and failed access", () => {
    const problems = problemsOf({
      ...INPUT,
      audit: {
        enabled: false,
        disabledRestCategories: ["FAILED_LOGIN", "NOT_A_CATEGORY"],
        disabledTransportCategories: ["MISSING_PRIVILEGES"],
        ignoreUsers: ["*"],
        resolveBulkRequests: "yes",
      },
    });
    const expected = [
      /^audit.disabledRestCategories\[1\] must be one of FAILED_LOGIN/,
      /^audit.ignoreUsers\[0\] must be a user name or IAM ARN/,
      /^audit.resolveBulkRequests must be true or false/,
      /^audit logging cannot be turned off here/,
      /^audit.disabledRestCategories must not contain FAILED_LOGIN/,
      /^audit.disabledTransportCategories must not contain MISSING_PRIVILEGES/,
    ];
    assert.equal(problems.length, expected.length, problems.join("\n"));
    expected.forEach((re, i) => assert.match(problems[i], re));
    assert.match(
      problemsOf({ ...INPUT, audit: { enableRest: false, enableTransport: false } }).join("\n"),
      /audit logging cannot be turned off/,
    );
  });

  it("writes the writer's permissions on its own index pattern only: no manage, no delete-index, no other pattern", () => {
    const body = writerRoleBody("security-events-*");
    assert.deepEqual(
      body.index_permissions.flatMap((p) => p.index_patterns),
      ["security-events-*"],
    );
    const actions = body.index_permissions.flatMap((p) => p.allowed_actions);
    for (const broad of ["manage", "indices_all", "unlimited", "*", "indices:admin/delete", "indices:admin/*"])
      assert.ok(!actions.includes(broad), `no ${broad}`);
    assert.deepEqual(body.cluster_permissions, ["cluster_composite_ops", "cluster_monitor"]);
  });

  it("plans each role before its mapping and percent-encodes role names in paths", () => {
    const plan = planRequests(parseOpenSearchConfigInput({ ...INPUT, writer: { ...INPUT.writer, roleName: "writer.v2" } }));
    assert.deepEqual(
      plan.map((p) => `${p.method} ${p.path} (${p.step})`),
      [
        "PUT /_plugins/_security/api/roles/writer.v2 (writer role)",
        "PUT /_plugins/_security/api/rolesmapping/writer.v2 (writer role mapping)",
        "PUT /_plugins/_security/api/roles/security_events_reader (reader role)",
        "PUT /_plugins/_security/api/rolesmapping/security_events_reader (reader role mapping)",
        "PUT /_plugins/_security/api/audit/config (audit config)",
        "PUT /_index_template/security-events (index template)",
      ],
    );
  });

  it("asks IAM for es:ESHttpPut on exactly the role, mapping and audit-config paths it writes, no wildcard (defect 11)", () => {
    assert.deepEqual([...OPENSEARCH_CONFIG_ACTIONS], ["es:ESHttpPut"]);
    const domain = "arn:aws:es:us-east-1:111122223333:domain/hcp-prod-analytics";
    const request = parseOpenSearchConfigInput(INPUT);
    const names = [request.writer.roleName, ...(request.reader === undefined ? [] : [request.reader.roleName])];
    const resources = opensearchConfigResources(domain, names, request.indexPattern);
    assert.ok(!resources.some((r) => r.includes("*")), resources.join(", "));
    // The ISM policy's path (GET, then PUT: ism.ts) joins the planned PUTs; its query string is not part of the resource.
    const ism = `${domain}/_plugins/_ism/policies/security-events-retention`;
    assert.deepEqual(
      resources.sort(),
      [...planRequests(request).map((p) => `${domain}${p.path}`), ism].sort(),
      "exactly the paths of the planned requests and the ISM policy",
    );
    assert.deepEqual([...OPENSEARCH_CONFIG_READ_ACTIONS], ["es:ESHttpGet"]);
    assert.deepEqual(opensearchConfigReadResources(domain, request.indexPattern), [ism], "the one GET: the ISM policy's version");
    assert.equal(OPENSEARCH_CONFIG_HANDLER, "index.handler");
    assert.ok(OPENSEARCH_CONFIG_TIMEOUT_SECONDS >= 60 && OPENSEARCH_CONFIG_TIMEOUT_SECONDS <= 900);
  });
});
