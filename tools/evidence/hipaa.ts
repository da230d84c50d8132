/**
 * What the report says about each HIPAA Security Rule citation the pack's policies carry.
 *
 * Required or addressable: 45 CFR 164.306(d) defines the two; the designation of each
 * implementation specification is the "(Required)" / "(Addressable)" in the text of 45 CFR 164.308,
 * 164.310, 164.312 and 164.316 and the matrix of Appendix A to Subpart C of Part 164 (eCFR, below).
 * A standard is always required (164.306(a), (c)); where a standard has no implementation
 * specification (164.312(b), 164.312(d)), the standard itself is the requirement.
 *
 * The customer's part follows AWS's shared-responsibility model: AWS secures the cloud (its
 * facilities, hardware, the hypervisor: the physical safeguards of 164.310(a)-(c) for its data
 * centres); the customer secures what it runs in it, signs the AWS Business Associate Addendum
 * (BAA) and processes PHI only in HIPAA-eligible services.
 *
 * Keyed by the pack's own Citation type, so a citation the pack adds fails to compile here until it
 * is described.
 */
import { Citation, SPECIFICATIONS } from "../../policy-pack/policies/lib/hipaa";

export const SOURCES = {
  rule: "https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C",
  matrix:
    "https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/appendix-Appendix%20A%20to%20Subpart%20C%20of%20Part%20164",
  hhs: "https://www.hhs.gov/hipaa/for-professionals/security/laws-regulations/index.html",
  sharedResponsibility: "https://aws.amazon.com/compliance/shared-responsibility-model/",
  awsHipaa: "https://aws.amazon.com/compliance/hipaa-compliance/",
  eligibleServices: "https://aws.amazon.com/compliance/hipaa-eligible-services-reference/",
  artifact: "https://aws.amazon.com/artifact/",
} as const;

export type Requirement = "required" | "addressable";
export type SpecKind = "standard" | "implementation specification";

export interface SpecInfo {
  kind: SpecKind;
  requirement: Requirement;
  /** The standard an implementation specification belongs to. */
  standard: string;
  /** What the customer (the covered entity or business associate) still does. */
  customer: string;
}

export const SAFEGUARD_FAMILY: Record<string, string> = {
  "164.308": "Administrative safeguards (45 CFR 164.308)",
  "164.310": "Physical safeguards (45 CFR 164.310)",
  "164.312": "Technical safeguards (45 CFR 164.312)",
  "164.316": "Policies and procedures and documentation requirements (45 CFR 164.316)",
};

const std = (standard: string, customer: string): SpecInfo => ({ kind: "standard", requirement: "required", standard, customer });
const req = (standard: string, customer: string): SpecInfo => ({
  kind: "implementation specification",
  requirement: "required",
  standard,
  customer,
});
const addr = (standard: string, customer: string): SpecInfo => ({
  kind: "implementation specification",
  requirement: "addressable",
  standard,
  customer,
});

const SMP = "164.308(a)(1)(i) Security management process";
const WS = "164.308(a)(3)(i) Workforce security";
const IAM = "164.308(a)(4)(i) Information access management";
const SAT = "164.308(a)(5)(i) Security awareness and training";
const SIP = "164.308(a)(6)(i) Security incident procedures";
const CP = "164.308(a)(7)(i) Contingency plan";
const DMC = "164.310(d)(1) Device and media controls";
const AC = "164.312(a)(1) Access control";
const INT = "164.312(c)(1) Integrity";
const TS = "164.312(e)(1) Transmission security";
const DOC = "164.316(b)(1) Documentation";

