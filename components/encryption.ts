/**
 * Customer-managed KMS keys, one per purpose, each with an explicit least-privilege key policy.
 *
 * ## Why the keys are split by purpose
 *
 * A key policy answers "who may use this key"; keys are split where that answer differs, not per
 * resource (more keys cost $1/month each and add policy surface without a different set of principals):
 * - `phi` protects PHI at rest (S3 PHI buckets, the DynamoDB audit table, Lambda environments, the SQS
 *   dead-letter queue, SSM SecureStrings, RDS, Secrets Manager): IAM principals of this account only
 *   *through* those services (`kms:ViaService`), plus two named service-linked roles (Auto Scaling's
 *   volumes, Macie's decryption); no AWS service principal can use it on its own authority.
 * - `audit` protects audit and log data (log groups, CloudTrail files and bucket, the alert topic):
 *   it needs the service principals `logs`, `cloudtrail`, `events` and `cloudwatch`, each narrowed by
 *   conditions; keeping them off the PHI key is the point of the split.
 * The split gives separation of duties and independent lifecycles (HIPAA): the audit readers get
 * `audit` without `phi`; in an incident the PHI key can be disabled while audit logging (45 CFR
 * 164.312(b)) keeps recording; CloudTrail's KMS events tell PHI access from log access by key ARN.
 * A later purpose (the security-event pipeline) is one entry in {@link KEY_PURPOSES}; the statements it
 * needs beyond the common ones are named builders in {@link SERVICE_PRINCIPAL_GRANTS}.
 *
 * ## Why the policy is the key's own `policy` input, not a separate `aws.kms.KeyPolicy`
 *
 * The key is created with its final policy in one call, so it never exists, even after a failed
 * update, with AWS's default policy (every IAM principal of the account with `kms:*` may use it), and
 * policy checks see the policy on the key. In a key policy `Resource: "*"` means "this key" and the
 * principals exist before the key, so there is no dependency cycle.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BACKUP_KEY_PURPOSE } from "./backup";
import { canaryTopicName } from "./canary";
import type { PlatformConfig, StackContext } from "./config";
import { auditTrailName, kmsAliasName, physicalName, platformLogGroupNamePatterns, stackNamePattern } from "./lib/naming";
import { macieKeyStatements } from "./service-linked-roles";
import { statefulOptions } from "./lib/stateful";
import { platformTags } from "./lib/tags";

/** A key-policy statement as plain data (what `aws.iam.getPolicyDocument` takes). */
export type KeyPolicyStatement = aws.types.input.iam.GetPolicyDocumentStatement;

/** Facts a key policy is built from; all known once the caller identity, region and partition are. */
export interface KeyPolicyContext {
  readonly accountId: string;
  readonly region: string;
  /** `aws`, `aws-us-gov`, `aws-cn`. */
  readonly partition: string;
  /** DNS suffix of the partition's endpoints, `amazonaws.com` (`amazonaws.com.cn` in China). */
  readonly dnsSuffix: string;
  /** CloudTrail trails allowed to encrypt with the audit key (names, in this account and region). */
  readonly trailNames: readonly string[];
  /** Log-group name patterns (`*` wildcards) CloudWatch Logs may encrypt with the audit key. */
  readonly logGroupNamePatterns: readonly string[];
  /** Name pattern of the stack's CloudWatch alarms (`hcp-<stack>-*`): the alarms that may publish alerts. */
  readonly alarmNamePattern: string;
  /** ARN of the stack's EC2 Auto Scaling service-linked role (custom suffix); undefined: no group launches volumes under the key. */
  readonly autoScalingServiceLinkedRoleArn?: string;
  /** ARN of the account's Macie service-linked role (components/service-linked-roles.ts); undefined: Macie is not given the key. */
  readonly macieServiceLinkedRoleArn?: string;
  /** Name pattern of the stack's Step Functions state machines (`hcp-<stack>-*`); undefined: no state machine uses the key. */
  readonly stateMachineNamePattern?: string;
  /** Name of the stack's canary topic (`hcp-<stack>-canary-alerts`, components/canary/), which delivers canary alerts to an encrypted queue; undefined: none does. */
  readonly canaryTopicName?: string;
}

/**
 * Statements granting AWS service principals (not IAM principals) use of a key, each narrowed by
 * conditions to this account's resources. A purpose lists the ones it needs by name.
 */
