// Specs of the lambda-dead-letter policy (./lambda-dead-letter.ts).

import { lambdaDeadLetter } from "./lambda-dead-letter";
import { UNKNOWN_STRING } from "../lib/unknown";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { fn, perm } from "../../test-support/specs/lambda";

describe("lambda", () => {
  policySuite(lambdaDeadLetter, {
    cases: [
      { name: "no DLQ", mutate: (p) => set(fn(p), "deadLetterConfig", undefined), expect: { violation: "data-processor" } },
      {
        name: "an on-failure destination instead",
        mutate: (p) => {
          set(fn(p), "deadLetterConfig", undefined);
          p.add("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "invoke", {
            functionName: fn(p).inputs.name,
            destinationConfig: { onFailure: { destination: "arn:aws:sqs:us-east-1:123456789012:q" } },
          });
        },
        expect: "clean",
      },
      {
        name: "a Firehose transform (invoked synchronously) needs none",
        mutate: (p) => {
          set(fn(p), "deadLetterConfig", undefined);
          p.remove(perm(p));
          p.add("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "stream", {
            name: "s",
            destination: "opensearch",
            opensearchConfiguration: {
              processingConfiguration: {
                enabled: true,
                processors: [{ type: "Lambda", parameters: [{ parameterName: "LambdaArn", parameterValue: fn(p).outputs.arn }] }],
              },
            },
          });
        },
        expect: "clean",
      },
      {
        name: "a Firehose transform that also grants a service an invoke permission still needs one",
        mutate: (p) => {
          set(fn(p), "deadLetterConfig", undefined);
          p.add("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "stream", {
            name: "s",
            destination: "opensearch",
            opensearchConfiguration: {
              processingConfiguration: {
                enabled: true,
                processors: [{ type: "Lambda", parameters: [{ parameterName: "LambdaArn", parameterValue: fn(p).outputs.arn }] }],
              },
            },
          });
        },
        expect: { violation: "data-processor" },
      },
      {
        name: "a function only an aws.lambda.Invocation calls needs none",
        mutate: (p) => {
          set(fn(p), "deadLetterConfig", undefined);
          p.remove(perm(p));
          p.add("aws:lambda/invocation:Invocation", "run", { functionName: fn(p).inputs.name, input: "{}" });
        },
        expect: "clean",
      },
      {
        name: "preview: DLQ ARN unknown -> passes (queue being created)",
        mutate: (p) => set(fn(p), "deadLetterConfig.targetArn", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: invoke config names an unknown function -> can't run",
        mutate: (p) => {
          set(fn(p), "deadLetterConfig", undefined);
          p.add("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "invoke", {
            functionName: UNKNOWN_STRING,
            destinationConfig: { onFailure: { destination: "arn:aws:sqs:us-east-1:123456789012:q" } },
          });
        },
        expect: "unknown",
      },
    ],
  });
});
