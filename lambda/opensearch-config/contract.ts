/**
 * The contract between the opensearch-config Lambda and the Pulumi component that deploys it and
 * invokes it with `aws.lambda.Invocation` (components/security-events/): the invocation input and
 * its validator, the request bodies the function PUTs to the OpenSearch Security REST API, the
 * result document, the handler, timeout and the IAM actions of its execution role.
 *
 * Dependency-free on purpose: the Pulumi program imports it and must not pull the AWS SDK in.
 *
 * What the function does, and the documentation each step relies on:
 * - It runs in the VPC as the domain's fine-grained-access-control master user: its execution role
 *   ARN is the domain's `advancedSecurityOptions.masterUserOptions.masterUserArn`, which FGAC maps to
 *   `all_access` and `security_manager`, the roles allowed to use the `_plugins/_security` REST API
 *   (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html#fgac-master-user,
 *   https://docs.aws.amazon.com/opensearch-service/latest/developerguide/audit-logs.html, "your user role must be
 *   mapped to the security_manager role").
 * - Requests are signed with Signature Version 4, service `es`
 *   (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/request-signing.html).
 * - `PUT _plugins/_security/api/roles/<role>` creates or replaces a role
 *   (https://docs.opensearch.org/latest/security/api/roles/create-role/).
 * - `PUT _plugins/_security/api/rolesmapping/<role>` creates or replaces its mapping; with an IAM
 *   master user, IAM role ARNs are matched as backend roles
 *   (https://docs.opensearch.org/latest/security/api/role-mappings/create-role-mapping/,
 *   https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html#fgac-mapping).
 * - `PUT _plugins/_security/api/audit/config` turns audit logging on and replaces the whole audit
 *   and compliance configuration (https://docs.opensearch.org/latest/security/api/audit/update-audit-configuration/,
 *   https://docs.aws.amazon.com/opensearch-service/latest/developerguide/audit-logs.html#audit-log-rest-api). The
 *   domain must also publish AUDIT_LOGS to CloudWatch Logs (the component's `logPublishingOptions`).
 * - The event indices' ISM retention policy: GET, then create, update or leave it (ism.ts).
 * Every other request is a PUT that replaces the resource, so running the function twice with the same
 * input leaves the same state: the Invocation re-runs it whenever its input changes.
 */