export const SERVICE_PRINCIPAL_GRANTS = {
  /** CloudWatch Logs encrypting the platform's log groups, and only those (encryption context). */
  cloudWatchLogs: (ctx: KeyPolicyContext): KeyPolicyStatement[] => [
    {
      sid: "CloudWatchLogsEncryptPlatformLogGroups",
      effect: "Allow",
      principals: [{ type: "Service", identifiers: [`logs.${ctx.region}.${ctx.dnsSuffix}`] }],
      actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      resources: ["*"],
      conditions: [
        {
          test: "ArnLike",
          variable: "kms:EncryptionContext:aws:logs:arn",
          values: ctx.logGroupNamePatterns.map((p) => `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${p}`),
        },
      ],
    },
  ],
  /**
   * CloudTrail encrypting the log and digest files of the platform's trail(s), and describing the
   * key. `kms:Decrypt` too: the trail bucket uses an S3 Bucket Key, and AWS requires Decrypt to
   * create or update a trail with SSE-KMS on such a bucket
   * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).
   */
  cloudTrail: (ctx: KeyPolicyContext): KeyPolicyStatement[] => {
    const trailArns = ctx.trailNames.map((t) => `arn:${ctx.partition}:cloudtrail:${ctx.region}:${ctx.accountId}:trail/${t}`);
    const sourceArn = { test: "StringEquals", variable: "aws:SourceArn", values: trailArns };
    const trailContext = {
      test: "StringLike",
      variable: "kms:EncryptionContext:aws:cloudtrail:arn",
      values: [`arn:${ctx.partition}:cloudtrail:*:${ctx.accountId}:trail/*`],
    };
    return [
      {
        sid: "CloudTrailEncryptLogFiles",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }],
        actions: ["kms:GenerateDataKey*"],
        resources: ["*"],
        conditions: [sourceArn, trailContext],
      },
      {
        sid: "CloudTrailDecryptWithS3BucketKey",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }],
        actions: ["kms:Decrypt"],
        resources: ["*"],
        conditions: [sourceArn],
      },
      {
        sid: "CloudTrailDescribeKey",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }],
        actions: ["kms:DescribeKey"],
        resources: ["*"],
        conditions: [sourceArn],
      },
    ];
  },
  /**
   * EventBridge rules publishing to an SNS topic encrypted with the key. Deliberately without
   * conditions: "Adding the aws:SourceAccount, aws:SourceArn, and aws:SourceOrgID to a AWS KMS
   * policy is not supported for EventBridge-to-encrypted topics"
   * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services):
   * with one, every alert is dropped without an error. Which rules may publish is narrowed in the
   * topic policy instead (`aws:SourceArn` = the stack's rules), and the key is usable only for
   * data keys and decryption, not for reading anything (logs need their own encryption context).
   */
  eventBridgeAlerts: (): KeyPolicyStatement[] => [
    {
      sid: "EventBridgePublishToEncryptedTopics",
      effect: "Allow",
      principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
      actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
      resources: ["*"],
    },
  ],
  /**
   * CloudWatch alarms of this stack publishing to an SNS topic encrypted with the key (they call
   * KMS themselves, not through SNS, so `kms:ViaService` cannot cover them); CloudWatch sends
   * aws:SourceAccount and aws:SourceArn (the alarm's ARN), so both narrow it.
   */
  cloudWatchAlarms: (ctx: KeyPolicyContext): KeyPolicyStatement[] => [
    {
      sid: "CloudWatchAlarmsPublishToEncryptedTopics",
      effect: "Allow",
      principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
      actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
      resources: ["*"],
      conditions: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [ctx.accountId] },
        { test: "ArnLike", variable: "aws:SourceArn", values: [alarmArnPattern(ctx)] },
      ],
    },
  ],
  /**
   * The stack's EC2 Auto Scaling service-linked role launching instances whose EBS volumes are
   * encrypted with the key: AWS fails the launch otherwise. "The first statement allows the IAM
   * identity specified in the Principal element to use the customer managed key directly ... The
   * second statement allows the IAM identity specified in the Principal element to use the
   * CreateGrant operation to generate grants" with `kms:GrantIsForAWSResource`
   * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html).
   * The role is named, not the service: only this stack's groups (they use this role) can use the
   * key. None when the context has no such role (the recovery region has no compute).
   */
  autoScalingServiceLinkedRole: (ctx: KeyPolicyContext): KeyPolicyStatement[] => {
    const role = ctx.autoScalingServiceLinkedRoleArn;
    if (role === undefined) return [];
    const principals = [{ type: "AWS", identifiers: [role] }];
    return [
      {
        sid: "AutoScalingServiceLinkedRoleUseForEncryptedVolumes",
        effect: "Allow",
        principals,
        actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        resources: ["*"],
      },
      {
        sid: "AutoScalingServiceLinkedRoleGrantsForAttachedVolumes",
        effect: "Allow",
        principals,
        actions: ["kms:CreateGrant"],
        resources: ["*"],
        conditions: [{ test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }],
      },
    ];
  },
  /** Macie's service-linked role decrypting PHI objects it classifies (components/service-linked-roles.ts). */
  macieServiceLinkedRole: macieKeyStatements,
  /**
   * The stack's Step Functions state machines encrypted with the key, and their execution logs
   * (https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html):
   * - the execution role calls KMS itself, with the state machine's ARN as encryption context
   *   (`aws:states:stateMachineArn`); AWS warns that a `kms:ViaService` condition on the execution
   *   role "can prevent a new execution from starting or cause a running execution to fail", so the
   *   account's principals (IAM then names the one role per state machine) may use the key by that
   *   context instead of through a service;
   * - with logging, the execution role generates the log data key with
   *   `kms:EncryptionContext:SourceArn` = `arn:aws:logs:<region>:<account>:*`, and
   *   `delivery.logs.amazonaws.com` decrypts it (KMS decrypts only under the same context).
   */
  stepFunctionsExecutions: (ctx: KeyPolicyContext): KeyPolicyStatement[] => {
    if (ctx.stateMachineNamePattern === undefined) return [];
    const callerAccount = { test: "StringEquals", variable: "kms:CallerAccount", values: [ctx.accountId] };
    const logsSource = {
      test: "StringEquals",
      variable: "kms:EncryptionContext:SourceArn",
      values: [`arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:*`],
    };
    return [
      {
        sid: "StateMachineExecutionRolesByEncryptionContext",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [`arn:${ctx.partition}:iam::${ctx.accountId}:root`] }],
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        resources: ["*"],
        conditions: [
          callerAccount,
          {
            test: "ArnLike",
            variable: "kms:EncryptionContext:aws:states:stateMachineArn",
            values: [`arn:${ctx.partition}:states:${ctx.region}:${ctx.accountId}:stateMachine:${ctx.stateMachineNamePattern}`],
          },
        ],
      },
      {
        sid: "StateMachineExecutionRolesLogDataKeys",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [`arn:${ctx.partition}:iam::${ctx.accountId}:root`] }],
        actions: ["kms:GenerateDataKey"],
        resources: ["*"],
        conditions: [callerAccount, logsSource],
      },
      {
        sid: "LogDeliveryDecryptStateMachineExecutionLogs",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["delivery.logs.amazonaws.com"] }],
        actions: ["kms:Decrypt"],
        resources: ["*"],
        conditions: [logsSource],
      },
    ];
  },
  /**
   * SNS delivering the stack's canary topic to the canary's encrypted alert queue (components/canary/): SNS
   * itself generates and decrypts the queue's data keys ("the key policy ... must allow the Amazon SNS
   * service principal kms:GenerateDataKey and kms:Decrypt",
   * https://docs.aws.amazon.com/sns/latest/dg/sns-enable-encryption-for-topic-sqs-queue-subscriptions.html),
   * narrowed to that topic by aws:SourceArn as aws-cdk's sns-subscriptions does under its
   * `restrictSqsDescryption` flag (the behaviour row is unsettled: AWS's example carries no condition).
   */
  snsToCanaryQueue: (ctx: KeyPolicyContext): KeyPolicyStatement[] =>
    ctx.canaryTopicName === undefined
      ? []
      : [
          {
            sid: "SnsDeliversCanaryTopicToEncryptedQueues",
            effect: "Allow",
            principals: [{ type: "Service", identifiers: ["sns.amazonaws.com"] }],
            actions: ["kms:GenerateDataKey", "kms:Decrypt"],
            resources: ["*"],
            conditions: [
              {
                test: "ArnEquals",
                variable: "aws:SourceArn",
                values: [`arn:${ctx.partition}:sns:${ctx.region}:${ctx.accountId}:${ctx.canaryTopicName}`],
              },
            ],
          },
        ],
} as const satisfies Record<string, (ctx: KeyPolicyContext) => KeyPolicyStatement[]>;

