// The offline checker end to end: `npm run policy:check -- <deployment.json> [--format text|json]
// [--policy-config <file>]` per docs/design.md, "Contracts of the offline commands", on plan-shaped fixtures and on a
// hand-written `pulumi stack export`.

import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Io, main } from "./cli";
import { parseDeployment } from "./deployment";
import { runPolicies } from "./run";
import { allPolicies } from "../policies";
import { Platform } from "../test-support/platform";

const ROOT = path.join(__dirname, "..", "..");
const FIXTURES = path.join(ROOT, "test", "fixtures", "policy");
const fixture = (name: string) => path.join(FIXTURES, name);
const CONFIG = (env: string) => path.join(ROOT, "policy-pack", "config", `${env}.json`);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(...argv: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: (t) => {
      stdout += `${t}\n`;
    },
    stderr: (t) => {
      stderr += `${t}\n`;
    },
    readFile: (p) => fs.readFileSync(p, "utf8"),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

interface JsonReport {
  violations: { policy: string; enforcementLevel: string; severity: string; urn: string; message: string }[];
  summary: {
    resources: number;
    policies: number;
    mandatory: number;
    advisory: number;
    exemptions: {
      count: number;
      list: { policy: string; urn: string; reason: string; source: string }[];
      unmatched: { policy: string; urn: string; reason?: string; validReason: boolean }[];
    };
  };
}

async function json(...argv: string[]): Promise<{ code: number; report: JsonReport }> {
  const r = await cli(...argv, "--format", "json");
  assert.equal(r.stderr, "");
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport };
}

