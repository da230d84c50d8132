/**
 * Bundles a Lambda handler with esbuild at `pulumi up` time: one minified CommonJS `index.js` for
 * the function's Node.js runtime, with the AWS SDK v3 left to the runtime (`@aws-sdk/*` external).
 *
 * The output is deterministic: the same sources give byte-identical bytes (and so the same
 * sha256 and no spurious Lambda update). Paths are resolved against the repository root rather
 * than the working directory, no source map is emitted unless asked for, and a requested source
 * map has no `sourcesContent` and only repository-relative paths.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { buildSync, version as esbuildVersion } from "esbuild";
import * as fs from "fs";
import * as path from "path";

/** The runtime of every function this program bundles; the esbuild target follows it. */
export const LAMBDA_RUNTIME = "nodejs22.x";
/** esbuild target matching {@link LAMBDA_RUNTIME}. */
export const LAMBDA_NODE_TARGET = "node22";

/** Root of the repository: entry points and source-map paths are resolved against it. */
const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface BundleOptions {
  /**
   * Emit `index.js.map` (no sourcesContent, repository-relative paths) and a
   * `sourceMappingURL` comment; the function then needs `NODE_OPTIONS=--enable-source-maps`.
   * @default false
   */
  readonly sourceMap?: boolean;
  /** Packages left to the runtime, in addition to `@aws-sdk/*`. @default none */
  readonly external?: readonly string[];
  /** Minify identifiers and whitespace. @default true */
  readonly minify?: boolean;
}

export interface LambdaBundle {
  /** Files of the deployment package, by archive path (`index.js`, optionally `index.js.map`). */
  readonly files: Readonly<Record<string, Buffer>>;
  /** Hex SHA-256 of `index.js`. */
  readonly sha256: string;
  /** Bytes of `index.js`. */
  readonly sizeBytes: number;
}

/**
 * Builds the bundle in memory, synchronously, and returns its bytes and hash. Pure apart from
 * reading the sources: tests and the bench use it to measure the package.
 * `entry` is a path to the handler's TypeScript entry, absolute or relative to the repository root.
 */
export function buildLambdaBundle(entry: string, opts: BundleOptions = {}): LambdaBundle {
  return build(entry, opts).bundle;
}

/** One esbuild run: the bundle, and the files esbuild read (repository-relative) for the cache to validate. */
function build(entry: string, opts: BundleOptions): { bundle: LambdaBundle; inputs: string[] } {
  const entryPath = path.resolve(REPO_ROOT, entry);
  const result = buildSync({
    absWorkingDir: REPO_ROOT,
    entryPoints: [path.relative(REPO_ROOT, entryPath)],
    outfile: "index.js",
    bundle: true,
    write: false,
    platform: "node",
    target: LAMBDA_NODE_TARGET,
    format: "cjs",
    external: ["@aws-sdk/*", ...(opts.external ?? [])],
    minify: opts.minify ?? true,
    sourcemap: opts.sourceMap ? "linked" : false,
    sourcesContent: false,
    legalComments: "none",
    charset: "utf8",
    logLevel: "silent",
    // Avoid reading a tsconfig of the working directory: the repository's is the one resolved.
    tsconfig: path.join(REPO_ROOT, "tsconfig.json"),
    // The list of files read, for the test-run cache (cachedLambdaBundle); it does not change the output.
    metafile: true,
  });
  if (result.errors.length > 0) {
    throw new Error(`bundling ${entry} failed:\n${result.errors.map((e) => `  - ${e.text}`).join("\n")}`);
  }
  const files: Record<string, Buffer> = {};
  for (const file of result.outputFiles) {
    files[path.basename(file.path)] = Buffer.from(file.contents);
  }
  const code = files["index.js"];
  if (!code) throw new Error(`bundling ${entry} produced no index.js (got ${Object.keys(files).join(", ")})`);
  return {
    bundle: { files, sha256: createHash("sha256").update(code).digest("hex"), sizeBytes: code.length },
    inputs: Object.keys(result.metafile?.inputs ?? {}),
  };
}

