/**
 * `npm run evidence`: the report of the prod plan (structure, every cited safeguard, verdicts and
 * totals equal to policy:check's, exemptions, escaping, determinism), a real stack export, bad
 * input (exit 2, nothing written), --pdf without Chromium, and docs/architecture.svg kept current.
 * The prod plan is the run's (tools/plan.ts in a child process, cached by test/support/plans.ts).
 */
import Ajv from "ajv";
import addFormats from "ajv-formats";
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main as check } from "../../policy-pack/checker/cli";
import { allPolicies } from "../../policy-pack/policies";
import { main as evidence } from "../../tools/evidence/cli";
import { architectureSvg, DOC_SVG, notTheProdPlan, parseDocsArgs, USAGE as DOCS_USAGE } from "../../tools/evidence/docs";
import { anchorOf } from "../../tools/evidence/html";
import { citedSafeguards, Evidence } from "../../tools/evidence/model";
import { parseDeployment } from "../../policy-pack/checker/deployment";
import { prodReport } from "../support/evidence-report";

const ROOT = path.resolve(__dirname, "../..");
const PROD_CONFIG = path.join(ROOT, "policy-pack/config/prod.json");
const EXPORT = path.join(ROOT, "test/fixtures/policy/stack-export.json");

let tmp: string;
let plan: string;

function quiet() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: (t: string) => void out.push(t),
      stderr: (t: string) => void err.push(t),
      readFile: (p: string) => fs.readFileSync(p, "utf8"),
    },
    out,
    err,
  };
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const q = quiet();
  const code = await evidence(args, q.io, { ...process.env, ...env });
  return { code, out: q.out.join(""), err: q.err.join("") };
}

async function checkJson(file: string, config?: string) {
  const q = quiet();
  await check([file, "--format", "json", ...(config ? ["--policy-config", config] : [])], q.io);
  return JSON.parse(q.out.join("")) as {
    violations: { policy: string; enforcementLevel: string; urn: string }[];
    summary: Record<string, unknown> & { exemptions: { count: number } };
  };
}

/** Every file under a report directory, "/"-separated, sorted. */
const filesUnder = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
const read = (dir: string, f: string) => fs.readFileSync(path.join(dir, f), "utf8");
const evidenceOf = (dir: string) => JSON.parse(read(dir, "evidence.json")) as Evidence;

