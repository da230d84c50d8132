// npm run evidence -- <deployment.json> [--policy-config <file>] [--out <dir>] [--pdf] [--format oscal] [--verification <verify.json>]
//
// The auditor's report for a plan (`npm run plan -- --out plan.json`) or a `pulumi stack export`:
// <out>/index.html (self-contained, printable), <out>/evidence.json (docs/evidence.schema.json),
// <out>/architecture.svg and architecture.dot, the full resource lists <out>/appendix/resources.csv and resources.json, every
// policy <out>/appendix/policies.csv, every external HIPAA rule's mapping <out>/appendix/coverage.csv (coverage.ts) and
// <out>/controls.csv (appendix.ts), and with --pdf <out>/report.pdf printed by headless
// Chromium, with --format oscal <out>/assessment-results.json (OSCAL 1.1.3, tools/evidence/oscal/); --verification adds the
// account's verdicts of `npm run verify --format json` (verification.ts); and last
// <out>/manifest.json (SHA-256 of every other file, the deployment's, the pack version, the program commit). Everything is written to a temporary directory beside <out> and renamed into place,
// so a failure leaves nothing half-written.
// Exit codes: 0 report written (whatever the verdicts: `npm run policy:check` gates), 2 the input,
// the policy config, the --verification file or the output directory cannot be used (as policy:check), 3 --pdf without a Chromium that starts.

import * as fs from "fs";
import * as path from "path";
import { parseConfig, ResolvedConfig, resolveConfig } from "../../policy-pack/checker/config";
import { describeCounts, InputError, LoadedDeployment, parseDeployment } from "../../policy-pack/checker/deployment";
import { allPolicies, HipaaPolicy } from "../../policy-pack/policies";
import { buildArchitecture } from "./architecture";
import { componentFigures, overviewFigure } from "./architecture-figures";
import { renderSvg, toDot } from "./architecture-render";
import {
  buildAppendix,
  CONTROLS_CSV,
  POLICIES_CSV,
  renderControlsCsv,
  renderPoliciesCsv,
  renderResourcesCsv,
  renderResourcesJson,
  RESOURCES_CSV,
  RESOURCES_JSON,
} from "./appendix";
import { COVERAGE_CSV, renderCoverageCsv } from "./coverage";
import { renderHtml } from "./html";
import { loadCoverageInput } from "../../policy-pack/rule-coverage/generate";
import { ParsedFlags, parseFlags, refuseOverwrite, UsageError } from "../command-line";
import { buildEvidence, Evidence } from "./model";
import { buildManifest, MANIFEST_FILE, ProgramState, programState, renderManifest, sha256 } from "./manifest";
import { readVerification, Verification } from "./verification";
import { OSCAL_FILE, renderAssessmentResults } from "./oscal/assessment-results";

export const USAGE = [
  "usage: npm run evidence -- <deployment.json> [--policy-config <file>] [--out <dir>] [--pdf] [--format oscal] [--verification <verify.json>]",
  "",
  "  <deployment.json>        an offline plan (npm run plan) or a `pulumi stack export`",
  "  --policy-config <file>   the policy pack config to judge with (e.g. policy-pack/config/prod.json); default: every policy mandatory",
  "  --out <dir>              where to write the report (default evidence); a new or empty directory or an earlier report,",
  "                           never one holding files git tracks",
  "  --pdf                    also print report.pdf with headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium)",
  "  --format oscal           also write assessment-results.json: OSCAL 1.1.3 Assessment Results against the oscal-compass",
  "                           HIPAA catalog (--format html, the default, writes the report alone)",
  "  --verification <file>    `npm run verify -- --stack <stack> --outputs outputs.json --format json` of the same stack: shows per",
  '                           safeguard "verified in the account at <time>: pass/fail" and the canary\'s objectives with their last values',
  "  --help                   print this and exit",
  "",
  "Exit codes: 0 report written (whatever the verdicts: `npm run policy:check` gates), 2 the input, the policy config, the",
  "--verification file or the output directory cannot be used (nothing is written), 3 --pdf without a Chromium that starts.",
].join("\n");
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";
export const NO_CHROMIUM =
  "--pdf needs Chromium, and none was found at {path}. Install Debian's package (`sudo apt-get install chromium`) or set CHROMIUM_PATH " +
  "to a Chromium or Chrome binary; nothing was written. The HTML report prints to PDF from any browser as well.";

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

