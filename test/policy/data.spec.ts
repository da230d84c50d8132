// DynamoDB, SNS, SQS, RDS and Secrets Manager.
import { dynamodbPhiTableKms, dynamodbPitrEnabled, dynamodbProvisionedAutoscaling } from "../../policy-pack/policies/dynamodb";
import { UNKNOWN_BOOLEAN, UNKNOWN_NUMBER, UNKNOWN_STRING } from "../../policy-pack/policies/lib/unknown";
import {
  rdsAutoMinorVersionUpgrade,
  rdsBackupEnabled,
  rdsEnhancedMonitoring,
  rdsLoggingEnabled,
  rdsMultiAzProd,
  rdsNoPublicAccess,
  rdsStorageEncrypted,
} from "../../policy-pack/policies/rds";
import { secretsmanagerKmsCmk, secretsmanagerRotationEnabled } from "../../policy-pack/policies/secretsmanager";
import { snsTopicKmsEncryption } from "../../policy-pack/policies/sns";
import { sqsQueueEncryption } from "../../policy-pack/policies/sqs";
import { set } from "../../policy-pack/test-support/builder";
import { Platform } from "../../policy-pack/test-support/platform";
import { policySuite } from "../../policy-pack/test-support/suite";

const table = (p: Platform) => p.find("aws:dynamodb/table:Table");
const queue = (p: Platform) => p.find("aws:sqs/queue:Queue");
const db = (p: Platform) => p.find("aws:rds/instance:Instance");
const secret = (p: Platform) => p.find("aws:secretsmanager/secret:Secret");
const rotation = (p: Platform) => p.find("aws:secretsmanager/secretRotation:SecretRotation");
const aurora = (p: Platform, members: number) => {
  const c = p.add(
    "aws:rds/cluster:Cluster",
    "aurora",
    {
      clusterIdentifier: "hcp-aurora",
      engine: "aurora-postgresql",
      storageEncrypted: true,
      kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/k",
      backupRetentionPeriod: 7,
      enabledCloudwatchLogsExports: ["postgresql"],
      deletionProtection: true,
      tags: { DataClassification: "PHI" },
    },
    { id: "hcp-aurora" },
  );
  for (let i = 0; i < members; i++) {
    p.add(
      "aws:rds/clusterInstance:ClusterInstance",
      `aurora-${i}`,
      { clusterIdentifier: "hcp-aurora", engine: "aurora-postgresql", instanceClass: "db.r6g.large", monitoringInterval: 60 },
      { pd: { clusterIdentifier: [c] } },
    );
  }
  return c;
};

