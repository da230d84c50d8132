/**
 * Our HIPAA Security Rule citations (policy-pack/policies/lib/hipaa.ts) -> control ids of the
 * oscal-compass HIPAA catalog (vendor/hipaa-2.0.0-catalog.json, generated from NIST SP 800-66r2,
 * "Implementing the HIPAA Security Rule: A Cybersecurity Resource Guide").
 *
 * Two levels, and who states each:
 * - The standard: the catalog states it. Each group of the catalog carries the CFR paragraph of its
 *   standard as the prop `standards-identifiers` (group-3.14 "Access Control" = 164.312(a)); a
 *   citation belongs to the group whose identifier is its standard's paragraph (SPEC_INFO.standard of
 *   tools/evidence/hipaa.ts, from the CFR). `catalogGroupOf` reads it from the catalog, nothing here.
 * - The control: OURS. The catalog's controls are SP 800-66r2's key activities and carry no CFR
 *   citation, so which key activity of the group a citation is assessed against is our reading of the
 *   control's title and statement, given in `why` below. Every finding and reviewed control built from
 *   this table says so (prop `mapping-basis` = "ours").
 *
 * Keyed by the pack's Citation type: a citation the pack adds fails to compile here until it is mapped.
 */
import type { Citation } from "../../../policy-pack/policies/lib/hipaa";

export interface ControlMapping {
  /** Control ids of the catalog (key activities of the citation's standard group). */
  controls: string[];
  /** Why these controls: the words of the catalog's title or statement the choice rests on. */
  why: string;
}

/** The vendored catalog and where it came from (also in README.md of this folder). */
export const CATALOG_SOURCE = {
  file: "vendor/hipaa-2.0.0-catalog.json",
  repository: "https://github.com/oscal-compass/oscal-content",
  commit: "623e0dea843569a632a30419fd8685f1d8740eff",
  path: "catalogs/hipaa-2.0.0/catalog.json",
  href: "https://raw.githubusercontent.com/oscal-compass/oscal-content/623e0dea843569a632a30419fd8685f1d8740eff/catalogs/hipaa-2.0.0/catalog.json",
  sha256: "0cbf046ee083a67901c88b1268025a0ba41e0ea46b380d3f4ed9bd3032259d9f",
  licence: "Apache-2.0 (the repository); the content is NIST SP 800-66r2, a work of the US government",
} as const;

const m = (controls: string[], why: string): ControlMapping => ({ controls, why });

