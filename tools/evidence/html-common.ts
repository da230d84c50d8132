/** What every part of index.html shares: escaping, anchors, verdict badges and the report context. */
import type { Appendix } from "./appendix";
import type { CoverageInput } from "../../policy-pack/rule-coverage/generate";
import type { ProgramState } from "./manifest";
import type { Verdict } from "./model";
import type { Verification } from "./verification";

export function esc(s: unknown): string {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

export function anchorOf(citation: string): string {
  return `s-${citation.replace(/[^0-9a-z]+/gi, "-").replace(/-+$/, "")}`;
}

export function badge(v: Verdict): string {
  const label: Record<Verdict, string> = { pass: "PASS", fail: "FAIL", warn: "WARN", "not-applicable": "N/A", disabled: "DISABLED" };
  return `<span class="badge v-${v}">${label[v]}</span>`;
}

/** What the report is about beyond the model: the input's hash, the program, the appendix and the account's verification. */
export interface ReportContext {
  deploymentSha256: string;
  program: ProgramState;
  appendix: Appendix;
  /** The pack's coverage of the external HIPAA rule sets (policy-pack/rule-coverage/). */
  coverage: CoverageInput;
  verification?: Verification;
}
