// SNS: security alerts and incident notifications may quote PHI identifiers.

import { snsTopicKmsEncryption } from "./sns-topic-kms-encryption";

export { snsTopicKmsEncryption };

export const snsPolicies = [snsTopicKmsEncryption];