import { INDEX_TEMPLATE_API, indexTemplateBody, indexTemplateName, ismPolicyPath, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from "./ism";

export { INDEX_TEMPLATE_API, indexTemplateBody, indexTemplateName } from "./ism";

// ---------------------------------------------------------------------------------------------
// Runtime and packaging
// ---------------------------------------------------------------------------------------------

/** `handler` setting of the function: the bundle is a single `index.js` exporting `handler`. */
export const OPENSEARCH_CONFIG_HANDLER = "index.handler";

/** Per-request socket timeout (connect, TLS and response). */
export const REQUEST_TIMEOUT_MS = 10_000;
/** Attempts per request: the first plus retries of 429, 5xx, timeouts and connection errors, with exponential backoff. */
export const MAX_ATTEMPTS = 5;
/** First backoff; doubled per retry (full jitter), capped at {@link MAX_BACKOFF_MS}. */
export const BASE_BACKOFF_MS = 500;
export const MAX_BACKOFF_MS = 8_000;

/**
 * Function timeout. Worst case: 5 requests x {@link MAX_ATTEMPTS} attempts x {@link REQUEST_TIMEOUT_MS}
 * plus backoffs (at most 0.5+1+2+4 s per request) is about 300 s; a healthy domain answers in well
 * under a second. `aws.lambda.Invocation` invokes synchronously (RequestResponse), which waits up to
 * the function timeout (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html).
 */
export const OPENSEARCH_CONFIG_TIMEOUT_SECONDS = 300;
/** Memory: the function sends five small requests; 256 MB keeps the cold start short. */
export const OPENSEARCH_CONFIG_MEMORY_MB = 256;

// ---------------------------------------------------------------------------------------------
// IAM
// ---------------------------------------------------------------------------------------------

/**
 * API actions of the execution role, on the domain's Security REST API paths only
 * ({@link opensearchConfigResources}); the component adds the log-group and VPC ENI permissions.
 * Only `es:ESHttpPut`: the function sends PUTs and nothing else (no read-back), so `es:ESHttpGet`
 * is left out (least privilege). The ESHttp* actions take `arn:aws:es:<region>:<account>:domain/<name>/<path>`
 * resources (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonopensearchservice.html,
 * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html#ac-reference).
 * FGAC decides the rest: the role must also be the domain's master user (see the file comment).
 */
export const OPENSEARCH_CONFIG_ACTIONS = ["es:ESHttpPut"] as const;
/** The one read: `es:ESHttpGet` on the ISM policy's path only ({@link opensearchConfigReadResources}), for its `_seq_no`/`_primary_term`. */
export const OPENSEARCH_CONFIG_READ_ACTIONS = ["es:ESHttpGet"] as const;

/** Security REST API paths the function writes, relative to the domain endpoint. */
export const SECURITY_API = {
  roles: "/_plugins/_security/api/roles/",
  rolesMapping: "/_plugins/_security/api/rolesmapping/",
  auditConfig: "/_plugins/_security/api/audit/config",
} as const;

/**
 * IAM resources for {@link OPENSEARCH_CONFIG_ACTIONS}: exactly the role and mapping paths of the roles
 * it writes, and the audit config; never `roles/*` or `rolesmapping/*`, which would let the role map
 * any backend role to `all_access` (the FGAC master user passes any FGAC check).
 */
export function opensearchConfigResources(domainArn: string, roleNames: readonly string[], indexPattern: string): string[] {
  return [
    `${domainArn}${INDEX_TEMPLATE_API}${encodeURIComponent(indexTemplateName(indexPattern))}`,
    ...roleNames.flatMap((r) => [
      `${domainArn}${SECURITY_API.roles}${encodeURIComponent(r)}`,
      `${domainArn}${SECURITY_API.rolesMapping}${encodeURIComponent(r)}`,
    ]),
    `${domainArn}${SECURITY_API.auditConfig}`,
    ...opensearchConfigReadResources(domainArn, indexPattern),
  ];
}

/** IAM resources for {@link OPENSEARCH_CONFIG_READ_ACTIONS}: the ISM policy's exact path (also PUT above; IAM ignores the query string). */
export function opensearchConfigReadResources(domainArn: string, indexPattern: string): string[] {
  return [`${domainArn}${ismPolicyPath(indexPattern)}`];
}

// ---------------------------------------------------------------------------------------------
// Invocation input
// ---------------------------------------------------------------------------------------------

/**
 * Audit-log settings. Only the choices an operator makes are inputs; the privacy settings are
 * fixed: request bodies are never logged (`log_request_body: false`), compliance read/write events
 * carry metadata only, no update diffs, and sensitive headers are excluded, because documents and
 * bulk bodies hold object keys, which may identify patients.
 */
export interface AuditSettings {
  /** Audit logging on. @default true */
  readonly enabled: boolean;
  /** Audit the REST layer. @default true */
  readonly enableRest: boolean;
  /** Audit the transport layer. @default true */
  readonly enableTransport: boolean;
  /** Categories not logged on the REST layer. @default ["AUTHENTICATED", "GRANTED_PRIVILEGES"] (OpenSearch's default) */
  readonly disabledRestCategories: readonly AuditCategory[];
  /** Categories not logged on the transport layer. @default ["AUTHENTICATED", "GRANTED_PRIVILEGES"] */
  readonly disabledTransportCategories: readonly AuditCategory[];
  /** Users (OpenSearch user names or IAM ARNs, wildcards allowed) not audited. @default [] */
  readonly ignoreUsers: readonly string[];
  /** Log each operation of a bulk request (one line per document written by Firehose: costly). @default false */
  readonly resolveBulkRequests: boolean;
  /** Compliance logging (security configuration changes, watched reads and writes). @default true */
  readonly complianceEnabled: boolean;
  /** Index patterns whose document writes are logged (metadata only). @default [] */
  readonly writeWatchedIndices: readonly string[];
}

/** Audit categories (https://docs.opensearch.org/latest/security/audit-logs/index/#tracked-events). */
export const AUDIT_CATEGORIES = [
  "FAILED_LOGIN",
  "AUTHENTICATED",
  "MISSING_PRIVILEGES",
  "GRANTED_PRIVILEGES",
  "SSL_EXCEPTION",
  "BAD_HEADERS",
  "INDEX_EVENT",
  "OPENDISTRO_SECURITY_INDEX_ATTEMPT",
  "CLUSTER_SETTINGS_CHANGED",
  "INDEX_SETTINGS_CHANGED",
] as const;
export type AuditCategory = (typeof AUDIT_CATEGORIES)[number];
/** Categories that may never be disabled here: a denied or failed access must always leave a trace. */
export const REQUIRED_AUDIT_CATEGORIES: readonly AuditCategory[] = ["FAILED_LOGIN", "MISSING_PRIVILEGES"];

export const DEFAULT_AUDIT_SETTINGS: AuditSettings = Object.freeze<AuditSettings>({
  enabled: true,
  enableRest: true,
  enableTransport: true,
  disabledRestCategories: ["AUTHENTICATED", "GRANTED_PRIVILEGES"],
  disabledTransportCategories: ["AUTHENTICATED", "GRANTED_PRIVILEGES"],
  ignoreUsers: [],
  resolveBulkRequests: false,
  complianceEnabled: true,
  writeWatchedIndices: [],
});

/** One OpenSearch role and the IAM principals mapped to it as backend roles. */
export interface RoleGrant {
  /** The OpenSearch role name (created or replaced). */
  readonly roleName: string;
  /** IAM role (or, for readers, user) ARNs mapped to it. */
  readonly backendRoles: readonly string[];
}

/** The `aws.lambda.Invocation` input, as the component writes it (JSON). */
export interface OpenSearchConfigInput {
  /** The domain's VPC endpoint hostname (`vpc-...<region>.es.amazonaws.com`), no scheme or path. */
  readonly endpoint: string;
  /** The domain's region (the SigV4 signing region). */
  readonly region: string;
  /** The index pattern the writer may write and readers may read, such as `security-events-*`. */
  readonly indexPattern: string;
  /** Days before ISM deletes an event index (stack key `eventIndexRetentionInDays`), 1 to 2192. */
  readonly retentionDays: number;
  /** The write-only role for the delivery stream and the Firehose role ARN(s) mapped to it. */
  readonly writer: RoleGrant;
  /** Optional read-only role on the same pattern (analysts). */
  readonly reader?: RoleGrant;
  /** Partial settings, merged over {@link DEFAULT_AUDIT_SETTINGS}. */
  readonly audit?: Partial<AuditSettings>;
}

/** The validated input, audit settings complete. */
export interface OpenSearchConfigRequest {
  readonly endpoint: string;
  readonly region: string;
  readonly indexPattern: string;
  readonly retentionDays: number;
  readonly writer: RoleGrant;
  readonly reader?: RoleGrant;
  readonly audit: AuditSettings;
  /** `tf.action` when the Invocation uses `lifecycleScope: "CRUD"`; a `delete` changes nothing. @default "create" */
  readonly lifecycleAction: "create" | "update" | "delete";
}

/** Thrown for an input that cannot be used; names every problem at once. */
export class OpenSearchConfigInputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`opensearch-config input is invalid (${problems.length}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "OpenSearchConfigInputError";
  }
}

/**
 * Roles predefined by the Security plugin or by OpenSearch Service. Writing one of them would
 * replace its mapping (the master user's `all_access` / `security_manager` mapping among them) and
 * could lock the operator out, so they are refused as role names
 * (https://docs.opensearch.org/latest/security/access-control/users-roles/#predefined-roles).
 */
export const RESERVED_ROLE_NAMES = [
  "all_access",
  "security_manager",
  "readall",
  "readall_and_monitor",
  "kibana_user",
  "kibana_server",
  "kibana_read_only",
  "opensearch_dashboards_user",
  "opensearch_dashboards_read_only",
  "manage_snapshots",
  "logstash",
  "alerting_full_access",
  "alerting_read_access",
  "security_rest_api_access",
  "security_rest_api_full_access",
] as const;

/** Endpoint hostnames of OpenSearch Service domains (https://docs.aws.amazon.com/general/latest/gr/opensearch-service.html). */
/** IPv4 endpoints end in `<region>.es.amazonaws.com`, dual-stack ones in `aos.<region>.on.aws`; group 1 or 2 is the region. */
const ENDPOINT =
  /^(?:vpc|search)-[a-z0-9-]+\.(?:([a-z]{2}(?:-gov)?-[a-z]+-\d)\.es\.amazonaws\.com(?:\.cn)?|aos\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.on\.aws)$/;
const REGION = /^[a-z]{2}(?:-gov)?-[a-z]+-\d$/;
/** Lowercase index names (no leading `_`, `-`, `+` or `.`), one trailing `*` at most (https://docs.opensearch.org/latest/api-reference/index-apis/create-index/#index-naming-restrictions). */
const INDEX_PATTERN = /^[a-z0-9][a-z0-9_.+-]{0,200}\*?$/;
const ROLE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(?:role|user)\/[\w+=,.@/-]{1,512}$/;
const AUDIT_USER = /^[\w+=,.@/:*-]{1,512}$/;

const INPUT_KEYS = ["endpoint", "region", "indexPattern", "retentionDays", "writer", "reader", "audit", "tf"];
const GRANT_KEYS = ["roleName", "backendRoles"];
const AUDIT_KEYS = Object.keys(DEFAULT_AUDIT_SETTINGS);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Validates the invocation event and fills in the audit defaults. Throws one
 * {@link OpenSearchConfigInputError} listing every problem. Accepts the `tf` key that
 * `aws.lambda.Invocation` adds with `lifecycleScope: "CRUD"` (its `action`: create, update, delete).
 */
export function parseOpenSearchConfigInput(event: unknown): OpenSearchConfigRequest {
  const problems: string[] = [];
  if (!isRecord(event))
    throw new OpenSearchConfigInputError([
      `the input must be a JSON object, got ${event === null ? "null" : Array.isArray(event) ? "an array" : typeof event}`,
    ]);
  for (const key of Object.keys(event))
    if (!INPUT_KEYS.includes(key)) problems.push(`unknown key ${JSON.stringify(key)} (expected ${INPUT_KEYS.join(", ")})`);

  const str = (value: unknown, at: string, pattern: RegExp, shape: string): string => {
    if (typeof value !== "string" || value === "") {
      problems.push(`${at} is required: ${shape}`);
      return "";
    }
    if (!pattern.test(value)) problems.push(`${at} must be ${shape}, got ${JSON.stringify(value)}`);
    return value;
  };

  const endpoint = str(
    event.endpoint,
    "endpoint",
    ENDPOINT,
    "the domain endpoint hostname without scheme or path, such as vpc-analytics-abc123.us-east-1.es.amazonaws.com",
  );
  const region = str(event.region, "region", REGION, "an AWS region such as us-east-1");
  const endpointMatch = ENDPOINT.exec(endpoint);
  const endpointRegion = endpointMatch?.[1] ?? endpointMatch?.[2];
  if (endpointRegion !== undefined && REGION.test(region) && endpointRegion !== region) {
    problems.push(
      `region ${JSON.stringify(region)} does not match the endpoint's region ${JSON.stringify(endpointRegion)} (requests would be signed for the wrong region)`,
    );
  }
  const indexPattern = str(
    event.indexPattern,
    "indexPattern",
    INDEX_PATTERN,
    "a lowercase index name or prefix with one trailing * (such as security-events-*), not * alone and not a system index",
  );

  const retentionDays = event.retentionDays as number;
  if (!Number.isSafeInteger(retentionDays) || retentionDays < MIN_RETENTION_DAYS || retentionDays > MAX_RETENTION_DAYS)
    problems.push(
      `retentionDays is required: whole days from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS} (stack key eventIndexRetentionInDays), got ${JSON.stringify(event.retentionDays)}`,
    );

  const grant = (value: unknown, at: string, arn: RegExp, arnShape: string): RoleGrant => {
    if (!isRecord(value)) {
      problems.push(`${at} is required: an object { roleName, backendRoles }`);
      return { roleName: "", backendRoles: [] };
    }
    for (const key of Object.keys(value))
      if (!GRANT_KEYS.includes(key)) problems.push(`${at} has unknown key ${JSON.stringify(key)} (expected ${GRANT_KEYS.join(", ")})`);
    const roleName = str(
      value.roleName,
      `${at}.roleName`,
      ROLE_NAME,
      "an OpenSearch role name (1-128 of A-Z a-z 0-9 _ . -, starting with a letter or digit)",
    );
    if ((RESERVED_ROLE_NAMES as readonly string[]).includes(roleName)) {
      problems.push(
        `${at}.roleName ${JSON.stringify(roleName)} is a predefined role: replacing its mapping could lock the master user out; choose another name`,
      );
    }
    const backendRoles: string[] = [];
    if (!Array.isArray(value.backendRoles) || value.backendRoles.length === 0) {
      problems.push(`${at}.backendRoles is required: a non-empty array of ${arnShape}`);
    } else {
      value.backendRoles.forEach((r, i) => {
        if (typeof r !== "string" || !arn.test(r))
          problems.push(`${at}.backendRoles[${i}] must be ${arnShape} (no wildcard), got ${JSON.stringify(r)}`);
        else if (!backendRoles.includes(r)) backendRoles.push(r);
      });
    }
    return { roleName, backendRoles: backendRoles.sort() };
  };
  const writer = grant(event.writer, "writer", IAM_ROLE_ARN, "IAM role ARNs (the delivery stream's role)");
  const reader = event.reader === undefined ? undefined : grant(event.reader, "reader", IAM_PRINCIPAL_ARN, "IAM role or user ARNs");
  if (reader !== undefined && reader.roleName !== "" && reader.roleName === writer.roleName)
    problems.push(`reader.roleName must differ from writer.roleName (${JSON.stringify(writer.roleName)})`);
  if (reader !== undefined) {
    for (const arn of reader.backendRoles) {
      if (writer.backendRoles.includes(arn))
        problems.push(`${arn} is mapped to both the writer and the reader role: the delivery role writes only, analysts read only`);
    }
  }

  const audit = parseAudit(event.audit, problems);

  let lifecycleAction: OpenSearchConfigRequest["lifecycleAction"] = "create";
  if (event.tf !== undefined) {
    const action = isRecord(event.tf) ? event.tf.action : undefined;
    if (action === "create" || action === "update" || action === "delete") lifecycleAction = action;
    else
      problems.push(
        `tf.action must be create, update or delete (the key aws.lambda.Invocation adds with lifecycleScope CRUD), got ${JSON.stringify(action)}`,
      );
  }

  if (problems.length > 0) throw new OpenSearchConfigInputError(problems);
  return Object.freeze({
    endpoint,
    region,
    indexPattern,
    retentionDays,
    writer,
    ...(reader === undefined ? {} : { reader }),
    audit,
    lifecycleAction,
  });
}

