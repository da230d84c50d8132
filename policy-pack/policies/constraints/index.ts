// Create-time value constraints: one policy per file, each citing the AWS API reference of the
// constraint and the provider source that shows the provider does not check it.

import { ec2SecurityGroupRuleDescription } from "./ec2-security-group-rule-description";
import { ec2SecurityGroupCreateValues } from "./ec2-security-group-create-values";
import { wafv2Description } from "./wafv2-description-pattern";

export const constraintPolicies = [ec2SecurityGroupCreateValues, ec2SecurityGroupRuleDescription, wafv2Description];
