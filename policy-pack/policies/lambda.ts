// Lambda: the data processor, the Firehose authorizer and the report writer handle PHI.

import { CITES, hipaa } from "./lib/hipaa";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { asyncFailuresKept, logGroupOf } from "./lib/lambda-paths";
import { isClassifiedAs } from "./lib/tags";
import { T } from "./lib/types";
import { get, num, present, probe, str, UNKNOWN } from "./lib/util";

interface RuntimeConfig {
  minimumVersions: { nodejs: number; python: string; java: number; dotnet: number; ruby: string };
  allowedCustomRuntimes: string[];
}

function versionAtLeast(actual: string, minimum: string): boolean {
  const a = actual.split(".").map(Number);
  const m = minimum.split(".").map(Number);
  for (let i = 0; i < Math.max(a.length, m.length); i++) {
    const x = a[i] ?? 0;
    const y = m[i] ?? 0;
    if (x !== y) {
      return x > y;
    }
  }
  return true;
}

/** Why a runtime identifier is not allowed, or undefined when it is. */
export function runtimeProblem(runtime: string, cfg: RuntimeConfig): string | undefined {
  const min = cfg.minimumVersions;
  let m: RegExpMatchArray | null;
  if ((m = runtime.match(/^nodejs(\d+)\.x$/))) {
    return Number(m[1]) >= min.nodejs ? undefined : `Node.js ${m[1]} is older than the minimum: move to nodejs${min.nodejs}.x or newer`;
  }
  if ((m = runtime.match(/^python(\d+\.\d+)$/))) {
    return versionAtLeast(m[1], min.python) ? undefined : `Python ${m[1]} is older than the minimum: move to python${min.python} or newer`;
  }
  if ((m = runtime.match(/^java(\d+)(\.al2)?$/))) {
    return Number(m[1]) >= min.java ? undefined : `Java ${m[1]} is older than the minimum: move to java${min.java} or newer`;
  }
  if ((m = runtime.match(/^dotnet(\d+)$/))) {
    return Number(m[1]) >= min.dotnet ? undefined : `.NET ${m[1]} is older than the minimum: move to dotnet${min.dotnet} or newer`;
  }
  if ((m = runtime.match(/^ruby(\d+\.\d+)$/))) {
    return versionAtLeast(m[1], min.ruby) ? undefined : `Ruby ${m[1]} is older than the minimum: move to ruby${min.ruby} or newer`;
  }
  if (cfg.allowedCustomRuntimes.includes(runtime)) {
    return undefined;
  }
  return `${runtime} is deprecated or not an allowed runtime: use a supported language runtime or an allowed OS-only runtime (${cfg.allowedCustomRuntimes.join(", ")})`;
}

export const lambdaSupportedRuntime = resourcePolicy<RuntimeConfig>({
  name: "lambda-supported-runtime",
  description: "Lambda functions use a runtime that still receives security patches (Node.js 22 or newer).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.patching, "164.308(a)(1)(ii)(B)"),
  resourceTypes: [T.lambdaFunction],
  config: {
    minimumVersions: {
      type: "object",
      properties: {
        nodejs: { type: "integer", minimum: 18 },
        python: { type: "string", pattern: "^3\\.\\d+$" },
        java: { type: "integer", minimum: 8 },
        dotnet: { type: "integer", minimum: 6 },
        ruby: { type: "string", pattern: "^3\\.\\d+$" },
      },
      required: ["nodejs", "python", "java", "dotnet", "ruby"],
      default: { nodejs: 22, python: "3.10", java: 11, dotnet: 8, ruby: "3.3" },
      description: "Oldest allowed version per runtime family.",
    },
    allowedCustomRuntimes: {
      type: "array",
      items: { type: "string" },
      default: ["provided.al2023", "provided.al2"],
      description: "OS-only runtimes allowed (provided, go1.x are deprecated).",
    },
  },
  remediationSteps:
    "Move the function to a supported version of its own runtime family (for this platform's Node.js functions `nodejs22.x` or newer, " +
    "rebuilding the bundle for that target); see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html.",
  validate: (ctx, report) => {
    if (str(get(ctx.props, "packageType")) === "Image") {
      return; // container images carry their own runtime
    }
    const runtime = str(get(ctx.props, "runtime"));
    if (!runtime) {
      report("The function declares no runtime.");
      return;
    }
    const problem = runtimeProblem(runtime, ctx.config);
    if (problem) {
      report(
        `${problem} (the runtime family the function already uses; see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html).`,
      );
    }
  },
});