function parseAudit(value: unknown, problems: string[]): AuditSettings {
  if (value === undefined) return DEFAULT_AUDIT_SETTINGS;
  if (!isRecord(value)) {
    problems.push("audit must be an object of audit settings (or absent for the defaults)");
    return DEFAULT_AUDIT_SETTINGS;
  }
  for (const key of Object.keys(value)) {
    if (!AUDIT_KEYS.includes(key))
      problems.push(`audit has unknown key ${JSON.stringify(key)} (expected ${AUDIT_KEYS.join(", ")}; request bodies are never logged)`);
  }
  const bool = (key: keyof AuditSettings): boolean => {
    const v = value[key];
    if (v === undefined) return DEFAULT_AUDIT_SETTINGS[key] as boolean;
    if (typeof v !== "boolean") problems.push(`audit.${key} must be true or false, got ${JSON.stringify(v)}`);
    return v === true;
  };
  const list = (key: keyof AuditSettings, ok: (s: string) => boolean, shape: string): string[] => {
    const v = value[key];
    if (v === undefined) return [...(DEFAULT_AUDIT_SETTINGS[key] as readonly string[])];
    if (!Array.isArray(v)) {
      problems.push(`audit.${key} must be an array of ${shape}`);
      return [];
    }
    const out: string[] = [];
    v.forEach((s, i) => {
      if (typeof s !== "string" || !ok(s)) problems.push(`audit.${key}[${i}] must be ${shape}, got ${JSON.stringify(s)}`);
      else if (!out.includes(s)) out.push(s);
    });
    return out.sort();
  };
  const category = (s: string) => (AUDIT_CATEGORIES as readonly string[]).includes(s);
  const categoryShape = `one of ${AUDIT_CATEGORIES.join(", ")}`;
  const settings: AuditSettings = {
    enabled: bool("enabled"),
    enableRest: bool("enableRest"),
    enableTransport: bool("enableTransport"),
    disabledRestCategories: list("disabledRestCategories", category, categoryShape) as AuditCategory[],
    disabledTransportCategories: list("disabledTransportCategories", category, categoryShape) as AuditCategory[],
    ignoreUsers: list("ignoreUsers", (s) => AUDIT_USER.test(s) && s !== "*", "a user name or IAM ARN (wildcards allowed, not * alone)"),
    resolveBulkRequests: bool("resolveBulkRequests"),
    complianceEnabled: bool("complianceEnabled"),
    writeWatchedIndices: list("writeWatchedIndices", (s) => INDEX_PATTERN.test(s), "a lowercase index name or prefix with one trailing *"),
  };
  if (!settings.enabled || (!settings.enableRest && !settings.enableTransport)) {
    problems.push(
      "audit logging cannot be turned off here (audit.enabled and at least one of enableRest, enableTransport must be true): HIPAA 164.312(b) audit controls",
    );
  }
  for (const key of ["disabledRestCategories", "disabledTransportCategories"] as const) {
    for (const c of REQUIRED_AUDIT_CATEGORIES)
      if (settings[key].includes(c)) problems.push(`audit.${key} must not contain ${c}: denied and failed accesses are always audited`);
  }
  return settings;
}

