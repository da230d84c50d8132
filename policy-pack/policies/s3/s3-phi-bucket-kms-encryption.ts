import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy, phiClassificationsSchema } from "../lib/define";
import { isClassifiedAs } from "../lib/tags";
import { isPhiBucket } from "../lib/structure";
import { BUCKET_TYPES, S3 } from "../lib/types";
import { UNKNOWN } from "../lib/util";
import { companions, inlineSse, purposeIn, sseSettings } from "./lib";

const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

export const s3PhiBucketKmsEncryption = stackPolicy<{ phiClassifications: string[]; exemptPurposes: string[] }>({
  name: "s3-phi-bucket-kms-encryption",
  description: "Buckets holding PHI are encrypted by default with a customer-managed KMS key.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  cdkNag: ["S3DefaultEncryptionKMS"],
  awsConfig: ["s3-default-encryption-kms"],
  resourceTypes: [...BUCKET_TYPES],
  relatedTypes: [...S3.encryption],
  config: {
    phiClassifications: phiClassificationsSchema(
      "DataClassification values that need a customer-managed key (an untagged bucket counts as PHI).",
    ),
    exemptPurposes: {
      type: "array",
      items: { type: "string" },
      default: ["access-logs"],
      description: "Purpose tags of buckets that AWS services can only write with SSE-S3 (ALB and S3 server access logs).",
    },
  },
  remediationSteps: 'Use `sseAlgorithm: "aws:kms"` with `kmsMasterKeyId` set to a customer-managed key ARN (not alias/aws/s3).',
  examines: [
    {
      rule: "PHI buckets whose Purpose tag is not in exemptPurposes",
      where: (b, ctx) =>
        isPhiBucket(ctx.resources, b, isClassifiedAs(ctx.tags(b), ctx.config.phiClassifications)) &&
        !purposeIn(ctx, b, ctx.config.exemptPurposes),
    },
  ],
  validate: (ctx, report) => {
    ctx.each(ctx.subjects(), (b) => {
      const joined = companions(ctx, b, S3.encryption);
      const settings = [...joined.matched.flatMap(sseSettings), ...inlineSse(b)];
      const cmk = settings.some(
        (s) =>
          KMS_ALGORITHMS.includes(s.algorithm) &&
          (s.kmsKeyId === UNKNOWN || (typeof s.kmsKeyId === "string" && s.kmsKeyId !== "" && !s.kmsKeyId.endsWith("alias/aws/s3"))),
      );
      if (cmk) {
        return;
      }
      if (joined.undecided) {
        ctx.undecided([b.type, b.name, "bucket"]);
        return;
      }
      report(b.urn, "This PHI bucket is not encrypted with a customer-managed KMS key (sseAlgorithm aws:kms with kmsMasterKeyId).");
    });
  },
});