export const lambdaInsideVpc = resourcePolicy<{ classifications: string[] }>({
  name: "lambda-inside-vpc",
  description: "Lambda functions that handle PHI or confidential data run inside the VPC.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.publicAccess),
  cdkNag: ["LambdaInsideVPC"],
  awsConfig: ["lambda-inside-vpc"],
  resourceTypes: [T.lambdaFunction],
  config: {
    classifications: {
      type: "array",
      items: { type: "string" },
      default: ["PHI", "Confidential"],
      description: "DataClassification values that must run in the VPC (an untagged function counts as PHI).",
    },
  },
  remediationSteps:
    "Set `vpcConfig: { subnetIds: <private subnet ids>, securityGroupIds: [<function SG>] }` and give the " +
    "role AWSLambdaVPCAccessExecutionRole-equivalent permissions; reach AWS APIs through VPC endpoints.",
  validate: (ctx, report) => {
    if (!isClassifiedAs(ctx.tags(), ctx.config.classifications)) {
      return;
    }
    if (!present(ctx.props, "vpcConfig", "subnetIds")) {
      report(`The function (DataClassification ${ctx.classification()}) is not attached to the VPC: set vpcConfig.subnetIds.`);
    }
  },
});

export const lambdaNoPublicAccess = resourcePolicy({
  name: "lambda-no-public-access",
  description:
    "Lambda functions cannot be invoked by anyone: no `*` principal, no unscoped service principal, no unauthenticated function URL.",
  severity: "critical",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.publicAccess),
  awsConfig: ["lambda-function-public-access-prohibited"],
  resourceTypes: [T.lambdaPermission, T.lambdaFunctionUrl],
  remediationSteps:
    "Grant invoke permission to a specific principal; for a service principal set `sourceArn` " +
    '(and `sourceAccount` for S3); give function URLs `authorizationType: "AWS_IAM"`.',
  validate: (ctx, report) => {
    if (ctx.type === T.lambdaFunctionUrl) {
      if (str(get(ctx.props, "authorizationType")) !== "AWS_IAM") {
        report("The function URL does not require IAM authentication (authorizationType NONE).");
      }
      return;
    }
    const principal = str(get(ctx.props, "principal")) ?? "";
    const scoped = present(ctx.props, "sourceArn") || present(ctx.props, "sourceAccount") || present(ctx.props, "principalOrgId");
    if (principal === "*" && !scoped) {
      report(
        'The permission lets any AWS principal invoke the function (principal "*" without sourceArn, sourceAccount or principalOrgId).',
      );
    } else if (principal.endsWith(".amazonaws.com") && !scoped) {
      report(`The permission lets ${principal} invoke the function on behalf of any account: set sourceArn (and sourceAccount).`);
    }
    if (str(get(ctx.props, "functionUrlAuthType")) === "NONE") {
      report("The permission allows unauthenticated function URL invocations (functionUrlAuthType NONE).");
    }
  },
});