export const CONTROL_MAPPING: Record<Citation, ControlMapping> = {
  "164.308(a)(1)(ii)(B)": m(["hipaa-003"], 'hipaa-003 "Implement a Risk Management Program" states the risk management specification.'),
  "164.308(a)(1)(ii)(D)": m(
    ["hipaa-007", "hipaa-009"],
    'hipaa-007 "Develop and Deploy the Information System Activity Review Process" states the specification; hipaa-009 activates the review and audit process.',
  ),
  "164.308(a)(3)(i)": m(
    ["hipaa-014"],
    'hipaa-014 "Establish Clear Job Descriptions and Responsibilities": identify who has the business need and permission to view, alter, retrieve and store ePHI.',
  ),
  "164.308(a)(3)(ii)(A)": m(
    ["hipaa-012", "hipaa-013"],
    "hipaa-012 and its implementation specification hipaa-013 state authorization and/or supervision of workforce members who work with ePHI.",
  ),
  "164.308(a)(3)(ii)(B)": m(
    ["hipaa-016", "hipaa-017"],
    'hipaa-016 "Establish a Workforce Clearance Procedure" and its implementation specification hipaa-017.',
  ),
  "164.308(a)(4)(i)": m(
    ["hipaa-021"],
    'hipaa-021 "Implement Policies and Procedures for Authorizing Access": granting access to ePHI through a program, process or other mechanism.',
  ),
  "164.308(a)(4)(ii)(A)": m(["hipaa-020"], 'hipaa-020 "Isolate Healthcare Clearinghouse Functions".'),
  "164.308(a)(4)(ii)(B)": m(
    ["hipaa-021", "hipaa-022"],
    "hipaa-021 and its implementation specification hipaa-022 state the access authorization specification.",
  ),
  "164.308(a)(4)(ii)(C)": m(
    ["hipaa-023", "hipaa-024"],
    'hipaa-023 "Implement Policies and Procedures for Access Establishment and Modification" and its implementation specification hipaa-024.',
  ),
  "164.308(a)(5)(ii)(A)": m(
    ["hipaa-034", "hipaa-035"],
    'hipaa-034 "Implement Security Reminders" and its implementation specification hipaa-035.',
  ),
  "164.308(a)(5)(ii)(B)": m(["hipaa-029"], 'hipaa-029 "Implementation Specification (Protection from Malicious Software)".'),
  "164.308(a)(5)(ii)(C)": m(["hipaa-030"], 'hipaa-030 "Implementation Specification (Log-in Monitoring)".'),
  "164.308(a)(5)(ii)(D)": m(["hipaa-031"], 'hipaa-031 "Implementation Specification (Password Management)".'),
  "164.308(a)(6)(ii)": m(
    ["hipaa-039"],
    'hipaa-039 "Develop and Implement Policy and Procedures to Respond to and Report Security Incidents" states the response and reporting specification.',
  ),
  "164.308(a)(7)(i)": m(
    ["hipaa-044"],
    'hipaa-044 "Identify Preventive Measures" against the loss of a critical service involving ePHI: what the platform builds (backups, replicas, protection); the written plan (hipaa-041) is the customer\'s.',
  ),
  "164.308(a)(7)(ii)(A)": m(["hipaa-046"], 'hipaa-046 "Data Backup Plan and Disaster Recovery Plan": retrievable exact copies of ePHI.'),
  "164.308(a)(7)(ii)(B)": m(
    ["hipaa-046"],
    'hipaa-046 "Data Backup Plan and Disaster Recovery Plan": procedures to restore any loss of data.',
  ),
  "164.308(a)(7)(ii)(C)": m(["hipaa-047"], 'hipaa-047 "Develop and Implement an Emergency Mode Operation Plan".'),
  "164.310(d)(2)(iv)": m(
    ["hipaa-078", "hipaa-079"],
    'hipaa-078 "Develop Data Backup and Storage Procedures" (a retrievable exact copy of ePHI) and its implementation specification hipaa-079.',
  ),
  "164.312(a)(1)": m(
    ["hipaa-081", "hipaa-084"],
    'hipaa-081 "Identify Technical Access Control Capabilities" (limit access to ePHI, network segmentation) and hipaa-084 "Implement Access Control Procedures Using Selected Hardware and Software".',
  ),
  "164.312(a)(2)(i)": m(["hipaa-082"], 'hipaa-082 "Ensure that All System Users Have Been Assigned a Unique Identifier".'),
  "164.312(a)(2)(iv)": m(["hipaa-089"], 'hipaa-089 "Implementation Specification (Encryption and Decryption)".'),
  "164.312(b)": m(
    ["hipaa-095"],
    'hipaa-095 "Implement the Audit/System Activity Review Process": activate the audit system, begin logging (the settings the policies check).',
  ),
  "164.312(c)(1)": m(
    ["hipaa-099"],
    'hipaa-099 "Implement Procedures to Address These Requirements": methods and tools that protect ePHI from unauthorized modification.',
  ),
  "164.312(c)(2)": m(
    ["hipaa-100", "hipaa-101"],
    'hipaa-100 "Implement a Mechanism to Authenticate ePHI" and its implementation specification hipaa-101.',
  ),
  "164.312(d)": m(["hipaa-105"], 'hipaa-105 "Select and Implement Authentication Options".'),
  "164.312(e)(1)": m(
    ["hipaa-107"],
    'hipaa-107 "Develop and Implement Transmission Security Policy and Procedures": methods and tools that safeguard ePHI in transmission.',
  ),
  "164.312(e)(2)(i)": m(
    ["hipaa-108", "hipaa-109"],
    'hipaa-108 "Implement Integrity Controls" and its implementation specification hipaa-109.',
  ),
  "164.312(e)(2)(ii)": m(["hipaa-110", "hipaa-111"], 'hipaa-110 "Implement Encryption" and its implementation specification hipaa-111.'),
  "164.316(b)(1)": m(["hipaa-123"], 'hipaa-123 "Draft, Maintain, and Update Required Documentation".'),
  "164.316(b)(2)(i)": m(["hipaa-124"], 'hipaa-124 "Retain Documentation for at Least Six Years".'),
};
