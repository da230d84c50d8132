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
import { buildSync } from "esbuild";
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
  return { files, sha256: createHash("sha256").update(code).digest("hex"), sizeBytes: code.length };
}

/**
 * The deployment package of a handler as a Pulumi archive: `index.js` (handler `index.handler`),
 * plus `index.js.map` when asked for. The FHIR validator and every other dependency is inside
 * `index.js`; only the AWS SDK comes from the runtime.
 */
export function bundleLambda(entry: string, opts: BundleOptions = {}): pulumi.asset.AssetArchive {
  const bundle = buildLambdaBundle(entry, opts);
  const assets: Record<string, pulumi.asset.Asset> = {};
  for (const [name, bytes] of Object.entries(bundle.files)) {
    assets[name] = new pulumi.asset.StringAsset(bytes.toString("utf8"));
  }
  return new pulumi.asset.AssetArchive(assets);
}