/**
 * Set by the test harness (test/support/setup.ts) to a directory that lives for one test run. Unset
 * (as under `pulumi up`), every bundle is built afresh.
 */
export const BUNDLE_CACHE_ENV = "HCP_LAMBDA_BUNDLE_CACHE";

interface CacheEntry {
  /** sha256 of each file esbuild read, by repository-relative path (package.json and tsconfig.json included). */
  readonly inputs: Readonly<Record<string, string>>;
  readonly files: Readonly<Record<string, string>>;
}

const memo = new Map<string, { inputs: Readonly<Record<string, string>>; bundle: LambdaBundle }>();

const sha256Of = (file: string): string | undefined => {
  try {
    return createHash("sha256")
      .update(fs.readFileSync(path.resolve(REPO_ROOT, file)))
      .digest("hex");
  } catch {
    return undefined;
  }
};
const unchanged = (inputs: Readonly<Record<string, string>>): boolean => Object.entries(inputs).every(([f, h]) => sha256Of(f) === h);

/**
 * {@link buildLambdaBundle}, reused within a test run: with {@link BUNDLE_CACHE_ENV} set, a bundle is
 * kept (in memory, and in that directory for the run's child processes) with the sha256 of every
 * file esbuild read for it, and reused only while each of those files still has that hash. Same
 * inputs, same esbuild: the bytes esbuild produced for them (the build is deterministic).
 */
export function cachedLambdaBundle(entry: string, opts: BundleOptions = {}): LambdaBundle {
  const dir = process.env[BUNDLE_CACHE_ENV];
  if (!dir) return buildLambdaBundle(entry, opts);
  const key = createHash("sha256")
    .update(
      JSON.stringify([esbuildVersion, path.resolve(REPO_ROOT, entry), opts.sourceMap ?? false, opts.external ?? [], opts.minify ?? true]),
    )
    .digest("hex");
  const kept = memo.get(key);
  if (kept && unchanged(kept.inputs)) return kept.bundle;
  const file = path.join(dir, `${key}.json`);
  try {
    const stored = JSON.parse(fs.readFileSync(file, "utf8")) as CacheEntry;
    if (unchanged(stored.inputs)) {
      const files = Object.fromEntries(Object.entries(stored.files).map(([n, b64]) => [n, Buffer.from(b64, "base64")]));
      const code = files["index.js"];
      const bundle = { files, sha256: createHash("sha256").update(code).digest("hex"), sizeBytes: code.length };
      memo.set(key, { inputs: stored.inputs, bundle });
      return bundle;
    }
  } catch {
    // Not cached yet (or written by an interrupted run): build it.
  }
  const { bundle, inputs: read } = build(entry, opts);
  const inputs: Record<string, string> = {};
  for (const f of [...read, "tsconfig.json", "package.json", "package-lock.json"]) {
    const h = sha256Of(f);
    if (h !== undefined) inputs[f] = h;
  }
  memo.set(key, { inputs, bundle });
  const entryJson: CacheEntry = {
    inputs,
    files: Object.fromEntries(Object.entries(bundle.files).map(([n, b]) => [n, b.toString("base64")])),
  };
  try {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(entryJson));
    fs.renameSync(tmp, file);
  } catch {
    // Kept in memory only: the cache is an optimisation, never a reason to fail a build.
  }
  return bundle;
}

/**
 * The deployment package of a handler as a Pulumi archive: `index.js` (handler `index.handler`),
 * plus `index.js.map` when asked for. The FHIR validator and every other dependency is inside
 * `index.js`; only the AWS SDK comes from the runtime.
 */
export function bundleLambda(entry: string, opts: BundleOptions = {}): pulumi.asset.AssetArchive {
  const bundle = cachedLambdaBundle(entry, opts);
  const assets: Record<string, pulumi.asset.Asset> = {};
  for (const [name, bytes] of Object.entries(bundle.files)) {
    assets[name] = new pulumi.asset.StringAsset(bytes.toString("utf8"));
  }
  return new pulumi.asset.AssetArchive(assets);
}
