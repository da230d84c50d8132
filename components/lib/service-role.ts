/**
 * The one way this program builds an IAM role for an AWS service: a role whose trust policy admits
 * exactly one service principal under confused-deputy conditions, and whose permissions are a
 * customer-managed policy (never an inline one) attached to it.
 *
 * Why managed policies: inline policies are invisible to IAM Access Analyzer policy reuse and to
 * `iam:ListPolicies` reviews, cannot be versioned or rolled back, and are what cdk-nag HIPAA
 * (`HIPAA.Security-IAMNoInlinePolicy`) and AWS Config (`iam-no-inline-policy-check`) flag. HIPAA
 * Security Rule 164.308(a)(4) (information access management) and 164.312(a)(1) (access control).
 *
 * Returned `ready` is what a consumer must depend on before the service uses the role: the
 * attachment of the permissions (a role without them makes CloudTrail, Flow Logs or Config fail
 * their first delivery and Lambda fail its first invocation).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** One statement of an IAM policy document, as `aws.iam.getPolicyDocumentOutput` takes it. */
export type PolicyStatement = aws.types.input.iam.GetPolicyDocumentStatementArgs;
/** One condition of such a statement. */
export type PolicyCondition = aws.types.input.iam.GetPolicyDocumentStatementConditionArgs;

/**
 * `kms:ViaService` condition: the key may be used only through these services' endpoints in
 * `region` (e.g. `s3.us-east-1.amazonaws.com`).
 */
export function kmsViaServiceCondition(
  services: readonly string[],
  region: pulumi.Input<string>,
  dnsSuffix: pulumi.Input<string>,
): pulumi.Input<PolicyCondition> {
  return { test: "StringEquals", variable: "kms:ViaService", values: services.map((s) => pulumi.interpolate`${s}.${region}.${dnsSuffix}`) };
}

export interface ServiceRoleArgs {
  /** Physical role name (from `physicalName(stack, "iamRole", ...)`); also the managed policy's name. */
  readonly roleName: string;
  /** What the role is for, shown in the IAM console. */
  readonly description: string;
  /** The one service that may assume the role, e.g. `lambda.amazonaws.com`. */
  readonly servicePrincipal: string;
  /**
   * Confused-deputy conditions on `sts:AssumeRole` (`aws:SourceAccount`, `aws:SourceArn`): at
   * least one, because a service principal without conditions can be used by any account. Must be
   * empty when {@link unconditionedTrust} is set (AWS sends no such key on that path).
   */
  readonly trustConditions: readonly pulumi.Input<PolicyCondition>[];
  /**
   * The documented exception that lets this role's trust carry no condition: a path on which AWS
   * states that the service sends no `aws:Source*` key, so any condition makes the role
   * unassumable. One of {@link UNCONDITIONED_TRUSTS}; `servicePrincipal` must be its service.
   * @default none: a confused-deputy condition is required
   */
  readonly unconditionedTrust?: UnconditionedTrust;
  /** The permissions, as statements of the customer-managed policy (at least one). */
  readonly statements: readonly pulumi.Input<PolicyStatement>[];
  /**
   * AWS-managed policies also attached, as paths under `arn:<partition>:iam::aws:policy/`
   * (e.g. `service-role/AWSLambdaVPCAccessExecutionRole`).
   * @default none
   */
  readonly awsManagedPolicies?: readonly string[];
  /** Tags of the role and of its policy. */
  readonly tags: Record<string, string>;
}

export interface ServiceRole {
  readonly role: aws.iam.Role;
  /** The customer-managed permissions policy. */
  readonly policy: aws.iam.Policy;
  /** Attachments of the customer-managed and AWS-managed policies: depend on these. */
  readonly ready: aws.iam.RolePolicyAttachment[];
}

/**
 * The paths on which AWS documents that a service assumes a role without sending any
 * `aws:Source*` key: a trust condition on those keys makes the role unassumable. Each entry names
 * the service, what the role is for, and AWS's statement. Adding one needs such a statement.
 */
export const UNCONDITIONED_TRUSTS = {
  /**
   * CloudTrail delivering a trail's events to CloudWatch Logs. With a condition, CreateTrail fails
   * with InvalidCloudWatchLogsRoleArnException.
   */
  cloudTrailToCloudWatchLogs: {
    servicePrincipal: "cloudtrail.amazonaws.com",
    purpose: "CloudTrail delivering a trail's events to a CloudWatch Logs log group",
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html",
    statement:
      "Confused deputy prevention is not applicable to the role policy for CloudWatch Logs monitoring. " +
      "The role policy doesn't support the use of aws:SourceArn and aws:SourceAccount.",
  },
  /**
   * An EC2 instance role (through its instance profile). EC2 obtains the instance's credentials
   * itself; AWS's trust policy for such roles carries no condition and no AWS page documents an
   * `aws:Source*` key on this path, so a condition could only make the role unassumable. The control
   * that holds instead: only principals of this account can pass the role (`iam:PassRole` does not
   * cross accounts), and the credentials carry `ec2:SourceInstanceARN`.
   */
  ec2InstanceProfile: {
    servicePrincipal: "ec2.amazonaws.com",
    purpose: "EC2 delivering an instance role's credentials to the instances launched with its instance profile",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html",
    statement:
      "An instance profile is a container for an IAM role that allows Amazon EC2 to pass the IAM role to an instance when the instance " +
      "is launched (https://docs.aws.amazon.com/autoscaling/ec2/userguide/us-iam-role.html); the EC2 role trust policy AWS documents is " +
      "{ Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole } with no Condition, and AWS documents no aws:SourceArn or " +
      "aws:SourceAccount for it.",
  },
} as const satisfies Record<string, { servicePrincipal: string; purpose: string; source: string; statement: string }>;

