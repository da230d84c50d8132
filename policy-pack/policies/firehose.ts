// Kinesis Data Firehose (and Kinesis streams): the security-event pipeline carries CloudTrail data
// events for PHI buckets.

import { CITES, hipaa } from "./lib/hipaa";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { identifiers } from "./lib/join";
import { T } from "./lib/types";
import { get, isTrue, list, present, probe, str, UNKNOWN } from "./lib/util";

export const firehoseEncryption = resourcePolicy<{ requireCustomerManagedKey: boolean }>({
  name: "firehose-encryption",
  description: "Direct-put Firehose delivery streams encrypt buffered records with a customer-managed KMS key.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  resourceTypes: [T.firehose],
  config: {
    requireCustomerManagedKey: {
      type: "boolean",
      default: true,
      description: "Require keyType CUSTOMER_MANAGED_CMK (false accepts the AWS-owned key).",
    },
  },
  remediationSteps:
    'Set `serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: key.arn }`. ' +
    "Streams fed by a Kinesis stream inherit its encryption (see kinesis-stream-encrypted).",
  validate: (ctx, report) => {
    if (present(ctx.props, "kinesisSourceConfiguration") || present(ctx.props, "mskSourceConfiguration")) {
      return; // encryption at rest is the source stream's
    }
    if (!isTrue(get(ctx.props, "serverSideEncryption", "enabled"))) {
      report("Server-side encryption is off: set serverSideEncryption.enabled: true.");
      return;
    }
    if (ctx.config.requireCustomerManagedKey) {
      const type = str(get(ctx.props, "serverSideEncryption", "keyType")) ?? "AWS_OWNED_CMK";
      if (type !== "CUSTOMER_MANAGED_CMK" || !present(ctx.props, "serverSideEncryption", "keyArn")) {
        report("The stream uses the AWS-owned key: set keyType CUSTOMER_MANAGED_CMK with keyArn.");
      }
    }
  },
});

export const kinesisStreamEncrypted = resourcePolicy({
  name: "kinesis-stream-encrypted",
  description: "Kinesis data streams are encrypted with KMS.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest),
  awsConfig: ["kinesis-stream-encrypted"],
  resourceTypes: [T.kinesisStream],
  remediationSteps: 'Set `encryptionType: "KMS"` and `kmsKeyId` to a customer-managed key.',
  validate: (ctx, report) => {
    if (str(get(ctx.props, "encryptionType")) !== "KMS" || !present(ctx.props, "kmsKeyId")) {
      report("The stream is not encrypted with KMS (encryptionType KMS with kmsKeyId).");
    }
  },
});

const DOC_FIREHOSE_VPC = "https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-es-vpc";