// ---------------------------------------------------------------------------------------------
// Request bodies
// ---------------------------------------------------------------------------------------------

/**
 * Cluster permissions of the writer: AWS documents `cluster_composite_ops` (the `_bulk` API
 * Firehose uses) and `cluster_monitor` for a Firehose role
 * (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html#fgac-integrations).
 */
export const WRITER_CLUSTER_PERMISSIONS = ["cluster_composite_ops", "cluster_monitor"] as const;
/**
 * Index permissions of the writer on its pattern only. AWS's example grants `crud`, `create_index`
 * and `manage`; `manage` (`indices:admin/*`) would also let the stream delete or close indices, so
 * the one administrative action indexing needs, `indices:admin/mapping/put` (dynamic mapping
 * updates), is named instead (already in `crud` and `create_index`; explicit for the reader of the
 * role). `create_index` covers the daily/hourly indices of Firehose's index rotation
 * (https://docs.opensearch.org/latest/security/access-control/default-action-groups/,
 * https://docs.aws.amazon.com/firehose/latest/dev/basic-deliver.html#es-index-rotation).
 */
export const WRITER_INDEX_ACTIONS = ["crud", "create_index", "indices:admin/mapping/put"] as const;
/** Reader: read-only index actions on the same pattern, and the read-only composite operations (`_msearch`, `_mget`). */
export const READER_CLUSTER_PERMISSIONS = ["cluster_composite_ops_ro"] as const;
export const READER_INDEX_ACTIONS = ["read"] as const;

