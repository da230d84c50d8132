// Specs of the kinesis-stream-encrypted policy (./kinesis-stream-encrypted.ts).

import { kinesisStreamEncrypted } from "./kinesis-stream-encrypted";
import { UNKNOWN_STRING } from "../lib/unknown";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";

const kinesis = (p: Platform, inputs: Record<string, unknown>) =>
  p.add("aws:kinesis/stream:Stream", "events-stream", { name: "events", shardCount: 1, ...inputs });

describe("firehose and kinesis", () => {
  policySuite(kinesisStreamEncrypted, {
    cases: [
      { name: "compliant stream", mutate: (p) => kinesis(p, { encryptionType: "KMS", kmsKeyId: "alias/k" }), expect: "clean" },
      { name: "unencrypted stream", mutate: (p) => kinesis(p, { encryptionType: "NONE" }), expect: { violation: "events-stream" } },
      {
        name: "preview: encryption type unknown -> can't run",
        mutate: (p) => kinesis(p, { encryptionType: UNKNOWN_STRING, kmsKeyId: "k" }),
        expect: "unknown",
      },
    ],
  });
});
