/** The whole stack config (both namespaces) in one report, what the stack as a whole needs, and placeholder ARNs. */
import * as pulumi from "@pulumi/pulumi";
import { awsConfigProblems } from "./aws";
import { ConfigProblem, PlatformConfigError } from "./errors";
import { PHI_BUCKET_PURPOSES } from "./grants";
import { parsePlatformConfig } from "./parse";
import { PlatformConfig, PROJECT_NAME } from "./schema";

/**
 * The whole stack config, both namespaces, in one report: `aws:` keys and every project key,
 * fully qualified. `secretKeys` (qualified) are values the offline plan cannot decrypt: they are
 * reported as such, not as malformed values.
 */
export function parseStackConfig(
  all: Readonly<Record<string, string>>,
  context: { stack: string; project?: string; secretKeys?: readonly string[] },
): PlatformConfig {
  const project = context.project ?? PROJECT_NAME;
  const prefix = `${project}:`;
  const secret = new Set((context.secretKeys ?? []).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)));
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(all)) {
    if (key.startsWith(prefix) && !secret.has(key.slice(prefix.length))) raw[key.slice(prefix.length)] = value;
  }
  const problems: ConfigProblem[] = [...awsConfigProblems(all), ...stackProblems(raw, prefix)];
  for (const key of secret) {
    problems.push({
      key: `${prefix}${key}`,
      message:
        "is encrypted (secure:); the offline plan cannot read secrets, and no key of this project holds one: " +
        `set it in plain text with \`pulumi config set ${key} <value>\``,
    });
  }
  try {
    const config = parsePlatformConfig(raw, { stack: context.stack, project, awsRegion: all["aws:region"] });
    if (problems.length > 0) throw new PlatformConfigError(problems, "");
    return config;
  } catch (err) {
    if (!(err instanceof PlatformConfigError) || err.problems === problems) throw err;
    const own = err.problems.filter((p) => !secret.has(p.key)).map((p) => ({ ...p, key: `${prefix}${p.key}` }));
    throw new PlatformConfigError([...problems, ...own], "");
  }
}

/**
 * What the whole stack needs beyond each key's own shape, reported with the other problems instead
 * of failing later in a component: the application tier (always built) needs `certificateArn`, and
 * a grant names only a bucket the stack has (the `*-replica` buckets exist only with a recoveryRegion).
 */
function stackProblems(raw: Readonly<Record<string, string>>, prefix: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!raw.certificateArn) {
    problems.push({
      key: `${prefix}certificateArn`,
      message:
        "is required: the application tier's HTTPS listener needs an ACM certificate of the stack's region. Set it with " +
        "`pulumi config set certificateArn arn:aws:acm:<region>:<account>:certificate/<id>` (docs/deploy.md, first deploy)",
    });
  }
  let grants: unknown;
  try {
    grants = raw.accessGrants === undefined ? [] : JSON.parse(raw.accessGrants);
  } catch {
    grants = []; // malformed JSON is reported by parsePlatformConfig
  }
  if (!raw.recoveryRegion && Array.isArray(grants)) {
    grants.forEach((g: unknown, i) => {
      const bucket = typeof g === "object" && g !== null && "bucket" in g ? g.bucket : undefined;
      if (typeof bucket === "string" && (PHI_BUCKET_PURPOSES as readonly string[]).includes(bucket) && bucket.endsWith("-replica")) {
        problems.push({
          key: `${prefix}accessGrants[${i}].bucket`,
          value: bucket,
          message:
            "is a bucket this stack does not have: the *-replica buckets exist only with a recoveryRegion; set one or grant the primary bucket",
        });
      }
    });
  }
  return problems;
}

/**
 * The example account of AWS's documentation, used by the committed stack files' placeholder ARNs
 * (certificateArn, grant principals) and by the offline plan's mock cloud as its caller identity.
 */
export const PLACEHOLDER_ACCOUNT = "123456789012";

/**
 * Placeholder ARNs a real deploy must not use: any ARN of {@link PLACEHOLDER_ACCOUNT} in the config
 * when the deploying identity (aws.getCallerIdentity) is another account. The offline plan runs as
 * that account, so placeholders pass there; `pulumi preview` and `pulumi up` against a real account
 * fail before the provider registers (index.ts). Keys are qualified with the project.
 */
export function placeholderProblems(config: PlatformConfig, callerAccount: string, project = PROJECT_NAME): ConfigProblem[] {
  if (callerAccount === PLACEHOLDER_ACCOUNT) return [];
  const placeholder = (arn: string | undefined) => arn !== undefined && arn.split(":")[4] === PLACEHOLDER_ACCOUNT;
  const problems: ConfigProblem[] = [];
  const how = `this deploy runs as account ${callerAccount}: replace it with your own (docs/deploy.md, first deploy)`;
  if (placeholder(config.application.certificateArn)) {
    problems.push({
      key: `${project}:certificateArn`,
      value: config.application.certificateArn,
      message: `is the committed placeholder (example account ${PLACEHOLDER_ACCOUNT}); request or import the certificate in ACM and set its ARN: ${how}`,
    });
  }
  config.accessGrants.forEach((g, i) => {
    if (placeholder(g.principal)) {
      problems.push({
        key: `${project}:accessGrants[${i}].principal`,
        value: g.principal,
        message: `is a placeholder of the example account ${PLACEHOLDER_ACCOUNT}; ${how}`,
      });
    }
  });
  return problems;
}

/**
 * Reads the running stack's config (every `healthcare-platform:*` key) and validates it.
 * Call once, from index.ts, before any resource is created.
 */
export function loadPlatformConfig(): PlatformConfig {
  return parseStackConfig(pulumi.runtime.allConfig(), { stack: pulumi.getStack(), project: pulumi.getProject() });
}