/** The role body of `PUT _plugins/_security/api/roles/<name>`. */
export interface RoleBody {
  readonly description: string;
  readonly cluster_permissions: readonly string[];
  readonly index_permissions: readonly { readonly index_patterns: readonly string[]; readonly allowed_actions: readonly string[] }[];
}

/** The role mapping body of `PUT _plugins/_security/api/rolesmapping/<name>`. */
export interface RoleMappingBody {
  readonly description: string;
  readonly backend_roles: readonly string[];
  readonly users: readonly string[];
  readonly hosts: readonly string[];
}

const MANAGED = "Managed by the platform's opensearch-config function (Pulumi); edits are replaced on the next deployment.";

export function writerRoleBody(indexPattern: string): RoleBody {
  return {
    description: `Write-only access to ${indexPattern} for the security-event delivery stream. ${MANAGED}`,
    cluster_permissions: [...WRITER_CLUSTER_PERMISSIONS],
    index_permissions: [{ index_patterns: [indexPattern], allowed_actions: [...WRITER_INDEX_ACTIONS] }],
  };
}

export function readerRoleBody(indexPattern: string): RoleBody {
  return {
    description: `Read-only access to ${indexPattern}. ${MANAGED}`,
    cluster_permissions: [...READER_CLUSTER_PERMISSIONS],
    index_permissions: [{ index_patterns: [indexPattern], allowed_actions: [...READER_INDEX_ACTIONS] }],
  };
}

