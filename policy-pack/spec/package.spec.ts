// The pack is publishable as it is: `npm pack` in policy-pack/ (offline, no scripts), the tarball
// unpacked into a clean temporary folder with only the pack's own declared dependencies beside it
// (linked from this repository's node_modules, as `npm install` of the tarball would place them),
// and every policy loaded from that copy: its `policies/index.ts` (not `index.ts`, which starts the
// analyzer's gRPC server) and its own checker, run on the compliant fixture. Nothing may come from
// the root project; tests stay out of the tarball.

import { strict as assert } from "assert";
import { builtinModules } from "module";
import * as fs from "fs";
import * as path from "path";
import { allPolicies } from "../policies";
import { packAndUnpack } from "../test-support/install-pack";

const ROOT = path.join(__dirname, "..", "..");
const PACK = path.join(ROOT, "policy-pack");
const FIXTURE = path.join(ROOT, "test", "fixtures", "policy", "compliant-plan.json");

interface PackManifest {
  name: string;
  version: string;
  files?: string[];
  dependencies?: Record<string, string>;
}

function packageRoot(name: string): string {
  // The directory of an installed package, found from the repository as Node would.
  const main = require.resolve(`${name}/package.json`, { paths: [ROOT] });
  return path.dirname(main);
}

describe("the packed policy pack", function () {
  this.timeout(120000);
  let work: string;
  let unpacked: string;
  let tarFiles: string[];
  let manifest: PackManifest;

  before(() => {
    const packed = packAndUnpack("policy-pack-tarball-");
    work = packed.work;
    tarFiles = packed.files;
    unpacked = packed.dir;
    manifest = JSON.parse(fs.readFileSync(path.join(unpacked, "package.json"), "utf8")) as PackManifest;
    // Only the declared dependencies, where `npm install <tarball>` would put them.
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      const link = path.join(unpacked, "node_modules", dep);
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(packageRoot(dep), link, "dir");
    }
  });

  after(() => {
    if (work) {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it("holds what `pulumi policy publish` and the offline checker need, and no tests", () => {
    for (const f of [
      "package.json",
      "PulumiPolicy.yaml",
      "index.ts",
      "policies/index.ts",
      "policies/lib/define.ts",
      "checker/cli.ts",
      "config/prod.json",
      "config/dev.json",
      "tsconfig.json",
      "README.md",
      "CHANGELOG.md",
    ]) {
      assert.ok(tarFiles.includes(f), `the tarball lacks ${f}`);
    }
    for (const f of tarFiles) {
      assert.doesNotMatch(
        f,
        /(^|\/)(test|tests|__tests__|fixtures|node_modules|bin)\/|\.(spec|test)\.ts$|\.tgz$/,
        `the tarball should not ship ${f}`,
      );
    }
    assert.equal(manifest.name, "healthcare-hipaa-policies");
    assert.match(manifest.version, /^\d+\.\d+\.\d+$/);
    const changelog = fs.readFileSync(path.join(unpacked, "CHANGELOG.md"), "utf8");
    assert.ok(changelog.includes(`## ${manifest.version}`), `CHANGELOG.md has no section for ${manifest.version}`);
    // Every module the pack ships is in the tarball (the files list misses none); the specs beside
    // the policies and checker are not modules of the pack, and the loop above proves none ships.
    const shipped = (dir: string): string[] =>
      fs
        .readdirSync(path.join(PACK, dir), { withFileTypes: true })
        .flatMap((e) =>
          e.isDirectory()
            ? shipped(path.join(dir, e.name))
            : e.name.endsWith(".ts") && !e.name.endsWith(".spec.ts")
              ? [path.join(dir, e.name)]
              : [],
        );
    for (const f of [...shipped("policies"), ...shipped("checker")]) {
      assert.ok(tarFiles.includes(f.split(path.sep).join("/")), `the tarball lacks ${f}`);
    }
  });

  it("imports only its declared dependencies and Node built-ins", () => {
    const declared = Object.keys(manifest.dependencies ?? {});
    const specifiers = /(?:from\s+|require\()\s*"([^"]+)"/g;
    for (const f of tarFiles.filter((x) => x.endsWith(".ts"))) {
      const text = fs.readFileSync(path.join(unpacked, f), "utf8");
      for (const m of text.matchAll(specifiers)) {
        const spec = m[1];
        if (spec.startsWith(".")) {
          const target = path.resolve(path.dirname(path.join(unpacked, f)), spec);
          assert.ok(target.startsWith(unpacked + path.sep), `${f} imports ${spec}, outside the pack`);
          continue;
        }
        const pkg = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
        assert.ok(
          declared.includes(pkg) || builtinModules.includes(pkg.replace(/^node:/, "")),
          `${f} imports ${spec}, which package.json does not declare`,
        );
      }
    }
  });

  it("loads every policy from the unpacked copy and runs them with its own checker", async () => {
    const before = new Set(Object.keys(require.cache));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(path.join(unpacked, "policies", "index.ts")) as typeof import("../policies");
    assert.deepEqual(
      loaded.allPolicies.map((p) => p.name),
      allPolicies.map((p) => p.name),
    );
    for (const p of loaded.allPolicies) {
      const fn = p as { validateResource?: unknown; validateStack?: unknown };
      assert.ok(typeof fn.validateResource === "function" || typeof fn.validateStack === "function", p.name);
    }
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { parseDeployment } = require(path.join(unpacked, "checker", "deployment.ts")) as typeof import("../checker/deployment");
    const { parseConfig } = require(path.join(unpacked, "checker", "config.ts")) as typeof import("../checker/config");
    const { runPolicies } = require(path.join(unpacked, "checker", "run.ts")) as typeof import("../checker/run");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const config = parseConfig(fs.readFileSync(path.join(unpacked, "config", "dev.json"), "utf8"), loaded.allPolicies, "dev.json");
    const result = await runPolicies(parseDeployment(fs.readFileSync(FIXTURE, "utf8"), FIXTURE), { policies: loaded.allPolicies, config });
    assert.deepEqual(
      result.violations.map((v) => `${v.policy} ${v.urn}: ${v.message}`),
      [],
    );
    assert.equal(result.summary.policies, allPolicies.length);
    // Nothing of the root project's own sources was loaded on the way.
    const added = Object.keys(require.cache).filter((k) => !before.has(k));
    assert.ok(
      added.some((k) => k.startsWith(unpacked)),
      "the unpacked modules were not loaded",
    );
    for (const k of added) {
      const fromRoot = k.startsWith(ROOT + path.sep) && !k.includes(`${path.sep}node_modules${path.sep}`);
      assert.ok(!fromRoot, `loading the unpacked pack pulled in ${path.relative(ROOT, k)} from the root project`);
    }
  });
});
