import { CITES, hipaa } from "../lib/hipaa";
import { ResourceCtx, resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, list, str } from "../lib/util";
import { isAurora } from "./lib";

/** The requiredLogExports family of the database's engine; none for an Aurora member instance. */
function familyOf(ctx: ResourceCtx<{ requiredLogExports: Record<string, string[]> }>): string | undefined {
  const engine = str(get(ctx.props, "engine")) ?? "";
  if (ctx.type === T.rdsInstance && isAurora(engine)) {
    return undefined;
  }
  return Object.keys(ctx.config.requiredLogExports)
    .filter((k) => engine === k || engine.startsWith(`${k}-`))
    .sort((a, b) => b.length - a.length)[0];
}

export const rdsLoggingEnabled = resourcePolicy<{ requiredLogExports: Record<string, string[]> }>({
  name: "rds-logging-enabled",
  description: "RDS databases export their audit-relevant logs to CloudWatch Logs.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.audit, "164.308(a)(5)(ii)(C)"),
  cdkNag: ["RDSLoggingEnabled"],
  awsConfig: ["rds-logging-enabled"],
  resourceTypes: [T.rdsInstance, T.rdsCluster],
  config: {
    requiredLogExports: {
      type: "object",
      additionalProperties: { type: "array", items: { type: "string" } },
      default: {
        postgres: ["postgresql"],
        "aurora-postgresql": ["postgresql"],
        mysql: ["error", "general"],
        "aurora-mysql": ["audit", "error", "general"],
        mariadb: ["error", "general"],
        sqlserver: ["error", "agent"],
        oracle: ["alert", "audit", "listener"],
      },
      description: "Log types each engine family must export (engine -> enabledCloudwatchLogsExports).",
    },
  },
  remediationSteps:
    'Set `enabledCloudwatchLogsExports` (e.g. ["postgresql", "upgrade"] for PostgreSQL with ' +
    "log_connections/log_disconnections in the parameter group).",
  examines: [
    {
      // Aurora exports logs at the cluster level
      rule: "clusters and non-Aurora instances of an engine family requiredLogExports names",
      where: (ctx) => familyOf(ctx) !== undefined,
    },
  ],
  validate: (ctx, report) => {
    const engine = str(get(ctx.props, "engine")) ?? "";
    const family = familyOf(ctx) as string;
    const required = ctx.config.requiredLogExports[family];
    const exported = list(get(ctx.props, "enabledCloudwatchLogsExports")).map(String);
    const missing = required.filter((r) => !exported.includes(r));
    if (missing.length > 0) {
      report(`The ${engine} database does not export ${missing.join(", ")} logs to CloudWatch Logs.`);
    }
  },
});