/** Backend roles only: no internal users, and no hosts (host mapping does not work for VPC domains; fgac.html#fgac-limitations). */
export function roleMappingBody(grant: RoleGrant): RoleMappingBody {
  return { description: MANAGED, backend_roles: [...grant.backendRoles], users: [], hosts: [] };
}

/** The body of `PUT _plugins/_security/api/audit/config`: the complete configuration (PUT replaces it). */
export function auditConfigBody(settings: AuditSettings): Record<string, unknown> {
  return {
    enabled: settings.enabled,
    audit: {
      enable_rest: settings.enableRest,
      enable_transport: settings.enableTransport,
      disabled_rest_categories: [...settings.disabledRestCategories],
      disabled_transport_categories: [...settings.disabledTransportCategories],
      ignore_users: [...settings.ignoreUsers],
      ignore_requests: [],
      resolve_bulk_requests: settings.resolveBulkRequests,
      log_request_body: false,
      resolve_indices: true,
      exclude_sensitive_headers: true,
    },
    compliance: {
      enabled: settings.complianceEnabled,
      internal_config: true,
      external_config: false,
      read_metadata_only: true,
      read_watched_fields: {},
      read_ignore_users: [],
      write_metadata_only: true,
      write_log_diffs: false,
      write_watched_indices: [...settings.writeWatchedIndices],
      write_ignore_users: [],
    },
  };
}

