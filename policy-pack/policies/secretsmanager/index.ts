// Secrets Manager: database credentials and API keys that open PHI stores.

import { secretsmanagerKmsCmk } from "./secretsmanager-kms-cmk";
import { secretsmanagerRotationEnabled } from "./secretsmanager-rotation-enabled";

export { secretsmanagerKmsCmk, secretsmanagerRotationEnabled };

export const secretsmanagerPolicies = [secretsmanagerKmsCmk, secretsmanagerRotationEnabled];
