// Firehose, Kinesis, Step Functions, Athena and Glue: the security-event pipeline.
import { athenaWorkgroupEncryptedResults, athenaWorkgroupQueryLimits } from "../../policy-pack/policies/athena";
import { firehoseEncryption, kinesisStreamEncrypted } from "../../policy-pack/policies/firehose";
import {
  glueDataCatalogEncrypted,
  glueDataCatalogEncryptionInStack,
  glueJobsUseSecurityConfiguration,
  glueSecurityConfigurationEncrypted,
} from "../../policy-pack/policies/glue";
import { UNKNOWN_BOOLEAN, UNKNOWN_NUMBER, UNKNOWN_STRING } from "../../policy-pack/policies/lib/unknown";
import { sfnLoggingAllWithExecutionData, sfnXrayTracing } from "../../policy-pack/policies/stepfunctions";
import { set } from "../../policy-pack/test-support/builder";
import { Platform } from "../../policy-pack/test-support/platform";
import { policySuite } from "../../policy-pack/test-support/suite";

const stream = (p: Platform) => p.find("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream");
const sfn = (p: Platform) => p.find("aws:sfn/stateMachine:StateMachine");
const wg = (p: Platform) => p.find("aws:athena/workgroup:Workgroup");
const secConf = (p: Platform) => p.find("aws:glue/securityConfiguration:SecurityConfiguration");
const job = (p: Platform) => p.find("aws:glue/job:Job");
const catalogEnc = (p: Platform) => p.find("aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings");
const kinesis = (p: Platform, inputs: Record<string, unknown>) =>
  p.add("aws:kinesis/stream:Stream", "events-stream", { name: "events", shardCount: 1, ...inputs });

