// Specs of the secretsmanager-kms-cmk policy (./secretsmanager-kms-cmk.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { secretsmanagerKmsCmk } from "./secretsmanager-kms-cmk";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";

const secret = (p: Platform) => p.find("aws:secretsmanager/secret:Secret");

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
});
