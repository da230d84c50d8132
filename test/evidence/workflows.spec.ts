/**
 * The CI workflows users copy (.github/workflows/): they parse, run the steps the README promises,
 * name only scripts, paths and files that exist, and take credentials from OIDC, never a stored key.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "../..");
const DIR = path.join(ROOT, ".github/workflows");
type Step = { name?: string; uses?: string; run?: string; with?: Record<string, unknown> };
type Job = { steps: Step[]; environment?: string; needs?: string | string[]; env?: Record<string, string> };
type Workflow = {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
};
/** How a job names its stack: the preview matrix, or the deploy job's STACK. */
const STACK_VARS = ["${{ matrix.stack }}", "${{ env.STACK }}"];

const load = (f: string) => ({
  text: fs.readFileSync(path.join(DIR, f), "utf8"),
  doc: parse(fs.readFileSync(path.join(DIR, f), "utf8")) as Workflow,
});
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const scripts = Object.keys(
  (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts,
);

describe("CI workflows", () => {
  const files = fs
    .readdirSync(DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();

  it("exist for pull requests and for main", () => assert.deepStrictEqual(files, ["deploy.yml", "pull-request.yml"]));

  for (const f of files) {
    describe(f, () => {
      it("references no long-lived secret key, and gets AWS credentials from an OIDC role", () => {
        const { text, doc } = load(f);
        assert.ok(
          !/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID|PULUMI_ACCESS_TOKEN|secrets\./i.test(text),
        );
        assert.strictEqual(doc.permissions?.["id-token"], "write");
        const aws = steps(doc).filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        assert.ok(aws.length > 0 && aws.every((s) => typeof s.with?.["role-to-assume"] === "string" && s.with?.["aws-region"]));
      });

      it("names only npm scripts, paths and files that exist", () => {
        const { doc } = load(f);
        for (const s of steps(doc)) {
          for (const m of (s.run ?? "").matchAll(/npm (?:run|test)(?: -s)? ?([\w:-]*)/g)) {
            if (m[0].startsWith("npm run")) assert.ok(scripts.includes(m[1]), `${f}: npm run ${m[1]} is not a script`);
          }
          for (const v of [...Object.values(s.with ?? {}), s.run ?? ""].map(String)) {
            for (const m of v.matchAll(/policy-pack(?:\/config\/([\w$.{} ]+?\.json))?/g)) {
              for (const stack of ["dev", "prod"]) {
                const file = STACK_VARS.reduce((p, variable) => p.replace(variable, stack), m[0]);
                assert.ok(fs.existsSync(path.join(ROOT, file)), `${f}: ${file} does not exist`);
              }
            }
          }
        }
      });

      it("runs pulumi with the policy pack and its per-environment config", () => {
        const pulumi = steps(load(f).doc).filter((s) => s.uses?.startsWith("pulumi/actions@"));
        assert.ok(pulumi.length > 0);
        for (const s of pulumi) {
          assert.strictEqual(s.with?.policyPacks, "policy-pack");
          assert.ok(
            STACK_VARS.map((v) => `policy-pack/config/${v}.json`).includes(String(s.with?.policyPackConfigs)),
            String(s.with?.policyPackConfigs),
          );
          assert.ok(["preview", "up"].includes(String(s.with?.command)));
        }
      });
    });
  }

  it("pull-request: install, npm test, offline plan and checker, evidence artifact, preview of each stack", () => {
    const { doc } = load("pull-request.yml");
    assert.ok("pull_request" in doc.on);
    const runs = steps(doc).map((s) => s.run ?? s.uses ?? "");
    for (const want of [
      /^npm ci$/,
      /^npm test$/,
      /^npm run plan -- --stack prod/,
      /^npm run policy:check -- /,
      /^npm run evidence -- /,
      /^actions\/upload-artifact@v4$/,
    ]) {
      assert.ok(
        runs.some((r) => want.test(r)),
        String(want),
      );
    }
    const upload = steps(doc).find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    assert.strictEqual(upload?.with?.path, "evidence-prod/");
    assert.ok(steps(doc).some((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command === "preview"));
  });

  it("deploy: pulumi up per environment behind its GitHub environment, on main; prod needs dev", () => {
    const { doc } = load("deploy.yml");
    assert.deepStrictEqual((doc.on.push as { branches: string[] }).branches, ["main"]);
    assert.deepStrictEqual(Object.keys(doc.jobs).sort(), ["dev", "prod"]);
    for (const stack of ["dev", "prod"]) {
      const job = doc.jobs[stack];
      assert.strictEqual(job.environment, stack);
      assert.strictEqual(job.env?.STACK, stack);
      assert.ok(job.steps.some((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command === "up"));
    }
    assert.deepStrictEqual([doc.jobs.prod.needs].flat(), ["dev"], "prod deploys only after dev succeeded");
  });

  it("pull-request previews assume the read-only preview role of each stack, never a deploy role", () => {
    const { doc } = load("pull-request.yml");
    const aws = steps(doc).filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    assert.ok(aws.length > 0);
    for (const s of aws) {
      const role = String(s.with?.["role-to-assume"]);
      assert.doesNotMatch(role, /AWS_ROLE_ARN_(DEV|PROD)/, "a deploy role in a pull request");
      assert.match(role, /vars\.AWS_PREVIEW_ROLE_ARN_PROD/);
      assert.match(role, /vars\.AWS_PREVIEW_ROLE_ARN_DEV/);
    }
    assert.ok(fs.existsSync(path.join(ROOT, "iam/preview-policy.json")), "the preview role's policy is in the repository");
  });

  it("both workflows run Node 22, the version of the Lambdas and of package.json engines", () => {
    const engines = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
    assert.strictEqual(engines, ">=22");
    for (const f of files) {
      const setup = steps(load(f).doc).filter((s) => s.uses?.startsWith("actions/setup-node@"));
      assert.ok(setup.length > 0);
      for (const s of setup) assert.strictEqual(s.with?.["node-version"], 22, f);
    }
  });
});
