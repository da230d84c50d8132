/**
 * People: the optional developers IAM group (`enableDevelopersGroup`), a break-glass path next to
 * IAM Identity Center, which is the preferred way for people to reach the account (short-lived
 * credentials, one identity source, MFA enforced by the identity provider).
 *
 * Its customer-managed policy is AWS's documented statement set "AWS: Allows MFA-authenticated IAM
 * users to manage their own MFA device on the Security credentials page"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_mfa-selfmanage.html):
 * without MFA a user may only enrol (create and enable their own virtual MFA device, list and read
 * their MFA devices, get a session token); everything else, the group's own permissions included,
 * is denied by `DenyAllExceptListedIfNoMFA` (`BoolIfExists aws:MultiFactorAuthPresent false`: long-term
 * access keys carry no MFA context, so they are denied too). With MFA the group's permissions apply:
 * Session Manager into the application instances (by their tag), and reading the tier's logs.
 */
import type { PolicyStatement } from "../lib/service-role";

/** The actions a user signed in without MFA may still call: exactly AWS's documented NotAction list. */
export const MFA_ENROLMENT_ACTIONS: readonly string[] = [
  "iam:CreateVirtualMFADevice",
  "iam:EnableMFADevice",
  "iam:GetUser",
  "iam:GetMFADevice",
  "iam:ListMFADevices",
  "iam:ListVirtualMFADevices",
  "iam:ResyncMFADevice",
  "sts:GetSessionToken",
];

/** What the developers group's policy refers to (plain values: build it inside an apply). */
export interface DevelopersPolicyContext {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  /** Value of the `Application` tag the application instances carry (Session Manager targets). */
  readonly applicationTag: string;
  /** ARNs of the tier's log groups developers may read. */
  readonly logGroupArns: readonly string[];
}

/**
 * AWS's MFA self-management statements, then the group's permissions. Session Manager statements
 * follow "Sample IAM policies for Session Manager"
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-restrict-access-quickstart.html):
 * instances by tag, the shell document, and only the user's own sessions.
 */
export function developersPolicyStatements(ctx: DevelopersPolicyContext): PolicyStatement[] {
  const iam = (resource: string) => `arn:${ctx.partition}:iam::*:${resource}`;
  const regional = (service: string, resource: string) => `arn:${ctx.partition}:${service}:${ctx.region}:${ctx.accountId}:${resource}`;
  return [
    { sid: "AllowViewAccountInfo", effect: "Allow", actions: ["iam:ListVirtualMFADevices"], resources: ["*"] },
    { sid: "AllowManageOwnVirtualMFADevice", effect: "Allow", actions: ["iam:CreateVirtualMFADevice"], resources: [iam("mfa/*")] },
    {
      sid: "AllowManageOwnUserMFA",
      effect: "Allow",
      actions: [
        "iam:DeactivateMFADevice",
        "iam:EnableMFADevice",
        "iam:GetUser",
        "iam:GetMFADevice",
        "iam:ListMFADevices",
        "iam:ResyncMFADevice",
      ],
      resources: [iam("user/${aws:username}")],
    },
    {
      sid: "DenyAllExceptListedIfNoMFA",
      effect: "Deny",
      notActions: [...MFA_ENROLMENT_ACTIONS],
      resources: ["*"],
      conditions: [{ test: "BoolIfExists", variable: "aws:MultiFactorAuthPresent", values: ["false"] }],
    },
    // --- The group's permissions (effective only with MFA).
    {
      sid: "StartSessionsOnApplicationInstances",
      effect: "Allow",
      actions: ["ssm:StartSession"],
      resources: [regional("ec2", "instance/*")],
      conditions: [{ test: "StringEquals", variable: "ssm:resourceTag/Application", values: [ctx.applicationTag] }],
    },
    {
      sid: "StartSessionsWithTheShellDocument",
      effect: "Allow",
      actions: ["ssm:StartSession"],
      resources: [regional("ssm", "document/SSM-SessionManagerRunShell")],
    },
    {
      sid: "ManageOwnSessions",
      effect: "Allow",
      actions: ["ssm:TerminateSession", "ssm:ResumeSession"],
      resources: [regional("ssm", "session/${aws:username}-*")],
    },
    {
      sid: "ReadApplicationLogs",
      effect: "Allow",
      actions: ["logs:GetLogEvents", "logs:FilterLogEvents", "logs:DescribeLogStreams"],
      resources: ctx.logGroupArns.flatMap((arn) => [arn, `${arn}:log-stream:*`]),
    },
  ];
}
