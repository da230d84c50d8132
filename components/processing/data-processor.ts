/**
 * The data processor: the Lambda function, its role, security group and log group (createVpcFunction),
 * with exactly the calls it makes on the PHI bucket's prefixes, the audit table, the alert topic, its
 * configuration parameter and the keys, each key use bound to its service and resource.
 */
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SecureBucket } from "../lib/secure-bucket";
import { kmsViaServiceCondition } from "../lib/service-role";
import type { Tags } from "../lib/tags";
import { createVpcFunction, vpcFunctionNames, type VpcFunction } from "../lib/vpc-function";
import { DATA_PROCESSOR_ACTIONS, DATA_PROCESSOR_ENV, DATA_PROCESSOR_HANDLER, ProcessorConfig } from "../../lambda/data-processor/contract";
import type { ProcessingWiring } from "./index";

/** The handler's entry point, bundled by esbuild into the function's code archive. */
export const DATA_PROCESSOR_ENTRY = path.join(__dirname, "..", "..", "lambda", "data-processor", "index.ts");
/** Services the function's role may use the PHI key through (`kms:ViaService`). */
export const PHI_KEY_VIA_SERVICES: readonly string[] = Object.freeze(["s3", "dynamodb", "ssm", "sqs", "lambda"]);

export function createDataProcessor(
  name: string,
  component: pulumi.ComponentResource,
  args: ProcessingWiring,
  parts: {
    readonly timeoutInSeconds: number;
    readonly processorConfig: ProcessorConfig;
    readonly tags: (purpose: string, dataClassification?: "PHI") => Tags;
    readonly accountId: pulumi.Output<string>;
    readonly region: pulumi.Output<aws.GetRegionResult>;
    readonly partition: pulumi.Output<aws.GetPartitionResult>;
    readonly bucket: SecureBucket;
    readonly table: aws.dynamodb.Table;
    readonly dlq: aws.sqs.Queue;
    readonly parameter: aws.ssm.Parameter;
  },
): VpcFunction {
  const { config } = args;
  const { timeoutInSeconds, processorConfig, tags, accountId, region, partition, bucket, table, dlq, parameter } = parts;
  const viaService = (services: readonly string[]) => kmsViaServiceCondition(services, region.region, partition.dnsSuffix);
  const objects = (prefix: string) => pulumi.interpolate`${bucket.arn}/${prefix}*`;
  return createVpcFunction(
    name,
    {
      config,
      description: "Validates FHIR R4 intake objects, files them as processed or quarantined, audits each one",
      entry: DATA_PROCESSOR_ENTRY,
      handler: DATA_PROCESSOR_HANDLER,
      memorySizeInMb: config.dataProcessorMemoryInMb,
      timeoutInSeconds,
      reservedConcurrency: config.dataProcessorReservedConcurrency,
      environment: {
        [DATA_PROCESSOR_ENV.auditTableName]: table.name,
        [DATA_PROCESSOR_ENV.alertTopicArn]: args.alertTopicArn,
        // Name and version: a configuration change updates the function, and new instances read exactly it.
        [DATA_PROCESSOR_ENV.configParameterName]: pulumi.interpolate`${parameter.name}:${parameter.version}`,
      },
      environmentKeyArn: args.phiKeyArn,
      logKeyArn: args.auditKeyArn,
      deadLetterQueueArn: dlq.arn,
      network: {
        vpcId: args.vpcId,
        subnetIds: args.privateSubnetIds,
        // The VPC's CIDR (stack config, validated there): the function reaches the interface endpoints in it on 443.
        vpcCidr: config.vpcCidr,
        gatewayEndpointPrefixListIds: args.gatewayEndpointPrefixListIds,
      },
      statements: [
        {
          sid: "ReadIntakeObjects",
          effect: "Allow",
          actions: [...DATA_PROCESSOR_ACTIONS.s3Read],
          resources: [objects(processorConfig.intakePrefix)],
        },
        {
          sid: "WriteProcessedAndQuarantinedObjects",
          effect: "Allow",
          actions: [...DATA_PROCESSOR_ACTIONS.s3Write],
          resources: [objects(processorConfig.processedPrefix), objects(processorConfig.quarantinePrefix)],
        },
        // CopyObject with tags needs s3:PutObjectTagging as well; only quarantined copies are tagged.
        {
          sid: "TagQuarantinedObjects",
          effect: "Allow",
          actions: [...DATA_PROCESSOR_ACTIONS.s3Tag],
          resources: [objects(processorConfig.quarantinePrefix)],
        },
        { sid: "WriteAuditRecords", effect: "Allow", actions: [...DATA_PROCESSOR_ACTIONS.dynamodb], resources: [table.arn] },
        { sid: "PublishQuarantineAlerts", effect: "Allow", actions: [...DATA_PROCESSOR_ACTIONS.sns], resources: [args.alertTopicArn] },
        { sid: "ReadProcessorConfig", effect: "Allow", actions: [...DATA_PROCESSOR_ACTIONS.ssm], resources: [parameter.arn] },
        {
          sid: "UsePhiKeyThroughDataServices",
          effect: "Allow",
          actions: [...DATA_PROCESSOR_ACTIONS.kms],
          resources: [args.phiKeyArn],
          conditions: [viaService(PHI_KEY_VIA_SERVICES.filter((svc) => svc !== "s3" && svc !== "lambda"))],
        },
        // Through S3 and Lambda only for this bucket and this function, by the encryption context each
        // service sends: S3 the bucket ARN (with a Bucket Key) or the object ARN
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context),
        // Lambda the function ARN (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html).
        {
          sid: "UsePhiKeyThroughS3ForThePhiBucket",
          effect: "Allow",
          actions: [...DATA_PROCESSOR_ACTIONS.kms],
          resources: [args.phiKeyArn],
          conditions: [
            viaService(["s3"]),
            { test: "ArnLike", variable: "kms:EncryptionContext:aws:s3:arn", values: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`] },
          ],
        },
        {
          sid: "UsePhiKeyThroughLambdaForThisFunction",
          effect: "Allow",
          actions: [...DATA_PROCESSOR_ACTIONS.kms],
          resources: [args.phiKeyArn],
          conditions: [
            viaService(["lambda"]),
            {
              test: "StringEquals",
              variable: "kms:EncryptionContext:aws:lambda:FunctionArn",
              values: [
                pulumi.interpolate`arn:${partition.partition}:lambda:${region.region}:${accountId}:function:${vpcFunctionNames(config.stack, "data-processor").functionName}`,
              ],
            },
          ],
        },
        {
          sid: "UseAlertTopicKeyThroughSns",
          effect: "Allow",
          actions: ["kms:GenerateDataKey", "kms:Decrypt"],
          resources: [args.alertTopicKeyArn ?? args.auditKeyArn],
          conditions: [viaService(["sns"])],
        },
      ],
      tags: (purpose) => tags(purpose),
      purpose: "data-processor",
      functionTags: tags("data-processor", "PHI"),
    },
    { parent: component },
  );
}
