// Specs of the glue-security-configuration-encrypted policy (./glue-security-configuration-encrypted.ts).

import { glueSecurityConfigurationEncrypted } from "./glue-security-configuration-encrypted";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";

const secConf = (p: Platform) => p.find("aws:glue/securityConfiguration:SecurityConfiguration");

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
});
