// A function that reads PHI logs to a log group of the stack encrypted with a customer-managed key.

import { stackPolicy } from "../lib/define";
import { CITES, hipaa } from "../lib/hipaa";
import { logGroupOf } from "../lib/lambda-paths";
import { PHI_CLASSIFICATIONS_SCHEMA, phiReaders } from "../lib/phi-path";
import { BUCKET_TYPES, IAM_ATTACHMENT_TYPES, IAM_POLICY_DOC_TYPES, T } from "../lib/types";
import { present } from "../lib/util";

export const phiReaderFunctionCmkLogGroup = stackPolicy<{ phiClassifications: string[] }>({
  name: "phi-reader-function-cmk-log-group",
  description:
    "A Lambda function whose execution role may read objects of a PHI bucket logs to a log group of the stack that is encrypted " +
    "with a customer-managed KMS key (kmsKeyId): whatever it logs about PHI is encrypted under a key whose policy the stack controls " +
    "(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html). Without a declared group Lambda " +
    "creates /aws/lambda/<name> on first run, with no key (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest, "164.312(b)"),
  awsConfig: ["cloudwatch-log-group-encrypted"],
  resourceTypes: [T.lambdaFunction],
  relatedTypes: [T.logGroup, T.iamRole, ...IAM_POLICY_DOC_TYPES, ...IAM_ATTACHMENT_TYPES, ...BUCKET_TYPES],
  config: { phiClassifications: PHI_CLASSIFICATIONS_SCHEMA },
  remediationSteps:
    "Declare an aws.cloudwatch.LogGroup with `kmsKeyId` (a customer-managed key whose policy lets logs.<region>.amazonaws.com " +
    'use it under a kms:EncryptionContext:aws:logs:arn condition) and pass it as `loggingConfig: { logFormat: "JSON", ' +
    "logGroup: group.name }` (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).",
  examines: [
    {
      rule: "functions whose role may read a PHI bucket",
      where: (fn, ctx) => phiReaders(ctx.resources, (r) => ctx.tags(r), ctx.config.phiClassifications).some((x) => x.fn === fn),
    },
    {
      types: [T.logGroup],
      rule: "the log group of a function whose role may read a PHI bucket",
      where: (group, ctx) =>
        phiReaders(ctx.resources, (r) => ctx.tags(r), ctx.config.phiClassifications).some(
          (x) => logGroupOf(x.fn, ctx.ofType([T.logGroup])).group === group,
        ),
    },
  ],
  validate: (ctx, report) => {
    const readers = phiReaders(ctx.resources, (r) => ctx.tags(r), ctx.config.phiClassifications);
    const groups = ctx.ofType([T.logGroup]);
    ctx.each(readers, (reader) => {
      const fn = reader.fn;
      const joined = logGroupOf(fn, groups);
      if (joined.group && present(joined.group.props, "kmsKeyId")) {
        return;
      }
      if (reader.reads === "maybe" || (!joined.group && joined.undecided)) {
        ctx.undecided([fn.type, fn.name, reader.reads === "maybe" ? "role" : "name"]);
        return;
      }
      const reads = reader.buckets.map((b) => b.name).join(", ");
      report(
        fn.urn,
        joined.group
          ? `The function's role may read PHI (${reads}) and it logs to ${joined.group.name}, which has no kmsKeyId: ` +
              "encrypt the log group with a customer-managed key."
          : `The function's role may read PHI (${reads}) but no log group of the stack receives its logs, so Lambda creates ` +
              "one with no customer-managed key on first run: declare it with kmsKeyId.",
      );
    });
  },
});
