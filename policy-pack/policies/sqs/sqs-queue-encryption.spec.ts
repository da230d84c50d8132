// Specs of the sqs-queue-encryption policy (./sqs-queue-encryption.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { sqsQueueEncryption } from "./sqs-queue-encryption";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";

const queue = (p: Platform) => p.find("aws:sqs/queue:Queue");

describe("sns and sqs", () => {
  policySuite(sqsQueueEncryption, {
    cases: [
      {
        name: "PHI queue with SSE-SQS",
        mutate: (p) => {
          set(queue(p), "kmsMasterKeyId", undefined);
          set(queue(p), "sqsManagedSseEnabled", true);
        },
        expect: { violation: "data-processor-dlq", message: /customer-managed/ },
      },
      {
        name: "Internal queue with SSE-SQS passes",
        mutate: (p) => {
          set(queue(p), "kmsMasterKeyId", undefined);
          set(queue(p), "sqsManagedSseEnabled", true);
          set(queue(p), "tags", { DataClassification: "Internal" });
        },
        expect: "clean",
      },
      {
        name: "Internal queue unencrypted",
        mutate: (p) => {
          set(queue(p), "kmsMasterKeyId", undefined);
          set(queue(p), "tags", { DataClassification: "Internal" });
        },
        expect: { violation: "data-processor-dlq" },
      },
      { name: "preview: key unknown -> passes", mutate: (p) => set(queue(p), "kmsMasterKeyId", UNKNOWN_STRING), expect: "clean" },
      {
        name: "preview: no key and tags unknown -> can't run",
        mutate: (p) => {
          set(queue(p), "kmsMasterKeyId", undefined);
          set(queue(p), "tags", UNKNOWN_STRING);
        },
        expect: "unknown",
      },
    ],
  });
});
