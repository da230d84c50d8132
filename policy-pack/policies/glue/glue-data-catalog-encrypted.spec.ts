// Specs of the glue-data-catalog-encrypted policy (./glue-data-catalog-encrypted.ts).

import { glueDataCatalogEncrypted } from "./glue-data-catalog-encrypted";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { catalogEnc } from "../../test-support/specs/pipeline";

describe("glue", () => {
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
