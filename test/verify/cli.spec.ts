/**
 * verify as a command: its exit codes (0 all pass, 1 any fail, 2 usage, 3 account unreachable or
 * credentials refused), its formats, and that without credentials or network it ends within seconds
 * with one line and no stack trace (the real process, the SDK's default credential chain).
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { GetTrailStatusCommand } from "@aws-sdk/client-cloudtrail";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { CHECKS, EXIT, verify } from "../../tools/verify/run";
import { ALB_LOG_BUCKET, CREDENTIALS, NOW, OUTPUTS, TRAIL_STATUS, awsError, mockHealthyAccount } from "./harness";

const ROOT = path.resolve(__dirname, "../..");

describe("verify command", () => {
  let dir: string;
  let outputsFile: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-cli-"));
    outputsFile = path.join(dir, "outputs.json");
    fs.writeFileSync(outputsFile, JSON.stringify(OUTPUTS));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe("in process (mocked account)", () => {
    let m: ReturnType<typeof mockHealthyAccount>;
    let s3: ReturnType<typeof mockClient>;
    beforeEach(() => {
      m = mockHealthyAccount();
      s3 = mockClient(S3Client);
      s3.on(ListObjectsV2Command).resolves({ Contents: [] });
      const today = NOW.toISOString().slice(0, 10);
      s3.on(ListObjectsV2Command, { Prefix: `events/dt=${today}/` }).resolves({
        Contents: [{ Key: "k", LastModified: new Date(NOW.getTime() - 600_000) }],
      });
      s3.on(ListObjectsV2Command, { Prefix: "errors/" }).resolves({ Contents: [] });
      s3.on(ListObjectsV2Command, { Delimiter: "/" }).resolves({ CommonPrefixes: [{ Prefix: "phi-data/" }] });
      s3.on(ListObjectsV2Command, { Prefix: "phi-data/" }).resolves({ Contents: [{ Key: "phi-data/2026-12-04-11-50-00-AB" }] });
      s3.on(HeadObjectCommand).resolves({ ReplicationStatus: "COMPLETED", LastModified: new Date(NOW.getTime() - 600_000) });
      const albPrefix = `alb/AWSLogs/123456789012/elasticloadbalancing/us-east-1/${today.replace(/-/g, "/")}/`;
      s3.on(ListObjectsV2Command, { Bucket: ALB_LOG_BUCKET, Prefix: albPrefix }).resolves({
        Contents: [{ Key: "k", LastModified: new Date(NOW.getTime() - 600_000) }],
      });
    });
    afterEach(() => {
      s3.restore();
      m.restore();
    });
    const run = (...args: string[]) =>
      verify(["--stack", "prod", "--outputs", outputsFile, ...args], { now: NOW, aws: { credentials: CREDENTIALS, timeoutMs: 1_000 } });

    it("exits 0 when every check passes, one line per check with its citation", async () => {
      const r = await run();
      assert.strictEqual(r.code, EXIT.pass, r.stdout);
      assert.match(r.stdout, /^verify prod in 123456789012 us-east-1 since 2026-12-03T12:00:00.000Z: 14 pass, 0 fail/);
      for (const c of CHECKS) assert.match(r.stdout, new RegExp(`PASS +${c.id}: .*\\[${c.citation.replace(/[()]/g, "\\$&")}\\]`));
    });

    it("--format json gives each check's status, citation and rows; --since sets the window", async () => {
      const r = await run("--format", "json", "--since", "2h");
      const report = JSON.parse(r.stdout) as {
        passed: boolean;
        since: string;
        checks: { id: string; status: string; citation: string; rows: string[] }[];
      };
      assert.strictEqual(report.passed, true);
      assert.strictEqual(report.since, "2026-12-04T10:00:00.000Z");
      assert.deepStrictEqual(
        report.checks.map((c) => c.id),
        CHECKS.map((c) => c.id),
      );
      for (const c of report.checks) assert.ok(c.citation.startsWith("164.") && c.rows.length > 0, c.id);
    });

    it("exits 1 when a check fails, and says what to look at", async () => {
      m.cloudtrail.on(GetTrailStatusCommand).resolves({ ...TRAIL_STATUS, IsLogging: false });
      const r = await run();
      assert.strictEqual(r.code, EXIT.fail);
      assert.match(r.stdout, /FAIL +trail: .*\n +trail hcp-prod-trail: the trail is not logging\n +look at: /);
    });

    it("exits 1 when a check cannot be evaluated (the verifier lacks a permission)", async () => {
      m.cloudtrail.on(GetTrailStatusCommand).rejects(awsError("AccessDeniedException"));
      const r = await run();
      assert.strictEqual(r.code, EXIT.fail);
      assert.match(r.stdout, /UNREACHABLE +trail: /);
    });

    it("exits 3 with one line when the credentials are refused", async () => {
      m.sts.on(GetCallerIdentityCommand).rejects(awsError("InvalidClientTokenId", 403));
      const r = await run();
      assert.strictEqual(r.code, EXIT.unreachable);
      assert.strictEqual(r.stdout, "");
      assert.strictEqual(
        r.stderr,
        "verify: cannot reach the AWS account in us-east-1: sts:GetCallerIdentity: the credentials were refused (InvalidClientTokenId): renew them\n",
      );
      assert.strictEqual(m.cloudtrail.calls().length, 0, "no check runs without an account");
    });

    it("exits 3 within the identity bound when STS never answers", async () => {
      m.sts.on(GetCallerIdentityCommand).callsFake(() => new Promise(() => undefined));
      const started = Date.now();
      const r = await verify(["--stack", "prod", "--outputs", outputsFile], {
        now: NOW,
        aws: { credentials: CREDENTIALS },
        identityTimeoutMs: 300,
      });
      assert.strictEqual(r.code, EXIT.unreachable);
      assert.match(r.stderr, /no answer within 0.3 s/);
      assert.ok(Date.now() - started < 2_000);
    });
  });

  describe("usage (exit 2)", () => {
    const cases: [string, string[], RegExp][] = [
      ["no --stack", ["--outputs", "x.json"], /--stack is required/],
      ["no --outputs", ["--stack", "prod"], /--outputs is required/],
      ["an unknown flag", ["--stack", "prod", "--outputs", "x.json", "--fix"], /unknown option --fix/],
      ["a bad --format", ["--stack", "prod", "--outputs", "x.json", "--format", "xml"], /--format must be text or json/],
      ["a bad --since", ["--stack", "prod", "--outputs", "x.json", "--since", "yesterday"], /--since must be/],
      ["an unreadable outputs file", ["--stack", "prod", "--outputs", "/nonexistent/outputs.json"], /cannot read it \(ENOENT\)/],
    ];
    for (const [what, args, message] of cases) {
      it(`${what}`, async () => {
        const r = await verify(args);
        assert.strictEqual(r.code, EXIT.usage);
        assert.match(r.stderr, message);
      });
    }
    it("outputs without a region and no --region", async () => {
      const file = path.join(dir, "no-region.json");
      fs.writeFileSync(file, JSON.stringify({ trailName: "t" }));
      const r = await verify(["--stack", "prod", "--outputs", file]);
      assert.strictEqual(r.code, EXIT.usage);
      assert.match(r.stderr, /pass --region/);
    });
    it("--help exits 0 with the usage", async () => {
      const r = await verify(["--help"]);
      assert.strictEqual(r.code, EXIT.pass);
      assert.match(r.stdout, /^usage: npm run verify/);
    });
  });

  it("npm run verify runs tools/verify/cli.ts; docs/verify.md names every check, the policy file and each action of the policy", () => {
    const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    assert.match(scripts.verify ?? "", /ts-node tools\/verify\/cli\.ts$/);
    const guide = fs.readFileSync(path.join(ROOT, "docs/verify.md"), "utf8");
    for (const c of CHECKS) assert.match(guide, new RegExp(`^\\| \`${c.id}\` \\|`, "m"), c.id);
    assert.match(guide, /\(\.\.\/iam\/verifier-policy\.json\)/);
    const policy = JSON.parse(fs.readFileSync(path.join(ROOT, "iam/verifier-policy.json"), "utf8")) as {
      Statement: { Action: string | string[] }[];
    };
    for (const a of policy.Statement.flatMap((st) => [st.Action].flat())) assert.ok(guide.includes(`\`${a}\``), a);
  });

  describe("the real process without an account (exit 3 within seconds, one line)", () => {
    // No profile, no config files, no instance metadata: the default chain finds nothing.
    const bare = (): NodeJS.ProcessEnv => ({
      PATH: process.env.PATH,
      HOME: dir,
      TS_NODE_TRANSPILE_ONLY: "true",
      AWS_CONFIG_FILE: path.join(dir, "none"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "none"),
      AWS_EC2_METADATA_DISABLED: "true",
    });
    const runCli = (env: NodeJS.ProcessEnv) => {
      const started = Date.now();
      const r = spawnSync(
        process.execPath,
        ["-r", "ts-node/register", "tools/verify/cli.ts", "--stack", "prod", "--outputs", outputsFile],
        {
          cwd: ROOT,
          env,
          encoding: "utf8",
          timeout: 60_000,
        },
      );
      return { ...r, seconds: (Date.now() - started) / 1000 };
    };
    const oneLine = (stderr: string) => {
      assert.strictEqual(stderr.trim().split("\n").length, 1, stderr);
      assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
    };

    it("no credentials", () => {
      const r = runCli(bare());
      assert.strictEqual(r.status, EXIT.unreachable, r.stderr);
      oneLine(r.stderr);
      assert.match(r.stderr, /^verify: cannot reach the AWS account in us-east-1: .*no AWS credentials found/);
      assert.ok(r.seconds < 20, `${r.seconds} s (ts-node's start included)`);
    });

    it("no network (endpoints at a closed port on 127.0.0.1)", () => {
      const r = runCli({
        ...bare(),
        AWS_ACCESS_KEY_ID: "AKIDVERIFYTEST",
        AWS_SECRET_ACCESS_KEY: "x",
        AWS_ENDPOINT_URL: "http://127.0.0.1:9",
      });
      assert.strictEqual(r.status, EXIT.unreachable, r.stderr);
      oneLine(r.stderr);
      assert.match(r.stderr, /sts:GetCallerIdentity: network error ECONNREFUSED/);
      assert.ok(r.seconds < 20, `${r.seconds} s (ts-node's start included)`);
    });
  });
});