/** One request of a run, in order. `step` names it in logs and errors. */
export interface PlannedRequest {
  readonly step: string;
  readonly method: "GET" | "PUT";
  readonly path: string;
  readonly body: unknown;
}

/**
 * The requests a run sends, in order: each role before its mapping (a mapping may not name a
 * missing role), writer first, then the audit configuration. Role names are path segments,
 * percent-encoded (the validator already limits them to unreserved characters).
 */
export function planRequests(request: OpenSearchConfigRequest): PlannedRequest[] {
  const out: PlannedRequest[] = [];
  const role = (grant: RoleGrant, body: RoleBody, kind: string) => {
    const name = encodeURIComponent(grant.roleName);
    out.push({ step: `${kind} role`, method: "PUT", path: `${SECURITY_API.roles}${name}`, body });
    out.push({ step: `${kind} role mapping`, method: "PUT", path: `${SECURITY_API.rolesMapping}${name}`, body: roleMappingBody(grant) });
  };
  role(request.writer, writerRoleBody(request.indexPattern), "writer");
  if (request.reader !== undefined) role(request.reader, readerRoleBody(request.indexPattern), "reader");
  out.push({ step: "audit config", method: "PUT", path: SECURITY_API.auditConfig, body: auditConfigBody(request.audit) });
  out.push({
    step: "index template",
    method: "PUT",
    path: `${INDEX_TEMPLATE_API}${encodeURIComponent(indexTemplateName(request.indexPattern))}`,
    body: indexTemplateBody(request.indexPattern),
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Result
// ---------------------------------------------------------------------------------------------

/** The function's response: the Invocation's `result` (JSON). No credentials, no response bodies. */
export interface OpenSearchConfigResult {
  readonly endpoint: string;
  readonly indexPattern: string;
  /** `skipped-delete` when the CRUD Invocation is being deleted (nothing is changed). */
  readonly outcome: "applied" | "skipped-delete";
  readonly roles: readonly {
    readonly kind: "writer" | "reader";
    readonly roleName: string;
    readonly clusterPermissions: readonly string[];
    readonly indexActions: readonly string[];
    readonly backendRoles: readonly string[];
  }[];
  readonly audit?: AuditSettings;
  /** Days before ISM deletes an event index (absent when skipped). */
  readonly retentionDays?: number;
  /** HTTP status of each step (200 replaced, 201 created), in order; the ISM step also says what it did. */
  readonly steps: readonly {
    readonly step: string;
    readonly status: number;
    readonly attempts: number;
    readonly action?: "created" | "updated" | "unchanged";
  }[];
}
