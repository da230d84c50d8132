/**
 * Writes `aws-constraints.json`: the shapes `mapping.ts` reaches, with only their constraints, from
 * the API models of the installed botocore (`data/<service>/<newest version>/service-2.json[.gz]`).
 * `npm run value-check:extract` regenerates it; test/values/ re-extracts and compares, so the
 * committed file cannot drift from the models. Every pattern must translate (java-regex.ts).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { parseFlags, UsageError } from "../command-line";
import { translateJavaPattern } from "./java-regex";
import { MAPPING, TAG_SHAPES } from "./mapping";
import type { Constraints, ServiceShapes, Shape } from "./model";

export const CONSTRAINTS_FILE = path.join(__dirname, "aws-constraints.json");

/** The installed botocore's package directory and version, or undefined when python3 has none. */
export function findBotocore(): { dir: string; version: string } | undefined {
  // The first python3 on PATH (pip's botocore), then Debian's interpreter (python3-botocore).
  for (const python of ["python3", "/usr/bin/python3"]) {
    const r = spawnSync(python, ["-c", "import botocore,os;print(os.path.dirname(botocore.__file__));print(botocore.__version__)"], {
      encoding: "utf8",
      timeout: 20_000,
    });
    const [dir, version] = r.status === 0 ? r.stdout.trim().split("\n") : [];
    if (dir && version) return { dir, version };
  }
  return undefined;
}

interface RawShape {
  type: string;
  pattern?: string;
  min?: number;
  max?: number;
  enum?: string[];
  members?: Record<string, { shape: string }>;
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
}

function loadModel(botocoreDir: string, service: string): { apiVersion: string; shapes: Record<string, RawShape> } {
  const base = path.join(botocoreDir, "data", service);
  const versions = fs.readdirSync(base).filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v));
  const apiVersion = versions.sort().at(-1)!;
  const file = path.join(base, apiVersion, "service-2.json");
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : zlib.gunzipSync(fs.readFileSync(`${file}.gz`)).toString("utf8");
  return { apiVersion, shapes: (JSON.parse(text) as { shapes: Record<string, RawShape> }).shapes };
}

/** The roots per service: the mapped request shapes, the shapes `props` names, and the tag shapes. */
function roots(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (service: string, shape: string) => {
    if (shape.startsWith("doc:")) return;
    if (!out.has(service)) out.set(service, new Set());
    out.get(service)!.add(shape);
  };
  for (const m of Object.values(MAPPING)) {
    add(m.service, m.shape);
    for (const t of Object.values(m.props ?? {})) {
      if (typeof t === "string") add(m.service, t);
      else if ("pairs" in t) t.pairs.forEach((shape) => add(m.service, shape));
    }
    const tags = TAG_SHAPES[m.service];
    if (tags) tags.forEach((s) => add(m.service, s));
  }
  return out;
}

function compact(raw: RawShape): Shape {
  const s: { -readonly [K in keyof Shape]: Shape[K] } = { type: raw.type };
  if (raw.pattern !== undefined) s.pattern = raw.pattern;
  if (raw.min !== undefined) s.min = raw.min;
  if (raw.max !== undefined) s.max = raw.max;
  if (raw.enum) s.enum = raw.enum;
  if (raw.members) s.members = Object.fromEntries(Object.entries(raw.members).map(([k, v]) => [k, v.shape]));
  if (raw.member) s.member = raw.member.shape;
  if (raw.key) s.key = raw.key.shape;
  if (raw.value) s.value = raw.value.shape;
  return s;
}

/** The constraints of every shape reachable from the mapping's roots, from the models under `botocoreDir`. */
export function extractConstraints(botocoreDir: string, botocoreVersion: string): Constraints {
  const services: Record<string, ServiceShapes> = {};
  for (const [service, rootShapes] of [...roots()].sort(([a], [b]) => a.localeCompare(b))) {
    const model = loadModel(botocoreDir, service);
    const shapes: Record<string, Shape> = {};
    const queue = [...rootShapes];
    while (queue.length > 0) {
      const name = queue.pop()!;
      if (shapes[name]) continue;
      const raw = model.shapes[name];
      if (!raw) throw new Error(`${service} model ${model.apiVersion} has no shape ${name} (mapping.ts)`);
      const s = compact(raw);
      if (s.pattern !== undefined) translateJavaPattern(s.pattern);
      shapes[name] = s;
      for (const next of [...Object.values(s.members ?? {}), s.member, s.key, s.value]) if (next && !shapes[next]) queue.push(next);
    }
    const sorted = Object.fromEntries(
      Object.keys(shapes)
        .sort()
        .map((k) => [k, shapes[k]]),
    );
    services[service] = { apiVersion: model.apiVersion, shapes: sorted };
  }
  return { botocore: botocoreVersion, services };
}

/** The committed extract. */
export function loadConstraints(): Constraints {
  return JSON.parse(fs.readFileSync(CONSTRAINTS_FILE, "utf8")) as Constraints;
}

export const EXTRACT_USAGE = [
  "usage: npm run value-check:extract",
  "",
  "Rewrites tools/value-check/aws-constraints.json from the service models of the botocore that python3 imports.",
  "  --help   print this and exit",
].join("\n");

async function main(argv: readonly string[]): Promise<void> {
  let help: boolean;
  try {
    help = parseFlags(argv, {}, EXTRACT_USAGE).help;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(e.message);
    process.exit(2);
  }
  if (help) {
    console.log(EXTRACT_USAGE);
    return;
  }
  const found = findBotocore();
  if (!found) {
    console.error("python3 cannot import botocore: install it (pip install botocore, or apt-get install python3-botocore)");
    process.exit(1);
  }
  const constraints = extractConstraints(found.dir, found.version);
  // Written as prettier formats it, so `npm run lint` (prettier --check .) accepts the file.
  const prettier = await import("prettier");
  const options = (await prettier.resolveConfig(CONSTRAINTS_FILE)) ?? {};
  fs.writeFileSync(CONSTRAINTS_FILE, await prettier.format(JSON.stringify(constraints), { ...options, parser: "json" }));
  const count = Object.values(constraints.services).reduce((n, s) => n + Object.keys(s.shapes).length, 0);
  console.log(`${CONSTRAINTS_FILE}: ${count} shapes of ${Object.keys(constraints.services).length} services, botocore ${found.version}`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