const defaultIo: Io = {
  stdout: (t) => process.stdout.write(t.endsWith("\n") ? t : `${t}\n`),
  stderr: (t) => process.stderr.write(t.endsWith("\n") ? t : `${t}\n`),
};

interface Args {
  file: string;
  policyConfig?: string;
  out: string;
  pdf: boolean;
  oscal: boolean;
  verification?: string;
}

const EVIDENCE_FLAGS = { "policy-config": "string", out: "string", pdf: "boolean", format: "string", verification: "string" } as const;

/** The command line (node:util parseArgs): one deployment file and the flags of USAGE. */
export function parseEvidenceArgs(argv: readonly string[]): Args | { help: true } {
  let flags: ParsedFlags<typeof EVIDENCE_FLAGS>;
  try {
    flags = parseFlags(argv, EVIDENCE_FLAGS, USAGE, 1);
  } catch (e) {
    throw e instanceof UsageError
      ? new InputError(e.message.replace(/^unexpected argument (.*)\n/, "unexpected argument $1: give one deployment file\n"))
      : e;
  }
  if (flags.help) return { help: true };
  const [file] = flags.positionals;
  if (file === undefined) throw new InputError(`no deployment file given\n${USAGE}`);
  const format = flags.values.format ?? "html";
  if (format !== "html" && format !== "oscal") throw new InputError(`--format ${format}: give html or oscal\n${USAGE}`);
  return {
    file,
    policyConfig: flags.values["policy-config"],
    out: flags.values.out ?? "evidence",
    pdf: flags.values.pdf === true,
    oscal: format === "oscal",
    verification: flags.values.verification,
  };
}