export type ServicePrincipalGrant = keyof typeof SERVICE_PRINCIPAL_GRANTS;

/** ARN pattern of the stack's CloudWatch alarms in the key's account and region. */
export function alarmArnPattern(ctx: Pick<KeyPolicyContext, "partition" | "region" | "accountId" | "alarmNamePattern">): string {
  return `arn:${ctx.partition}:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${ctx.alarmNamePattern}`;
}

/** What a key is for, and therefore who may use it. */
export interface KeyPurposeSpec {
  /** Purpose part of the alias and of the children's logical names (`alias/hcp-<stack>-<name>`). */
  readonly name: string;
  /** The key's description; the stack name is prepended. */
  readonly description: string;
  /** `Purpose` tag of the key. */
  readonly tagPurpose: string;
  /** Services through which the account's IAM principals may use the key (`kms:ViaService`): `s3` is `s3.<region>.amazonaws.com`. */
  readonly viaServices: readonly string[];
  /** Of `viaServices`, those that create grants for their resources (DynamoDB, RDS, Lambda). */
  readonly grantServices: readonly string[];
  /** Service-principal statements the key needs (see {@link SERVICE_PRINCIPAL_GRANTS}). */
  readonly servicePrincipalGrants: readonly ServicePrincipalGrant[];
}

