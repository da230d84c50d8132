// CloudWatch Logs and alarms: log groups hold audit records and, often, fragments of PHI.

import { VALID_RETENTION_DAYS, cloudwatchLogGroupRetention } from "./cloudwatch-log-group-retention";
import { cloudwatchLogGroupEncrypted } from "./cloudwatch-log-group-encrypted";
import { cloudwatchAlarmAction } from "./cloudwatch-alarm-action";

export { VALID_RETENTION_DAYS, cloudwatchLogGroupRetention, cloudwatchLogGroupEncrypted, cloudwatchAlarmAction };

export const cloudwatchPolicies = [cloudwatchLogGroupEncrypted, cloudwatchLogGroupRetention, cloudwatchAlarmAction];
