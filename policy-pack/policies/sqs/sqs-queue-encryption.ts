import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy, phiClassificationsSchema } from "../lib/define";
import { isClassifiedAs } from "../lib/tags";
import { T } from "../lib/types";
import { get, isTrue, present, probe, UNKNOWN } from "../lib/util";

export const sqsQueueEncryption = resourcePolicy<{ phiClassifications: string[] }>({
  name: "sqs-queue-encryption",
  description: "SQS queues are encrypted at rest; queues holding PHI use a customer-managed KMS key.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  resourceTypes: [T.sqsQueue],
  config: {
    phiClassifications: phiClassificationsSchema(
      "DataClassification values that need a customer-managed key (an untagged queue counts as PHI).",
    ),
  },
  remediationSteps:
    "Set `kmsMasterKeyId` to a customer-managed key ARN (SSE-SQS, `sqsManagedSseEnabled: true`, is " +
    "accepted only for queues that are not classified PHI).",
  validate: (ctx, report) => {
    const key = probe(ctx.props, "kmsMasterKeyId");
    const cmk = key === UNKNOWN || (typeof key === "string" && key !== "" && !key.endsWith("alias/aws/sqs"));
    if (cmk) {
      return;
    }
    if (isClassifiedAs(ctx.tags(), ctx.config.phiClassifications)) {
      report("The queue may hold PHI but is not encrypted with a customer-managed KMS key (kmsMasterKeyId).");
    } else if (!present(ctx.props, "kmsMasterKeyId") && !isTrue(get(ctx.props, "sqsManagedSseEnabled"))) {
      report("The queue is not encrypted: set kmsMasterKeyId or sqsManagedSseEnabled: true.");
    }
  },
});