describe("dynamodb", () => {
  policySuite(dynamodbPitrEnabled, {
    cases: [
      { name: "PITR off", mutate: (p) => set(table(p), "pointInTimeRecovery", { enabled: false }), expect: { violation: "audit-table" } },
      {
        name: "preview: flag unknown -> can't run",
        mutate: (p) => set(table(p), "pointInTimeRecovery.enabled", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
  policySuite(dynamodbPhiTableKms, {
    cases: [
      {
        name: "PHI table with the AWS-owned key",
        mutate: (p) => set(table(p), "serverSideEncryption", undefined),
        expect: { violation: "audit-table" },
      },
      {
        name: "PHI table with the AWS-managed key",
        mutate: (p) => set(table(p), "serverSideEncryption", { enabled: true }),
        expect: { violation: "audit-table" },
      },
      {
        name: "a Public table may use the default key",
        mutate: (p) => {
          set(table(p), "serverSideEncryption", undefined);
          set(table(p), "tags", { DataClassification: "Public" });
        },
        expect: "clean",
      },
      {
        name: "preview: key ARN unknown -> passes",
        mutate: (p) => set(table(p), "serverSideEncryption.kmsKeyArn", UNKNOWN_STRING),
        expect: "clean",
      },
    ],
  });
  policySuite(dynamodbProvisionedAutoscaling, {
    cases: [
      {
        name: "provisioned without auto scaling",
        mutate: (p) => set(table(p), "billingMode", "PROVISIONED"),
        expect: { violation: "audit-table" },
      },
      {
        name: "no billingMode means PROVISIONED",
        mutate: (p) => set(table(p), "billingMode", undefined),
        expect: { violation: "audit-table" },
      },
      {
        name: "provisioned with an auto scaling target",
        mutate: (p) => {
          set(table(p), "billingMode", "PROVISIONED");
          p.add("aws:appautoscaling/target:Target", "read", {
            resourceId: `table/${String(table(p).inputs.name)}`,
            scalableDimension: "dynamodb:table:ReadCapacityUnits",
            serviceNamespace: "dynamodb",
            minCapacity: 1,
            maxCapacity: 10,
          });
        },
        expect: "clean",
      },
      {
        name: "preview: billing mode unknown -> can't run",
        mutate: (p) => set(table(p), "billingMode", UNKNOWN_STRING),
        expect: "unknown",
      },
    ],
  });
});

describe("sns and sqs", () => {
  policySuite(snsTopicKmsEncryption, {
    cases: [
      { name: "unencrypted topic", mutate: (p) => set(p.alertsTopic, "kmsMasterKeyId", undefined), expect: { violation: "alerts" } },
      { name: "preview: key unknown -> passes", mutate: (p) => set(p.alertsTopic, "kmsMasterKeyId", UNKNOWN_STRING), expect: "clean" },
    ],
  });
  policySuite(sqsQueueEncryption, {
    cases: [
      {
        name: "PHI queue with SSE-SQS",
        mutate: (p) => {
          set(queue(p), "kmsMasterKeyId", undefined);
          set(queue(p), "sqsManagedSseEnabled", true);
        },
        expect: { violation: "data-processor-dlq", message: /customer-managed/ },
      },
      {
        name: "Internal queue with SSE-SQS passes",
        mutate: (p) => {
          set(queue(p), "kmsMasterKeyId", undefined);
          set(queue(p), "sqsManagedSseEnabled", true);
          set(queue(p), "tags", { DataClassification: "Internal" });
        },
        expect: "clean",
      },
      {
        name: "Internal queue unencrypted",
        mutate: (p) => {
          set(queue(p), "kmsMasterKeyId", undefined);
          set(queue(p), "tags", { DataClassification: "Internal" });
        },
        expect: { violation: "data-processor-dlq" },
      },
      { name: "preview: key unknown -> passes", mutate: (p) => set(queue(p), "kmsMasterKeyId", UNKNOWN_STRING), expect: "clean" },
      {
        name: "preview: no key and tags unknown -> can't run",
        mutate: (p) => {
          set(queue(p), "kmsMasterKeyId", undefined);
          set(queue(p), "tags", UNKNOWN_STRING);
        },
        expect: "unknown",
      },
    ],
  });
});

describe("rds", () => {
  policySuite(rdsStorageEncrypted, {
    cases: [
      { name: "unencrypted", mutate: (p) => set(db(p), "storageEncrypted", false), expect: { violation: "app-db" } },
      {
        name: "PHI database with the AWS-managed key",
        mutate: (p) => set(db(p), "kmsKeyId", undefined),
        expect: { violation: "app-db", message: /customer-managed/ },
      },
      { name: "unencrypted Aurora cluster", mutate: (p) => set(aurora(p, 2), "storageEncrypted", false), expect: { violation: "aurora" } },
      {
        name: "preview: storageEncrypted unknown -> can't run",
        mutate: (p) => set(db(p), "storageEncrypted", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
  policySuite(rdsNoPublicAccess, {
    cases: [
      { name: "publicly accessible", mutate: (p) => set(db(p), "publiclyAccessible", true), expect: { violation: "app-db" } },
      {
        name: "publicly accessible cluster instance",
        mutate: (p) => {
          aurora(p, 1);
          set(p.find("aws:rds/clusterInstance:ClusterInstance", "aurora-0"), "publiclyAccessible", true);
        },
        expect: { violation: "aurora-0" },
      },
      { name: "preview: flag unknown -> can't run", mutate: (p) => set(db(p), "publiclyAccessible", UNKNOWN_BOOLEAN), expect: "unknown" },
    ],
  });
  policySuite(rdsBackupEnabled, {
    env: "prod",
    cases: [
      { name: "backups off", mutate: (p) => set(db(p), "backupRetentionPeriod", 0), expect: { violation: "app-db" } },
      {
        name: "not set explicitly",
        mutate: (p) => set(db(p), "backupRetentionPeriod", undefined),
        expect: { violation: "app-db", message: /explicitly/ },
      },
      {
        name: "3 days in prod",
        mutate: (p) => set(db(p), "backupRetentionPeriod", 3),
        expect: { violation: "app-db", message: /at least 7/ },
      },
      { name: "1 day in dev", env: "dev", mutate: (p) => set(db(p), "backupRetentionPeriod", 1), expect: "clean" },
      {
        name: "preview: retention unknown -> can't run",
        mutate: (p) => set(db(p), "backupRetentionPeriod", UNKNOWN_NUMBER),
        expect: "unknown",
      },
    ],
  });
  policySuite(rdsLoggingEnabled, {
    cases: [
      {
        name: "no log exports",
        mutate: (p) => set(db(p), "enabledCloudwatchLogsExports", undefined),
        expect: { violation: "app-db", message: /postgresql/ },
      },
      {
        name: "MySQL without general log",
        mutate: (p) => {
          set(db(p), "engine", "mysql");
          set(db(p), "enabledCloudwatchLogsExports", ["error"]);
        },
        expect: { violation: "app-db", message: /general/ },
      },
      {
        name: "Aurora instance members are checked on the cluster",
        mutate: (p) => {
          set(db(p), "engine", "aurora-postgresql");
          set(db(p), "enabledCloudwatchLogsExports", undefined);
        },
        expect: "clean",
      },
      { name: "preview: engine unknown -> can't run", mutate: (p) => set(db(p), "engine", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
  policySuite(rdsAutoMinorVersionUpgrade, {
    cases: [
      { name: "minor upgrades off", mutate: (p) => set(db(p), "autoMinorVersionUpgrade", false), expect: { violation: "app-db" } },
      {
        name: "preview: flag unknown -> can't run",
        mutate: (p) => set(db(p), "autoMinorVersionUpgrade", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
  policySuite(rdsEnhancedMonitoring, {
    cases: [
      { name: "monitoring interval 0", mutate: (p) => set(db(p), "monitoringInterval", 0), expect: { violation: "app-db" } },
      {
        name: "preview: interval unknown -> can't run",
        mutate: (p) => set(db(p), "monitoringInterval", UNKNOWN_NUMBER),
        expect: "unknown",
      },
    ],
  });
  policySuite(rdsMultiAzProd, {
    env: "prod",
    cases: [
      { name: "single-AZ prod instance", mutate: (p) => set(db(p), "multiAz", false), expect: { violation: "app-db" } },
      { name: "single-AZ dev instance passes", env: "dev", mutate: (p) => set(db(p), "multiAz", false), expect: "clean" },
      {
        name: "Aurora cluster with one instance in prod",
        mutate: (p) => aurora(p, 1),
        expect: { violation: "aurora", message: /1 instance/ },
      },
      { name: "Aurora cluster with two instances in prod", mutate: (p) => aurora(p, 2), expect: "clean" },
      { name: "preview: multiAz unknown -> can't run", mutate: (p) => set(db(p), "multiAz", UNKNOWN_BOOLEAN), expect: "unknown" },
    ],
  });
});

describe("secretsmanager", () => {
  policySuite(secretsmanagerKmsCmk, {
    cases: [
      { name: "default key", mutate: (p) => set(secret(p), "kmsKeyId", undefined), expect: { violation: "api-key" } },
      {
        name: "alias/aws/secretsmanager",
        mutate: (p) => set(secret(p), "kmsKeyId", "alias/aws/secretsmanager"),
        expect: { violation: "api-key" },
      },
      { name: "preview: key unknown -> passes", mutate: (p) => set(secret(p), "kmsKeyId", UNKNOWN_STRING), expect: "clean" },
    ],
  });
  policySuite(secretsmanagerRotationEnabled, {
    cases: [
      { name: "no rotation", mutate: (p) => p.remove(rotation(p)), expect: { violation: "api-key", message: /no automatic rotation/ } },
      {
        name: "rotation every 180 days",
        mutate: (p) => set(rotation(p), "rotationRules.automaticallyAfterDays", 180),
        expect: { violation: "api-key", message: /180/ },
      },
      {
        name: "schedule rate(30 days) passes",
        mutate: (p) => set(rotation(p), "rotationRules", { scheduleExpression: "rate(30 days)" }),
        expect: "clean",
      },
      { name: "rotation disabled", mutate: (p) => set(rotation(p), "rotationEnabled", false), expect: { violation: "api-key" } },
      {
        name: "preview: secretId unknown, joined through propertyDependencies -> passes",
        mutate: (p) => set(rotation(p), "secretId", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: interval unknown -> can't run",
        mutate: (p) => set(rotation(p), "rotationRules.automaticallyAfterDays", UNKNOWN_NUMBER),
        expect: "unknown",
      },
    ],
  });
});
