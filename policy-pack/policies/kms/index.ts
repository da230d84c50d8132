// KMS: customer-managed keys protect every PHI store, so their rotation and key policies are
// PHI controls.

import { KMS_SERVICES_WITHOUT_SOURCE_KEYS, kmsKeyPolicyLeastPrivilege } from "./kms-key-policy-least-privilege";
import { kmsKeyRotationEnabled } from "./kms-key-rotation-enabled";
import { kmsKeyDeletionSafeguards } from "./kms-key-deletion-safeguards";

export { KMS_SERVICES_WITHOUT_SOURCE_KEYS, kmsKeyPolicyLeastPrivilege, kmsKeyRotationEnabled, kmsKeyDeletionSafeguards };

export const kmsPolicies = [kmsKeyRotationEnabled, kmsKeyPolicyLeastPrivilege, kmsKeyDeletionSafeguards];
