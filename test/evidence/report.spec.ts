/**
 * The report an auditor reads (issue 20 section 2) and the account's verification in it (issue 18 section 4):
 * the appendix files (resources by component with their URNs, controls.csv that a real CSV parser reads back
 * exactly), the report's pages bounded without a browser (no URN lists, one bounded page per safeguard), and
 * `--verification` (verify's JSON as tools/verify types it: per safeguard "verified in the account at <time>",
 * the canary's objectives; bad input exits 2 naming the flag and the fix, writing nothing).
 */
import * as assert from "assert";
import { createHash } from "crypto";
import { parse } from "csv-parse";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { allPolicies } from "../../policy-pack/policies";
import { main as evidence } from "../../tools/evidence/cli";
import { Appendix, CONTROLS_HEADER, RESOURCES_HEADER, toCsv, typeChain } from "../../tools/evidence/appendix";
import { anchorOf } from "../../tools/evidence/html";
import { Manifest, verifyManifest } from "../../tools/evidence/manifest";
import type { Evidence } from "../../tools/evidence/model";
import { canaryMeasurements, citationsIn, parseVerification } from "../../tools/evidence/verification";
import type { CheckResult, Measurement as VerifyMeasurement } from "../../tools/verify/check";
import { CHECKS } from "../../tools/verify/run";
import { prodReport } from "../support/evidence-report";

const ROOT = path.resolve(__dirname, "../..");
const PROD_CONFIG = path.join(ROOT, "policy-pack/config/prod.json");

/** RFC 4180 as csv-parse reads it: strict quoting, every record the header's width. */
function parseCsv(text: string): Promise<string[][]> {
  return new Promise((resolve, reject) =>
    parse(text, { relax_quotes: false, relax_column_count: false }, (e, rows: string[][]) => (e ? reject(e) : resolve(rows))),
  );
}

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await evidence(args, { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) });
  return { code, out: out.join(""), err: err.join("") };
}

/** What `npm run verify -- --format json` prints (tools/verify/run.ts), from its real checks. */
function verifyJson(
  stack: string,
  status: (id: string) => CheckResult["status"],
  extra: object[] = [],
  omit: readonly string[] = [],
): string {
  const checks: CheckResult[] = CHECKS.filter((c) => !omit.includes(c.id)).map((c) => ({
    id: c.id,
    title: c.title,
    citation: c.citation,
    rows: c.rows,
    status: status(c.id),
    detail: `${c.id}: 3 events, 0 errors`,
    seconds: 0.4,
  }));
  return JSON.stringify({
    stack,
    account: "123456789012",
    region: "us-east-1",
    since: "2026-12-04T10:00:00.000Z",
    checkedAt: "2026-12-05T10:00:00.000Z",
    passed: false,
    checks: [...checks, ...extra],
  });
}

const sectionOf = (html: string, citation: string) => {
  const start = html.indexOf(`<section class="safeguard" id="${anchorOf(citation)}"`);
  assert.ok(start >= 0, citation);
  return html.slice(start, html.indexOf("</section>", start));
};

