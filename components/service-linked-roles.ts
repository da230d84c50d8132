/**
 * The account's service-linked roles the platform needs before the resources that use them: one per
 * account (all regions), so creating one the account already has fails ("Service role name ... has
 * been taken in this account"). The stack key `existingServiceLinkedRoles` lists those the account
 * already has; each other one is created here (and kept when the stack is destroyed: other stacks
 * and consoles of the account use it too).
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

/** The service-linked role of `service`: created unless `existing` lists it. */
export function accountServiceLinkedRole(
  name: string,
  service: ServiceLinkedRoleService,
  existing: readonly string[],
  opts: pulumi.CustomResourceOptions,
): AccountServiceLinkedRole {
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
    { ...opts, retainOnDelete: true },
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
