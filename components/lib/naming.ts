/**
 * Physical names: deterministic, carrying the stack, and within each AWS service's limits.
 *
 * Every name is `hcp-<stack>-<purpose>` cleaned to the service's character set. When that is too
 * long, it is cut and ends in the first 8 hex digits of the SHA-256 of the full name, so two long
 * names never collide by truncation and the same input always gives the same name.
 */
import { createHash } from "crypto";

export const NAME_PREFIX = "hcp";

interface NameRule {
  readonly min: number;
  readonly max: number;
  /** Characters that are not allowed become '-'. */
  readonly disallowed: RegExp;
  readonly lowercase: boolean;
  /** Separator between parts. */
  readonly separator: string;
}

/** AWS limits per service (the documented ones; see each service's API reference). */
export const NAME_RULES = {
  /** S3 bucket: 3-63, lowercase letters, digits, hyphens (no dots: TLS on virtual-host URLs). */
  s3Bucket: { min: 3, max: 63, disallowed: /[^a-z0-9-]/g, lowercase: true, separator: "-" },
  /** IAM role: 1-64 of [\w+=,.@-]. */
  iamRole: { min: 1, max: 64, disallowed: /[^A-Za-z0-9+=,.@_-]/g, lowercase: false, separator: "-" },
  /** OpenSearch domain: 3-28, starts with a lowercase letter, then [a-z0-9-]. */
  openSearchDomain: { min: 3, max: 28, disallowed: /[^a-z0-9-]/g, lowercase: true, separator: "-" },
  /** Lambda function: 1-64 of [A-Za-z0-9-_]. */
  lambdaFunction: { min: 1, max: 64, disallowed: /[^A-Za-z0-9_-]/g, lowercase: false, separator: "-" },
  /** CloudWatch log group: 1-512 of [\w.\-/#]. */
  logGroup: { min: 1, max: 512, disallowed: /[^A-Za-z0-9_./#-]/g, lowercase: false, separator: "/" },
  /** SQS queue: 1-80 of [A-Za-z0-9-_]. */
  sqsQueue: { min: 1, max: 80, disallowed: /[^A-Za-z0-9_-]/g, lowercase: false, separator: "-" },
  /** SNS topic: 1-256 of [A-Za-z0-9-_]. */
  snsTopic: { min: 1, max: 256, disallowed: /[^A-Za-z0-9_-]/g, lowercase: false, separator: "-" },
  /** DynamoDB table: 3-255 of [A-Za-z0-9_.-]. */
  dynamoTable: { min: 3, max: 255, disallowed: /[^A-Za-z0-9_.-]/g, lowercase: false, separator: "-" },
  /** CloudTrail trail: 3-128 of [A-Za-z0-9._-]. */
  trail: { min: 3, max: 128, disallowed: /[^A-Za-z0-9._-]/g, lowercase: false, separator: "-" },
  /** KMS alias name after "alias/": 1-250 of [A-Za-z0-9/_-]. */
  kmsAlias: { min: 1, max: 250, disallowed: /[^A-Za-z0-9/_-]/g, lowercase: false, separator: "-" },
  /** Step Functions state machine: 1-80. */
  stateMachine: { min: 1, max: 80, disallowed: /[^A-Za-z0-9_-]/g, lowercase: false, separator: "-" },
  /** Firehose delivery stream: 1-64 of [A-Za-z0-9_.-]. */
  firehoseStream: { min: 1, max: 64, disallowed: /[^A-Za-z0-9_.-]/g, lowercase: false, separator: "-" },
  /** Glue database: 1-255, lowercase letters, digits, underscores (Athena-friendly). */
  glueDatabase: { min: 1, max: 255, disallowed: /[^a-z0-9_]/g, lowercase: true, separator: "_" },
  /** Athena workgroup: 1-128 of [A-Za-z0-9._-]. */
  athenaWorkgroup: { min: 1, max: 128, disallowed: /[^A-Za-z0-9._-]/g, lowercase: false, separator: "-" },
  /** EventBridge rule: 1-64 of [.\-_A-Za-z0-9]. */
  eventRule: { min: 1, max: 64, disallowed: /[^A-Za-z0-9._-]/g, lowercase: false, separator: "-" },
  /** CloudWatch alarm and metric filter names (1-255). */
  alarm: { min: 1, max: 255, disallowed: /[^A-Za-z0-9._-]/g, lowercase: false, separator: "-" },
  /** SSM parameter path segment (the full name is built by {@link ssmParameterName}). */
  ssmParameter: { min: 1, max: 1011, disallowed: /[^A-Za-z0-9_./-]/g, lowercase: false, separator: "/" },
  /** Secrets Manager secret: 1-512 of [A-Za-z0-9/_+=.@-]. */
  secret: { min: 1, max: 512, disallowed: /[^A-Za-z0-9/_+=.@-]/g, lowercase: false, separator: "/" },
  /**
   * AWS Backup vault (2-50 of [A-Za-z0-9_-]), backup plan and selection names (1-50, which also
   * allow '.'): the vault's rule, the narrowest, serves all three.
   */
  backup: { min: 2, max: 50, disallowed: /[^A-Za-z0-9_-]/g, lowercase: false, separator: "-" },
  /** CloudWatch Logs resource policy name (1-255). */
  logResourcePolicy: { min: 1, max: 255, disallowed: /[^A-Za-z0-9._-]/g, lowercase: false, separator: "-" },
  /** Security group name (1-255) and other EC2 names. */
  securityGroup: { min: 1, max: 255, disallowed: /[^A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g, lowercase: false, separator: "-" },
  // --- The application tier (components/application/).
  /** Application Load Balancer: 1-32 of [A-Za-z0-9-], no leading or trailing hyphen (ELBv2 CreateLoadBalancer). */
  loadBalancer: { min: 1, max: 32, disallowed: /[^A-Za-z0-9-]/g, lowercase: false, separator: "-" },
  /** ELB target group: 1-32 of [A-Za-z0-9-], no leading or trailing hyphen (ELBv2 CreateTargetGroup). */
  targetGroup: { min: 1, max: 32, disallowed: /[^A-Za-z0-9-]/g, lowercase: false, separator: "-" },
  /** WAFv2 web ACL and its rules' metric names: 1-128 of [\w-] (WAFV2 CreateWebACL). */
  webAcl: { min: 1, max: 128, disallowed: /[^A-Za-z0-9_-]/g, lowercase: false, separator: "-" },
  /** RDS DB instance identifier: 1-63 lowercase letters, digits, hyphens, starting with a letter (RDS CreateDBInstance). */
  rdsInstance: { min: 1, max: 63, disallowed: /[^a-z0-9-]/g, lowercase: true, separator: "-" },
  /** RDS DB parameter group and DB subnet group: 1-255, lowercase letters, digits, hyphens (both APIs' common subset). */
  rdsGroup: { min: 1, max: 255, disallowed: /[^a-z0-9-]/g, lowercase: true, separator: "-" },
  /** EC2 launch template: 3-128 of [A-Za-z0-9()./_-] (EC2 CreateLaunchTemplate). */
  launchTemplate: { min: 3, max: 128, disallowed: /[^A-Za-z0-9()./_-]/g, lowercase: false, separator: "-" },
  /** Auto Scaling group: 1-255 (EC2 Auto Scaling CreateAutoScalingGroup). */
  autoScalingGroup: { min: 1, max: 255, disallowed: /[^A-Za-z0-9._-]/g, lowercase: false, separator: "-" },
  /** IAM group, instance profile and customer-managed policy: 1-128 of [\w+=,.@-]. */
  iamGroup: { min: 1, max: 128, disallowed: /[^A-Za-z0-9+=,.@_-]/g, lowercase: false, separator: "-" },
  /** Suffix of a service-linked role (`AWSServiceRoleFor<Service>_<suffix>`): the role name's limit of 64 leaves 34 with Auto Scaling's prefix. */
  serviceLinkedRoleSuffix: { min: 1, max: 34, disallowed: /[^A-Za-z0-9+=,.@_-]/g, lowercase: false, separator: "-" },
} as const satisfies Record<string, NameRule>;

export type NameKind = keyof typeof NAME_RULES;

/** Stack-scoped name of `kind` for `purpose`, e.g. physicalName("dev", "s3Bucket", "phi-data"). */
export function physicalName(stack: string, kind: NameKind, ...purpose: string[]): string {
  const rule: NameRule = NAME_RULES[kind];
  if (purpose.length === 0 || purpose.some((p) => p.length === 0)) {
    throw new Error(`physicalName(${kind}): every purpose part must be non-empty, got ${JSON.stringify(purpose)}`);
  }
  const parts = [NAME_PREFIX, stack, ...purpose];
  let name = parts.join(rule.separator);
  if (rule.lowercase) name = name.toLowerCase();
  name = name.replace(rule.disallowed, rule.separator === "_" ? "_" : "-");
  // Collapse runs of separators and trim them from the ends.
  name = name
    .replace(/-{2,}/g, "-")
    .replace(/_{2,}/g, "_")
    .replace(/^[-_]+|[-_]+$/g, "");
  if (name.length > rule.max) {
    const hash = createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 8);
    const sep = rule.separator === "/" ? "-" : rule.separator;
    name = `${name.slice(0, rule.max - hash.length - 1).replace(/[-_/.]+$/, "")}${sep}${hash}`;
  }
  if (name.length < rule.min) {
    throw new Error(`physicalName(${kind}): "${name}" is shorter than ${rule.min} characters; use a longer purpose`);
  }
  return name;
}

/**
 * Globally unique S3 bucket name: `hcp-<stack>-<purpose>-<account>-<region>`, shortened with a
 * hash when over 63 characters. S3 names are global, so the account and region make them unique.
 */
export function bucketName(stack: string, purpose: string, accountId: string, region: string): string {
  return physicalName(stack, "s3Bucket", purpose, accountId, region);
}

/** KMS alias: `alias/hcp-<stack>-<purpose>`. */
export function kmsAliasName(stack: string, purpose: string): string {
  return `alias/${physicalName(stack, "kmsAlias", purpose)}`;
}

/** CloudWatch log group under the platform's own tree: `/hcp/<stack>/<purpose...>`. */
export function logGroupName(stack: string, ...purpose: string[]): string {
  return `/${physicalName(stack, "logGroup", ...purpose)}`;
}

/** Lambda log group, the name Lambda itself writes to: `/aws/lambda/<function>`. */
export function lambdaLogGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** SSM parameter: `/hcp/<stack>/<purpose...>`. */
export function ssmParameterName(stack: string, ...purpose: string[]): string {
  return `/${physicalName(stack, "ssmParameter", ...purpose)}`;
}

/**
 * The pattern (one trailing `*`) matching every name `physicalName(stack, kind, ...)` gives, for
 * ARN and encryption-context conditions: derived from physicalName itself, so the name and its
 * pattern cannot disagree (stack names such as `a--b` or `x_` are cleaned the same way).
 * Throws when the stack name is so long that a shortened name could lose the common prefix.
 */
export function stackNamePattern(stack: string, kind: NameKind): string {
  const rule: NameRule = NAME_RULES[kind];
  const probe = physicalName(stack, kind, "x");
  const prefix = probe.slice(0, -1);
  // A shortened name keeps its first (max - 9) characters (the rest is "-<8 hex>").
  if (!probe.endsWith(`${rule.separator}x`) || prefix.length > rule.max - 9) {
    throw new Error(
      `stack name "${stack}" is too long for ${kind} names to keep a common prefix (${rule.max} characters at most); use a shorter stack name`,
    );
  }
  return `${prefix}*`;
}

/** Pattern of every bucket name of a stack (`hcp-<stack>-*`), as {@link bucketName} cleans the stack. */
export function bucketNamePattern(stack: string): string {
  return stackNamePattern(stack, "s3Bucket");
}

/**
 * The log groups of the platform: its own tree `/hcp/<stack>/*` and its Lambda functions'
 * `/aws/lambda/hcp-<stack>-*`. Throws when the stack name is too long for a common prefix.
 */
export function platformLogGroupNamePatterns(stack: string): string[] {
  return [
    `/${stackNamePattern(stack, "logGroup")}`,
    lambdaLogGroupName(stackNamePattern(stack, "lambdaFunction")),
    // The application tier: WAF's log group (WAF requires the `aws-waf-logs-` prefix) and the
    // database's exported logs (RDS writes to `/aws/rds/instance/<identifier>/<log type>`).
    wafLogGroupName(stackNamePattern(stack, "webAcl")),
    `/aws/rds/instance/${stackNamePattern(stack, "rdsInstance")}`,
  ];
}

/**
 * The WAF log group of a web ACL: `aws-waf-logs-<name>`. "Your log group name must start with
 * aws-waf-logs-" (https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html).
 */
export function wafLogGroupName(name: string): string {
  return `aws-waf-logs-${name}`;
}

/**
 * Where RDS exports a log type of a DB instance: "/aws/rds/instance/<instance name>/<log type>"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html).
 */
export function rdsLogGroupName(instanceIdentifier: string, logType: string): string {
  return `/aws/rds/instance/${instanceIdentifier}/${logType}`;
}

/**
 * The ARN of the EC2 Auto Scaling service-linked role with a custom suffix, known before the role
 * exists: "arn:aws:iam::<account>:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_<suffix>"
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html).
 */
export function autoScalingServiceLinkedRoleArn(partition: string, accountId: string, suffix: string): string {
  return `arn:${partition}:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_${suffix}`;
}

/** The name of the platform's CloudTrail trail, `hcp-<stack>-audit` (the audit key's policy names it too). */
export function auditTrailName(stack: string): string {
  return physicalName(stack, "trail", "audit");
}

/** A trail's ARN, known before the trail exists (its bucket and key policies need it; no cycle). */
export function trailArn(partition: string, region: string, accountId: string, trailName: string): string {
  return `arn:${partition}:cloudtrail:${region}:${accountId}:trail/${trailName}`;
}

/** The incident state machine's name (`hcp-<stack>-incident`): the one place its ARN is derived from. */
export function incidentStateMachineName(stack: string): string {
  return physicalName(stack, "stateMachine", "incident");
}

/** A state machine's ARN, known before it exists (the authorizer starts it; no cycle). */
export function stateMachineArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:states:${region}:${accountId}:stateMachine:${name}`;
}