/**
 * The keys this component creates: adding a purpose is adding an entry here (and, when it needs a
 * new AWS service principal, a builder in {@link SERVICE_PRINCIPAL_GRANTS}).
 */
export const KEY_PURPOSES = {
  phi: {
    name: "phi",
    description:
      "PHI data at rest: S3 PHI buckets, DynamoDB audit table, Lambda environment variables, SQS dead-letter queue, " +
      "SSM SecureString parameters, RDS and Secrets Manager. Usable only through these services, and by the stack's " +
      "Auto Scaling service-linked role for the application tier's EBS volumes, and by Macie's to decrypt what it classifies.",
    tagPurpose: "phi-encryption",
    viaServices: ["s3", "dynamodb", "lambda", "sqs", "ssm", "secretsmanager", "rds"],
    grantServices: ["dynamodb", "lambda", "rds"],
    // The application tier's root volumes (components/application/compute.ts): launched by Auto Scaling.
    // macie: the incident workflow's classification jobs read SSE-KMS objects of the PHI bucket.
    servicePrincipalGrants: ["autoScalingServiceLinkedRole", "macieServiceLinkedRole"],
  },
  audit: {
    name: "audit",
    description:
      "Audit and log data: CloudWatch Logs log groups, CloudTrail log files and the trail bucket, and the security-alert SNS topic.",
    tagPurpose: "audit-encryption",
    // No `backup`: every vault uses the backup key (BACKUP_KEY_PURPOSE), so nothing uses this key through AWS Backup.
    viaServices: ["s3", "sns"],
    grantServices: [],
    servicePrincipalGrants: ["cloudWatchLogs", "cloudTrail", "eventBridgeAlerts", "cloudWatchAlarms"],
  },
  pipeline: {
    name: "pipeline",
    description:
      "The security-event pipeline: the Firehose stream, the OpenSearch domain, the event archive and query results in S3, " +
      "the authorization store and incident queue, the incident state machine and reports, and the pipeline functions' environment. " +
      "Usable only through these services.",
    tagPurpose: "pipeline-encryption",
    // Firehose server-side encryption with a customer managed key, OpenSearch encryption at rest and
    // DynamoDB create grants on the key for the resource's lifetime; the caller creating the resource
    // needs kms:CreateGrant through the service
    // (https://docs.aws.amazon.com/firehose/latest/dev/encryption.html,
    // https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html).
    // glue: the account's Data Catalog, when the account guardrails encrypt it with this key.
    // states: the deployer creating or updating the incident state machine needs kms:DescribeKey and
    // kms:GenerateDataKey through Step Functions; the execution role's own use is by encryption
    // context, not through a service (stepFunctionsExecutions;
    // https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html).
    viaServices: ["s3", "firehose", "es", "dynamodb", "sqs", "lambda", "glue", "states"],
    grantServices: ["firehose", "es", "dynamodb", "lambda"],
    servicePrincipalGrants: ["stepFunctionsExecutions", "snsToCanaryQueue"],
  },
  backup: BACKUP_KEY_PURPOSE,
} as const satisfies Record<string, KeyPurposeSpec>;

