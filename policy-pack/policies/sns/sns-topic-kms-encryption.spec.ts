// Specs of the sns-topic-kms-encryption policy (./sns-topic-kms-encryption.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { snsTopicKmsEncryption } from "./sns-topic-kms-encryption";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";

describe("sns and sqs", () => {
  policySuite(snsTopicKmsEncryption, {
    cases: [
      { name: "unencrypted topic", mutate: (p) => set(p.alertsTopic, "kmsMasterKeyId", undefined), expect: { violation: "alerts" } },
      { name: "preview: key unknown -> passes", mutate: (p) => set(p.alertsTopic, "kmsMasterKeyId", UNKNOWN_STRING), expect: "clean" },
    ],
  });
});
