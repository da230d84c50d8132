// Glue: the catalog table over the security-event archive, and any jobs or crawlers.

import { glueSecurityConfigurationEncrypted } from "./glue-security-configuration-encrypted";
import { glueJobsUseSecurityConfiguration } from "./glue-jobs-use-security-configuration";
import { glueDataCatalogEncrypted } from "./glue-data-catalog-encrypted";
import { glueDataCatalogEncryptionInStack } from "./glue-data-catalog-encryption-in-stack";

export { glueSecurityConfigurationEncrypted, glueJobsUseSecurityConfiguration, glueDataCatalogEncrypted, glueDataCatalogEncryptionInStack };

export const gluePolicies = [
  glueSecurityConfigurationEncrypted,
  glueJobsUseSecurityConfiguration,
  glueDataCatalogEncrypted,
  glueDataCatalogEncryptionInStack,
];
