import { CITES, hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, str } from "../lib/util";

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
  // container images carry their own runtime
  examines: [
    {
      rule: "zip-packaged functions (a container image carries its own runtime)",
      where: (ctx) => str(get(ctx.props, "packageType")) !== "Image",
    },
  ],
  validate: (ctx, report) => {
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
