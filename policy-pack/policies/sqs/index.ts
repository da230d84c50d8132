// SQS: dead-letter queues keep failed events, which carry PHI references.

import { sqsQueueEncryption } from "./sqs-queue-encryption";

export { sqsQueueEncryption };

export const sqsPolicies = [sqsQueueEncryption];