describe("firehose and kinesis", () => {
  policySuite(firehoseEncryption, {
    cases: [
      {
        name: "no server-side encryption",
        mutate: (p) => set(stream(p), "serverSideEncryption", undefined),
        expect: { violation: "security-events" },
      },
      {
        name: "AWS-owned key",
        mutate: (p) => set(stream(p), "serverSideEncryption", { enabled: true, keyType: "AWS_OWNED_CMK" }),
        expect: { violation: "security-events", message: /AWS-owned/ },
      },
      {
        name: "AWS-owned key accepted by config",
        config: { "firehose-encryption": { requireCustomerManagedKey: false } },
        mutate: (p) => set(stream(p), "serverSideEncryption", { enabled: true, keyType: "AWS_OWNED_CMK" }),
        expect: "clean",
      },
      {
        name: "a Kinesis-sourced stream inherits the source's encryption",
        mutate: (p) => {
          set(stream(p), "serverSideEncryption", undefined);
          set(stream(p), "kinesisSourceConfiguration", {
            kinesisStreamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/s",
            roleArn: "r",
          });
        },
        expect: "clean",
      },
      {
        name: "preview: key ARN unknown -> passes",
        mutate: (p) => set(stream(p), "serverSideEncryption.keyArn", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: enabled unknown -> can't run",
        mutate: (p) => set(stream(p), "serverSideEncryption.enabled", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
  policySuite(kinesisStreamEncrypted, {
    cases: [
      { name: "compliant stream", mutate: (p) => kinesis(p, { encryptionType: "KMS", kmsKeyId: "alias/k" }), expect: "clean" },
      { name: "unencrypted stream", mutate: (p) => kinesis(p, { encryptionType: "NONE" }), expect: { violation: "events-stream" } },
      {
        name: "preview: encryption type unknown -> can't run",
        mutate: (p) => kinesis(p, { encryptionType: UNKNOWN_STRING, kmsKeyId: "k" }),
        expect: "unknown",
      },
    ],
  });
});

describe("stepfunctions", () => {
  policySuite(sfnLoggingAllWithExecutionData, {
    cases: [
      {
        name: "ERROR level",
        mutate: (p) => set(sfn(p), "loggingConfiguration.level", "ERROR"),
        expect: { violation: "incident", message: /ERROR, not ALL/ },
      },
      {
        name: "no execution data",
        mutate: (p) => set(sfn(p), "loggingConfiguration.includeExecutionData", false),
        expect: { violation: "incident", message: /includeExecutionData/ },
      },
      {
        name: "no logging configuration",
        mutate: (p) => set(sfn(p), "loggingConfiguration", undefined),
        expect: { violation: "incident" },
      },
      {
        name: "preview: log destination unknown -> passes",
        mutate: (p) => set(sfn(p), "loggingConfiguration.logDestination", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: level unknown -> can't run",
        mutate: (p) => set(sfn(p), "loggingConfiguration.level", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
  policySuite(sfnXrayTracing, {
    cases: [
      { name: "tracing off", mutate: (p) => set(sfn(p), "tracingConfiguration", undefined), expect: { violation: "incident" } },
      {
        name: "preview: unknown -> can't run",
        mutate: (p) => set(sfn(p), "tracingConfiguration.enabled", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
});

describe("athena", () => {
  policySuite(athenaWorkgroupEncryptedResults, {
    cases: [
      {
        name: "configuration not enforced",
        mutate: (p) => set(wg(p), "configuration.enforceWorkgroupConfiguration", false),
        expect: { violation: "investigations", message: /enforceWorkgroupConfiguration/ },
      },
      {
        name: "results not encrypted",
        mutate: (p) => set(wg(p), "configuration.resultConfiguration.encryptionConfiguration", undefined),
        expect: { violation: "investigations", message: /not encrypted/ },
      },
      {
        name: "SSE_S3 results",
        mutate: (p) => set(wg(p), "configuration.resultConfiguration.encryptionConfiguration", { encryptionOption: "SSE_S3" }),
        expect: { violation: "investigations", message: /SSE_S3/ },
      },
      {
        name: "SSE_KMS without a key",
        mutate: (p) => set(wg(p), "configuration.resultConfiguration.encryptionConfiguration.kmsKeyArn", undefined),
        expect: { violation: "investigations", message: /kmsKeyArn/ },
      },
      {
        name: "managed query results with a customer key",
        mutate: (p) =>
          set(wg(p), "configuration", {
            enforceWorkgroupConfiguration: true,
            bytesScannedCutoffPerQuery: 1e10,
            managedQueryResultsConfiguration: {
              enabled: true,
              encryptionConfiguration: { kmsKey: "arn:aws:kms:us-east-1:123456789012:key/k" },
            },
          }),
        expect: "clean",
      },
      {
        name: "preview: encryption option unknown -> can't run",
        mutate: (p) => set(wg(p), "configuration.resultConfiguration.encryptionConfiguration.encryptionOption", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
  policySuite(athenaWorkgroupQueryLimits, {
    cases: [
      {
        name: "unbounded scans",
        mutate: (p) => set(wg(p), "configuration.bytesScannedCutoffPerQuery", undefined),
        expect: { violation: "investigations" },
      },
      {
        name: "preview: cutoff unknown -> can't run",
        mutate: (p) => set(wg(p), "configuration.bytesScannedCutoffPerQuery", UNKNOWN_NUMBER),
        expect: "unknown",
      },
    ],
  });
});

describe("glue", () => {
  policySuite(glueSecurityConfigurationEncrypted, {
    cases: [
      {
        name: "S3 encryption disabled",
        mutate: (p) => set(secConf(p), "encryptionConfiguration.s3Encryption", { s3EncryptionMode: "DISABLED" }),
        expect: { violation: "glue-security", message: /s3Encryption is DISABLED/ },
      },
      {
        name: "bookmarks unencrypted",
        mutate: (p) => set(secConf(p), "encryptionConfiguration.jobBookmarksEncryption", { jobBookmarksEncryptionMode: "DISABLED" }),
        expect: { violation: "glue-security" },
      },
      {
        name: "preview: mode unknown -> can't run",
        mutate: (p) => set(secConf(p), "encryptionConfiguration.cloudwatchEncryption.cloudwatchEncryptionMode", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
  policySuite(glueJobsUseSecurityConfiguration, {
    cases: [
      {
        name: "job without security configuration",
        mutate: (p) => set(job(p), "securityConfiguration", undefined),
        expect: { violation: "compaction" },
      },
      {
        name: "crawler without security configuration",
        mutate: (p) => p.add("aws:glue/crawler:Crawler", "crawler", { databaseName: "db", role: "r" }),
        expect: { violation: "crawler" },
      },
      {
        name: "preview: configuration name unknown -> passes",
        mutate: (p) => set(job(p), "securityConfiguration", UNKNOWN_STRING),
        expect: "clean",
      },
    ],
  });
  policySuite(glueDataCatalogEncrypted, {
    cases: [
      // Stance change: the absence of the account-wide settings is glue-data-catalog-encryption-in-stack's (advisory).
      { name: "no catalog encryption settings: left to the absence check", mutate: (p) => p.remove(catalogEnc(p)), expect: "clean" },
      {
        name: "catalog encryption disabled",
        mutate: (p) => set(catalogEnc(p), "dataCatalogEncryptionSettings.encryptionAtRest.catalogEncryptionMode", "DISABLED"),
        expect: { violation: "catalog-encryption" },
      },
      {
        name: "preview: mode unknown -> can't run",
        mutate: (p) => set(catalogEnc(p), "dataCatalogEncryptionSettings.encryptionAtRest.catalogEncryptionMode", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
});

describe("glue absence", () => {
  policySuite(glueDataCatalogEncryptionInStack, {
    cases: [
      {
        name: "catalog metadata without catalog encryption settings: advisory",
        mutate: (p) => p.remove(catalogEnc(p)),
        expect: { violation: "security-db", message: /catalogEncryptionOutsideStack/ },
      },
      {
        name: "owned by the account baseline, declared in config",
        config: { "glue-data-catalog-encryption-in-stack": { catalogEncryptionOutsideStack: true } },
        mutate: (p) => p.remove(catalogEnc(p)),
        expect: "clean",
      },
      {
        name: "preview: settings present with unknown values -> passes (they exist)",
        mutate: (p) => set(catalogEnc(p), "dataCatalogEncryptionSettings", UNKNOWN_STRING),
        expect: "clean",
      },
    ],
  });
});
