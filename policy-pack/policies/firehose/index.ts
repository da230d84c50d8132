// Kinesis Data Firehose (and Kinesis streams): the security-event pipeline carries CloudTrail data
// events for PHI buckets.

import { firehoseEncryption } from "./firehose-encryption";
import { kinesisStreamEncrypted } from "./kinesis-stream-encrypted";
import { firehoseOpenSearchVpcConfig } from "./firehose-opensearch-vpc-config";
import { firehoseProcessorParametersNotDefault } from "./firehose-processor-parameters-not-default";

export { firehoseEncryption, kinesisStreamEncrypted, firehoseOpenSearchVpcConfig, firehoseProcessorParametersNotDefault };

export const firehosePolicies = [
  firehoseEncryption,
  kinesisStreamEncrypted,
  firehoseOpenSearchVpcConfig,
  firehoseProcessorParametersNotDefault,
];
