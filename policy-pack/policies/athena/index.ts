// Athena: queries over the archive of PHI access events.

import { athenaWorkgroupEncryptedResults } from "./athena-workgroup-encrypted-results";
import { athenaWorkgroupQueryLimits } from "./athena-workgroup-query-limits";

export { athenaWorkgroupEncryptedResults, athenaWorkgroupQueryLimits };

export const athenaPolicies = [athenaWorkgroupEncryptedResults, athenaWorkgroupQueryLimits];
