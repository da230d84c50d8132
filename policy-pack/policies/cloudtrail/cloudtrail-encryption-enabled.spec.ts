// Specs of the cloudtrail-encryption-enabled policy (./cloudtrail-encryption-enabled.ts).

import { cloudtrailEncryptionEnabled } from "./cloudtrail-encryption-enabled";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { trail } from "../../test-support/specs/cloudtrail";

describe("cloudtrail", () => {
  policySuite(cloudtrailEncryptionEnabled, {
    cases: [
      { name: "no kmsKeyId", mutate: (p) => set(trail(p), "kmsKeyId", undefined), expect: { violation: "audit-trail" } },
      {
        name: "preview: kmsKeyId unknown is a key being created -> passes",
        mutate: (p) => set(trail(p), "kmsKeyId", UNKNOWN_STRING),
        expect: "clean",
      },
    ],
  });
});