export type UnconditionedTrust = keyof typeof UNCONDITIONED_TRUSTS;

/** Global condition keys that bind a service's request to our account or resource. */
export const CONFUSED_DEPUTY_KEYS: readonly string[] = [
  "aws:SourceAccount",
  "aws:SourceArn",
  "aws:SourceOrgID",
  "aws:SourceOrgPaths",
  // Firehose documents its delivery-role trust with `sts:ExternalId` = the account ID, the value it
  // passes when it assumes the role (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html).
  "sts:ExternalId",
];

/** Whether a condition, given as plain data, tests one of {@link CONFUSED_DEPUTY_KEYS}. */
function bindsSource(condition: pulumi.Input<PolicyCondition>): boolean {
  if (typeof condition !== "object" || condition === null || pulumi.Output.isInstance(condition)) return false;
  const variable = (condition as PolicyCondition).variable;
  return typeof variable === "string" && CONFUSED_DEPUTY_KEYS.includes(variable);
}

/** Problems with the args of a service role (empty when valid). */
export function serviceRoleArgProblems(args: ServiceRoleArgs): string[] {
  const problems: string[] = [];
  if (!/^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/.test(args.servicePrincipal)) {
    problems.push(
      `servicePrincipal must be an AWS service principal such as "lambda.amazonaws.com", got ${JSON.stringify(args.servicePrincipal)}`,
    );
  }
  if (args.unconditionedTrust !== undefined) {
    const exception = (UNCONDITIONED_TRUSTS as Record<string, (typeof UNCONDITIONED_TRUSTS)[UnconditionedTrust] | undefined>)[
      args.unconditionedTrust
    ];
    if (exception === undefined) {
      problems.push(
        `unconditionedTrust must be one of ${Object.keys(UNCONDITIONED_TRUSTS).join(", ")} (paths AWS documents without aws:Source* keys), ` +
          `got ${JSON.stringify(args.unconditionedTrust)}`,
      );
    } else {
      if (args.servicePrincipal !== exception.servicePrincipal) {
        problems.push(
          `unconditionedTrust ${args.unconditionedTrust} is documented for ${exception.servicePrincipal} only, got servicePrincipal ${JSON.stringify(args.servicePrincipal)}`,
        );
      }
      if (args.trustConditions.length > 0) {
        problems.push(
          `trustConditions must be empty with unconditionedTrust ${args.unconditionedTrust}: AWS sends no aws:Source* key on this path, ` +
            `so a condition makes the role unassumable (${exception.source})`,
        );
      }
    }
  } else if (!args.trustConditions.some(bindsSource)) {
    problems.push(
      `trustConditions must hold at least one condition on ${CONFUSED_DEPUTY_KEYS.join(", ")} (confused-deputy protection), given as plain data; ` +
        `only the paths in UNCONDITIONED_TRUSTS may go without (set unconditionedTrust)`,
    );
  }
  const paths = args.awsManagedPolicies ?? [];
  const duplicates = paths.filter((p, i) => paths.indexOf(p) !== i);
  if (duplicates.length > 0) {
    problems.push(`awsManagedPolicies lists ${duplicates.join(", ")} more than once`);
  }
  if (args.statements.length === 0) {
    problems.push("statements must grant at least one permission (a role without permissions is a mistake)");
  }
  return problems;
}

/**
 * Creates `<name>` (the role), `<name>-policy` (its managed policy), `<name>-permissions` (its
 * attachment) and one `<name>-<policy-path>` attachment per AWS-managed policy, all
 * children of `opts.parent`.
 */
export function createServiceRole(name: string, args: ServiceRoleArgs, opts: pulumi.CustomResourceOptions): ServiceRole {
  const problems = serviceRoleArgProblems(args);
  if (problems.length > 0) {
    throw new Error(`service role ${name}: ${problems.join("; ")}`);
  }
  const invokeOpts: pulumi.InvokeOutputOptions = { parent: opts.parent, provider: opts.provider };
  const trust = aws.iam.getPolicyDocumentOutput(
    {
      statements: [
        {
          sid: args.unconditionedTrust === undefined ? "AssumeRoleFromThisAccountOnly" : "AssumeRoleAsAwsDocuments",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: [args.servicePrincipal] }],
          actions: ["sts:AssumeRole"],
          conditions: args.trustConditions.length > 0 ? [...args.trustConditions] : undefined,
        },
      ],
    },
    invokeOpts,
  );
  const role = new aws.iam.Role(
    name,
    { name: args.roleName, description: args.description, assumeRolePolicy: trust.json, tags: args.tags },
    opts,
  );
  const permissions = aws.iam.getPolicyDocumentOutput({ statements: [...args.statements] }, invokeOpts);
  const policy = new aws.iam.Policy(
    `${name}-policy`,
    { name: args.roleName, description: `Permissions of ${args.roleName}: ${args.description}`, policy: permissions.json, tags: args.tags },
    opts,
  );
  const ready = [new aws.iam.RolePolicyAttachment(`${name}-permissions`, { role: role.name, policyArn: policy.arn }, opts)];
  if ((args.awsManagedPolicies ?? []).length > 0) {
    const partition = aws.getPartitionOutput({}, invokeOpts).partition;
    for (const path of args.awsManagedPolicies ?? []) {
      ready.push(
        new aws.iam.RolePolicyAttachment(
          `${name}-${path.replace(/[^A-Za-z0-9_]+/g, "-")}`,
          { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${path}` },
          opts,
        ),
      );
    }
  }
  return { role, policy, ready };
}