export const firehoseOpenSearchVpcConfig = stackPolicy({
  name: "firehose-opensearch-vpc-config",
  description:
    "A Firehose stream that delivers to an OpenSearch domain in a VPC declares the stream's own vpcConfig (subnets, security " +
    `groups, role): without it Firehose cannot reach the domain's endpoint and every record goes to the S3 backup (${DOC_FIREHOSE_VPC}).`,
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa("164.312(b)", "164.308(a)(1)(ii)(D)"),
  resourceTypes: [T.firehose],
  relatedTypes: [T.openSearchDomain],
  tags: ["deploy-trap"],
  remediationSteps:
    "Set `opensearchConfiguration.vpcConfig: { subnetIds, securityGroupIds, roleArn }` with subnets that reach the " +
    `domain and a security group the domain's group admits on 443; the role needs the ec2 ENI actions (${DOC_FIREHOSE_VPC}).`,
  validate: (ctx, report) => {
    const domains = ctx.ofType([T.openSearchDomain]);
    const byId = new Map<string, (typeof domains)[number]>();
    for (const d of domains) {
      for (const id of identifiers(d).known) {
        byId.set(id, d);
      }
      const name = probe(d.props, "domainName");
      if (typeof name === "string") {
        byId.set(`domain/${name}`, d);
      }
    }
    ctx.each(ctx.ofType([T.firehose]), (s) => {
      const cfg = probe(s.props, "opensearchConfiguration") ?? probe(s.props, "elasticsearchConfiguration");
      if (cfg === undefined || cfg === null || cfg === UNKNOWN) {
        return;
      }
      const arn = probe(cfg, "domainArn");
      let domain = typeof arn === "string" ? (byId.get(arn) ?? byId.get(arn.slice(arn.indexOf("domain/")))) : undefined;
      if (!domain) {
        const pd = [
          ...(s.propertyDependencies?.opensearchConfiguration ?? []),
          ...(s.propertyDependencies?.elasticsearchConfiguration ?? []),
        ].filter((r) => r.type === T.openSearchDomain);
        domain = pd.length === 1 ? pd[0] : undefined;
      }
      if (!domain) {
        return; // a domain outside the stack: its network placement cannot be seen
      }
      const subnets = probe(domain.props, "vpcOptions", "subnetIds");
      const inVpc = subnets === UNKNOWN || (Array.isArray(subnets) && subnets.length > 0);
      if (!inVpc) {
        return;
      }
      if (!present(cfg, "vpcConfig", "subnetIds")) {
        report(
          s.urn,
          `The stream delivers to ${domain.name}, a domain inside a VPC, but has no opensearchConfiguration.vpcConfig: ` +
            "Firehose cannot reach the VPC endpoint and delivery fails. Add vpcConfig with subnets, security groups and a role.",
        );
      }
    });
  },
});

/** Processor parameter defaults (https://docs.aws.amazon.com/firehose/latest/APIReference/API_ProcessorParameter.html). */
const PROCESSOR_DEFAULTS: Record<string, Record<string, string>> = {
  Lambda: { NumberOfRetries: "3", BufferSizeInMBs: "1", BufferIntervalInSeconds: "60" },
};

export const firehoseProcessorParametersNotDefault = resourcePolicy({
  name: "firehose-processor-parameters-not-default",
  description:
    "Firehose processors do not set a parameter to its AWS default value: the API omits defaults when it returns the " +
    "configuration, so every refresh shows a diff and every update rewrites the stream " +
    "(https://docs.aws.amazon.com/firehose/latest/APIReference/API_ProcessorParameter.html).",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.312(b)"),
  resourceTypes: [T.firehose],
  tags: ["deploy-trap"],
  remediationSteps:
    "Remove the parameter (AWS applies the default): Lambda NumberOfRetries 3, BufferSizeInMBs 1, BufferIntervalInSeconds 60 " +
    "(https://docs.aws.amazon.com/firehose/latest/APIReference/API_ProcessorParameter.html).",
  validate: (ctx, report) => {
    for (const key of [
      "extendedS3Configuration",
      "opensearchConfiguration",
      "elasticsearchConfiguration",
      "httpEndpointConfiguration",
      "splunkConfiguration",
      "redshiftConfiguration",
      "opensearchserverlessConfiguration",
      "snowflakeConfiguration",
      "icebergConfiguration",
    ]) {
      const processors = list(get(ctx.props, key, "processingConfiguration", "processors"));
      for (const p of processors) {
        const defaults = PROCESSOR_DEFAULTS[str(get(p, "type")) ?? ""] ?? {};
        for (const param of list(get(p, "parameters"))) {
          const name = str(get(param, "parameterName")) ?? "";
          const value = get(param, "parameterValue");
          if (defaults[name] !== undefined && String(value) === defaults[name]) {
            report(
              `${key}: the ${str(get(p, "type"))} processor sets ${name} to its default ${defaults[name]}, which AWS does ` +
                "not return: a perpetual diff. Remove the parameter.",
            );
          }
        }
      }
    }
  },
});

export const firehosePolicies = [
  firehoseEncryption,
  kinesisStreamEncrypted,
  firehoseOpenSearchVpcConfig,
  firehoseProcessorParametersNotDefault,
];
