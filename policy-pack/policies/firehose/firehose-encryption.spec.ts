// Specs of the firehose-encryption policy (./firehose-encryption.ts).

import { firehoseEncryption } from "./firehose-encryption";
import { UNKNOWN_BOOLEAN, UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { Platform } from "../../test-support/platform";
import { policySuite } from "../../test-support/suite";

const stream = (p: Platform) => p.find("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream");

describe("firehose and kinesis", () => {
  policySuite(firehoseEncryption, {
    cases: [
      {
        name: "no server-side encryption",
        mutate: (p) => set(stream(p), "serverSideEncryption", undefined),
        expect: { violation: "security-events" },
      },
      {
        name: "AWS-owned key",
        mutate: (p) => set(stream(p), "serverSideEncryption", { enabled: true, keyType: "AWS_OWNED_CMK" }),
        expect: { violation: "security-events", message: /AWS-owned/ },
      },
      {
        name: "AWS-owned key accepted by config",
        config: { "firehose-encryption": { requireCustomerManagedKey: false } },
        mutate: (p) => set(stream(p), "serverSideEncryption", { enabled: true, keyType: "AWS_OWNED_CMK" }),
        expect: "clean",
      },
      {
        name: "a Kinesis-sourced stream inherits the source's encryption",
        mutate: (p) => {
          set(stream(p), "serverSideEncryption", undefined);
          set(stream(p), "kinesisSourceConfiguration", {
            kinesisStreamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/s",
            roleArn: "r",
          });
        },
        expect: "clean",
      },
      {
        name: "preview: key ARN unknown -> passes",
        mutate: (p) => set(stream(p), "serverSideEncryption.keyArn", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: enabled unknown -> can't run",
        mutate: (p) => set(stream(p), "serverSideEncryption.enabled", UNKNOWN_BOOLEAN),
        expect: "unknown",
      },
    ],
  });
});