export const SPEC_INFO: Record<Citation, SpecInfo> = {
  "164.308(a)(1)(ii)(B)": req(
    SMP,
    "Perform and document the risk analysis this management rests on; decide and record the measures for risks the platform does not cover (application code, people, third parties).",
  ),
  "164.308(a)(1)(ii)(D)": req(
    SMP,
    "Review the audit records, alarms and incident reports the platform produces on a documented schedule, and keep the evidence of each review.",
  ),
  "164.308(a)(3)(i)": std(
    WS,
    "Decide which members of the workforce may reach PHI and prevent the others; the platform enforces the roles you configure, not who receives them.",
  ),
  "164.308(a)(3)(ii)(A)": addr(
    WS,
    "Authorize and supervise people who work with PHI; review the access grants (stack config `accessGrants`) and the incidents the platform opens.",
  ),
  "164.308(a)(3)(ii)(B)": addr(WS, "Run the workforce clearance procedure before granting a person an AWS role or an access grant."),
  "164.308(a)(4)(i)": std(IAM, "Write the access policies that the IAM roles and grants implement; approve each grant."),
  "164.308(a)(4)(ii)(A)": req(
    IAM,
    "If you are or contain a health care clearinghouse, isolate its functions (a separate account or stack); otherwise record why this does not apply.",
  ),
  "164.308(a)(4)(ii)(B)": addr(
    IAM,
    "Approve each access grant and IAM change through your review process (pull request review of the stack config).",
  ),
  "164.308(a)(4)(ii)(C)": addr(
    IAM,
    "Establish, review and revoke access (grants with an expiry, identity provider groups) when roles change.",
  ),
  "164.308(a)(5)(ii)(A)": addr(SAT, "Send security reminders to the workforce; the alert topic informs operators, it does not train them."),
  "164.308(a)(5)(ii)(B)": addr(
    SAT,
    "Keep the application code and its dependencies patched and scanned; enable malware detection (GuardDuty) where the organization does not already run it.",
  ),
  "164.308(a)(5)(ii)(C)": addr(SAT, "Watch the sign-in alarms (console sign-in without MFA, unauthorized calls) and act on them."),
  "164.308(a)(5)(ii)(D)": addr(SAT, "Set password and MFA policy in your identity provider or IAM Identity Center for every person."),
  "164.308(a)(6)(ii)": req(
    SIP,
    "Respond to the incidents the platform reports, mitigate, document and notify as the Breach Notification Rule requires.",
  ),
  "164.308(a)(7)(i)": std(CP, "Write and test the contingency plan; the platform provides backups, replicas and protection, not the plan."),
  "164.308(a)(7)(ii)(A)": req(
    CP,
    "Verify that backups complete and restore them periodically; decide what else (application data outside this stack) needs backup.",
  ),
  "164.308(a)(7)(ii)(B)": req(CP, "Document and rehearse recovery into the recovery region (restore order, DNS, credentials)."),
  "164.308(a)(7)(ii)(C)": req(CP, "Define how critical processes continue in emergency mode and who decides to invoke it."),
  "164.310(d)(2)(iv)": addr(
    DMC,
    "AWS handles physical media in its data centres (shared responsibility); keep exact copies before moving equipment or data you control, and track where exports go.",
  ),
  "164.312(a)(1)": std(
    AC,
    "Grant access only to persons and software programs that need it; the platform denies everything else by construction.",
  ),
  "164.312(a)(2)(i)": req(AC, "Give every person a unique identity (no shared IAM users or roles without session names)."),
  "164.312(a)(2)(iv)": addr(
    AC,
    "Keep the KMS key policies' administrators to named people; encrypt any copy of PHI that leaves the platform.",
  ),
  "164.312(b)": std(
    "164.312(b) Audit controls (no implementation specifications)",
    "Keep the trail and logs enabled, review them, and extend auditing to the application's own PHI accesses.",
  ),
  "164.312(c)(1)": std(
    INT,
    "Protect PHI in your application logic against improper alteration or destruction; the platform's versioning, object lock and validation cover storage.",
  ),
  "164.312(c)(2)": addr(INT, "Verify integrity end to end (checksums on intake, CloudTrail log file validation checks during reviews)."),
  "164.312(d)": std(
    "164.312(d) Person or entity authentication (no implementation specifications)",
    "Authenticate people with MFA in your identity provider; the platform authenticates services with IAM.",
  ),
  "164.312(e)(1)": std(TS, "Use TLS for every client of the application and for any PHI you send outside the platform."),
  "164.312(e)(2)(i)": addr(TS, "Ensure clients and partners verify integrity of what they send and receive (TLS, signed URLs)."),
  "164.312(e)(2)(ii)": addr(TS, "Encrypt PHI you transmit outside the platform (exports, e-mail, partners)."),
  "164.316(b)(1)": std(DOC, "Keep the written policies and procedures, and this evidence, with the record of actions and assessments."),
  "164.316(b)(2)(i)": req(
    DOC,
    "Retain documentation six years from creation or last effective date; check retention settings are not lowered outside the stack.",
  ),
};

export const SHARED_RESPONSIBILITY = [
  "AWS is responsible for security of the cloud: its facilities, hardware, network and the virtualization layer, which covers the physical " +
    "safeguards of 45 CFR 164.310(a)-(c) for its data centres and the disposal of its media (AWS shared responsibility model).",
  "The customer is responsible for security in the cloud: this platform's configuration (verified here), the application code, the " +
    "identities of people, and every administrative safeguard that is a process rather than a setting.",
  "Before any PHI is stored or processed, the AWS account (or the organization's management account) must accept the AWS Business " +
    "Associate Addendum (BAA) in AWS Artifact, and PHI may only be processed in HIPAA-eligible services (AWS HIPAA Eligible Services Reference).",
  "This report is evidence of configuration, not a certification: an assessor still needs the risk analysis, the policies and procedures, " +
    "and the records of their execution.",
];

export function titleOf(c: Citation): string {
  return SPECIFICATIONS[c];
}

/** 45 CFR order: by section, then paragraph letters and numbers (numeric, roman numerals as their own level). */
export function compareCitations(a: string, b: string): number {
  const parts = (s: string) => s.split(/[()]/).filter((x) => x !== "");
  const pa = parts(a);
  const pb = parts(b);
  const roman: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, v: 5, vi: 6 };
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const nx = /^\d/.test(x) ? parseFloat(x) : (roman[x] ?? x.charCodeAt(0));
    const ny = /^\d/.test(y) ? parseFloat(y) : (roman[y] ?? y.charCodeAt(0));
    if (nx !== ny) return nx < ny ? -1 : 1;
  }
  return 0;
}
