/**
 * PHI processing: the patient-data bucket, the data-processor Lambda it triggers, the audit table,
 * the dead-letter queue, the processor's configuration parameter and the alarms on failures.
 *
 * Flow: an object written under `intake/` of the PHI bucket -> S3 event notification -> the
 * data-processor Lambda (in the private subnets, no ingress, HTTPS egress only) -> reads the
 * object, validates it as FHIR R4, copies it under `processed/` or `quarantine/`, writes one audit
 * item to DynamoDB and, for a quarantined object, publishes an alert. An invocation that fails
 * after Lambda's asynchronous retries lands in the KMS-encrypted dead-letter queue; errors,
 * throttles and any message in the DLQ raise CloudWatch alarms to the alert topic.
 *
 * Everything that holds PHI or references it is encrypted with the PHI key: the bucket, the audit
 * table, the function's environment, the DLQ and the SecureString configuration; the function's
 * log group is encrypted with the audit key. The function's role can do exactly what the handler
 * does (lambda/data-processor/contract.ts `DATA_PROCESSOR_ACTIONS`) on exactly these resources.
 *
 * HIPAA Security Rule: 164.312(a)(1) access control (least-privilege role, private subnets),
 * 164.312(a)(2)(iv) encryption at rest, 164.312(b) audit controls (audit table with PITR, traces,
 * logs), 164.312(c)(1) integrity (validation and quarantine), 164.308(a)(6) incident procedures
 * (alarms on failures).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, StackContext } from "../config";
import { platformWiring, type PlatformContext } from "../platform-context";
import { physicalName, ssmParameterName } from "../lib/naming";
import { ReplicationDestination, SecureBucket } from "../lib/secure-bucket";
import { statefulOptions } from "../lib/stateful";
import { createDeadLetterQueue } from "../lib/dead-letter-queue";
import { createFailureAlarm, FailureAlarm } from "../lib/alarms";
import { platformTags } from "../lib/tags";
import { createDataProcessor } from "./data-processor";
import {
  AUDIT_TABLE_ATTRIBUTES,
  DEFAULT_PROCESSOR_CONFIG,
  ProcessorConfig,
  RECORD_CONCURRENCY,
  validateProcessorConfig,
} from "../../lambda/data-processor/contract";

// ---------------------------------------------------------------------------------------------
// Pure settings and validation (exported and tested with tables).

export { DATA_PROCESSOR_ENTRY, PHI_KEY_VIA_SERVICES } from "./data-processor";

/** @default 60 seconds: one object of up to 100 MiB is read, validated and copied well within it. */
export const DEFAULT_TIMEOUT_IN_SECONDS = 60;
/** Lambda's own maximum timeout. */
export const MAX_TIMEOUT_IN_SECONDS = 900;
export { ALARM_PERIOD_SECONDS } from "../lib/alarms";
/** Memory the Node.js runtime and the bundled handler need before any record is read. */
export const BASELINE_MEMORY_IN_MB = 128;

/**
 * The smallest memory setting that holds {@link RECORD_CONCURRENCY} records of `maxRecordSizeInBytes`
 * at once: each takes about ten times its size (raw bytes, decoded string, parsed object), plus
 * {@link BASELINE_MEMORY_IN_MB} for the runtime.
 */
export function minimumMemoryInMb(maxRecordSizeInBytes: number): number {
  return BASELINE_MEMORY_IN_MB + Math.ceil((RECORD_CONCURRENCY * maxRecordSizeInBytes * 10) / (1024 * 1024));
}

/** The processor configuration the component stores: the contract's defaults with the stack's size limit. */
export function processorConfigFor(config: Pick<PlatformConfig, "maxRecordSizeInBytes">): ProcessorConfig {
  return validateProcessorConfig({ ...DEFAULT_PROCESSOR_CONFIG, maxObjectBytes: config.maxRecordSizeInBytes }, "processing config");
}

/** What {@link validateProcessingArgs} checks. */
export interface ProcessingSettings {
  readonly timeoutInSeconds: number;
  readonly dataProcessorMemoryInMb: number;
  readonly maxRecordSizeInBytes: number;
}

