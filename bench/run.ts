/**
 * `npm run bench [-- <name filter>...] [-- --json]`: runs every `bench/*.bench.ts` (in name order)
 * and prints its measurements. Each bench module exports `bench: Bench`; it must stop by itself
 * (bounded loops), and the runner gives each one at most {@link BENCH_TIMEOUT_MS}. `--help` prints
 * the usage and runs nothing.
 */
import * as fs from "fs";
import * as path from "path";
import { parseFlags, UsageError } from "../tools/command-line";

export interface Measurement {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly note?: string;
}

export interface Bench {
  readonly name: string;
  readonly description: string;
  run(): Promise<Measurement[]>;
}

export const BENCH_TIMEOUT_MS = 10 * 60 * 1000;

function format(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function withTimeout<T>(promise: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`bench ${name} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const benchFiles = () =>
  fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith(".bench.ts"))
    .sort();

function usage(): string {
  return [
    "usage: npm run bench [-- [<filter>...] [--json]]",
    "",
    "Runs every bench/*.bench.ts whose file name contains one of the filters (all when none is given)",
    "and prints its measurements; nothing from `npm test` runs here.",
    "",
    "  <filter>   part of a bench file name, e.g. data-processor",
    "  --json     print the measurements as one JSON object instead of a table",
    "  --help     print this text and exit",
    "",
    `benches: ${benchFiles().join(", ") || "(none)"}`,
    "",
  ].join("\n");
}

/** The command line (node:util parseArgs, via tools/command-line.ts): file-name filters and --json; throws UsageError. */
export function parseBenchArgs(argv: readonly string[]): { help: true } | { json: boolean; filters: string[] } {
  const flags = parseFlags(argv, { json: "boolean" } as const, usage(), Infinity);
  if (flags.help) return { help: true };
  return { json: flags.values.json === true, filters: flags.positionals };
}

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseBenchArgs>;
  try {
    args = parseBenchArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
  if ("help" in args) {
    process.stdout.write(usage());
    return 0;
  }
  const { json, filters } = args;
  const files = benchFiles().filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
  if (files.length === 0) {
    process.stderr.write(`no bench/*.bench.ts matches ${filters.join(", ") || "(all)"}\n`);
    return 1;
  }
  const report: Record<string, Measurement[]> = {};
  let failed = 0;
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(__dirname, file)) as { bench?: Bench };
    if (!mod.bench) {
      process.stderr.write(`${file}: exports no \`bench\`; export const bench: Bench = { name, description, run }\n`);
      failed++;
      continue;
    }
    const { bench } = mod;
    process.stderr.write(`running ${bench.name}: ${bench.description}\n`);
    const started = Date.now();
    try {
      const measurements = await withTimeout(bench.run(), BENCH_TIMEOUT_MS, bench.name);
      report[bench.name] = measurements;
      if (!json) {
        const width = Math.max(...measurements.map((m) => m.name.length));
        process.stdout.write(`\n${bench.name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
        for (const m of measurements) {
          process.stdout.write(`  ${m.name.padEnd(width)}  ${format(m.value).padStart(12)} ${m.unit}${m.note ? `  (${m.note})` : ""}\n`);
        }
      }
    } catch (e) {
      failed++;
      process.stderr.write(`${bench.name} failed: ${(e as Error).stack ?? String(e)}\n`);
    }
  }
  if (json) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
  return failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`${(e as Error).stack ?? e}\n`);
      process.exitCode = 1;
    },
  );
}
