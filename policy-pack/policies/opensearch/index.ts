// OpenSearch: the security-event analytics domain (records of who accessed which PHI).

import { opensearchEncryptedAtRest } from "./opensearch-encrypted-at-rest";
import { opensearchNodeToNodeEncryption } from "./opensearch-node-to-node-encryption";
import { opensearchHttpsTls } from "./opensearch-https-tls";
import { opensearchInVpc } from "./opensearch-in-vpc";
import { opensearchLogsToCloudwatch } from "./opensearch-logs-to-cloudwatch";
import { opensearchDomainName } from "./opensearch-domain-name";
import { opensearchProdAvailability } from "./opensearch-prod-availability";

export {
  opensearchEncryptedAtRest,
  opensearchNodeToNodeEncryption,
  opensearchHttpsTls,
  opensearchInVpc,
  opensearchLogsToCloudwatch,
  opensearchDomainName,
  opensearchProdAvailability,
};

export const opensearchPolicies = [
  opensearchProdAvailability,
  opensearchEncryptedAtRest,
  opensearchNodeToNodeEncryption,
  opensearchHttpsTls,
  opensearchInVpc,
  opensearchLogsToCloudwatch,
  opensearchDomainName,
];
