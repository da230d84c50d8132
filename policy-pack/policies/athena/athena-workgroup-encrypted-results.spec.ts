// Specs of the athena-workgroup-encrypted-results policy (./athena-workgroup-encrypted-results.ts).

import { athenaWorkgroupEncryptedResults } from "./athena-workgroup-encrypted-results";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { wg } from "../../test-support/specs/pipeline";

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
});
