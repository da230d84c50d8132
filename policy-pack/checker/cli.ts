// npm run policy:check -- <deployment.json> [--format text|json] [--policy-config <file>]
//
// Evaluates the pack's policies against a plan (`npm run plan -- --out plan.json`) or a
// `pulumi stack export`. Exit code 0: no mandatory violation; 1: at least one; 2: the input (or the
// policy config) cannot be read.

import * as fs from "fs";
import { allPolicies, HipaaPolicy } from "../policies";
import { parseConfig, ResolvedConfig, resolveConfig } from "./config";
import { parsePulumiExceptions, withExemptions } from "./exceptions";
import { describeCounts, InputError, parseDeployment } from "./deployment";
import { toJson, toText } from "./format";
import { runPolicies } from "./run";

const USAGE_LINE =
  "usage: npm run policy:check -- <deployment.json> [--format text|json] [--policy-config <file>] [--exceptions <file>] (--help for more)";

export const USAGE = [
  "usage: npm run policy:check -- <deployment.json> [--format text|json] [--policy-config <file>] [--exceptions <file>]",
  "",
  "Runs every policy of the pack on a deployment: the output of `npm run plan` or of `pulumi stack export`.",
  "",
  "  <deployment.json>        the plan or stack export to check",
  "  --format text|json       text report (default) or JSON on stdout (use `npm run -s` to keep npm's banner off stdout)",
  "  --policy-config <file>   pack config (policy-pack/config/dev.json or prod.json); default: each policy's own level",
  "  --exceptions <file>      Pulumi policy exceptions (JSON: one exception, an array, or { exceptions: [...] } as the",
  "                           Pulumi Cloud REST API returns them): their policy/URN entries waive violations like",
  "                           pack-config exemptions; removed, expired or other packs' exceptions are not honoured",
  "  --help, -h               this help",
  "",
  "Exit codes:",
  "  0  no mandatory violation (advisory ones may be reported)",
  "  1  at least one mandatory violation",
  "  2  the input cannot be read: missing file, not JSON, not a deployment, bad option, or a policy config that does not match the schemas",
].join("\n");

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): string;
}

const defaultIo: Io = {
  stdout: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  readFile: (path) => fs.readFileSync(path, "utf8"),
};

interface Args {
  file: string;
  format: "text" | "json";
  policyConfig?: string;
  exceptions?: string;
}

function parseArgs(argv: string[]): Args | { help: true } {
  let file: string | undefined;
  let format: string = "text";
  let policyConfig: string | undefined;
  let exceptions: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] =
      a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") {
        throw new InputError(`${flag} needs a value\n${USAGE_LINE}`);
      }
      return v;
    };
    if (flag === "--help" || flag === "-h") {
      return { help: true };
    } else if (flag === "--format") {
      format = value();
    } else if (flag === "--policy-config") {
      policyConfig = value();
    } else if (flag === "--exceptions") {
      exceptions = value();
    } else if (flag.startsWith("-")) {
      throw new InputError(`unknown option ${flag}\n${USAGE_LINE}`);
    } else if (file === undefined) {
      file = a;
    } else {
      throw new InputError(`unexpected argument ${a}: give one deployment file\n${USAGE_LINE}`);
    }
  }
  if (format !== "text" && format !== "json") {
    throw new InputError(`--format must be text or json, got "${format}"\n${USAGE_LINE}`);
  }
  if (file === undefined) {
    throw new InputError(`no deployment file given\n${USAGE_LINE}`);
  }
  return { file, format, policyConfig, exceptions };
}

/** The pack's name, as `pulumi policy publish` publishes it (package.json / index.ts). */
export const PACK_NAME = "healthcare-hipaa-policies";

function jsonOf(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InputError(`${source} is not JSON (${(e as Error).message}).`);
  }
}

function read(io: Io, path: string, what: string): string {
  try {
    return io.readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${what} ${path}${code ? ` (${code})` : ""}: ${(e as Error).message}`);
  }
}

/** Runs the checker; returns the exit code. */
export async function main(argv: string[], io: Io = defaultIo, policies: HipaaPolicy[] = allPolicies): Promise<number> {
  try {
    const args = parseArgs(argv);
    if ("help" in args) {
      io.stdout(USAGE);
      return 0;
    }
    const deployment = parseDeployment(read(io, args.file, "deployment file"), args.file);
    let config: ResolvedConfig;
    if (args.exceptions) {
      const ex = parsePulumiExceptions(
        read(io, args.exceptions, "exceptions file"),
        args.exceptions,
        PACK_NAME,
        policies.map((p) => p.name),
        new Date(),
      );
      for (const s of ex.skipped) io.stderr(`Warning: ${s} (not honoured)`);
      const doc = args.policyConfig ? jsonOf(read(io, args.policyConfig, "policy config"), args.policyConfig) : undefined;
      config = resolveConfig(withExemptions(doc, ex.exemptions), policies, args.policyConfig ?? "config");
    } else {
      config = args.policyConfig
        ? parseConfig(read(io, args.policyConfig, "policy config"), policies, args.policyConfig)
        : resolveConfig(undefined, policies, "config");
    }
    const result = await runPolicies(deployment, { policies, config });
    io.stdout(
      args.format === "json"
        ? toJson(result)
        : toText(result, {
            source: args.file,
            policies,
            encryptedSecrets: deployment.encryptedSecrets,
            counts: describeCounts(deployment.resources),
          }),
    );
    return result.summary.mandatory > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof InputError) {
      io.stderr(`policy:check: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`policy:check: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
