// `npm pack` of policy-pack/ unpacked into a temporary folder, with its declared dependencies
// installed as `npm install` would place them and nothing else: the closure of `dependencies`
// (with their dependencies, optional dependencies and non-optional peers) hard-linked from this
// repository's node_modules, hoisted as they are here. Offline and a few seconds; no registry.
// Hard links rather than symlinks, so that Node resolves every `require` from inside the copy:
// a package the pack does not declare (e.g. `typescript` for Pulumi's TypeScript loader) is
// missing there, as it would be after a clean install.

import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const PACK = path.join(ROOT, "policy-pack");

export interface PackedPack {
  /** The temporary folder holding everything (remove it when done). */
  readonly work: string;
  /** The unpacked tarball (`package/`), with its node_modules. */
  readonly dir: string;
  /** Files of the tarball, relative to `dir`. */
  readonly files: string[];
}

interface Manifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const readManifest = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as Manifest;

/** The package directory `name` resolves to from `from`, as Node's lookup walks node_modules up. */
function resolvePackage(name: string, from: string): string | undefined {
  for (let d = from; ; d = path.dirname(d)) {
    const candidate = path.join(d, "node_modules", name);
    if (fs.existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.dirname(d) === d) return undefined;
  }
}

/** Top-level packages of the repository's node_modules that installing `manifest`'s dependencies needs. */
export function dependencyClosure(manifest: Manifest): string[] {
  const top = new Set<string>();
  const seen = new Set<string>();
  const queue: [string, string][] = Object.keys(manifest.dependencies ?? {}).map((n) => [n, ROOT]);
  const modules = path.join(ROOT, "node_modules");
  while (queue.length > 0) {
    const [name, from] = queue.shift()!;
    const dir = resolvePackage(name, from);
    if (!dir) {
      // An optional dependency for another platform is not installed here either.
      continue;
    }
    if (seen.has(dir)) continue;
    seen.add(dir);
    const rel = path.relative(modules, dir);
    if (!rel.includes("node_modules")) top.add(rel);
    const m = readManifest(dir);
    for (const d of Object.keys({ ...m.dependencies, ...m.optionalDependencies })) queue.push([d, dir]);
    for (const d of Object.keys(m.peerDependencies ?? {})) {
      if (!m.peerDependenciesMeta?.[d]?.optional) queue.push([d, dir]);
    }
  }
  return [...top].sort();
}

/** `npm pack` of policy-pack/ (offline, no scripts), unpacked: nothing installed yet. */
export function packAndUnpack(prefix: string): PackedPack {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const out = path.join(work, "out");
  fs.mkdirSync(out);
  const pack = spawnSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", out], {
    cwd: PACK,
    encoding: "utf8",
    env: {
      ...process.env,
      npm_config_offline: "true",
      npm_config_audit: "false",
      npm_config_fund: "false",
      npm_config_update_notifier: "false",
    },
  });
  assert.equal(pack.status, 0, `npm pack failed: ${pack.stderr}`);
  const info = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  const clean = path.join(work, "clean");
  fs.mkdirSync(clean);
  execFileSync("tar", ["-xzf", path.join(out, info[0].filename), "-C", clean]);
  return { work, dir: path.join(clean, "package"), files: info[0].files.map((f) => f.path).sort() };
}

/** Packs policy-pack/, unpacks it and installs exactly its declared dependencies. */
export function packAndInstall(prefix: string): PackedPack {
  const packed = packAndUnpack(prefix);
  for (const name of dependencyClosure(readManifest(packed.dir))) {
    const target = path.join(packed.dir, "node_modules", name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    execFileSync("cp", ["-al", path.join(ROOT, "node_modules", name), target]);
  }
  return packed;
}