export type KeyPurpose = keyof typeof KEY_PURPOSES;

/** Every purpose, in table order. */
export const KEY_PURPOSE_NAMES = Object.keys(KEY_PURPOSES) as KeyPurpose[];

/**
 * The key-administration actions the account root may perform: everything needed to manage,
 * audit, rotate and delete the key, and nothing that uses it. Deliberately `kms:CreateAlias`
 * rather than the console default `kms:Create*`, which includes `kms:CreateGrant` and would let
 * an administrator grant itself decryption.
 */
export const KEY_ADMIN_ACTIONS: readonly string[] = [
  "kms:CreateAlias",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
];

/** Cryptographic use by IAM principals through an AWS service. */
export const KEY_USE_ACTIONS: readonly string[] = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:DescribeKey",
];

/** The complete key policy of `purpose`, as data. Pure: the same context gives the same policy. */
export function keyPolicyStatements(purpose: KeyPurpose, ctx: KeyPolicyContext): KeyPolicyStatement[] {
  const spec: KeyPurposeSpec = KEY_PURPOSES[purpose];
  const accountRoot = `arn:${ctx.partition}:iam::${ctx.accountId}:root`;
  const endpoint = (service: string) => `${service}.${ctx.region}.${ctx.dnsSuffix}`;
  const callerAccount = { test: "StringEquals", variable: "kms:CallerAccount", values: [ctx.accountId] };

  const statements: KeyPolicyStatement[] = [
    {
      sid: "KeyAdministrationByAccount",
      effect: "Allow",
      principals: [{ type: "AWS", identifiers: [accountRoot] }],
      actions: [...KEY_ADMIN_ACTIONS],
      resources: ["*"],
    },
    {
      sid: "KeyUseThroughAwsServices",
      effect: "Allow",
      principals: [{ type: "AWS", identifiers: [accountRoot] }],
      actions: [...KEY_USE_ACTIONS],
      resources: ["*"],
      conditions: [callerAccount, { test: "StringEquals", variable: "kms:ViaService", values: spec.viaServices.map(endpoint) }],
    },
  ];
  if (spec.grantServices.length > 0) {
    statements.push({
      sid: "GrantsForAwsResources",
      effect: "Allow",
      principals: [{ type: "AWS", identifiers: [accountRoot] }],
      actions: ["kms:CreateGrant"],
      resources: ["*"],
      conditions: [
        { test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] },
        callerAccount,
        { test: "StringEquals", variable: "kms:ViaService", values: spec.grantServices.map(endpoint) },
      ],
    });
  }
  for (const grant of spec.servicePrincipalGrants) statements.push(...SERVICE_PRINCIPAL_GRANTS[grant](ctx));
  return statements;
}

export { auditTrailName, platformLogGroupNamePatterns };

/** Arguments of {@link Encryption}. */
export interface EncryptionArgs {
  /** The stack's config: stack name (aliases, trail and log-group names), tags, deletion window, `protectData` (prod keys kept). */
  readonly config: StackContext & Pick<PlatformConfig, "kmsDeletionWindowInDays">;
  /** Days KMS waits before deleting a key scheduled for deletion, 7 to 30 (30 in prod). @default config.kmsDeletionWindowInDays */
  readonly deletionWindowInDays?: number;
  /** Days between automatic rotations of the key material, 90 to 2560. @default 365, yearly */
  readonly rotationPeriodInDays?: number;
  /** CloudTrail trails (names, this account and region) that may encrypt log files with the audit key.
   * @default [auditTrailName(config.stack)], i.e. `hcp-<stack>-audit`, the trail of the audit component */
  readonly trailNames?: readonly string[];
  /** The purposes to create keys for (a replica-only region needs no pipeline key). @default every purpose of {@link KEY_PURPOSES} */
  readonly purposes?: readonly KeyPurpose[];
  /** The stack's EC2 Auto Scaling service-linked role, named in the PHI key's policy for the instances' volumes; an output of
   * the role resource (KMS refuses a policy naming a role that does not exist). @default none: no Auto Scaling group uses the keys */
  readonly autoScalingServiceLinkedRoleArn?: pulumi.Input<string>;
  /** ARN of the Macie service-linked role, named in the PHI key's policy (it must exist first). @default none */
  readonly macieServiceLinkedRoleArn?: pulumi.Input<string>;
}

