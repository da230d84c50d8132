// IAM: least privilege for every role, user and policy of the platform.

import { iamNoAdminAccess } from "./iam-no-admin-access";
import { iamNoFullServiceAccess } from "./iam-no-full-service-access";
import { iamNoKmsDecryptAllKeys } from "./iam-no-kms-decrypt-all-keys";
import { iamRoleTrustRestricted } from "./iam-role-trust-restricted";
import { iamNoInlinePolicy } from "./iam-no-inline-policy";
import { iamUserNoDirectPolicies } from "./iam-user-no-direct-policies";
import { iamUserGroupMembership } from "./iam-user-group-membership";
import { iamGroupHasUsers } from "./iam-group-has-users";
import { iamCloudtrailLogsRoleTrustUnconditioned } from "./iam-cloudtrail-logs-role-trust-unconditioned";
import { iamPhiRoleNoAwsManagedLogsWildcard } from "./iam-phi-role-no-aws-managed-logs-wildcard";
import { iamGroupMfaEnforced } from "./iam-group-mfa-enforced";

export {
  iamNoAdminAccess,
  iamNoFullServiceAccess,
  iamNoKmsDecryptAllKeys,
  iamRoleTrustRestricted,
  iamNoInlinePolicy,
  iamUserNoDirectPolicies,
  iamUserGroupMembership,
  iamGroupHasUsers,
  iamCloudtrailLogsRoleTrustUnconditioned,
  iamPhiRoleNoAwsManagedLogsWildcard,
  iamGroupMfaEnforced,
};

export const iamPolicies = [
  iamNoAdminAccess,
  iamNoFullServiceAccess,
  iamNoKmsDecryptAllKeys,
  iamRoleTrustRestricted,
  iamNoInlinePolicy,
  iamUserNoDirectPolicies,
  iamUserGroupMembership,
  iamGroupHasUsers,
  iamGroupMfaEnforced,
  iamCloudtrailLogsRoleTrustUnconditioned,
  iamPhiRoleNoAwsManagedLogsWildcard,
];
