import { strict as assert } from "assert";
import {
  lambdaConcurrencyLimit,
  lambdaDeadLetter,
  lambdaInsideVpc,
  lambdaLogGroupManaged,
  lambdaNoPublicAccess,
  lambdaSupportedRuntime,
  runtimeProblem,
} from "../../policy-pack/policies/lambda";
import { UNKNOWN_NUMBER, UNKNOWN_STRING } from "../../policy-pack/policies/lib/unknown";
import { set } from "../../policy-pack/test-support/builder";
import { Platform } from "../../policy-pack/test-support/platform";
import { policySuite } from "../../policy-pack/test-support/suite";

const fn = (p: Platform) => p.lambda;
const perm = (p: Platform) => p.find("aws:lambda/permission:Permission");
const group = (p: Platform) => p.find("aws:cloudwatch/logGroup:LogGroup", "data-processor-logs");

describe("lambda", () => {
  describe("runtimeProblem", () => {
    const cfg = {
      minimumVersions: { nodejs: 22, python: "3.10", java: 11, dotnet: 8, ruby: "3.3" },
      allowedCustomRuntimes: ["provided.al2023", "provided.al2"],
    };
    const table: [string, boolean][] = [
      ["nodejs22.x", true],
      ["nodejs24.x", true],
      ["nodejs20.x", false],
      ["nodejs18.x", false],
      ["nodejs", false],
      ["python3.13", true],
      ["python3.10", true],
      ["python3.9", false],
      ["python2.7", false],
      ["java21", true],
      ["java8.al2", false],
      ["dotnet8", true],
      ["dotnetcore3.1", false],
      ["ruby3.3", true],
      ["ruby2.7", false],
      ["provided.al2023", true],
      ["provided", false],
      ["go1.x", false],
    ];
    for (const [runtime, ok] of table) {
      it(`${runtime} is ${ok ? "allowed" : "rejected"}`, () => assert.equal(runtimeProblem(runtime, cfg) === undefined, ok));
    }
  });

  policySuite(lambdaSupportedRuntime, {
    cases: [
      {
        name: "nodejs20.x",
        mutate: (p) => set(fn(p), "runtime", "nodejs20.x"),
        expect: { violation: "data-processor", message: /Node.js 20/ },
      },
      { name: "no runtime", mutate: (p) => set(fn(p), "runtime", undefined), expect: { violation: "data-processor" } },
      {
        name: "container images carry their runtime",
        mutate: (p) => {
          set(fn(p), "runtime", undefined);
          set(fn(p), "packageType", "Image");
        },
        expect: "clean",
      },
      { name: "preview: runtime unknown -> can't run", mutate: (p) => set(fn(p), "runtime", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
  policySuite(lambdaInsideVpc, {
    cases: [
      {
        name: "PHI function outside the VPC",
        mutate: (p) => set(fn(p), "vpcConfig", undefined),
        expect: { violation: "data-processor", message: /PHI/ },
      },
      {
        name: "untagged function counts as PHI",
        mutate: (p) => {
          set(fn(p), "vpcConfig", undefined);
          set(fn(p), "tags", {});
        },
        expect: { violation: "data-processor" },
      },
      {
        name: "Internal function may run outside the VPC",
        mutate: (p) => {
          set(fn(p), "vpcConfig", undefined);
          set(fn(p), "tags", { DataClassification: "Internal" });
        },
        expect: "clean",
      },
      {
        name: "preview: subnet ids unknown -> passes (subnets being created)",
        mutate: (p) => set(fn(p), "vpcConfig.subnetIds", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: tags unknown -> can't run",
        mutate: (p) => {
          set(fn(p), "vpcConfig", undefined);
          set(fn(p), "tags", UNKNOWN_STRING);
        },
        expect: "unknown",
      },
    ],
  });
  policySuite(lambdaNoPublicAccess, {
    cases: [
      {
        name: "principal * without source",
        mutate: (p) => {
          set(perm(p), "principal", "*");
          set(perm(p), "sourceArn", undefined);
          set(perm(p), "sourceAccount", undefined);
        },
        expect: { violation: "data-processor-invoke-from-s3", message: /any AWS principal/ },
      },
      {
        name: "service principal without sourceArn/sourceAccount",
        mutate: (p) => {
          set(perm(p), "sourceArn", undefined);
          set(perm(p), "sourceAccount", undefined);
        },
        expect: { violation: "data-processor-invoke-from-s3", message: /s3\.amazonaws\.com/ },
      },
      {
        name: "an account principal is not public",
        mutate: (p) => {
          set(perm(p), "principal", "123456789012");
          set(perm(p), "sourceArn", undefined);
          set(perm(p), "sourceAccount", undefined);
        },
        expect: "clean",
      },
      {
        name: "function URL without auth",
        mutate: (p) => p.add("aws:lambda/functionUrl:FunctionUrl", "url", { functionName: "f", authorizationType: "NONE" }),
        expect: { violation: "url" },
      },
      {
        name: "permission for unauthenticated URL calls",
        mutate: (p) => set(perm(p), "functionUrlAuthType", "NONE"),
        expect: { violation: "data-processor-invoke-from-s3", message: /unauthenticated/ },
      },
      {
        name: "preview: sourceArn unknown -> passes (scoped to a resource being created)",
        mutate: (p) => {
          set(perm(p), "sourceArn", UNKNOWN_STRING);
          set(perm(p), "sourceAccount", undefined);
        },
        expect: "clean",
      },
      { name: "preview: principal unknown -> can't run", mutate: (p) => set(perm(p), "principal", UNKNOWN_STRING), expect: "unknown" },
    ],
  });
  policySuite(lambdaLogGroupManaged, {
    cases: [
      {
        name: "no log group for the function",
        mutate: (p) => {
          p.remove(group(p));
          set(fn(p), "loggingConfig", undefined);
          fn(p).propertyDependencies = {};
        },
        expect: { violation: "data-processor", message: /unencrypted/ },
      },
      {
        name: "the default /aws/lambda/<name> group joined by name",
        mutate: (p) => {
          set(fn(p), "loggingConfig", undefined);
          fn(p).propertyDependencies = {};
        },
        expect: "clean",
      },
      {
        name: "a group whose name comes from the function's name output",
        mutate: (p) => {
          set(fn(p), "loggingConfig", undefined);
          set(group(p), "name", UNKNOWN_STRING);
          group(p).propertyDependencies.name = [fn(p).urn];
        },
        expect: "clean",
      },
      {
        name: "loggingConfig naming a group outside the stack",
        mutate: (p) => {
          set(fn(p), "loggingConfig.logGroup", "/elsewhere");
          fn(p).propertyDependencies = {};
        },
        expect: { violation: "data-processor" },
      },
      {
        name: "preview: loggingConfig.logGroup unknown and from a declared group -> passes",
        mutate: (p) => set(fn(p), "loggingConfig.logGroup", UNKNOWN_STRING),
        expect: "clean",
      },
      {
        name: "preview: function name unknown and no loggingConfig -> can't run",
        mutate: (p) => {
          set(fn(p), "loggingConfig", undefined);
          fn(p).propertyDependencies = {};
          set(fn(p), "name", UNKNOWN_STRING);
        },
        expect: "unknown",
      },
    ],
  });
  policySuite(lambdaConcurrencyLimit, {
    cases: [
      {
        name: "no reserved concurrency",
        mutate: (p) => set(fn(p), "reservedConcurrentExecutions", undefined),
        expect: { violation: "data-processor" },
      },
      { name: "-1 (unreserved)", mutate: (p) => set(fn(p), "reservedConcurrentExecutions", -1), expect: { violation: "data-processor" } },
      {
        name: "preview: value unknown -> passes (it is set)",
        mutate: (p) => set(fn(p), "reservedConcurrentExecutions", UNKNOWN_NUMBER),
        expect: "clean",
      },
    ],
  });
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
