/**
 * AWS-managed policies the behaviour table evaluates as documented fixtures: their text is not in
 * the plan (a role attaches them by ARN), so each one the table relies on is copied here, with its
 * version and the AWS Managed Policy Reference page it comes from, and evaluated with the role's own
 * policies. A role attaching an AWS-managed policy with no fixture is evaluated without it, and its
 * rows must say so (`awsManagedDocumented`).
 */
import backupForBackup from "./fixtures/AWSBackupServiceRolePolicyForBackup.json";
import type { PolicyDocument } from "./policy-index";

export interface AwsManagedFixture {
  readonly arn: string;
  /** The default version the fixture copies (`v30`). */
  readonly versionId: string;
  /** The AWS Managed Policy Reference page that publishes it. */
  readonly source: string;
  readonly document: PolicyDocument;
}

const FIXTURES: readonly AwsManagedFixture[] = [backupForBackup as unknown as AwsManagedFixture];

export const AWS_MANAGED_FIXTURES: ReadonlyMap<string, AwsManagedFixture> = new Map(FIXTURES.map((f) => [f.arn, f]));

/** The fixture documents of `arns` that have one, as identity policies for iam-simulate. */
export function awsManagedPolicies(arns: readonly string[]): { name: string; policy: PolicyDocument }[] {
  return arns.flatMap((arn) => {
    const f = AWS_MANAGED_FIXTURES.get(arn);
    return f ? [{ name: `${arn.split("/").pop()!}@${f.versionId}`, policy: f.document }] : [];
  });
}
