/**
 * The account's service-linked roles the platform needs before the resources that use them: one per
 * account (all regions), so creating one the account already has fails ("Service role name ... has
 * been taken in this account"). The stack key `existingServiceLinkedRoles` lists those the account
 * already has; each other one is created here. It is kept on destroy only where the stack protects
 * its data (`protectData`, prod: {@link serviceLinkedRoleOptions}); in dev it is deleted with the
 * stack (after the domain, which depends on it), so `pulumi destroy` then `pulumi up` creates it
 * again instead of failing on the role the earlier stack left behind. A role that outlives its stack
 * (prod destroyed, a second stack in the account, Macie enabled by the organization) must be listed
 * in `existingServiceLinkedRoles` (README, docs/deploy.md section 4).
 *
 * - `opensearchservice.amazonaws.com`: OpenSearch Service needs it to create a domain in a VPC
 *   (its network interfaces); the console creates it, `CreateDomain` from the API does not
 *   (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/slr.html,
 *   https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html).
 * - `macie.amazonaws.com`: Macie reads PHI objects as this role; the PHI key's policy names it so
 *   Macie can decrypt SSE-KMS objects, and KMS refuses a key policy naming a role that does not exist
 *   (https://docs.aws.amazon.com/macie/latest/user/service-linked-roles.html,
 *   https://docs.aws.amazon.com/macie/latest/user/discovery-supported-encryption-types.html).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { KeyPolicyContext, KeyPolicyStatement } from "./encryption";
import { statefulResourceOptions } from "./lib/stateful";

/** The services whose service-linked role the platform creates, and the role each gets (AWS-defined names). */
export const SERVICE_LINKED_ROLES = {
  "opensearchservice.amazonaws.com": "AWSServiceRoleForAmazonOpenSearchService",
  "macie.amazonaws.com": "AWSServiceRoleForAmazonMacie",
} as const;
export type ServiceLinkedRoleService = keyof typeof SERVICE_LINKED_ROLES;
export const SERVICE_LINKED_ROLE_SERVICES = Object.keys(SERVICE_LINKED_ROLES) as ServiceLinkedRoleService[];

export interface AccountServiceLinkedRole {
  /** The role's ARN: from the created resource (so users wait for it), or built from its name when it exists already. */
  readonly arn: pulumi.Output<string>;
  /** The resource, when this stack creates it (for `dependsOn`). */
  readonly resource: aws.iam.ServiceLinkedRole | undefined;
}

/**
 * The options of a created service-linked role: protected and retained when the stack protects its
 * data (prod), else deleted with the stack (dev). CreateServiceLinkedRole fails for a role the
 * account already has (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateServiceLinkedRole.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html), so a role
 * retained by a destroyed dev stack would make its next `pulumi up` fail.
 */
export function serviceLinkedRoleOptions(protectData: boolean, opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  return statefulResourceOptions(protectData, opts);
}

/** The service-linked role of `service`: created unless `existing` lists it; retained on destroy only when `protectData`. */
export function accountServiceLinkedRole(
  name: string,
  service: ServiceLinkedRoleService,
  config: { readonly existingServiceLinkedRoles: readonly string[]; readonly protectData: boolean },
  opts: pulumi.CustomResourceOptions,
): AccountServiceLinkedRole {
  const existing = config.existingServiceLinkedRoles;
  if (existing.includes(service)) {
    const partition = aws.getPartitionOutput({}, opts);
    const identity = aws.getCallerIdentityOutput({}, opts);
    return {
      arn: pulumi.interpolate`arn:${partition.partition}:iam::${identity.accountId}:role/aws-service-role/${service}/${SERVICE_LINKED_ROLES[service]}`,
      resource: undefined,
    };
  }
  const resource = new aws.iam.ServiceLinkedRole(
    name,
    { awsServiceName: service, description: `Service-linked role of ${service}, created by the healthcare platform` },
    serviceLinkedRoleOptions(config.protectData, opts),
  );
  return { arn: resource.arn, resource };
}

/**
 * Macie's service-linked role decrypting S3 objects encrypted with the key: its managed policy grants
 * no KMS action, so the key policy must ("Allow the Macie service-linked role to use the key",
 * kms:Decrypt, https://docs.aws.amazon.com/macie/latest/user/discovery-supported-encryption-types.html).
 * Without it a classification job on SSE-KMS objects succeeds and classifies nothing.
 */
export function macieKeyStatements(ctx: Pick<KeyPolicyContext, "macieServiceLinkedRoleArn">): KeyPolicyStatement[] {
  const role = ctx.macieServiceLinkedRoleArn;
  if (role === undefined) return [];
  return [
    {
      sid: "MacieServiceLinkedRoleDecryptObjects",
      effect: "Allow",
      principals: [{ type: "AWS", identifiers: [role] }],
      actions: ["kms:Decrypt"],
      resources: ["*"],
    },
  ];
}