describe("evidence report", function () {
  this.timeout(120_000);
  let report: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hcp-evidence-"));
    // The run's prod plan (tools/plan.ts --stack prod, test/support/plans.ts) and its report, built once for the specs that read it.
    ({ plan, report } = await prodReport());
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("writes index.html, evidence.json, the appendix files and the architecture, and evidence.json follows docs/evidence.schema.json", () => {
    assert.deepStrictEqual(filesUnder(report), [
      "appendix/coverage.csv",
      "appendix/policies.csv",
      "appendix/resources.csv",
      "appendix/resources.json",
      "architecture.dot",
      "architecture.svg",
      "controls.csv",
      "evidence.json",
      "index.html",
      "manifest.json",
    ]);
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(ROOT, "docs/evidence.schema.json"), "utf8")));
    assert.ok(validate(evidenceOf(report)), ajv.errorsText(validate.errors));
    const html = read(report, "index.html");
    assert.ok(!/<(script|link|img)\b|src=|@import|url\(/i.test(html), "self-contained: no script, link, image or url()");
    assert.ok(html.includes("<svg") && html.includes("@media print") && html.includes("break-before: page"));
  });

  it("has a section for every citation of the pack, with its policies and a satisfying resource or a reason", () => {
    const ev = evidenceOf(report);
    const html = read(report, "index.html");
    const cited = citedSafeguards(allPolicies);
    assert.ok(cited.length >= 13, `the pack cites ${cited.length}`);
    for (const c of ["164.308(a)(1)(ii)(D)", "164.310(d)(2)(iv)", "164.312(a)(1)", "164.312(b)", "164.312(e)(2)(ii)", "164.316(b)(2)(i)"]) {
      assert.ok(cited.includes(c), c);
    }
    assert.deepStrictEqual(
      ev.safeguards.map((s) => s.citation),
      cited,
    );
    for (const s of ev.safeguards) {
      assert.ok(html.includes(`id="${anchorOf(s.citation)}"`), `section ${s.citation}`);
      assert.ok(s.policies.length > 0, s.citation);
      assert.ok(s.satisfiedBy.length > 0 || /^not applicable because /.test(s.notApplicable ?? ""), s.citation);
      for (const p of s.policies)
        assert.ok(
          allPolicies
            .find((x) => x.name === p.name)
            ?.framework?.reference.split(", ")
            .includes(s.citation),
        );
    }
    const req = (c: string) => ev.safeguards.find((s) => s.citation === c)?.requirement;
    assert.strictEqual(req("164.312(b)"), "required");
    assert.strictEqual(req("164.312(a)(2)(iv)"), "addressable");
    assert.strictEqual(req("164.308(a)(7)(ii)(A)"), "required");
    assert.strictEqual(req("164.310(d)(2)(iv)"), "addressable");
  });

  it("totals and verdicts equal policy:check --format json on the same file and config", async () => {
    const ev = evidenceOf(report);
    const c = await checkJson(plan, PROD_CONFIG);
    const { exemptions, ...totals } = c.summary;
    assert.deepStrictEqual(
      { resources: ev.summary.resources, policies: ev.summary.policies, mandatory: ev.summary.mandatory, advisory: ev.summary.advisory },
      totals,
    );
    assert.strictEqual(ev.summary.exemptions, exemptions.count);
    assert.deepStrictEqual(ev.violations, c.violations);
    for (const p of ev.policies) {
      const mine = c.violations.filter((v) => v.policy === p.name);
      const expected =
        p.enforcementLevel === "disabled"
          ? "disabled"
          : mine.some((v) => v.enforcementLevel === "mandatory")
            ? "fail"
            : mine.length
              ? "warn"
              : p.verdict;
      assert.strictEqual(p.verdict, expected, p.name);
      for (const v of mine) assert.ok(!p.satisfiedBy.includes(v.urn), `${p.name} both flags and is satisfied by ${v.urn}`);
    }
  });

  it("lists exemptions with their reason and grantor", async () => {
    // a trail without log file validation, exempted by the pack config with a reason
    const doc = JSON.parse(fs.readFileSync(plan, "utf8")) as {
      deployment: { resources: { type: string; urn: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }[] };
    };
    const trail = doc.deployment.resources.find((r) => r.type === "aws:cloudtrail/trail:Trail")!;
    trail.inputs.enableLogFileValidation = false;
    trail.outputs.enableLogFileValidation = false;
    const file = path.join(tmp, "unvalidated.json");
    fs.writeFileSync(file, JSON.stringify(doc));
    const config = path.join(tmp, "exempt.json");
    const cfg = JSON.parse(fs.readFileSync(PROD_CONFIG, "utf8")) as Record<string, unknown>;
    cfg["cloudtrail-log-file-validation"] = {
      enforcementLevel: "mandatory",
      exemptions: [{ urn: "*::audit-trail", reason: "validated by the <b>org trail</b> instead" }],
    };
    fs.writeFileSync(config, JSON.stringify(cfg));
    const out = path.join(tmp, "exempt");
    assert.strictEqual((await run([file, "--policy-config", config, "--out", out])).code, 0);
    const ev = evidenceOf(out);
    const c = await checkJson(file, config);
    assert.strictEqual(ev.summary.exemptions, c.summary.exemptions.count);
    const e = ev.exemptions.find((x) => x.policy === "cloudtrail-log-file-validation");
    assert.deepStrictEqual(e && [e.urn, e.source, e.grantedBy, e.reason], [
      trail.urn,
      "config",
      "*::audit-trail",
      "validated by the <b>org trail</b> instead",
    ]);
    const sections = ev.safeguards.filter((s) => s.exemptions.some((x) => x.urn === trail.urn));
    assert.ok(sections.length > 0 && sections.every((s) => s.policies.some((p) => p.name === "cloudtrail-log-file-validation")));
    assert.ok(
      !ev.policies.find((p) => p.name === "cloudtrail-log-file-validation")!.satisfiedBy.includes(trail.urn),
      "an exempted resource does not satisfy",
    );
    const html = read(out, "index.html");
    assert.ok(html.includes("validated by the &lt;b&gt;org trail&lt;/b&gt; instead") && html.includes("*::audit-trail"));
    assert.ok(!html.includes("<b>org trail</b>"));
  });

  it("reads a real pulumi stack export as well as a plan", async () => {
    const out = path.join(tmp, "export");
    assert.strictEqual((await run([EXPORT, "--out", out])).code, 0);
    const ev = evidenceOf(out);
    const c = await checkJson(EXPORT);
    assert.strictEqual(ev.summary.time, "2025-03-14T09:13:02.551Z");
    assert.deepStrictEqual(
      [ev.summary.resources, ev.summary.mandatory, ev.summary.advisory],
      [c.summary.resources, c.summary.mandatory, c.summary.advisory],
    );
    assert.deepStrictEqual(
      ev.safeguards.map((s) => s.citation),
      citedSafeguards(allPolicies),
    );
  });

  it("escapes every string from the deployment (a hostile resource name)", async () => {
    const hostile = `x<script>alert("pwn")</script>&'`;
    const text = fs
      .readFileSync(plan, "utf8")
      .split('::processing-phi-data-bucket"')
      .join(`::${JSON.stringify(hostile).slice(1, -1)}"`);
    assert.notStrictEqual(text, fs.readFileSync(plan, "utf8"));
    const file = path.join(tmp, "hostile.json");
    fs.writeFileSync(file, text);
    const out = path.join(tmp, "hostile");
    assert.strictEqual((await run([file, "--out", out])).code, 0);
    for (const f of ["index.html", "architecture.svg"]) {
      const body = read(out, f);
      assert.ok(!body.includes("<script"), `${f} contains a raw <script>`);
      assert.ok(body.includes("x&lt;script&gt;alert("), `${f} shows the escaped name`);
    }
    assert.ok(evidenceOf(out).resourceIndex.some((r) => r.name === hostile));
  });

  it("is deterministic: the same input gives the same bytes", async () => {
    const again = path.join(tmp, "again");
    assert.strictEqual((await run([plan, "--policy-config", PROD_CONFIG, "--out", again])).code, 0);
    const files = filesUnder(report);
    assert.deepStrictEqual(filesUnder(again), files);
    for (const f of files) assert.ok(fs.readFileSync(path.join(again, f)).equals(fs.readFileSync(path.join(report, f))), f);
  });

  it("draws trust boundaries, PHI stores and the PHI and audit paths from the deployment", () => {
    const a = evidenceOf(report).architecture;
    const node = (name: string) => a.nodes.find((n) => n.name === name)!;
    assert.strictEqual(node("application-alb").zone, "public");
    assert.strictEqual(node("processing-function").zone, "private");
    assert.strictEqual(node("application-db").zone, "isolated");
    assert.strictEqual(node("recovery-phi-replica-bucket").zone, "recovery");
    assert.ok(node("processing-phi-data-bucket").holdsPhi && !node("access-logs-bucket").holdsPhi);
    const edge = (from: string, to: string) => a.edges.find((e) => e.from === node(from).urn && e.to === node(to).urn);
    assert.strictEqual(edge("processing-phi-data-bucket", "processing-function")?.kind, "phi");
    assert.strictEqual(edge("processing-phi-data-bucket", "recovery-phi-replica-bucket")?.kind, "phi");
    assert.strictEqual(edge("application-instances", "application-db")?.kind, "phi");
    assert.strictEqual(edge("audit-trail", "audit-cloudtrail-logs")?.kind, "audit");
    assert.strictEqual(edge("audit-cloudtrail-logs", "security-events-stream")?.kind, "audit");
    assert.ok(a.edges.some((e) => e.from === "internet" && e.to === node("application-alb").urn));
    const svg = read(report, "architecture.svg").replace(/&#45;/g, "-");
    for (const label of ["VPC isolated subnets", "Recovery region (us-west-2)", "processing (healthcare:processing:Processing)"])
      assert.ok(svg.includes(label), label);
  });

  it("docs/architecture.svg is the picture of the current prod plan (npm run docs:architecture)", async () => {
    const svg = await architectureSvg(parseDeployment(fs.readFileSync(plan, "utf8"), plan));
    assert.ok(fs.existsSync(DOC_SVG), "run npm run docs:architecture");
    assert.strictEqual(fs.readFileSync(DOC_SVG, "utf8"), svg, "docs/architecture.svg is stale: run `npm run docs:architecture`");
  });

  describe("npm run docs:architecture: usage, and only the prod plan redraws the README picture", () => {
    it("--help is usage, not a file to read", () => {
      assert.strictEqual(parseDocsArgs(["--help"]).help, true);
      assert.match(DOCS_USAGE, /--out <file.svg>/);
      assert.match(DOCS_USAGE, /Exit codes/);
    });

    it("accepts the prod plan and refuses a real stack export, another stack and another project", () => {
      const prod = fs.readFileSync(plan, "utf8");
      assert.strictEqual(notTheProdPlan(prod, parseDeployment(prod, plan), plan), undefined);
      const exported = fs.readFileSync(EXPORT, "utf8");
      assert.match(notTheProdPlan(exported, parseDeployment(exported, EXPORT), EXPORT) ?? "", /not an offline plan/);
      const dev = prod.replace(/urn:pulumi:prod::/g, "urn:pulumi:dev::");
      assert.match(
        notTheProdPlan(dev, parseDeployment(dev, "dev.json"), "dev.json") ?? "",
        /dev.json is not the healthcare-platform prod plan \(it holds stack healthcare-platform\/dev/,
      );
      const other = prod.replace(/::healthcare-platform::/g, "::other-project::");
      assert.match(notTheProdPlan(other, parseDeployment(other, "o.json"), "o.json") ?? "", /stack other-project\/prod/);
    });

    it("--out elsewhere never overwrites a tracked file or a file that is not an SVG", () => {
      assert.throws(() => parseDocsArgs([plan, "--out", path.join(ROOT, "README.md")]), /git tracks \(README.md\)/);
      fs.writeFileSync(path.join(tmp, "notes.svg.txt"), "mine");
      assert.throws(() => parseDocsArgs(["--out", path.join(tmp, "notes.svg.txt")]), /does not hold a previous architecture picture/);
      assert.strictEqual(parseDocsArgs(["--out", path.join(tmp, "pic.svg")]).out, path.join(tmp, "pic.svg"));
      assert.strictEqual(parseDocsArgs([]).out, DOC_SVG, "the README picture is the default");
    });
  });

  describe("bad input behaves as policy:check (exit 2, the problem named, nothing written)", () => {
    const cases: [string, () => string[], RegExp][] = [
      [
        "not JSON",
        () => {
          fs.writeFileSync(path.join(tmp, "bad.json"), "{ nope");
          return [path.join(tmp, "bad.json")];
        },
        /is not JSON/,
      ],
      ["a missing file", () => [path.join(tmp, "missing.json")], /cannot read deployment file .*ENOENT/],
      [
        "no resources",
        () => {
          fs.writeFileSync(path.join(tmp, "empty.json"), '{"version":3,"deployment":{"resources":[]}}');
          return [path.join(tmp, "empty.json")];
        },
        /has no resources/,
      ],
      [
        "a bad policy config",
        () => {
          fs.writeFileSync(path.join(tmp, "cfg.json"), '{"no-such-policy":"mandatory"}');
          return [plan, "--policy-config", path.join(tmp, "cfg.json")];
        },
        /not a policy of this pack/,
      ],
      ["an unknown option", () => [plan, "--frobnicate"], /unknown option --frobnicate/],
    ];
    for (const [what, args, message] of cases) {
      it(what, async () => {
        const parent = fs.mkdtempSync(path.join(tmp, "bad-"));
        const out = path.join(parent, "out");
        const r = await run([...args(), "--out", out]);
        assert.strictEqual(r.code, 2);
        assert.match(r.err, message);
        assert.deepStrictEqual(fs.readdirSync(parent), [], "nothing written");
      });
    }

    it("an --out directory that is not a previous report is refused and left alone", async () => {
      const out = fs.mkdtempSync(path.join(tmp, "mine-"));
      fs.writeFileSync(path.join(out, "notes.txt"), "keep me");
      const r = await run([plan, "--out", out]);
      assert.strictEqual(r.code, 2);
      assert.match(r.err, /does not hold a previous evidence report/);
      assert.deepStrictEqual(fs.readdirSync(out), ["notes.txt"]);
    });
  });

  it("--pdf with a Chromium that does not start prints one line, exits 3 and writes nothing", async () => {
    const parent = fs.mkdtempSync(path.join(tmp, "pdf-broken-"));
    const broken = path.join(tmp, "broken-chromium");
    fs.writeFileSync(broken, "#!/bin/sh\necho 'cannot open display' >&2\nexit 1\n", { mode: 0o755 });
    const r = await run([plan, "--pdf", "--out", path.join(parent, "out")], { CHROMIUM_PATH: broken });
    assert.strictEqual(r.code, 3, r.err);
    assert.strictEqual(r.err.trim().split("\n").length, 1, `one line, got:\n${r.err}`);
    assert.match(r.err, /the Chromium at .*broken-chromium did not start/);
    assert.doesNotMatch(r.err, /    at /, "no stack trace");
    assert.deepStrictEqual(fs.readdirSync(parent), []);
  });

  it("--help lists every flag and the exit codes", async () => {
    const r = await run(["--help"]);
    assert.strictEqual(r.code, 0);
    for (const flag of ["--policy-config", "--out", "--pdf", "--format", "--verification", "--help"])
      assert.match(r.out, new RegExp(`\\n  ${flag}`), flag);
    assert.match(r.out, /Exit codes: 0 .*2 .*\n.*3 --pdf/);
  });

  it("--out refuses a directory holding files git tracks (the repository's docs/) and leaves it alone", async () => {
    const before = fs.readdirSync(path.join(ROOT, "docs")).sort();
    const r = await run([plan, "--out", path.join(ROOT, "docs")]);
    assert.strictEqual(r.code, 2);
    const tracked = spawnSync("git", ["ls-files", "docs"], { cwd: ROOT, encoding: "utf8" }).stdout.trim().split("\n").sort();
    const shown = tracked.slice(0, 3).join(", ") + (tracked.length > 3 ? `, and ${tracked.length - 3} more` : "");
    assert.ok(r.err.includes(`would overwrite files git tracks (${shown})`), r.err);
    assert.deepStrictEqual(fs.readdirSync(path.join(ROOT, "docs")).sort(), before);
  });

  it("--pdf without Chromium says how to install it, exits 3 and writes nothing", async () => {
    const parent = fs.mkdtempSync(path.join(tmp, "pdf-"));
    const r = await run([plan, "--pdf", "--out", path.join(parent, "out")], { CHROMIUM_PATH: path.join(tmp, "no-chromium") });
    assert.strictEqual(r.code, 3);
    assert.match(r.err, /apt-get install chromium/);
    assert.deepStrictEqual(fs.readdirSync(parent), []);
  });
});
