/**
 * `npm run evidence -- --format oscal` and the report's manifest: the prod plan's OSCAL Assessment
 * Results validate against the vendored OSCAL 1.1.3 schema; every control id is the catalog's and in
 * the group the catalog states for the citation's standard; each finding follows the checker's
 * verdicts (a mandatory violation, made by mutating the plan, turns its controls not-satisfied);
 * the mapping is marked ours; two runs give the same bytes; manifest.json hashes every file, the
 * deployment, the pack version and the program commit, and detects a changed or added file.
 * The prod plan is generated once (tools/plan.ts in a child process, as evidence.spec.ts does).
 */
import Ajv from "ajv";
import addFormats from "ajv-formats";
import * as assert from "assert";
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main as check } from "../../policy-pack/checker/cli";
import { allPolicies } from "../../policy-pack/policies";
import type { Citation } from "../../policy-pack/policies/lib/hipaa";
import { main as evidence } from "../../tools/evidence/cli";
import { citationsOf, citedSafeguards } from "../../tools/evidence/model";
import { Manifest, verifyManifest } from "../../tools/evidence/manifest";
import { NO_TIME, PROP_NS, uuidV5 } from "../../tools/evidence/oscal/assessment-results";
import { catalogGroupOf, loadCatalog } from "../../tools/evidence/oscal/catalog";
import { CONTROL_MAPPING } from "../../tools/evidence/oscal/mapping";
import { planFile, planSpec } from "../support/plans";

const ROOT = path.resolve(__dirname, "../..");
const PROD_CONFIG = path.join(ROOT, "policy-pack/config/prod.json");
const EXPORT = path.join(ROOT, "test/fixtures/policy/stack-export.json");
const SCHEMA = path.join(ROOT, "tools/evidence/oscal/vendor/oscal_assessment-results_schema.json");

interface Prop {
  name: string;
  ns?: string;
  value: string;
  remarks?: string;
}
interface Finding {
  uuid: string;
  props: Prop[];
  target: { type: string; "target-id": string; status: { state: string; reason?: string } };
  "related-observations"?: { "observation-uuid": string }[];
}
interface Observation {
  uuid: string;
  props: Prop[];
  subjects?: { "subject-uuid": string; type: string; title: string; props?: Prop[] }[];
}
interface Result {
  start: string;
  "local-definitions"?: { "inventory-items": { uuid: string; description: string }[] };
  "reviewed-controls": { "control-selections": { "include-controls": { "control-id": string }[] }[] };
  observations: Observation[];
  findings: Finding[];
}
interface Ar {
  "assessment-results": {
    uuid: string;
    metadata: { "last-modified": string; "oscal-version": string; props: Prop[] };
    results: Result[];
  };
}

function quiet() {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: (t: string) => void out.push(t),
    stderr: (t: string) => void err.push(t),
    readFile: (p: string) => fs.readFileSync(p, "utf8"),
  };
  return { io, out, err };
}

async function run(args: string[]) {
  const q = quiet();
  const code = await evidence(args, q.io);
  return { code, out: q.out.join(""), err: q.err.join("") };
}

async function violationsOf(file: string) {
  const q = quiet();
  await check([file, "--format", "json", "--policy-config", PROD_CONFIG], q.io);
  return (JSON.parse(q.out.join("")) as { violations: { policy: string; enforcementLevel: string; urn: string }[] }).violations;
}

/** Every file under a report directory, "/"-separated, sorted (the manifest's order). */
const filesUnder = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const sha256 = (b: string | Buffer) => createHash("sha256").update(b).digest("hex");
const readAr = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "assessment-results.json"), "utf8")) as Ar;
const propOf = (props: Prop[] | undefined, name: string) =>
  props?.filter((p) => p.name === name && p.ns === PROP_NS).map((p) => p.value) ?? [];

/** What a control's status must be, from policy:check's violations alone: the policies citing a citation mapped to it. */
function expectedStatus(controlId: string, violations: { policy: string; enforcementLevel: string }[]) {
  const citations = Object.entries(CONTROL_MAPPING)
    .filter(([, m]) => m.controls.includes(controlId))
    .map(([c]) => c);
  const policies = new Set(allPolicies.filter((p) => citationsOf(p).some((c) => citations.includes(c))).map((p) => p.name));
  const mine = violations.filter((v) => policies.has(v.policy));
  if (mine.some((v) => v.enforcementLevel === "mandatory")) return { state: "not-satisfied", reason: "fail" };
  if (mine.length > 0) return { state: "not-satisfied", reason: "other" };
  return { state: "satisfied", reason: "pass" };
}