export const lambdaLogGroupManaged = stackPolicy({
  name: "lambda-log-group-managed",
  description:
    "Every Lambda function logs to a log group declared in the stack (encrypted, with retention), not to one Lambda creates on first run.",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.encryptionAtRest, "164.312(b)"),
  resourceTypes: [T.lambdaFunction],
  relatedTypes: [T.logGroup],
  remediationSteps:
    "Declare an aws.cloudwatch.LogGroup (kmsKeyId, retentionInDays) named `/aws/lambda/${fn.name}` or " +
    'pass it as `loggingConfig: { logFormat: "JSON", logGroup: group.name }`; create it before the function.',
  validate: (ctx, report) => {
    const groups = ctx.ofType([T.logGroup]);
    ctx.each(ctx.ofType([T.lambdaFunction]), (fn) => {
      const r = logGroupOf(fn, groups);
      if (r.group) {
        return;
      }
      if (r.undecided) {
        ctx.undecided([fn.type, fn.name, "name"]);
        return;
      }
      report(
        fn.urn,
        "The function's log group is not declared in the stack, so Lambda creates it unencrypted " +
          "and with no retention on first invocation.",
      );
    });
  },
});

export const lambdaConcurrencyLimit = resourcePolicy({
  name: "lambda-concurrency-limit",
  description: "Lambda functions reserve a function-level concurrency limit.",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.312(b)"),
  cdkNag: ["LambdaConcurrency"],
  awsConfig: ["lambda-concurrency-check"],
  resourceTypes: [T.lambdaFunction],
  remediationSteps: "Set `reservedConcurrentExecutions` to the function's expected peak.",
  validate: (ctx, report) => {
    const raw = probe(ctx.props, "reservedConcurrentExecutions");
    if (raw === UNKNOWN) {
      return;
    }
    const n = num(raw);
    if (n === undefined || n < 0) {
      report("No reserved concurrency is set (reservedConcurrentExecutions).");
    }
  },
});

export const lambdaReservedConcurrencyNotZero = resourcePolicy({
  name: "lambda-reserved-concurrency-not-zero",
  description:
    "No function reserves a concurrency of 0: that throttles every invocation, so the function silently never runs " +
    "(https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).",
  severity: "high",
  enforcementLevel: "mandatory",
  category: "phi",
  framework: hipaa(...CITES.availability),
  resourceTypes: [T.lambdaFunction],
  tags: ["deploy-trap"],
  remediationSteps:
    "Leave reservedConcurrentExecutions unset (-1: the unreserved pool) or set it to the expected peak; 0 is only for " +
    "deliberately stopping a function (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).",
  validate: (ctx, report) => {
    if (num(get(ctx.props, "reservedConcurrentExecutions")) === 0) {
      report(
        "reservedConcurrentExecutions is 0: Lambda throttles every invocation of this function. Unset it or reserve the expected peak.",
      );
    }
  },
});

export const lambdaDeadLetter = stackPolicy({
  name: "lambda-dead-letter",
  description: "Lambda functions send failed asynchronous invocations to a dead-letter queue or an on-failure destination.",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.312(b)"),
  cdkNag: ["LambdaDLQ"],
  awsConfig: ["lambda-dlq-check"],
  resourceTypes: [T.lambdaFunction],
  relatedTypes: [T.lambdaEventInvokeConfig],
  remediationSteps:
    "Set `deadLetterConfig: { targetArn: dlq.arn }` (an encrypted SQS queue) or add an " +
    "aws.lambda.FunctionEventInvokeConfig with destinationConfig.onFailure. A function the stack shows to be invoked only " +
    "synchronously (a Firehose stream's transform, an aws.lambda.Invocation) and that grants no service an invoke " +
    "permission has no asynchronous invocations to lose and passes.",
  validate: (ctx, report) => {
    ctx.each(ctx.ofType([T.lambdaFunction]), (fn) => {
      const kept = asyncFailuresKept(ctx, fn);
      if (kept === "yes") {
        return;
      }
      if (kept === "maybe") {
        ctx.undecided([fn.type, fn.name, "arn"]);
        return;
      }
      report(fn.urn, "Failed asynchronous invocations are dropped: no dead-letter queue or on-failure destination.");
    });
  },
});

export const lambdaPolicies = [
  lambdaSupportedRuntime,
  lambdaInsideVpc,
  lambdaNoPublicAccess,
  lambdaLogGroupManaged,
  lambdaConcurrencyLimit,
  lambdaDeadLetter,
  lambdaReservedConcurrencyNotZero,
];
