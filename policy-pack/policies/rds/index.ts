// RDS: the application database holds PHI.

import { rdsStorageEncrypted } from "./rds-storage-encrypted";
import { rdsNoPublicAccess } from "./rds-no-public-access";
import { rdsBackupEnabled } from "./rds-backup-enabled";
import { rdsLoggingEnabled } from "./rds-logging-enabled";
import { rdsAutoMinorVersionUpgrade } from "./rds-auto-minor-version-upgrade";
import { rdsEnhancedMonitoring } from "./rds-enhanced-monitoring";
import { rdsMultiAzProd } from "./rds-multi-az-prod";

export {
  rdsStorageEncrypted,
  rdsNoPublicAccess,
  rdsBackupEnabled,
  rdsLoggingEnabled,
  rdsAutoMinorVersionUpgrade,
  rdsEnhancedMonitoring,
  rdsMultiAzProd,
};

export const rdsPolicies = [
  rdsStorageEncrypted,
  rdsNoPublicAccess,
  rdsBackupEnabled,
  rdsLoggingEnabled,
  rdsAutoMinorVersionUpgrade,
  rdsEnhancedMonitoring,
  rdsMultiAzProd,
];
