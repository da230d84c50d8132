/**
 * `npm run plan` at its boundaries, as a new user meets it: help, flag forms, the files it must never
 * write over, and config refusals. Every refusal exits 1 before the program runs and writes nothing.
 * The command runs in-process (tools/plan.ts `main`, output captured); one refusal also runs as a
 * child process, end to end (the successful run is test/tools/plan.spec.ts's).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkOutputPath, HelpRequested, parsePlanArgs, USAGE } from "../../tools/plan";
import { planInProcess, ROOT, runPlan } from "./support/run-plan";

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "hcp-plan-cli-"));
const CERT = "  healthcare-platform:certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000001\n";
const DEV =
  "config:\n  aws:region: us-east-1\n  healthcare-platform:environment: dev\n  healthcare-platform:alertEmail: a@example.org\n" + CERT;

describe("npm run plan: the command line", function () {
  this.timeout(60_000);

  it("--help prints the usage and exits 0 without planning", async () => {
    const r = await planInProcess(["--help"]);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stdout.trim(), USAGE);
    assert.strictEqual(r.stderr, "");
  });

  it("takes --flag=value as well as --flag value", () => {
    assert.deepStrictEqual(parsePlanArgs(["--stack=dev", "--out=x.json"]), { stack: "dev", out: "x.json" });
    assert.deepStrictEqual(parsePlanArgs(["--stack", "dev", "--config-file=my.yaml"]), { stack: "dev", configFile: "my.yaml" });
    assert.throws(() => parsePlanArgs(["--stack="]), /--stack needs a value/);
  });

  it("parses its arguments strictly", () => {
    assert.deepStrictEqual(parsePlanArgs(["--stack", "dev", "--out", "x.json"]), { stack: "dev", out: "x.json" });
    assert.throws(() => parsePlanArgs([]), /--stack is required/);
    assert.throws(() => parsePlanArgs(["--stack"]), /--stack needs a value/);
    assert.throws(() => parsePlanArgs(["--stack", "dev", "--verbose"]), /unknown option --verbose/);
    assert.throws(() => parsePlanArgs(["--stack", "dev/../x"]), /--stack must be a stack name/);
  });

  it("a usage problem exits 1 with the message on stderr, before anything runs", async () => {
    const r = await planInProcess(["--stack", "dev", "--verbose"]);
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /unknown option --verbose\nusage: npm run plan/);
    assert.strictEqual(r.stdout, "");
  });

  describe("never writes over what the user has", () => {
    const before = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
    const cases: { name: string; args: () => string[]; message: RegExp }[] = [
      { name: "the stack file in use", args: () => ["--stack", "dev", "--out", "Pulumi.dev.yaml"], message: /is the config file in use/ },
      {
        name: "the --config-file in use",
        args: () => {
          fs.writeFileSync(path.join(TMP, "mine.yaml"), DEV);
          return ["--stack", "dev", "--config-file", path.join(TMP, "mine.yaml"), "--out", path.join(TMP, "mine.yaml")];
        },
        message: /is the config file in use/,
      },
      {
        name: "another Pulumi stack file",
        args: () => ["--stack", "dev", "--out", "Pulumi.prod.yaml"],
        message: /would overwrite a Pulumi project or stack file/,
      },
      {
        name: "the project file",
        args: () => ["--stack", "dev", "--out", "./Pulumi.yaml"],
        message: /would overwrite a Pulumi project or stack file/,
      },
      { name: "a directory", args: () => ["--stack", "dev", "--out", TMP], message: /is a directory; give a file name/ },
      {
        name: "a folder that does not exist",
        args: () => ["--stack", "dev", "--out", path.join(TMP, "no", "such", "plan.json")],
        message: /does not exist; create it/,
      },
    ];
    for (const c of cases) {
      it(`refuses ${c.name}, before the run`, async () => {
        const args = c.args();
        const mine = fs.existsSync(path.join(TMP, "mine.yaml")) ? fs.readFileSync(path.join(TMP, "mine.yaml"), "utf8") : undefined;
        const r = await planInProcess(args);
        assert.strictEqual(r.status, 1, r.stdout + r.stderr);
        assert.match(r.stderr, c.message);
        assert.doesNotMatch(r.stdout, /Wrote /, "refused before anything ran");
        assert.strictEqual(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8"), before, "Pulumi.dev.yaml untouched");
        if (mine !== undefined) assert.strictEqual(fs.readFileSync(path.join(TMP, "mine.yaml"), "utf8"), mine, "the config file untouched");
      });
    }

    for (const tracked of ["README.md", "index.ts", "package.json", "package-lock.json", "LICENSE", "tsconfig.json", ".gitignore"]) {
      it(`checkOutputPath refuses ${tracked}, a file git tracks`, () => {
        assert.match(
          checkOutputPath(path.join(ROOT, tracked), path.join(ROOT, "Pulumi.dev.yaml")) ?? "",
          new RegExp(`would overwrite a file git tracks \\(${tracked.replace(".", "\\.")}\\)`),
        );
      });
    }

    it("checkOutputPath refuses a tracked plan (a test fixture) and any existing file that is not a plan", () => {
      const fixture = path.join(ROOT, "test/fixtures/policy/compliant-plan.json");
      assert.match(checkOutputPath(fixture, path.join(ROOT, "Pulumi.dev.yaml")) ?? "", /git tracks/);
      fs.writeFileSync(path.join(TMP, "notes.txt"), "mine");
      assert.match(checkOutputPath(path.join(TMP, "notes.txt"), path.join(ROOT, "Pulumi.dev.yaml")) ?? "", /does not hold a previous plan/);
    });

    it("checkOutputPath lets an earlier plan be replaced", () => {
      fs.writeFileSync(path.join(TMP, "old-plan.json"), '{"version":3,"deployment":{"resources":[]}}');
      assert.strictEqual(checkOutputPath(path.join(TMP, "old-plan.json"), path.join(ROOT, "Pulumi.dev.yaml")), undefined);
    });

    it("parsePlanArgs (node:util parseArgs) names a flag without a value and a stray positional; --help anywhere wins", () => {
      assert.throws(() => parsePlanArgs(["--stack", "--out", "x.json"]), /--stack needs a value/);
      assert.throws(() => parsePlanArgs(["--stack", "dev", "prod"]), /unexpected argument prod/);
      assert.throws(() => parsePlanArgs(["--out", "x.json", "--stack", "dev", "--help"]), HelpRequested);
    });

    it("checkOutputPath accepts a new file in an existing folder", () => {
      assert.strictEqual(checkOutputPath(path.join(TMP, "plan.json"), path.join(ROOT, "Pulumi.dev.yaml")), undefined);
    });
  });

  it("a missing stack file: exit 1, the stacks there and --config-file named", async () => {
    const r = await planInProcess(["--stack", "nosuchstack", "--out", path.join(TMP, "none.json")]);
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /no stack file for --stack nosuchstack: .*Pulumi\.nosuchstack\.yaml does not exist\. Stacks here: dev, prod\./);
    assert.match(r.stderr, /--config-file <path>/);
    assert.ok(!fs.existsSync(path.join(TMP, "none.json")));
  });

  describe("config problems: exit 1, every bad key named (both namespaces in one report), nothing written", () => {
    const cases: { name: string; yaml: string; expect: RegExp[]; endToEnd?: true }[] = [
      {
        name: "an unknown region and a misspelt aws: key",
        yaml: DEV.replace("us-east-1", "us-esat-1") + "  aws:regoin: us-east-1\n  healthcare-platform:vpcCider: 10.0.0.0/16\n",
        expect: [
          /aws:regoin: unknown key of the aws namespace\. Did you mean "aws:region"\?/,
          /aws:region = "us-esat-1": must be an AWS region code such as us-east-1\. Did you mean "us-east-1"\?/,
          /healthcare-platform:vpcCider: unknown key/,
          /3 problems/,
        ],
        // The one refusal also run as a user runs it: a child process, exit status 1.
        endToEnd: true,
      },
      {
        name: "an encrypted value is reported as one, not as a bad e-mail address",
        yaml:
          "config:\n  aws:region: us-east-1\n  healthcare-platform:environment: dev\n  healthcare-platform:alertEmail:\n    secure: AAABAKx0c2VjcmV0\n" +
          CERT,
        expect: [/healthcare-platform:alertEmail: is encrypted \(secure:\); the offline plan cannot read secrets/, /1 problem\b/],
      },
      {
        name: "an invalid CIDR",
        yaml: "config:\n  aws:region: us-east-1\n  healthcare-platform:environment: dev\n  healthcare-platform:alertEmail: a@example.org\n  healthcare-platform:vpcCidr: 10.0.0.0/33\n",
        expect: [/healthcare-platform:vpcCidr = "10\.0\.0\.0\/33": must be an IPv4 CIDR/],
      },
      {
        name: "a misspelt key and a short prod retention",
        yaml: "config:\n  aws:region: us-east-1\n  healthcare-platform:environment: prod\n  healthcare-platform:alertEmail: a@example.org\n  healthcare-platform:vpcCider: 10.0.0.0/16\n  healthcare-platform:logRetentionInDays: 30\n",
        expect: [
          /healthcare-platform:vpcCider: unknown key.*Did you mean "vpcCidr"/,
          /logRetentionInDays = "30": prod must keep at least 2192 days/,
        ],
      },
    ];
    for (const c of cases) {
      it(`${c.name}${c.endToEnd ? " (end to end, in a child process)" : ""}`, async () => {
        const file = path.join(TMP, `cfg-${c.name.replace(/\W+/g, "-")}.yaml`);
        const out = path.join(TMP, `cfg-${c.name.replace(/\W+/g, "-")}.json`);
        fs.writeFileSync(file, c.yaml);
        const args = ["--stack", "x", "--config-file", file, "--out", out];
        const r = c.endToEnd ? runPlan(args) : await planInProcess(args);
        assert.strictEqual(r.status, 1, r.stdout + r.stderr);
        for (const re of c.expect) assert.match(r.stderr, re);
        assert.doesNotMatch(r.stderr, /must be an e-mail address/);
        assert.doesNotMatch(r.stdout, /Wrote /);
        assert.ok(!fs.existsSync(out), "nothing is written for invalid config");
      });
    }
  });
});
