/**
 * `npm run evidence -- <plan.json> --verification verify.json`: the reader of `npm run verify --format json`
 * (tools/verify/run.ts) for the report. It needs only:
 *
 *   { stack: string, checkedAt: ISO time, account?: string, region?: string,
 *     checks: [{ id: string, status: "pass"|"fail"|"unreachable"|"skipped", citation: string,
 *                title?: string, detail?: string, lookAt?: string,
 *                measurements?: [{ name: string, value: number|null, objective?: number|null, unit?: string, met?: boolean }] }] }
 *
 * Each check names the HIPAA citations it gives evidence for in `citation` ("164.312(b) Audit controls" or
 * several joined by ";"); a safeguard is verified by the checks naming its citation. Fields it does not know
 * are ignored, so verify can grow.
 *
 * The canary (issue 18 section 2) is the check with id `canary`: its last values and their objectives are its
 * `measurements`, as tools/verify/checks-canary.ts reports them (name, value, unit, objective); an entry without a
 * name is left out. They are shown generically (name, value, objective, met).
 */
import * as fs from "fs";
import { InputError } from "../../policy-pack/checker/deployment";

export type CheckStatus = "pass" | "fail" | "unreachable" | "skipped";

export interface VerifiedCheck {
  id: string;
  title: string;
  status: CheckStatus;
  citations: string[];
  detail: string;
}

export interface Measurement {
  name: string;
  value: number | null;
  objective: number | null;
  unit: string;
  /** Whether the value meets the objective (at most it), as reported or derived; null when unknown. */
  met: boolean | null;
}

export interface Verification {
  stack: string;
  checkedAt: string;
  account: string;
  region: string;
  checks: VerifiedCheck[];
  /** The canary check's last values, when the verification holds a check with id `canary`. */
  canary?: { status: CheckStatus; detail: string; measurements: Measurement[] };
}

const STATUSES: readonly CheckStatus[] = ["pass", "fail", "unreachable", "skipped"];
const CITATION = /164\.3\d\d(?:\([0-9a-zA-Z]+\))+/g;
const FIX = "give the output of `npm run verify -- --stack <stack> --outputs outputs.json --format json > verify.json`";

/** The HIPAA citations a check names ("164.308(a)(7)(ii)(A) Data backup plan; 164.308(a)(7)(ii)(B) ..."). */
export function citationsIn(text: string): string[] {
  return [...new Set(text.match(CITATION) ?? [])];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function measurement(name: string, value: number | null, objective: number | null, unit: string, met?: unknown): Measurement {
  return {
    name,
    value,
    objective,
    unit,
    met: typeof met === "boolean" ? met : value !== null && objective !== null ? value <= objective : null,
  };
}

/** The canary check's `measurements` (see the file comment). */
export function canaryMeasurements(check: Record<string, unknown>): Measurement[] {
  if (!Array.isArray(check.measurements)) return [];
  return check.measurements
    .filter(isObject)
    .filter((m) => typeof m.name === "string")
    .map((m) => measurement(m.name as string, num(m.value), num(m.objective), typeof m.unit === "string" ? m.unit : "", m.met));
}

/** Parses verify's JSON for the report of `stack`; throws InputError naming --verification and the fix. */
export function parseVerification(text: string, file: string, stack: string): Verification {
  const bad = (why: string) => new InputError(`--verification ${file}: ${why}; ${FIX}`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw bad(`is not JSON (${(e as Error).message})`);
  }
  if (!isObject(doc)) throw bad("is not a JSON object");
  if (typeof doc.stack !== "string" || doc.stack === "") throw bad('has no "stack"');
  if (typeof doc.checkedAt !== "string" || Number.isNaN(Date.parse(doc.checkedAt))) throw bad('has no "checkedAt" time');
  if (!Array.isArray(doc.checks) || doc.checks.length === 0) throw bad('has no "checks" list');
  if (doc.stack !== stack) {
    throw new InputError(
      `--verification ${file}: verifies stack ${doc.stack}, but the deployment is stack ${stack}; run verify for ${stack} ` +
        `(npm run verify -- --stack ${stack} --outputs outputs.json --format json > verify.json)`,
    );
  }
  const checks: VerifiedCheck[] = [];
  let canary: Verification["canary"];
  doc.checks.forEach((c, i) => {
    if (!isObject(c) || typeof c.id !== "string" || typeof c.citation !== "string" || !STATUSES.includes(c.status as CheckStatus)) {
      throw bad(`checks[${i}] needs an "id", a "citation" and a "status" (${STATUSES.join(", ")})`);
    }
    const detail = typeof c.detail === "string" ? c.detail : "";
    const check = {
      id: c.id,
      title: typeof c.title === "string" ? c.title : c.id,
      status: c.status as CheckStatus,
      citations: citationsIn(c.citation),
      detail,
    };
    checks.push(check);
    if (c.id === "canary") canary = { status: check.status, detail, measurements: canaryMeasurements(c) };
  });
  return {
    stack: doc.stack,
    checkedAt: doc.checkedAt,
    account: typeof doc.account === "string" ? doc.account : "",
    region: typeof doc.region === "string" ? doc.region : "",
    checks,
    ...(canary ? { canary } : {}),
  };
}

export function readVerification(file: string, stack: string): Verification {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`--verification ${file}: cannot be read${code ? ` (${code})` : ""}; ${FIX}`);
  }
  return parseVerification(text, file, stack);
}

/** What the account says about one safeguard: its checks and one verdict. */
export interface SafeguardVerification {
  checkedAt: string;
  verdict: "pass" | "fail" | "not evaluated";
  checks: VerifiedCheck[];
}

export function verificationOf(v: Verification | undefined, citation: string): SafeguardVerification | undefined {
  const checks = v?.checks.filter((c) => c.citations.includes(citation)) ?? [];
  if (!v || checks.length === 0) return undefined;
  // pass only when every check ran and none failed (a skipped check does not count against it, an unreachable one does)
  const passed = checks.some((c) => c.status === "pass") && checks.every((c) => c.status === "pass" || c.status === "skipped");
  const verdict = checks.some((c) => c.status === "fail") ? "fail" : passed ? "pass" : "not evaluated";
  return { checkedAt: v.checkedAt, verdict, checks };
}