function read(file: string, what: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${what} ${file}${code ? ` (${code})` : ""}: ${(e as Error).message}`);
  }
}

/** The manifest time of a real stack export; an offline plan has none. */
function manifestTime(text: string): string | undefined {
  const doc = JSON.parse(text) as { deployment?: { manifest?: { time?: unknown; magic?: unknown } } };
  const m = doc.deployment?.manifest;
  return m && m.magic !== "offline-plan" && typeof m.time === "string" ? m.time : undefined;
}

/** A previous report (or an empty directory) may be replaced; anything else, and anything git tracks, is refused. */
function checkOut(out: string): void {
  if (fs.existsSync(out) && !fs.statSync(out).isDirectory()) {
    throw new InputError(`--out ${out} exists and is not a directory; choose another output directory`);
  }
  const refused = refuseOverwrite("--out", out, "evidence report", (dir) => {
    const entries = fs.readdirSync(dir);
    return entries.length === 0 || entries.includes("evidence.json");
  });
  if (refused !== undefined) throw new InputError(`${refused}; choose an empty or new directory`);
}

export interface Report {
  deployment: LoadedDeployment;
  evidence: Evidence;
  dot: string;
  svg: string;
  html: string;
  /** The appendix files, by their path in the bundle. */
  files: Record<string, string>;
}

export interface ReportInputs {
  /** SHA-256 of the deployment file's bytes (the manifest's). */
  deploymentSha256: string;
  program: ProgramState;
  /** --verification's file, read and checked against the deployment's stack. */
  verification?: string;
}

/** Builds the whole report in memory (no file written). */
export async function buildReport(
  text: string,
  source: string,
  config: ResolvedConfig,
  policies: HipaaPolicy[] = allPolicies,
  inputs: ReportInputs = { deploymentSha256: sha256(text), program: programState() },
): Promise<Report> {
  const deployment = parseDeployment(text, source);
  const architecture = buildArchitecture(deployment);
  const { evidence } = await buildEvidence({
    deployment,
    policies,
    config,
    source: path.basename(source),
    architecture,
    time: manifestTime(text),
  });
  const s = evidence.summary;
  const verification: Verification | undefined = inputs.verification ? readVerification(inputs.verification, s.stack) : undefined;
  const appendix = buildAppendix(evidence, deployment.resources);
  const coverage = loadCoverageInput();
  const files = {
    [RESOURCES_CSV]: renderResourcesCsv(appendix),
    [RESOURCES_JSON]: renderResourcesJson(appendix),
    [CONTROLS_CSV]: renderControlsCsv(evidence),
    [POLICIES_CSV]: renderPoliciesCsv(evidence),
    [COVERAGE_CSV]: renderCoverageCsv(coverage),
  };
  const dot = toDot(architecture, `${s.project} / ${s.stack}: components, PHI and audit paths, trust boundaries`);
  const svg = await renderSvg(dot);
  const figures = [await overviewFigure(architecture, s.project, s.stack), ...(await componentFigures(architecture))];
  const html = renderHtml(evidence, figures, {
    deploymentSha256: inputs.deploymentSha256,
    program: inputs.program,
    appendix,
    coverage,
    verification,
  });
  return { deployment, evidence, dot, svg, html, files };
}

type Browser = import("playwright-core").Browser;

/** Debian's (or CHROMIUM_PATH's) Chromium, headless; playwright-core only drives it, it never downloads a browser. */
export async function launchChromium(executablePath: string): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath, headless: true, args: ["--headless", "--no-sandbox"] });
}

/** Prints index.html as the PDF, offline: any request that would leave file:// is aborted. */
export async function printPdf(browser: Browser, html: string, pdf: string): Promise<void> {
  const context = await browser.newContext({ offline: true });
  try {
    await context.route(
      (url) => url.protocol !== "file:" && url.protocol !== "data:",
      (route) => route.abort(),
    );
    const page = await context.newPage();
    await page.goto(`file://${path.resolve(html)}`, { waitUntil: "load" });
    await page.emulateMedia({ media: "print" });
    await page.pdf({ path: pdf, printBackground: true, preferCSSPageSize: true, outline: true, tagged: true });
  } finally {
    await context.close();
  }
}

/** Chromium at the path exists but did not start: exit 3 with one line, as a missing one. */
class ChromiumDidNotStart extends Error {}

async function printWithChromium(chromium: string, html: string, pdf: string, browser?: Browser): Promise<void> {
  if (browser) return printPdf(browser, html, pdf);
  let own: Browser;
  try {
    own = await launchChromium(chromium);
  } catch (e) {
    // Playwright's message carries the whole launch log: its first line is the cause.
    const first = ((e as Error)?.message ?? String(e)).split("\n").find((l) => l.trim() !== "") ?? "";
    throw new ChromiumDidNotStart(
      `--pdf: the Chromium at ${chromium} did not start (${first.trim().slice(0, 200)}). Check it runs (\`${chromium} --headless --version\`) ` +
        `or set CHROMIUM_PATH to a working Chromium or Chrome; nothing was written.`,
    );
  }
  try {
    await printPdf(own, html, pdf);
  } finally {
    await own.close();
  }
}