describe("evidence --format oscal and the report's manifest", function () {
  this.timeout(300_000);
  let tmp: string;
  let plan: string;
  let report: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hcp-oscal-"));
    plan = path.join(tmp, "plan-prod.json");
    fs.copyFileSync(await planFile(planSpec("prod")), plan);
    report = path.join(tmp, "report");
    const res = await run([plan, "--policy-config", PROD_CONFIG, "--out", report, "--format", "oscal"]);
    assert.strictEqual(res.code, 0, res.err);
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("validates against the vendored OSCAL 1.1.3 Assessment Results schema", () => {
    const schema = JSON.parse(fs.readFileSync(SCHEMA, "utf8")) as { $id: string };
    assert.strictEqual(schema.$id, "http://csrc.nist.gov/ns/oscal/1.1.3/oscal-ar-schema.json");
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const ar = readAr(report);
    assert.ok(validate(ar), ajv.errorsText(validate.errors, { separator: "\n" }));
    assert.strictEqual(ar["assessment-results"].metadata["oscal-version"], "1.1.3");
    // the schema does catch a broken document: a finding state OSCAL does not define
    const broken = readAr(report);
    broken["assessment-results"].results[0].findings[0].target.status.state = "passed";
    assert.ok(!validate(broken));
  });

  it("maps every cited safeguard to controls the catalog defines, in the group the catalog states for its standard", () => {
    const catalog = loadCatalog();
    for (const c of citedSafeguards(allPolicies)) {
      const m = CONTROL_MAPPING[c as Citation];
      assert.ok(m && m.controls.length > 0 && m.why !== "", `${c} is mapped`);
      const group = catalogGroupOf(catalog, c as Citation);
      assert.ok(group, `${c}: a catalog group states its standard`);
      for (const id of m.controls) assert.strictEqual(catalog.controls.get(id)?.group, group.id, `${c} -> ${id} lies in ${group.id}`);
    }
    const r = readAr(report)["assessment-results"].results[0];
    const reviewed = r["reviewed-controls"]["control-selections"].flatMap((s) => s["include-controls"].map((c) => c["control-id"]));
    const expected = [...new Set(citedSafeguards(allPolicies).flatMap((c) => CONTROL_MAPPING[c as Citation].controls))].sort();
    assert.deepStrictEqual(reviewed, expected);
    for (const f of r.findings) {
      assert.ok(catalog.controls.has(f.target["target-id"]), f.target["target-id"]);
      assert.deepStrictEqual(propOf(f.props, "mapping-basis"), ["ours"], `${f.target["target-id"]} says the mapping is ours`);
      assert.ok(propOf(f.props, "catalog-group").length === 1);
    }
  });

  it("finds each control as policy:check judges its policies: satisfied, or not-satisfied with fail (mandatory) or other (advisory)", async () => {
    const violations = await violationsOf(plan);
    const r = readAr(report)["assessment-results"].results[0];
    assert.ok(r.findings.length >= 30, `${r.findings.length} findings`);
    for (const f of r.findings) {
      const { state, reason } = f.target.status;
      assert.deepStrictEqual({ state, reason }, expectedStatus(f.target["target-id"], violations), f.target["target-id"]);
    }
    assert.ok(r.findings.some((f) => f.target.status.state === "satisfied"));
    // every related observation exists, every subject is an inventory item of the result
    const obs = new Set(r.observations.map((o) => o.uuid));
    const items = new Set(r["local-definitions"]!["inventory-items"].map((i) => i.uuid));
    for (const f of r.findings) for (const o of f["related-observations"] ?? []) assert.ok(obs.has(o["observation-uuid"]));
    for (const o of r.observations)
      for (const s of o.subjects ?? []) assert.ok(items.has(s["subject-uuid"]) && s.title.startsWith("urn:pulumi:"));
  });

  it("turns a control not-satisfied (fail) when a mandatory policy citing it is violated: trail log file validation off", async () => {
    const doc = JSON.parse(fs.readFileSync(plan, "utf8")) as {
      deployment: { resources: { type: string; inputs: Record<string, unknown> }[] };
    };
    const trail = doc.deployment.resources.find((x) => x.type === "aws:cloudtrail/trail:Trail")!;
    trail.inputs.enableLogFileValidation = false;
    const mutated = path.join(tmp, "plan-mutated.json");
    fs.writeFileSync(mutated, JSON.stringify(doc, null, 2));
    const out = path.join(tmp, "mutated");
    assert.strictEqual((await run([mutated, "--policy-config", PROD_CONFIG, "--out", out, "--format", "oscal"])).code, 0);
    const violations = await violationsOf(mutated);
    assert.ok(violations.some((v) => v.policy === "cloudtrail-log-file-validation" && v.enforcementLevel === "mandatory"));
    const status = (dir: string, id: string) =>
      readAr(dir)["assessment-results"].results[0].findings.find((f) => f.target["target-id"] === id)?.target.status;
    // 164.312(c)(2) -> hipaa-100: satisfied on the prod plan, not-satisfied once the mandatory policy fails
    assert.deepStrictEqual(status(report, "hipaa-100"), { state: "satisfied", reason: "pass" });
    assert.deepStrictEqual(status(out, "hipaa-100"), { state: "not-satisfied", reason: "fail" });
    for (const f of readAr(out)["assessment-results"].results[0].findings) {
      const { state, reason } = f.target.status;
      assert.deepStrictEqual({ state, reason }, expectedStatus(f.target["target-id"], violations), f.target["target-id"]);
    }
    const obs = readAr(out)["assessment-results"].results[0].observations.find(
      (o) => propOf(o.props, "policy")[0] === "cloudtrail-log-file-validation",
    )!;
    assert.deepStrictEqual(propOf(obs.props, "verdict"), ["fail"]);
    assert.deepStrictEqual(
      obs.subjects?.map((s) => propOf(s.props, "result")),
      [["fail"]],
    );
  });

  it("takes its times from the input, never the clock, and its UUIDs are version 5 of stable names", async () => {
    const ar = readAr(report)["assessment-results"];
    assert.strictEqual(ar.metadata["last-modified"], NO_TIME, "an offline plan has no time");
    assert.strictEqual(ar.results[0].start, NO_TIME);
    const out = path.join(tmp, "export");
    assert.strictEqual((await run([EXPORT, "--out", out, "--format", "oscal"])).code, 0);
    const exported = JSON.parse(fs.readFileSync(EXPORT, "utf8")) as { deployment: { manifest: { time: string } } };
    assert.strictEqual(readAr(out)["assessment-results"].metadata["last-modified"], exported.deployment.manifest.time);
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, "utf8")) as object);
    assert.ok(validate(readAr(out)), `the stack export's document: ${ajv.errorsText(validate.errors)}`);
    // RFC 4122 appendix B's example: "www.example.com" in the DNS namespace
    assert.strictEqual(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
    const uuids = JSON.stringify(ar).match(/"uuid": ?"[^"]+"/g) ?? [];
    assert.strictEqual(new Set(uuids).size, uuids.length, "object UUIDs are unique");
  });

  it("writes the same bytes for the same input (OSCAL and manifest)", async () => {
    const again = path.join(tmp, "again");
    assert.strictEqual((await run([plan, "--policy-config", PROD_CONFIG, "--out", again, "--format", "oscal"])).code, 0);
    assert.deepStrictEqual(filesUnder(again), filesUnder(report));
    for (const f of filesUnder(report)) assert.ok(fs.readFileSync(path.join(again, f)).equals(fs.readFileSync(path.join(report, f))), f);
  });

  it("lists every file of the report in manifest.json with its SHA-256, with the deployment's hash, the pack version and the commit", () => {
    const files = filesUnder(report);
    assert.deepStrictEqual(files, [
      "appendix/coverage.csv",
      "appendix/policies.csv",
      "appendix/resources.csv",
      "appendix/resources.json",
      "architecture.dot",
      "architecture.svg",
      "assessment-results.json",
      "controls.csv",
      "evidence.json",
      "index.html",
      "manifest.json",
    ]);
    const m = JSON.parse(fs.readFileSync(path.join(report, "manifest.json"), "utf8")) as Manifest;
    assert.deepStrictEqual(
      m.files.map((f) => f.path),
      files.filter((f) => f !== "manifest.json"),
    );
    for (const f of m.files) assert.strictEqual(f.sha256, sha256(fs.readFileSync(path.join(report, f.path))), f.path);
    assert.strictEqual(m.deployment.sha256, sha256(fs.readFileSync(plan)));
    const pack = JSON.parse(fs.readFileSync(path.join(ROOT, "policy-pack/package.json"), "utf8")) as { name: string; version: string };
    assert.deepStrictEqual(m.pack, { name: pack.name, version: pack.version });
    const head = spawnSync("git", ["-C", ROOT, "rev-parse", "HEAD"], { encoding: "utf8" }).stdout.trim();
    assert.strictEqual(m.program.commit, head);
    const ar = readAr(report)["assessment-results"];
    assert.deepStrictEqual(propOf(ar.metadata.props, "deployment-sha256"), [m.deployment.sha256]);
    assert.deepStrictEqual(propOf(ar.metadata.props, "program-commit"), [head]);
  });

  it("detects a changed, an added and a removed file of the report", () => {
    const copy = path.join(tmp, "tampered");
    fs.cpSync(report, copy, { recursive: true });
    assert.deepStrictEqual(verifyManifest(copy), []);
    const ev = path.join(copy, "evidence.json");
    fs.writeFileSync(ev, fs.readFileSync(ev, "utf8").replace('"result": "PASS"', '"result": "FAIL"'));
    fs.appendFileSync(path.join(copy, "appendix/resources.csv"), "164.312(b),x,x,x,x,x\r\n");
    fs.writeFileSync(path.join(copy, "extra.txt"), "x");
    fs.rmSync(path.join(copy, "architecture.dot"));
    assert.deepStrictEqual(verifyManifest(copy).sort(), [
      "appendix/resources.csv: SHA-256 differs from the manifest",
      "architecture.dot: in the manifest but missing",
      "evidence.json: SHA-256 differs from the manifest",
      "extra.txt: not in the manifest",
    ]);
  });

  it("refuses a --format it does not know (exit 2)", async () => {
    const res = await run([plan, "--format", "xml", "--out", path.join(tmp, "none")]);
    assert.strictEqual(res.code, 2);
    assert.match(res.err, /--format xml: give html or oscal/);
    assert.ok(!fs.existsSync(path.join(tmp, "none")));
  });
});
