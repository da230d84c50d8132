// CloudTrail: the audit trail of who did what to PHI (164.312(b)).

import { cloudtrailEncryptionEnabled } from "./cloudtrail-encryption-enabled";
import { cloudtrailLogFileValidation } from "./cloudtrail-log-file-validation";
import { cloudtrailCloudWatchLogs } from "./cloudtrail-cloudwatch-logs";
import { cloudtrailMultiRegionEnabled } from "./cloudtrail-multi-region-enabled";
import { cloudtrailPhiBucketDataEvents } from "./cloudtrail-phi-bucket-data-events";
import { cloudtrailTrailInStack } from "./cloudtrail-trail-in-stack";

export {
  cloudtrailEncryptionEnabled,
  cloudtrailLogFileValidation,
  cloudtrailCloudWatchLogs,
  cloudtrailMultiRegionEnabled,
  cloudtrailPhiBucketDataEvents,
  cloudtrailTrailInStack,
};

export const cloudtrailPolicies = [
  cloudtrailEncryptionEnabled,
  cloudtrailLogFileValidation,
  cloudtrailCloudWatchLogs,
  cloudtrailMultiRegionEnabled,
  cloudtrailPhiBucketDataEvents,
  cloudtrailTrailInStack,
];