function tmp(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-check-"));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

const names = (r: JsonReport) => r.violations.map((v) => `${v.enforcementLevel} ${v.policy} ${v.urn.split("::").pop()}`).sort();

describe("policy:check", () => {
  describe("plan output", () => {
    it("the compliant plan passes with exit code 0", async () => {
      const { code, report } = await json(fixture("compliant-plan.json"));
      assert.equal(code, 0);
      assert.deepEqual(report.violations, []);
      assert.equal(
        report.summary.resources,
        JSON.parse(fs.readFileSync(fixture("compliant-plan.json"), "utf8")).deployment.resources.length,
      );
      assert.equal(report.summary.policies, allPolicies.length);
      assert.deepEqual(report.summary.exemptions, { count: 0, list: [], unmatched: [] });
    });

    it("the violations plan fails with exit code 1 and names every offending URN", async () => {
      const { code, report } = await json(fixture("violations-plan.json"));
      assert.equal(code, 1);
      assert.deepEqual(names(report), [
        "advisory sfn-xray-tracing incident",
        "mandatory ec2-restricted-ssh alb-sg",
        "mandatory lambda-supported-runtime data-processor",
        "mandatory s3-bucket-versioning phi-data-bucket",
        "mandatory vpc-flow-logs-enabled vpc",
        "mandatory vpc-sg-open-only-to-authorized-ports alb-sg",
      ]);
      for (const v of report.violations) {
        assert.deepEqual(Object.keys(v).sort(), ["enforcementLevel", "message", "policy", "severity", "urn"]);
        assert.match(v.urn, /^urn:pulumi:dev::healthcare-platform::/);
      }
      assert.deepEqual({ mandatory: report.summary.mandatory, advisory: report.summary.advisory }, { mandatory: 5, advisory: 1 });
      assert.equal(report.summary.exemptions.count, 1);
      assert.equal(report.summary.exemptions.list[0].policy, "dynamodb-pitr-enabled");
      assert.equal(report.summary.exemptions.list[0].source, "tag");
      assert.match(report.summary.exemptions.list[0].reason, /SEC-42/);
    });

    it("text output groups violations by resource with citation and remediation", async () => {
      const r = await cli(fixture("violations-plan.json"));
      assert.equal(r.code, 1);
      const block = r.stdout
        .split("\n\n")
        .find((b) => b.startsWith("urn:pulumi:dev::healthcare-platform::aws:ec2/securityGroup:SecurityGroup::alb-sg"));
      assert.ok(block, r.stdout);
      assert.match(block, /\[MANDATORY critical\] ec2-restricted-ssh/);
      assert.match(block, /\[MANDATORY high\] vpc-sg-open-only-to-authorized-ports/);
      assert.match(block, /HIPAA: HIPAA Security Rule 164\.308\(a\)\(3\)\(i\)/);
      assert.match(block, /Fix: +Remove the world-open port 22 rule/);
      assert.match(
        r.stdout,
        /Exemptions: 1\n {2}- dynamodb-pitr-enabled on urn:.*audit-table\n {6}granted by tag hipaa-exempt:dynamodb-pitr-enabled: Dev table/,
      );
      assert.match(
        r.stdout,
        /Summary: 5 mandatory and 1 advisory violation on 5 state entries; 1 exemption; \d+ policies over 94 state entries\./,
      );
      assert.match(r.stdout, /Result: FAIL/);
    });

    it("the dev config keeps hygiene advisory; the prod config makes it mandatory", async () => {
      const dev = await json(fixture("violations-plan.json"), "--policy-config", CONFIG("dev"));
      assert.equal(dev.report.summary.advisory, 1);
      const prod = await json(fixture("violations-plan.json"), "--policy-config", CONFIG("prod"));
      assert.equal(prod.report.summary.advisory, 0);
      assert.equal(prod.report.summary.mandatory, 6);
    });

    it("a config exemption by URN pattern is listed in the summary", async () => {
      const config = tmp(
        "exempt.json",
        JSON.stringify({
          "lambda-supported-runtime": {
            exemptions: [{ urn: "*::data-processor", reason: "Node 22 migration scheduled for sprint 14 (SEC-51)" }],
          },
        }),
      );
      const { report } = await json(fixture("violations-plan.json"), "--policy-config", config);
      assert.ok(!report.violations.some((v) => v.policy === "lambda-supported-runtime"));
      assert.deepEqual(report.summary.exemptions.list.map((e) => `${e.policy}/${e.source}`).sort(), [
        "dynamodb-pitr-enabled/tag",
        "lambda-supported-runtime/config",
      ]);
    });

    it("a config exemption whose pattern matches no resource is reported as stale (JSON and text), without failing", async () => {
      const config = tmp(
        "stale.json",
        JSON.stringify({
          "lambda-supported-runtime": {
            exemptions: [
              { urn: "*::data-processor", reason: "Node 22 migration scheduled for sprint 14 (SEC-51)" },
              { urn: "*::legacy-importer", reason: "Retired in sprint 12; the exemption stayed behind" },
            ],
          },
          "sfn-xray-tracing": { enforcementLevel: "disabled", exemptions: [{ urn: "*::old-machine" }] },
        }),
      );
      const { code, report } = await json(fixture("compliant-plan.json"), "--policy-config", config);
      assert.equal(code, 0, "a stale exemption is a warning, not a violation");
      assert.deepEqual(report.summary.exemptions.unmatched, [
        {
          policy: "lambda-supported-runtime",
          urn: "*::legacy-importer",
          reason: "Retired in sprint 12; the exemption stayed behind",
          validReason: true,
        },
        { policy: "sfn-xray-tracing", urn: "*::old-machine", validReason: false },
      ]);
      const text = await cli(fixture("compliant-plan.json"), "--policy-config", config);
      assert.match(text.stdout, /Warning: the pack config exemption "\*::legacy-importer" of lambda-supported-runtime matches no resource/);
      assert.match(text.stdout, /"\*::old-machine" of sfn-xray-tracing matches no resource[^]*no written reason either/);
      assert.match(text.stdout, /0 exemptions \(2 unmatched exemption patterns\)/);
      assert.doesNotMatch(text.stdout, /"\*::data-processor" of lambda-supported-runtime matches no resource/);
      const none = await json(fixture("compliant-plan.json"));
      assert.deepEqual(none.report.summary.exemptions.unmatched, []);
    });

    it("an exemption without a written reason is not honoured and is reported at its policy's enforcement level (as the README says)", async () => {
      const config = (level?: string) =>
        tmp(
          "noreason.json",
          JSON.stringify({
            "lambda-supported-runtime": { exemptions: [{ urn: "*::data-processor", reason: "later" }] },
            "sfn-xray-tracing": { ...(level ? { enforcementLevel: level } : {}), exemptions: [{ urn: "*::incident" }] },
          }),
        );
      const { report } = await json(fixture("violations-plan.json"), "--policy-config", config());
      const runtime = report.violations.filter((v) => v.policy === "lambda-supported-runtime");
      assert.ok(
        runtime.some((v) => /Node.js 18/.test(v.message)),
        "the violation it meant to waive is still reported",
      );
      assert.ok(
        runtime.some(
          (v) => v.enforcementLevel === "mandatory" && /exemption "\*::data-processor".*no written reason.*ignored/.test(v.message),
        ),
      );
      const xray = report.violations.filter((v) => v.policy === "sfn-xray-tracing");
      assert.ok(xray.length >= 2 && xray.every((v) => v.enforcementLevel === "advisory"), "an advisory policy reports it as advisory");
      assert.ok(xray.some((v) => /no written reason/.test(v.message)));
      assert.equal(report.summary.exemptions.list.filter((e) => e.policy !== "dynamodb-pitr-enabled").length, 0);
      const strict = await json(fixture("violations-plan.json"), "--policy-config", config("mandatory"));
      assert.ok(
        strict.report.violations.some(
          (v) => v.policy === "sfn-xray-tracing" && v.enforcementLevel === "mandatory" && /no written reason/.test(v.message),
        ),
      );
    });

    it("a disabled policy is not run", async () => {
      const config = tmp("disabled.json", JSON.stringify({ "sfn-xray-tracing": "disabled" }));
      const { report } = await json(fixture("violations-plan.json"), "--policy-config", config);
      assert.equal(report.summary.policies, allPolicies.length - 1);
      assert.equal(report.summary.advisory, 0);
    });
  });

  describe("pulumi stack export", () => {
    it("reads a real export: components, default provider tags, encrypted secrets, tag exemptions", async () => {
      const { code, report } = await json(fixture("stack-export.json"));
      assert.equal(code, 1);
      assert.deepEqual(names(report), [
        // The export has no Macie job (advisory absence check) and its PHI data key grants the account
        // root kms:* unconditioned, so the key policy does not name the PHI bucket's readers.
        "advisory phi-bucket-macie-scope phi-data-bucket",
        "mandatory lambda-supported-runtime processing-function",
        "mandatory phi-bucket-key-readers phi-data-bucket",
        "mandatory s3-log-bucket-retention-lifecycle access-logs-bucket",
        "mandatory secretsmanager-rotation-enabled application-api-key",
      ]);
      assert.deepEqual(
        report.summary.exemptions.list.map((e) => [e.policy, e.source]),
        [["rds-enhanced-monitoring", "tag"]],
      );
    });

    it("notes encrypted secrets in text output", async () => {
      const r = await cli(fixture("stack-export.json"));
      assert.match(r.stdout, /1 state entry holds encrypted secrets/);
    });

    it("has the real export shape", () => {
      const doc = JSON.parse(fs.readFileSync(fixture("stack-export.json"), "utf8"));
      assert.equal(doc.version, 3);
      assert.ok(doc.deployment.manifest.time && doc.deployment.manifest.magic && doc.deployment.manifest.version);
      const types = doc.deployment.resources.map((r: { type: string }) => r.type);
      assert.ok(types.includes("pulumi:pulumi:Stack") && types.includes("pulumi:providers:aws"));
      for (const r of doc.deployment.resources.filter((x: { custom: boolean; type: string }) => x.custom && x.type.startsWith("aws:"))) {
        for (const key of [
          "urn",
          "custom",
          "type",
          "id",
          "inputs",
          "outputs",
          "parent",
          "dependencies",
          "propertyDependencies",
          "provider",
        ]) {
          assert.ok(key in r, `${r.urn} has no ${key}`);
        }
      }
    });

    it("evaluates plaintext secrets from `--show-secrets` exports", async () => {
      const doc = JSON.parse(fs.readFileSync(fixture("stack-export.json"), "utf8"));
      const fn = doc.deployment.resources.find((r: { type: string }) => r.type === "aws:lambda/function:Function");
      fn.inputs.runtime = {
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
        plaintext: JSON.stringify("nodejs22.x"),
      };
      const { report } = await json(tmp("show-secrets.json", JSON.stringify(doc)));
      assert.ok(!report.violations.some((v) => v.policy === "lambda-supported-runtime"));
    });
  });

  describe("input that is not a deployment exits 2", () => {
    const cases: [string, string, RegExp][] = [
      ["not JSON", "this is not json", /is not JSON/],
      ["an array", "[1, 2]", /not a deployment/],
      ["no deployment object", JSON.stringify({ version: 3, resources: [] }), /no "deployment" object/],
      ["no resources", JSON.stringify({ version: 3, deployment: { manifest: {} } }), /has no resources/],
      ["empty resources", JSON.stringify({ version: 3, deployment: { resources: [] } }), /is empty/],
      ["resources not an array", JSON.stringify({ version: 3, deployment: { resources: {} } }), /must be an array/],
      [
        "a resource without urn",
        JSON.stringify({ version: 3, deployment: { resources: [{ type: "aws:s3/bucket:Bucket" }] } }),
        /resources\[0\] has no "urn"/,
      ],
      ["an unknown version", JSON.stringify({ version: 9, deployment: { resources: [] } }), /version 9/],
    ];
    for (const [name, content, message] of cases) {
      it(name, async () => {
        const r = await cli(tmp("input.json", content));
        assert.equal(r.code, 2);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, message);
      });
    }
    it("a missing file", async () => {
      const r = await cli(path.join(os.tmpdir(), "does-not-exist.json"));
      assert.equal(r.code, 2);
      assert.match(r.stderr, /cannot read deployment file .*ENOENT/);
    });
    it("no argument, an unknown option, a bad format", async () => {
      assert.equal((await cli()).code, 2);
      assert.match((await cli(fixture("compliant-plan.json"), "--fast")).stderr, /unknown option --fast/);
      assert.match((await cli(fixture("compliant-plan.json"), "--format", "xml")).stderr, /--format must be text or json/);
    });
    it("a policy config that does not match the schemas", async () => {
      const config = tmp(
        "bad.json",
        JSON.stringify({
          "no-such-policy": "mandatory",
          "cloudwatch-log-group-retention": { minRetentionDaysProd: "six years", typo: 1 },
          "kms-key-rotation-enabled": "sometimes",
        }),
      );
      const r = await cli(fixture("compliant-plan.json"), "--policy-config", config);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /"no-such-policy" is not a policy of this pack/);
      assert.match(r.stderr, /minRetentionDaysProd must be integer, got string/);
      assert.match(r.stderr, /typo is not a config property/);
      assert.match(r.stderr, /enforcement level must be one of/);
    });
  });

  describe("issue 21: exemption keys and --help", () => {
    it("an exemption with an unknown key (e.g. expires) is refused, naming the key and the known ones", async () => {
      const config = tmp(
        "expires.json",
        JSON.stringify({
          "lambda-supported-runtime": {
            exemptions: [{ urn: "urn:pulumi:dev::*::legacy", reason: "Node 22 migration in sprint 14 (SEC-51)", expires: "2027-01-01" }],
          },
        }),
      );
      const r = await cli(fixture("compliant-plan.json"), "--policy-config", config);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /lambda-supported-runtime\.exemptions\[0\]\.expires is not a known key \(known: urn, reason\)/);
    });
    it("--help lists every flag and the exit codes", async () => {
      const r = await cli("--help");
      assert.equal(r.code, 0);
      for (const flag of ["--format", "--policy-config", "--help"]) {
        assert.match(r.stdout, new RegExp(`${flag}\\b`), flag);
      }
      assert.match(r.stdout, /0\s.*no mandatory violation/i);
      assert.match(r.stdout, /1\s.*mandatory violation/i);
      assert.match(r.stdout, /2\s.*cannot be read/i);
    });
  });

  describe("Pulumi's policy-exception format (issue 22 section 5)", () => {
    const exception = (over: Record<string, unknown>, policy: string, urn: string) => ({
      id: "EXC-42",
      policyPack: "acme/healthcare-hipaa-policies",
      match: [{ policies: [policy], targets: [urn] }],
      reason: "Legacy table migrated in sprint 14 (SEC-51)",
      status: "active",
      ...over,
    });
    it("an active exception waives its policy on its URN, listed with its id and reason; removed, expired and other packs' are not honoured", async () => {
      const base = await json(fixture("violations-plan.json"));
      const target = base.report.violations.find((v) => v.enforcementLevel === "mandatory")!;
      const waived = (r: JsonReport) => !r.violations.some((v) => v.policy === target.policy && v.urn === target.urn);
      const run = async (over: Record<string, unknown>, shape: (x: unknown) => unknown = (x) => x) => {
        const r = await cli(
          fixture("violations-plan.json"),
          "--format",
          "json",
          "--exceptions",
          tmp("exceptions.json", JSON.stringify(shape(exception(over, target.policy, target.urn)))),
        );
        return { report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
      };
      for (const shape of [(x: unknown) => x, (x: unknown) => [x], (x: unknown) => ({ exceptions: [x] })]) {
        const r = await run({}, shape);
        assert.ok(waived(r.report), "the active exception is honoured");
        assert.ok(
          r.report.summary.exemptions.list.some((e) => e.policy === target.policy && e.urn === target.urn && /EXC-42/.test(e.reason)),
        );
      }
      const removed = await run({ status: "removed" });
      assert.ok(!waived(removed.report), "a removed exception");
      assert.match(removed.stderr, /Warning: .*EXC-42: removed \(not honoured\)/);
      assert.ok(!waived((await run({ expiresAt: "2020-01-01T00:00:00Z" })).report), "an expired exception");
      assert.ok(waived((await run({ expiresAt: "2999-01-01T00:00:00Z" })).report), "an exception that expires later");
      assert.ok(!waived((await run({ policyPack: "acme/other-pack" })).report), "another pack's exception");
    });
    it("an exception naming an unknown policy, a non-URN target, a blank reason or an unknown key is refused (exit 2)", async () => {
      const urn = "urn:pulumi:dev::healthcare-platform::aws:s3/bucket:Bucket::x";
      for (const [content, message] of [
        [exception({}, "no-such-policy", urn), /"no-such-policy" is not a policy/],
        [exception({}, "s3-bucket-versioning", "x"), /not a resource URN/],
        [exception({ reason: " " }, "s3-bucket-versioning", urn), /reason is required/],
        [exception({ expires: "2027" }, "s3-bucket-versioning", urn), /"expires" is not a key/],
      ] as [unknown, RegExp][]) {
        const r = await cli(fixture("compliant-plan.json"), "--exceptions", tmp("bad-exceptions.json", JSON.stringify(content)));
        assert.equal(r.code, 2);
        assert.match(r.stderr, message);
      }
    });
  });

  describe("the command as npm runs it", () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [require.resolve("ts-node/dist/bin.js"), "policy-pack/checker/cli.ts", ...args], {
        cwd: ROOT,
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
        encoding: "utf8",
        timeout: 60000,
      });
    it("exit codes 1 and 2 and JSON on stdout", () => {
      const failing = run(fixture("violations-plan.json"), "--format=json");
      assert.equal(failing.status, 1, failing.stderr);
      assert.equal((JSON.parse(failing.stdout) as JsonReport).summary.mandatory, 5);
      const bad = run(fixture("stack-export.json").replace(".json", ".missing"));
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /cannot read deployment file/);
    });
  });

  describe("performance", () => {
    it("checks a 500-resource deployment in well under a few seconds", async function () {
      this.timeout(60000);
      const resources = [];
      let copies = 0;
      while (resources.length < 500) {
        const p = new Platform("prod", `p${copies++}`);
        resources.push(
          ...p.resources
            .filter((r) => copies === 1 || (r.type !== "pulumi:pulumi:Stack" && r.type !== "pulumi:providers:aws"))
            .map((r) => ({ ...r, urn: copies === 1 ? r.urn : r.urn.replace(/::([^:]+)$/, `::c${copies}-$1`) })),
        );
      }
      const text = JSON.stringify({ version: 3, deployment: { resources: resources.slice(0, 500) } });
      const started = process.hrtime.bigint();
      const deployment = parseDeployment(text, "bench");
      const result = await runPolicies(deployment, { policies: allPolicies });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      assert.equal(result.summary.resources, 500);
      console.log(`      500 resources x ${allPolicies.length} policies: ${ms.toFixed(0)} ms`);
      assert.ok(ms < 5000, `took ${ms} ms`);
    });
  });
});
