// Tags: classification drives which PHI controls apply, and exemptions live in tags.

import { TAGGABLE_TYPES, requiredTags } from "./required-tags";
import { exemptionRequiresReason } from "./exemption-requires-reason";

export { TAGGABLE_TYPES, requiredTags, exemptionRequiresReason };

export const tagPolicies = [requiredTags, exemptionRequiresReason];
