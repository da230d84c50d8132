// Specs of the rds-storage-encrypted policy (./rds-storage-encrypted.ts).

import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { rdsStorageEncrypted } from "./rds-storage-encrypted";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { aurora, db } from "../../test-support/specs/data";

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
});
