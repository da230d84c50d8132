// Specs of the kms-key-rotation-enabled policy (./kms-key-rotation-enabled.ts).

import { kmsKeyRotationEnabled } from "./kms-key-rotation-enabled";
import { UNKNOWN_BOOLEAN } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { key } from "../../test-support/specs/kms";

describe("kms", () => {
  policySuite(kmsKeyRotationEnabled, {
    otherType: (b) => b.add("aws:kms/alias:Alias", "alias", { name: "alias/x", targetKeyId: "k" }),
    cases: [
      {
        name: "rotation disabled",
        mutate: (p) => set(key(p), "enableKeyRotation", false),
        expect: { violation: "data-key", message: /rotation is not enabled/ },
      },
      { name: "rotation not set", mutate: (p) => set(key(p), "enableKeyRotation", undefined), expect: { violation: "data-key" } },
      {
        name: "rotation period above the maximum",
        mutate: (p) => set(key(p), "rotationPeriodInDays", 730),
        expect: { violation: "data-key", message: /730/ },
      },
      {
        name: "a configured longer maximum accepts it",
        config: { "kms-key-rotation-enabled": { maxRotationPeriodInDays: 730 } },
        mutate: (p) => set(key(p), "rotationPeriodInDays", 730),
        expect: "clean",
      },
      {
        name: "asymmetric keys cannot rotate and pass",
        mutate: (p) => {
          set(key(p), "customerMasterKeySpec", "RSA_2048");
          set(key(p), "keyUsage", "SIGN_VERIFY");
          set(key(p), "enableKeyRotation", false);
        },
        expect: "clean",
      },
      {
        name: "preview: enableKeyRotation unknown -> can't run",
        mutate: (p) => set(key(p), "enableKeyRotation", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
});
