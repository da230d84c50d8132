// HIPAA Security Rule (45 CFR Part 164, Subpart C) implementation specifications cited by the
// policies, and the helper that turns a list of citations into a CrossGuard compliance framework.

import { PolicyComplianceFramework } from "@pulumi/policy";

export const FRAMEWORK_NAME = "HIPAA Security Rule";
export const FRAMEWORK_VERSION = "45 CFR Part 164 Subpart C (2013)";

/** Standard or implementation specification -> its title in the rule. */
export const SPECIFICATIONS = {
  "164.308(a)(1)(ii)(B)": "Risk management",
  "164.308(a)(1)(ii)(D)": "Information system activity review",
  "164.308(a)(3)(i)": "Workforce security",
  "164.308(a)(3)(ii)(A)": "Authorization and/or supervision",
  "164.308(a)(3)(ii)(B)": "Workforce clearance procedure",
  "164.308(a)(4)(i)": "Information access management",
  "164.308(a)(4)(ii)(A)": "Isolating health care clearinghouse functions",
  "164.308(a)(4)(ii)(B)": "Access authorization",
  "164.308(a)(4)(ii)(C)": "Access establishment and modification",
  "164.308(a)(5)(ii)(A)": "Security reminders",
  "164.308(a)(5)(ii)(B)": "Protection from malicious software",
  "164.308(a)(5)(ii)(C)": "Log-in monitoring",
  "164.308(a)(5)(ii)(D)": "Password management",
  "164.308(a)(6)(ii)": "Response and reporting",
  "164.308(a)(7)(i)": "Contingency plan",
  "164.308(a)(7)(ii)(A)": "Data backup plan",
  "164.308(a)(7)(ii)(B)": "Disaster recovery plan",
  "164.308(a)(7)(ii)(C)": "Emergency mode operation plan",
  "164.310(d)(2)(iv)": "Data backup and storage",
  "164.312(a)(1)": "Access control",
  "164.312(a)(2)(i)": "Unique user identification",
  "164.312(a)(2)(iv)": "Encryption and decryption",
  "164.312(b)": "Audit controls",
  "164.312(c)(1)": "Integrity",
  "164.312(c)(2)": "Mechanism to authenticate electronic protected health information",
  "164.312(d)": "Person or entity authentication",
  "164.312(e)(1)": "Transmission security",
  "164.312(e)(2)(i)": "Integrity controls",
  "164.312(e)(2)(ii)": "Encryption",
  "164.316(b)(1)": "Documentation",
  "164.316(b)(2)(i)": "Time limit (retain six years)",
} as const;

export type Citation = keyof typeof SPECIFICATIONS;

/** A CrossGuard framework entry citing one or more implementation specifications. */
export function hipaa(...citations: Citation[]): PolicyComplianceFramework {
  if (citations.length === 0) {
    throw new Error("hipaa() needs at least one citation");
  }
  const repeated = citations.filter((c, i) => citations.indexOf(c) !== i);
  if (repeated.length > 0) {
    throw new Error(`hipaa() cites ${repeated.join(", ")} twice`);
  }
  return {
    name: FRAMEWORK_NAME,
    version: FRAMEWORK_VERSION,
    reference: citations.join(", "),
    specification: citations.map((c) => SPECIFICATIONS[c]).join("; "),
  };
}

/** The citations of a framework entry made by hipaa() ("164.312(b), 164.316(b)(2)(i)"). */
export function citationsOfFramework(framework: PolicyComplianceFramework | undefined): string[] {
  return (framework?.reference ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Common citation groups, as the AWS Config HIPAA conformance pack maps them. */
export const CITES = {
  encryptionAtRest: ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"] as Citation[],
  transmission: ["164.312(a)(2)(iv)", "164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"] as Citation[],
  audit: ["164.308(a)(3)(ii)(A)", "164.312(b)"] as Citation[],
  publicAccess: ["164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)", "164.312(e)(1)"] as Citation[],
  leastPrivilege: [
    "164.308(a)(3)(i)",
    "164.308(a)(3)(ii)(A)",
    "164.308(a)(3)(ii)(B)",
    "164.308(a)(4)(i)",
    "164.308(a)(4)(ii)(A)",
    "164.308(a)(4)(ii)(B)",
    "164.308(a)(4)(ii)(C)",
    "164.312(a)(1)",
  ] as Citation[],
  restrictedPorts: [
    "164.308(a)(3)(i)",
    "164.308(a)(3)(ii)(B)",
    "164.308(a)(4)(i)",
    "164.308(a)(4)(ii)(A)",
    "164.308(a)(4)(ii)(B)",
    "164.308(a)(4)(ii)(C)",
    "164.312(a)(1)",
    "164.312(e)(1)",
  ] as Citation[],
  backup: ["164.308(a)(7)(i)", "164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(B)"] as Citation[],
  availability: ["164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"] as Citation[],
  patching: ["164.308(a)(5)(ii)(A)", "164.308(a)(5)(ii)(B)"] as Citation[],
  integrity: ["164.312(c)(1)", "164.312(c)(2)"] as Citation[],
  retention: ["164.312(b)", "164.316(b)(2)(i)"] as Citation[],
};
