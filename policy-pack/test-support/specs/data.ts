// Helpers shared by the specs of several data policies (no spec imports another spec).

import { Platform } from "../platform";

export const table = (p: Platform) => p.find("aws:dynamodb/table:Table");

export const db = (p: Platform) => p.find("aws:rds/instance:Instance");

export const aurora = (p: Platform, members: number) => {
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