describe("the auditor's report: appendix files, bounded pages and the account's verification", function () {
  this.timeout(180_000);
  let tmp: string;
  let plan: string;
  let report: string;
  let ev: Evidence;
  let html: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hcp-report-"));
    ({ plan, report } = await prodReport());
    ev = JSON.parse(fs.readFileSync(path.join(report, "evidence.json"), "utf8")) as Evidence;
    html = fs.readFileSync(path.join(report, "index.html"), "utf8");
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe("CSV (RFC 4180)", () => {
    it("a value with a comma, a double quote, CR and LF round-trips through csv-parse", async () => {
      const rows = [
        ["164.312(b)", 'the "org trail", not this one', "line one\nline two", "cr\rlf\r\nend", "bare\rcr"],
        ["plain", "x", "y", "z", "w"],
      ];
      const text = toCsv(CONTROLS_HEADER, rows);
      assert.ok(text.endsWith("\r\n") && text.startsWith("safeguard,policy,resource,verdict,exemption\r\n"));
      assert.deepStrictEqual(await parseCsv(text), [[...CONTROLS_HEADER], ...rows]);
      // RFC 4180 section 2.6: a field holding CR (alone too), LF, a comma or a quote is enclosed in quotes
      assert.ok(text.includes(',"the ""org trail"", not this one","line one\nline two","cr\rlf\r\nend","bare\rcr"\r\n'), text);
    });

    it("controls.csv: every safeguard and each of its policies, pass rows as the model's satisfying resources", async () => {
      const rows = await parseCsv(fs.readFileSync(path.join(report, "controls.csv"), "utf8"));
      assert.deepStrictEqual(rows[0], [...CONTROLS_HEADER]);
      const body = rows.slice(1);
      for (const s of ev.safeguards) {
        for (const p of s.policies) {
          const mine = body.filter((r) => r[0] === s.citation && r[1] === p.name);
          assert.ok(mine.length > 0, `${s.citation} ${p.name}`);
          const policy = ev.policies.find((x) => x.name === p.name)!;
          assert.deepStrictEqual(
            mine
              .filter((r) => r[3] === "pass")
              .map((r) => r[2])
              .sort(),
            [...policy.satisfiedBy].sort(),
            `${s.citation} ${p.name}`,
          );
          assert.strictEqual(mine.filter((r) => r[3] === "warn" || r[3] === "fail").length, policy.violations.length);
        }
      }
      assert.strictEqual(
        body.filter((r) => r[3] === "warn").length,
        ev.safeguards.reduce((n, s) => n + ev.violations.filter((v) => s.policies.some((p) => p.name === v.policy)).length, 0),
      );
    });

    it("an exemption's reason with a comma, quotes and a newline comes back exactly from controls.csv", async () => {
      const doc = JSON.parse(fs.readFileSync(plan, "utf8")) as {
        deployment: { resources: { type: string; urn: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }[] };
      };
      const trail = doc.deployment.resources.find((r) => r.type === "aws:cloudtrail/trail:Trail")!;
      trail.inputs.enableLogFileValidation = false;
      trail.outputs.enableLogFileValidation = false;
      const file = path.join(tmp, "unvalidated.json");
      fs.writeFileSync(file, JSON.stringify(doc));
      const reason = 'validated by the "org trail", see\nticket SEC-42';
      const cfg = JSON.parse(fs.readFileSync(PROD_CONFIG, "utf8")) as Record<string, unknown>;
      cfg["cloudtrail-log-file-validation"] = { enforcementLevel: "mandatory", exemptions: [{ urn: "*::audit-trail", reason }] };
      const config = path.join(tmp, "exempt.json");
      fs.writeFileSync(config, JSON.stringify(cfg));
      const out = path.join(tmp, "exempt");
      assert.strictEqual((await run([file, "--policy-config", config, "--out", out])).code, 0);
      const rows = (await parseCsv(fs.readFileSync(path.join(out, "controls.csv"), "utf8"))).filter((r) => r[3] === "exempt");
      assert.ok(rows.length > 0);
      for (const r of rows) {
        assert.deepStrictEqual(r.slice(1, 4), ["cloudtrail-log-file-validation", trail.urn, "exempt"]);
        assert.strictEqual(r[4], `${reason} (granted by policy config *::audit-trail)`);
      }
      const page = sectionOf(fs.readFileSync(path.join(out, "index.html"), "utf8"), rows[0][0]);
      assert.ok(page.includes("validated by the &quot;org trail&quot;, see"), "the safeguard page shows the exemption's reason");
    });
  });

  describe("appendix files", () => {
    it("resources.csv and resources.json list each safeguard's resources with their URNs at the rows the summary names", async () => {
      const rows = await parseCsv(fs.readFileSync(path.join(report, "appendix/resources.csv"), "utf8"));
      assert.deepStrictEqual(rows[0], [...RESOURCES_HEADER]);
      const json = JSON.parse(fs.readFileSync(path.join(report, "appendix/resources.json"), "utf8")) as Appendix;
      assert.deepStrictEqual(
        json.safeguards.map((s) => s.citation),
        ev.safeguards.map((s) => s.citation),
      );
      json.safeguards.forEach((a, i) => {
        const s = ev.safeguards[i];
        assert.deepStrictEqual(a.resources.map((r) => r.urn).sort(), s.satisfiedBy.map((r) => r.urn).sort(), s.citation);
        if (a.csvRows === null) return assert.strictEqual(s.satisfiedBy.length, 0);
        // rows are 1-based with the header as row 1
        const mine = rows.slice(a.csvRows.first - 1, a.csvRows.last);
        assert.ok(mine.every((r) => r[0] === s.citation) && mine.length === s.satisfiedBy.length, s.citation);
        assert.notStrictEqual(rows[a.csvRows.last]?.[0], s.citation, `${s.citation} ends at row ${a.csvRows.last}`);
        const row = sectionOf(html, s.citation);
        assert.ok(row.includes(`rows ${a.csvRows.first}-${a.csvRows.last}`), `${s.citation} page names its rows`);
        assert.ok(html.includes(`resources.csv rows ${a.csvRows.first}-${a.csvRows.last}; resources.json safeguards[${i}]`), s.citation);
      });
    });

    it("groups resources by their component: the outermost component under the stack, from the state and the URN's type chain", () => {
      const json = JSON.parse(fs.readFileSync(path.join(report, "appendix/resources.json"), "utf8")) as Appendix;
      const componentOf = (name: string) => json.safeguards.flatMap((s) => s.resources).find((r) => r.name === name)?.component;
      assert.strictEqual(componentOf("processing-function"), "processing (healthcare:processing:Processing)");
      assert.strictEqual(componentOf("recovery-phi-replica-bucket"), "recovery (healthcare:recovery:Recovery)");
      assert.strictEqual(componentOf("access-logs-bucket"), "access-logs (healthcare:storage:SecureBucket)");
      const audit = json.safeguards.find((s) => s.citation === "164.312(b)")!;
      assert.strictEqual(
        audit.components.reduce((n, c) => n + c.count, 0),
        audit.resources.length,
      );
      assert.deepStrictEqual(
        typeChain(
          "urn:pulumi:prod::healthcare-platform::healthcare:recovery:Recovery$healthcare:storage:SecureBucket$aws:s3/bucketV2:BucketV2::b",
        ),
        ["healthcare:recovery:Recovery", "healthcare:storage:SecureBucket", "aws:s3/bucketV2:BucketV2"],
      );
    });
  });

  describe("the pages, bounded without a browser", () => {
    it("opens with the scope, the verdict and one table of every safeguard", () => {
      const front = html.slice(0, html.indexOf('<nav id="contents"'));
      const sha = JSON.parse(fs.readFileSync(path.join(report, "manifest.json"), "utf8")) as { deployment: { sha256: string } };
      for (const text of [
        sha.deployment.sha256,
        ev.summary.pack.version,
        "Program commit",
        `Verdict: <span class="badge v-pass">PASS</span>`,
      ])
        assert.ok(front.includes(text), text);
      const table = front.slice(front.indexOf('<table class="safeguards">'), front.indexOf("</table>"));
      assert.strictEqual(table.match(/<tr><td data-label="Safeguard">/g)?.length, ev.safeguards.length);
      for (const th of ["Required / addressable", "Policies", "Verdict", "Exemptions", "Customer's share", "Evidence (appendix)"])
        assert.ok(table.includes(`<th>${th}</th>`), th);
    });

    it("lists no resource URN on the safeguard pages and keeps each one short enough for one printed page", () => {
      for (const s of ev.safeguards) {
        const page = sectionOf(html, s.citation);
        if (s.exemptions.length === 0) assert.ok(!page.includes("urn:pulumi:"), `${s.citation} lists URNs`);
        const text = page.replace(/<[^>]+>/g, "");
        assert.ok(text.length <= 9_000, `${s.citation}: ${text.length} characters`);
        for (const p of s.policies) assert.ok(page.includes(`<code>${p.name}</code>`), `${s.citation} names ${p.name}`);
        assert.ok(page.includes("What the platform does:") && page.includes("Customer's responsibility:"), s.citation);
      }
      // the report before issue 20 printed 287 pages from a 1.4 MB page listing every URN per safeguard
      const text = html.replace(/<svg[\s\S]*?<\/svg>/g, "").replace(/<style>[\s\S]*?<\/style>/g, "");
      assert.ok(text.length <= 300_000, `index.html without its pictures is ${text.length} bytes`);
      assert.ok((html.match(/urn:pulumi:/g) ?? []).length <= ev.violations.length + ev.exemptions.length);
    });
  });

  describe("the coverage matrix and the policies (issue 20 section 5)", () => {
    type SourceFile = { rules: { id: string; citations: string[] }[] };
    const source = (f: string) =>
      JSON.parse(fs.readFileSync(path.join(ROOT, "policy-pack/rule-coverage/sources", f), "utf8")) as SourceFile;
    const sets = [
      { name: "cdk-nag", file: "cdk-nag-hipaa.json", key: "cdkNag", rules: 90 },
      { name: "AWS Config", file: "aws-config-hipaa.json", key: "awsConfig", rules: 130 },
      { name: "Prowler", file: "prowler-hipaa.json", key: "prowler", rules: 95 },
    ] as const;
    type Entry = { rule: string; policies?: string[]; reason?: string };
    const mapping = JSON.parse(fs.readFileSync(path.join(ROOT, "policy-pack/rule-coverage/mapping.json"), "utf8")) as Record<
      string,
      Entry[]
    >;

    it("lists every citation with the counts of our policies and of each rule set's rules addressing it, linking coverage.csv", () => {
      const section = html.slice(html.indexOf('<h2 id="coverage">'), html.indexOf("</table>", html.indexOf('<table class="coverage">')));
      assert.ok(section.includes('<a href="appendix/coverage.csv">'), "the table links to the appendix file");
      const rows = new Map(
        [...section.matchAll(/<tr data-citation="([^"]+)">(.*?)<\/tr>/g)].map((m) => [
          m[1].replace(/&#39;/g, "'"),
          [...m[2].matchAll(/<td class="num">(\d+)<\/td>/g)].map((x) => Number(x[1])),
        ]),
      );
      // the counts from the sources and the pack's policies themselves, not from the generator
      const cited = (c: string) =>
        allPolicies.filter((p) =>
          (p.framework?.reference ?? "")
            .split(",")
            .map((x) => x.trim())
            .includes(c),
        ).length;
      const citations = new Set([
        ...allPolicies.flatMap((p) =>
          (p.framework?.reference ?? "")
            .split(",")
            .map((x) => x.trim())
            .filter((x) => x !== ""),
        ),
        ...sets.flatMap((set) => source(set.file).rules.flatMap((r) => r.citations)),
      ]);
      assert.deepStrictEqual([...rows.keys()].sort(), [...citations].sort());
      for (const c of citations) {
        const want = [cited(c), ...sets.map((set) => source(set.file).rules.filter((r) => r.citations.includes(c)).length)];
        assert.deepStrictEqual(rows.get(c), want, c);
      }
      for (const s of ev.safeguards) assert.ok(rows.has(s.citation), `${s.citation}: a safeguard of the report missing from the matrix`);
    });

    it("coverage.csv has a row for every external rule (cdk-nag 90, AWS Config 130, Prowler 95) with mapping.json's answer", async () => {
      const [header, ...rows] = await parseCsv(fs.readFileSync(path.join(report, "appendix/coverage.csv"), "utf8"));
      assert.deepStrictEqual(header, ["rule_set", "rule", "citations", "covered_by", "reason", "why", "related"]);
      for (const set of sets) {
        const mine = rows.filter((r) => r[0] === set.name);
        assert.strictEqual(mine.length, set.rules, set.name);
        assert.strictEqual(source(set.file).rules.length, set.rules, `${set.file} holds ${set.rules} rules`);
        assert.deepStrictEqual(
          mine.map((r) => r[1]).sort(),
          source(set.file)
            .rules.map((r) => r.id)
            .sort(),
          set.name,
        );
        for (const e of mapping[set.key]) {
          const row = mine.find((r) => r[1] === e.rule)!;
          assert.ok(row, `${set.name} ${e.rule}`);
          if (e.policies && e.policies.length > 0) assert.deepStrictEqual([row[3], row[4]], [e.policies.join("; "), ""], e.rule);
          else assert.deepStrictEqual([row[3], row[4]], ["", e.reason], e.rule);
        }
      }
      assert.strictEqual(rows.length, 90 + 130 + 95);
    });

    it("policies.csv lists every policy, the report a compact index linking it, and the manifest covers both new files", async () => {
      const [header, ...rows] = await parseCsv(fs.readFileSync(path.join(report, "appendix/policies.csv"), "utf8"));
      assert.strictEqual(header[0], "policy");
      assert.deepStrictEqual(rows.map((r) => r[0]).sort(), ev.policies.map((p) => p.name).sort());
      for (const p of ev.policies) {
        const row = rows.find((r) => r[0] === p.name)!;
        assert.deepStrictEqual([row[1], row[2], row[4]], [p.verdict, p.enforcementLevel, p.citations.join("; ")], p.name);
        assert.ok(html.includes(`<li id="p-${p.name}">`), `${p.name} in the policy index`);
      }
      assert.ok(html.includes('<a href="appendix/policies.csv">'));
      const manifest = JSON.parse(fs.readFileSync(path.join(report, "manifest.json"), "utf8")) as Manifest;
      for (const f of ["appendix/coverage.csv", "appendix/policies.csv"])
        assert.ok(
          manifest.files.some((x) => x.path === f),
          f,
        );
      assert.deepStrictEqual(verifyManifest(report), []);
    });
  });

  describe("--verification (npm run verify --format json)", () => {
    it("shows per safeguard the account's verdict at verify's time, mapped through the citations its checks name", async () => {
      const file = path.join(tmp, "verify.json");
      fs.writeFileSync(
        file,
        verifyJson("prod", (id) => (id === "backup" ? "fail" : "pass"), [], ["canary"]),
      );
      const out = path.join(tmp, "verified");
      const r = await run([plan, "--policy-config", PROD_CONFIG, "--out", out, "--verification", file]);
      assert.strictEqual(r.code, 0, r.err);
      const page = fs.readFileSync(path.join(out, "index.html"), "utf8");
      const backup = CHECKS.find((c) => c.id === "backup")!;
      const failed = new Set(citationsIn(backup.citation));
      assert.ok(failed.size >= 1);
      const verified = new Set(CHECKS.flatMap((c) => citationsIn(c.citation)));
      for (const s of ev.safeguards) {
        const section = sectionOf(page, s.citation);
        if (!verified.has(s.citation)) {
          assert.ok(!section.includes("Verified in the account"), s.citation);
          continue;
        }
        const verdict = failed.has(s.citation) ? "fail" : "pass";
        assert.ok(section.includes(`Verified in the account at 2026-12-05T10:00:00.000Z: ${verdict}`), `${s.citation} ${verdict}`);
      }
      assert.ok(page.includes('<h2 id="verification">'));
      assert.ok(!page.includes('id="canary"'), "no canary check, no canary table");
      const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8")) as Manifest;
      assert.deepStrictEqual(manifest.verification, {
        file: "verify.json",
        sha256: createHash("sha256").update(fs.readFileSync(file)).digest("hex"),
        bytes: fs.statSync(file).size,
      });
      assert.deepStrictEqual(verifyManifest(out), []);
      const plain = JSON.parse(fs.readFileSync(path.join(report, "manifest.json"), "utf8")) as Manifest;
      assert.strictEqual(plain.verification, undefined, "no --verification, no verification in the manifest");
    });

    it("shows the canary's objectives with their last values, from the measurements verify's canary check reports", async () => {
      // The shape tools/verify/checks-canary.ts emits (typed by verify's own Measurement, so a change there fails to compile here).
      const measurements: VerifyMeasurement[] = [
        { name: "ProcessingSeconds", value: 41.5, unit: "Seconds", objective: 300, at: "2026-12-05T09:45:00.000Z" },
        { name: "DetectionSeconds", value: 1250, unit: "Seconds", objective: 900, at: "2026-12-05T09:30:00.000Z" },
      ];
      const canary = {
        id: "canary",
        title: "The canary's latest measurements meet their objectives",
        citation: "164.308(a)(8) Evaluation; 164.308(a)(1)(ii)(D) Information system activity review",
        rows: [],
        status: "fail",
        detail: "canary hcp-prod-canary: ProcessingSeconds over its objective",
        measurements,
        seconds: 0.3,
        somethingNew: { ignored: true },
      };
      const file = path.join(tmp, "verify-canary.json");
      const hostile = { ...canary, id: "<script>alert(1)</script>", status: "pass", detail: "<img src=x>", measurements: undefined };
      fs.writeFileSync(
        file,
        verifyJson("prod", () => "pass", [canary, hostile], ["canary"]),
      );
      const out = path.join(tmp, "canary");
      assert.strictEqual((await run([plan, "--policy-config", PROD_CONFIG, "--out", out, "--verification", file])).code, 0);
      const page = fs.readFileSync(path.join(out, "index.html"), "utf8");
      const table = page.slice(page.indexOf('<h3 id="canary">'), page.indexOf("</table>", page.indexOf('<h3 id="canary">')));
      assert.match(table, /The canary's objectives: fail/);
      assert.match(table, /ProcessingSeconds<\/td><td class="num">41.5 Seconds<\/td><td class="num">at most 300 Seconds<\/td><td>yes/);
      assert.match(table, /DetectionSeconds<\/td><td class="num">1250 Seconds<\/td><td class="num">at most 900 Seconds<\/td><td>no/);
      assert.ok(sectionOf(page, "164.308(a)(1)(ii)(D)").includes(": fail</b>"), "the failed canary fails the safeguard it cites");
      assert.ok(!page.includes("<script>alert(1)") && !page.includes("<img src=x>"), "verify's strings are escaped");
      assert.ok(page.includes("&lt;script&gt;alert(1)&lt;/script&gt;") && page.includes("&lt;img src=x&gt;"));
    });

    it("reads the canary's values from its measurements only, leaving out entries without a name", () => {
      assert.deepStrictEqual(
        canaryMeasurements({
          measurements: [
            { name: "DetectionSeconds", value: 512, unit: "Seconds", objective: 900, at: "2026-12-05T09:45:00.000Z" },
            { name: 3 },
            "x",
          ],
        }),
        [{ name: "DetectionSeconds", value: 512, objective: 900, unit: "Seconds", met: true }],
      );
      assert.deepStrictEqual(
        canaryMeasurements({ measurements: [{ name: "ProcessingSeconds", value: 400, unit: "Seconds", objective: 300 }] }),
        [{ name: "ProcessingSeconds", value: 400, objective: 300, unit: "Seconds", met: false }],
      );
      // No measurements (a check that found no data says so in its detail): nothing is read from the text.
      assert.deepStrictEqual(canaryMeasurements({ detail: "DetectionSeconds 610 s (objective 900 s)" }), []);
      const v = parseVerification(
        verifyJson("prod", () => "pass", [], ["canary"]),
        "v.json",
        "prod",
      );
      assert.strictEqual(v.canary, undefined);
      assert.deepStrictEqual(citationsIn("164.308(a)(7)(ii)(A) Data backup plan; 164.308(a)(7)(ii)(B) Disaster recovery plan"), [
        "164.308(a)(7)(ii)(A)",
        "164.308(a)(7)(ii)(B)",
      ]);
    });

    const bad: [string, (dir: string) => string, RegExp][] = [
      [
        "a missing file",
        (dir) => path.join(dir, "missing.json"),
        /--verification .*missing\.json: cannot be read \(ENOENT\); give the output of `npm run verify/,
      ],
      [
        "not JSON",
        (dir) => write(dir, "{ nope"),
        /--verification .*: is not JSON .*; give the output of `npm run verify -- --stack <stack>/,
      ],
      [
        "the wrong shape",
        (dir) => write(dir, JSON.stringify({ stack: "prod", checkedAt: "2026-12-05T10:00:00Z", checks: [{ id: 1 }] })),
        /checks\[0\] needs an "id", a "citation" and a "status"/,
      ],
      ["no checks", (dir) => write(dir, JSON.stringify({ stack: "prod", checkedAt: "2026-12-05T10:00:00Z" })), /has no "checks" list/],
      [
        "another stack",
        (dir) =>
          write(
            dir,
            verifyJson("dev", () => "pass"),
          ),
        /verifies stack dev, but the deployment is stack prod; run verify for prod/,
      ],
    ];
    function write(dir: string, text: string): string {
      const f = path.join(dir, "..", `verify-${Math.random().toString(36).slice(2)}.json`);
      fs.writeFileSync(f, text);
      return f;
    }
    for (const [what, file, message] of bad) {
      it(`refuses ${what}: exit 2, the flag and the fix named, nothing written`, async () => {
        const parent = fs.mkdtempSync(path.join(tmp, "bad-verification-"));
        const r = await run([plan, "--out", path.join(parent, "out"), "--verification", file(parent)]);
        assert.strictEqual(r.code, 2, r.err);
        assert.match(r.err, /^evidence: --verification /);
        assert.match(r.err, message);
        assert.strictEqual(r.err.trim().split("\n").length, 1, "one line");
        assert.deepStrictEqual(fs.readdirSync(parent), [], "nothing written");
      });
    }
  });
});
