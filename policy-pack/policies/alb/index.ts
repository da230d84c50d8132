// Application Load Balancer: the only internet-facing entry point.

import { albDropInvalidHeaders } from "./alb-drop-invalid-headers";
import { albAccessLogsEnabled } from "./alb-access-logs-enabled";
import { albListenerTls } from "./alb-listener-tls";
import { albWafEnabled } from "./alb-waf-enabled";

export { albDropInvalidHeaders, albAccessLogsEnabled, albListenerTls, albWafEnabled };

export const albPolicies = [albDropInvalidHeaders, albAccessLogsEnabled, albListenerTls, albWafEnabled];
