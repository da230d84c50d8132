// WAFv2: the web ACL in front of the ALB.

import { wafv2LoggingEnabled } from "./wafv2-logging-enabled";
import { wafv2ManagedRuleGroups } from "./wafv2-managed-rule-groups";

export { wafv2LoggingEnabled, wafv2ManagedRuleGroups };

export const wafv2Policies = [wafv2LoggingEnabled, wafv2ManagedRuleGroups];