export const DEFAULT_ROTATION_PERIOD_IN_DAYS = 365;

const TRAIL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/;

/** Checks the arguments: one message per problem (none when valid), naming the argument, the value and what is allowed. */
export function validateEncryptionArgs(args: EncryptionArgs): string[] {
  const problems: string[] = [];
  const window = args.deletionWindowInDays ?? args.config.kmsDeletionWindowInDays;
  if (!Number.isInteger(window)) {
    problems.push(`deletionWindowInDays must be a whole number of days between 7 and 30, got ${window}`);
  } else if (window < 7 || window > 30) {
    problems.push(`deletionWindowInDays must be between 7 and 30, got ${window}`);
  } else if (args.config.environment === "prod" && window !== 30) {
    problems.push(`deletionWindowInDays must be 30 in prod (the longest time to cancel a mistaken deletion), got ${window}`);
  }

  const rotation = args.rotationPeriodInDays ?? DEFAULT_ROTATION_PERIOD_IN_DAYS;
  if (!Number.isInteger(rotation)) {
    problems.push(`rotationPeriodInDays must be a whole number of days between 90 and 2560, got ${rotation}`);
  } else if (rotation < 90 || rotation > 2560) {
    problems.push(`rotationPeriodInDays must be between 90 and 2560, got ${rotation}`);
  }

  if (args.trailNames !== undefined) {
    if (args.trailNames.length === 0) {
      problems.push("trailNames must name at least one trail; omit it to use the audit trail");
    }
    args.trailNames.forEach((t, i) => {
      if (!TRAIL_NAME.test(t) || /[._-]{2}/.test(t)) {
        problems.push(
          `trailNames[${i}] must be 3-128 letters, digits, '.', '_' or '-', start and end with a letter or digit, ` +
            `and have no two of '.', '_', '-' in a row, got ${JSON.stringify(t)}`,
        );
      }
    });
    if (new Set(args.trailNames).size !== args.trailNames.length) {
      problems.push(`trailNames must not repeat a name, got ${JSON.stringify(args.trailNames)}`);
    }
  }

  if (args.purposes !== undefined) {
    const unknown = args.purposes.filter((p) => !(KEY_PURPOSE_NAMES as readonly string[]).includes(p));
    if (unknown.length > 0)
      problems.push(`purposes must name purposes of KEY_PURPOSES (${KEY_PURPOSE_NAMES.join(", ")}), got ${unknown.join(", ")}`);
    const missing = (["phi", "audit"] as const).filter((p) => !args.purposes!.includes(p));
    if (missing.length > 0)
      problems.push(`purposes must include ${missing.join(" and ")}: every region of the platform keeps PHI and audit data`);
  }

  try {
    platformLogGroupNamePatterns(args.config.stack);
  } catch (err) {
    problems.push(`config.stack: ${(err as Error).message}`);
  }
  return problems;
}

/** One customer-managed key of the component. */
export interface EncryptionKey {
  readonly purpose: KeyPurpose;
  /** The key resource itself (for `dependsOn`). */
  readonly key: aws.kms.Key;
  /** Key ARN: what to pass to `kmsKeyId`/`kmsMasterKeyId`/`kmsKeyArn` inputs. */
  readonly arn: pulumi.Output<string>;
  /** Key id (a UUID). */
  readonly id: pulumi.Output<string>;
  /** `alias/hcp-<stack>-<purpose>`; resolves once the alias exists. */
  readonly aliasName: pulumi.Output<string>;
  readonly aliasArn: pulumi.Output<string>;
}

/**
 * Customer-managed KMS keys, one per {@link KEY_PURPOSES} entry, each rotated yearly, aliased, with a least-privilege policy.
 *
 * ```ts
 * const encryption = new Encryption("encryption", { config });
 * new aws.s3.BucketServerSideEncryptionConfiguration(..., { rules: [{ applyServerSideEncryptionByDefault: {
 *   sseAlgorithm: "aws:kms", kmsMasterKeyId: encryption.phi.arn } }] });
 * new aws.cloudwatch.LogGroup(..., { kmsKeyId: encryption.audit.arn });
 * ```
 */