/** `browser`: an already launched Chromium for --pdf (the browser test shares its one launch); otherwise one is launched. */
export async function main(argv: string[], io: Io = defaultIo, env: NodeJS.ProcessEnv = process.env, browser?: Browser): Promise<number> {
  const started = Date.now();
  let tmp: string | undefined;
  try {
    const args = parseEvidenceArgs(argv);
    if ("help" in args) {
      io.stdout(USAGE);
      return 0;
    }
    const chromium = env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
    if (args.pdf && !fs.existsSync(chromium)) {
      io.stderr(`evidence: ${NO_CHROMIUM.replace("{path}", chromium)}`);
      return 3;
    }
    const text = read(args.file, "deployment file");
    const config = args.policyConfig
      ? parseConfig(read(args.policyConfig, "policy config"), allPolicies, args.policyConfig)
      : resolveConfig(undefined, allPolicies, "config");
    const out = path.resolve(args.out);
    checkOut(out);
    const deploymentBytes = fs.readFileSync(args.file);
    const program = programState();
    const report = await buildReport(text, args.file, config, allPolicies, {
      deploymentSha256: sha256(deploymentBytes),
      program,
      verification: args.verification,
    });

    fs.mkdirSync(path.dirname(out), { recursive: true });
    tmp = fs.mkdtempSync(path.join(path.dirname(out), `.${path.basename(out)}.tmp-`));
    fs.chmodSync(tmp, 0o755);
    fs.writeFileSync(path.join(tmp, "index.html"), report.html);
    fs.writeFileSync(path.join(tmp, "evidence.json"), `${JSON.stringify(report.evidence, null, 2)}\n`);
    fs.writeFileSync(path.join(tmp, "architecture.svg"), report.svg);
    fs.writeFileSync(path.join(tmp, "architecture.dot"), report.dot);
    for (const [file, body] of Object.entries(report.files)) {
      fs.mkdirSync(path.dirname(path.join(tmp, file)), { recursive: true, mode: 0o755 });
      fs.writeFileSync(path.join(tmp, file), body);
    }
    if (args.pdf) await printWithChromium(chromium, path.join(tmp, "index.html"), path.join(tmp, "report.pdf"), browser);
    if (args.oscal) {
      const oscal = renderAssessmentResults({
        evidence: report.evidence,
        deploymentSha256: sha256(deploymentBytes),
        commit: program.commit,
      });
      fs.writeFileSync(path.join(tmp, OSCAL_FILE), oscal);
    }
    const manifest = renderManifest(
      buildManifest(tmp, {
        deploymentFile: args.file,
        deployment: deploymentBytes,
        pack: report.evidence.summary.pack,
        program,
        ...(args.verification ? { verification: { file: args.verification, bytes: fs.readFileSync(args.verification) } } : {}),
      }),
    );
    fs.writeFileSync(path.join(tmp, MANIFEST_FILE), manifest);
    let old: string | undefined;
    if (fs.existsSync(out)) {
      old = `${tmp}.old`;
      fs.renameSync(out, old);
    }
    fs.renameSync(tmp, out);
    tmp = undefined;
    if (old) fs.rmSync(old, { recursive: true, force: true });

    const s = report.evidence.summary;
    io.stdout(
      `Evidence for ${s.project}/${s.stack} (${describeCounts(report.deployment.resources)}): ${report.evidence.safeguards.length} safeguards, ` +
        `${s.policies} policies, ${s.mandatory} mandatory and ${s.advisory} advisory violations, ${s.exemptions} exemptions; result ${s.result}.\n` +
        `Wrote ${path.relative(process.cwd(), out) || "."}/: index.html, evidence.json, ${Object.keys(report.files).join(", ")}, architecture.svg, architecture.dot${args.pdf ? ", report.pdf" : ""}` +
        `${args.oscal ? `, ${OSCAL_FILE}` : ""}, ${MANIFEST_FILE} (SHA-256 ${sha256(manifest)}: record it to make the report tamper-evident) ` +
        `in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
    return 0;
  } catch (e) {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    if (e instanceof InputError) {
      io.stderr(`evidence: ${e.message}`);
      return 2;
    }
    if (e instanceof ChromiumDidNotStart) {
      io.stderr(`evidence: ${e.message}`);
      return 3;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`evidence: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
