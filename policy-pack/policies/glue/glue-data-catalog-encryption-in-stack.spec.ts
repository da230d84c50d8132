// Specs of the glue-data-catalog-encryption-in-stack policy (./glue-data-catalog-encryption-in-stack.ts).

import { glueDataCatalogEncryptionInStack } from "./glue-data-catalog-encryption-in-stack";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { catalogEnc } from "../../test-support/specs/pipeline";

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