export class Encryption extends pulumi.ComponentResource {
  /** Every key created, by purpose; `phi`, `audit` and `pipeline` are shorthands. */
  readonly keys: Readonly<Partial<Record<KeyPurpose, EncryptionKey>>>;
  /** PHI data at rest. */
  readonly phi: EncryptionKey;
  /** Audit and log data, and the security-alert topic. */
  readonly audit: EncryptionKey;
  /** The security-event pipeline; undefined when `purposes` leaves it out. */
  readonly pipeline: EncryptionKey | undefined;

  constructor(name: string, args: EncryptionArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateEncryptionArgs(args);
    if (problems.length > 0) {
      throw new Error(`Encryption "${name}": invalid arguments:\n  - ${problems.join("\n  - ")}`);
    }
    super("healthcare:security:Encryption", name, {}, opts);

    const { config } = args;
    const deletionWindowInDays = args.deletionWindowInDays ?? config.kmsDeletionWindowInDays;
    const rotationPeriodInDays = args.rotationPeriodInDays ?? DEFAULT_ROTATION_PERIOD_IN_DAYS;
    const trailNames = [...(args.trailNames ?? [auditTrailName(config.stack)])];
    const logGroupNamePatterns = platformLogGroupNamePatterns(config.stack);

    const identity = aws.getCallerIdentityOutput({}, { parent: this });
    const region = aws.getRegionOutput({}, { parent: this });
    const partition = aws.getPartitionOutput({}, { parent: this });
    const context: pulumi.Output<KeyPolicyContext> = pulumi
      .all([
        identity.accountId,
        region.region,
        partition.partition,
        partition.dnsSuffix,
        args.autoScalingServiceLinkedRoleArn,
        args.macieServiceLinkedRoleArn,
      ])
      .apply(([accountId, regionName, partitionName, dnsSuffix, autoScalingServiceLinkedRoleArn, macieServiceLinkedRoleArn]) => ({
        autoScalingServiceLinkedRoleArn,
        macieServiceLinkedRoleArn,
        accountId,
        region: regionName,
        partition: partitionName,
        dnsSuffix,
        trailNames,
        logGroupNamePatterns,
        alarmNamePattern: stackNamePattern(config.stack, "alarm"),
        stateMachineNamePattern: stackNamePattern(config.stack, "stateMachine"),
        canaryTopicName: canaryTopicName(config.stack),
      }));
    // KMS keys are the last thing to lose: without the key, every copy of the data is unreadable.
    const purposes = KEY_PURPOSE_NAMES.filter((p) => (args.purposes ?? KEY_PURPOSE_NAMES).includes(p));
    const keys: Partial<Record<KeyPurpose, EncryptionKey>> = {};
    for (const purpose of purposes) {
      const spec: KeyPurposeSpec = KEY_PURPOSES[purpose];
      const policy = aws.iam.getPolicyDocumentOutput(
        { statements: context.apply((ctx) => keyPolicyStatements(purpose, ctx)) },
        { parent: this },
      );
      const key = new aws.kms.Key(
        `${name}-${spec.name}-key`,
        {
          description: `${physicalName(config.stack, "kmsAlias", spec.name)}: ${spec.description}`,
          keyUsage: "ENCRYPT_DECRYPT",
          customerMasterKeySpec: "SYMMETRIC_DEFAULT",
          enableKeyRotation: true,
          rotationPeriodInDays,
          deletionWindowInDays,
          multiRegion: false,
          isEnabled: true,
          bypassPolicyLockoutSafetyCheck: false,
          policy: policy.json,
          tags: platformTags(config, { purpose: spec.tagPurpose }),
        },
        statefulOptions(this, config.protectData),
      );
      const alias = new aws.kms.Alias(
        `${name}-${spec.name}-alias`,
        { name: kmsAliasName(config.stack, spec.name), targetKeyId: key.keyId },
        { parent: this },
      );
      keys[purpose] = { purpose, key, arn: key.arn, id: key.keyId, aliasName: alias.name, aliasArn: alias.arn };
    }
    this.keys = Object.freeze(keys);
    this.phi = keys.phi!;
    this.audit = keys.audit!;
    this.pipeline = keys.pipeline;

    this.registerOutputs({
      ...Object.fromEntries(purposes.map((p) => [`${p}KeyArn`, keys[p]!.arn])),
      ...Object.fromEntries(purposes.map((p) => [`${p}AliasName`, keys[p]!.aliasName])),
    });
  }
}
