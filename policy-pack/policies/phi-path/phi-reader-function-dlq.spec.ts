// Specs of the phi-reader-function-dlq policy (./phi-reader-function-dlq.ts).

import { phiReaderFunctionDlq } from "./phi-reader-function-dlq";
import { UNKNOWN_STRING } from "../lib/unknown";
import { ACCOUNT, REGION, set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { fn, readerPolicy } from "../../test-support/specs/phi-path";

describe("the PHI path across resources", () => {
  policySuite(phiReaderFunctionDlq, {
    cases: [
      {
        name: "a PHI reader without a dead-letter queue fails",
        mutate: (p) => set(fn(p), "deadLetterConfig", undefined),
        expect: { violation: "data-processor", message: /read PHI \(phi-data-bucket\).*discarded/ },
      },
      {
        name: "an on-failure destination passes",
        mutate: (p) => {
          set(fn(p), "deadLetterConfig", undefined);
          p.add("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "dp-invoke", {
            functionName: String(fn(p).inputs.name),
            destinationConfig: { onFailure: { destination: `arn:aws:sqs:${REGION}:${ACCOUNT}:dp-failures` } },
          });
        },
        expect: "clean",
      },
      {
        name: "a function whose role reads no PHI bucket needs no DLQ here",
        mutate: (p) => {
          set(fn(p), "deadLetterConfig", undefined);
          set(
            readerPolicy(p),
            "policy",
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `${p.arn(p.accessLogs.bucket)}/*` }],
            }),
          );
        },
        expect: "clean",
      },
      {
        name: "a role allowed s3:GetObject on every resource reads PHI",
        mutate: (p) => {
          set(fn(p), "deadLetterConfig", undefined);
          set(
            readerPolicy(p),
            "policy",
            JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:Get*", Resource: "*" }] }),
          );
        },
        expect: { violation: "data-processor" },
      },
      {
        name: "preview: an unknown role policy stays silent",
        mutate: (p) => {
          set(fn(p), "deadLetterConfig", undefined);
          set(readerPolicy(p), "policy", UNKNOWN_STRING);
        },
        expect: "unknown",
      },
    ],
  });
});