/** Every problem of the settings, each naming the arg, the bad value and the fix; empty when valid. */
export function validateProcessingArgs(settings: ProcessingSettings): string[] {
  const problems: string[] = [];
  const t = settings.timeoutInSeconds;
  if (!Number.isInteger(t) || t < 1 || t > MAX_TIMEOUT_IN_SECONDS) {
    problems.push(`timeoutInSeconds must be a whole number from 1 to ${MAX_TIMEOUT_IN_SECONDS}, got ${t}`);
  }
  const needed = minimumMemoryInMb(settings.maxRecordSizeInBytes);
  if (settings.dataProcessorMemoryInMb < needed) {
    problems.push(
      `dataProcessorMemoryInMb must be at least ${needed} to hold ${RECORD_CONCURRENCY} records of maxRecordSizeInBytes ` +
        `${settings.maxRecordSizeInBytes} at once, got ${settings.dataProcessorMemoryInMb}: raise dataProcessorMemoryInMb or lower maxRecordSizeInBytes`,
    );
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

/** What a {@link Processing}'s builders receive: its {@link ProcessingArgs} with the platform context unpacked. */
export interface ProcessingWiring {
  readonly config: StackContext &
    Pick<
      PlatformConfig,
      | "vpcCidr"
      | "dataRetentionInDays"
      | "logRetentionInDays"
      | "dataProcessorMemoryInMb"
      | "dataProcessorReservedConcurrency"
      | "maxRecordSizeInBytes"
    >;
  /** The PHI key: bucket, table, function environment, DLQ and the SecureString parameter. */
  readonly phiKeyArn: pulumi.Input<string>;
  /** The audit key: the function's log group (CloudWatch Logs may use it for `/aws/lambda/hcp-<stack>-*`). */
  readonly auditKeyArn: pulumi.Input<string>;
  /** Name of the bucket that receives the PHI bucket's server access logs. */
  readonly accessLogBucket: pulumi.Input<string>;
  /** SNS topic for quarantine alerts (published by the function) and the failure alarms. */
  readonly alertTopicArn: pulumi.Input<string>;
  /**
   * The key the alert topic is encrypted with; the function may use it through SNS to publish.
   * @default auditKeyArn (the platform's alert topic is encrypted with the audit key)
   */
  readonly alertTopicKeyArn?: pulumi.Input<string>;
  /** Private subnets the function's ENIs are placed in (routes out only through NAT and endpoints). */
  readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly vpcId: pulumi.Input<string>;
  /**
   * Prefix lists of the S3 and DynamoDB gateway endpoints; with them, the function's HTTPS egress
   * is limited to the VPC CIDR and these lists.
   * @default none: HTTPS egress to 0.0.0.0/0 on 443 instead (S3 and DynamoDB have public
   * addresses; the gateway endpoints' routes still keep that traffic on the AWS network)
   */
  readonly gatewayEndpointPrefixListIds?: readonly pulumi.Input<string>[];
  /** @default 60 ({@link DEFAULT_TIMEOUT_IN_SECONDS}) */
  readonly timeoutInSeconds?: number;
  /**
   * The recovery copy the PHI bucket replicates to (`Recovery.phiReplica`).
   * @default no replication (prod always sets it: config requires a recovery region there)
   */
  readonly phiReplica?: ReplicationDestination;
}

/**
 * A {@link Processing}'s arguments: the platform context (config; the `phi` key for the bucket, table,
 * function environment, DLQ and parameter, the `audit` key for the function's log group; the access-log
 * bucket; the alert topic for quarantine alerts and the failure alarms) and its own placement.
 */
export interface ProcessingArgs extends Omit<
  ProcessingWiring,
  "config" | "phiKeyArn" | "auditKeyArn" | "accessLogBucket" | "alertTopicArn"
> {
  readonly platform: PlatformContext;
}

export class Processing extends pulumi.ComponentResource {
  readonly dataBucketName: pulumi.Output<string>;
  readonly dataBucketArn: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;
  readonly functionArn: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;
  /** The PHI bucket's replication role, when it replicates (it reads every new version). */
  readonly replicationRoleArn: pulumi.Output<string> | undefined;
  readonly securityGroupId: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  readonly tableName: pulumi.Output<string>;
  readonly tableArn: pulumi.Output<string>;
  readonly deadLetterQueueArn: pulumi.Output<string>;
  readonly deadLetterQueueUrl: pulumi.Output<string>;
  readonly configParameterName: pulumi.Output<string>;
  readonly configParameterArn: pulumi.Output<string>;
  /** The processor configuration stored in the parameter (prefixes, size limit, resource types). */
  readonly processorConfig: ProcessorConfig;

  constructor(name: string, { platform, ...own }: ProcessingArgs, opts?: pulumi.ComponentResourceOptions) {
    const args: ProcessingWiring = {
      ...own,
      ...platformWiring(platform),
      phiKeyArn: platform.keyArns.phi,
    };
    const { config } = args;
    const timeoutInSeconds = args.timeoutInSeconds ?? DEFAULT_TIMEOUT_IN_SECONDS;
    // Checked before registering: refused args leave nothing behind, not even the component.
    const problems = validateProcessingArgs({
      timeoutInSeconds,
      dataProcessorMemoryInMb: config.dataProcessorMemoryInMb,
      maxRecordSizeInBytes: config.maxRecordSizeInBytes,
    });
    if (problems.length > 0) {
      throw new Error(`Processing "${name}": invalid arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
    const processorConfig = processorConfigFor(config);
    super("healthcare:processing:Processing", name, {}, opts);

    const parent = { parent: this };
    const stateful = statefulOptions(this, config.protectData);
    const stack = config.stack;
    const tags = (purpose: string, dataClassification?: "PHI") => ({ ...platformTags(config, { purpose, dataClassification }) });
    const identity = aws.getCallerIdentityOutput({}, parent);
    const region = aws.getRegionOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent);
    const accountId = identity.accountId;

    // --- The PHI data bucket -------------------------------------------------------------------
    const bucket = new SecureBucket(
      `${name}-phi-data`,
      {
        config,
        purpose: "phi-data",
        kmsKeyArn: args.phiKeyArn,
        dataClassification: "PHI",
        accessLogBucket: args.accessLogBucket,
        replicateTo: args.phiReplica,
      },
      parent,
    );

    // --- Audit table ---------------------------------------------------------------------------
    const table = new aws.dynamodb.Table(
      `${name}-audit-table`,
      {
        name: physicalName(stack, "dynamoTable", "audit"),
        billingMode: "PAY_PER_REQUEST",
        hashKey: AUDIT_TABLE_ATTRIBUTES.hashKey,
        rangeKey: AUDIT_TABLE_ATTRIBUTES.rangeKey,
        attributes: AUDIT_TABLE_ATTRIBUTES.attributes.map((a) => ({ name: a.name, type: a.type })),
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: args.phiKeyArn },
        deletionProtectionEnabled: config.protectData,
        tags: tags("processing-audit", "PHI"),
      },
      stateful,
    );

    // --- Dead-letter queue ---------------------------------------------------------------------
    const { queue: dlq } = createDeadLetterQueue(
      `${name}-dlq`,
      {
        stack,
        nameParts: ["data-processor", "dlq"],
        kmsKeyArn: args.phiKeyArn,
        alertTopicArn: args.alertTopicArn,
        alarmDescription: "data-processor events are in the dead-letter queue: they failed every retry and need a redrive",
        tags: tags("data-processor-dlq", "PHI"),
      },
      parent,
    );

    // --- Configuration parameter ---------------------------------------------------------------
    const parameter = new aws.ssm.Parameter(
      `${name}-config`,
      {
        name: ssmParameterName(stack, "data-processor", "config"),
        description: "data-processor configuration (lambda/data-processor/contract.ts ProcessorConfig)",
        type: "SecureString",
        keyId: args.phiKeyArn,
        value: JSON.stringify(processorConfig),
        tags: tags("data-processor-config"),
      },
      parent,
    );

    // --- The function, its role, security group and log group (data-processor.ts) ---------------
    const { fn, role, securityGroup, logGroup } = createDataProcessor(name, this, args, {
      timeoutInSeconds,
      processorConfig,
      tags,
      accountId,
      region,
      partition,
      bucket,
      table,
      dlq,
      parameter,
    });

    // --- Trigger -------------------------------------------------------------------------------
    const permission = new aws.lambda.Permission(
      `${name}-s3-invoke`,
      {
        statementId: "AllowPhiBucketInvoke",
        action: "lambda:InvokeFunction",
        function: fn.name,
        principal: "s3.amazonaws.com",
        sourceArn: bucket.arn,
        sourceAccount: accountId,
      },
      parent,
    );
    new aws.s3.BucketNotification(
      `${name}-intake-notification`,
      {
        bucket: bucket.bucketName,
        lambdaFunctions: [{ lambdaFunctionArn: fn.arn, events: ["s3:ObjectCreated:*"], filterPrefix: processorConfig.intakePrefix }],
      },
      { parent: this, dependsOn: [permission] },
    );

    // --- Alarms --------------------------------------------------------------------------------
    const alarm = (
      purpose: string,
      description: string,
      watch: Pick<FailureAlarm, "namespace" | "metricName" | "dimensions" | "statistic">,
    ) =>
      createFailureAlarm(
        `${name}-${purpose}-alarm`,
        { alarmName: physicalName(stack, "alarm", "data-processor", purpose), description, ...watch },
        args.alertTopicArn,
        tags("data-processor-alarm"),
        { parent: this },
      );
    alarm("errors", "data-processor invocations failed in the last 5 minutes", {
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: fn.name },
      statistic: "Sum",
    });
    alarm("throttles", "data-processor invocations were throttled (reserved concurrency reached) in the last 5 minutes", {
      namespace: "AWS/Lambda",
      metricName: "Throttles",
      dimensions: { FunctionName: fn.name },
      statistic: "Sum",
    });

    this.processorConfig = processorConfig;
    this.dataBucketName = pulumi.output(bucket.bucketName);
    this.dataBucketArn = pulumi.output(bucket.arn);
    this.functionName = fn.name;
    this.functionArn = fn.arn;
    this.roleArn = role.role.arn;
    this.replicationRoleArn = bucket.replication?.role;
    this.securityGroupId = securityGroup.id;
    this.logGroupName = logGroup.name;
    this.tableName = table.name;
    this.tableArn = table.arn;
    this.deadLetterQueueArn = dlq.arn;
    this.deadLetterQueueUrl = dlq.url;
    this.configParameterName = parameter.name;
    this.configParameterArn = parameter.arn;
    this.registerOutputs({
      dataBucketName: this.dataBucketName,
      dataBucketArn: this.dataBucketArn,
      functionName: this.functionName,
      functionArn: this.functionArn,
      tableName: this.tableName,
      tableArn: this.tableArn,
      deadLetterQueueArn: this.deadLetterQueueArn,
      configParameterName: this.configParameterName,
    });
  }
}
