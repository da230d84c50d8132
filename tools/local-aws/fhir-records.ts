/**
 * FHIR R4 test records. Every personal value is distinctive and listed in {@link PHI_VALUES}, so a
 * spec can assert that none of them reaches a log line, an alert or an audit item.
 */

export const PHI_VALUES = [
  "Quillfeather",
  "Zebulon",
  "Obadiah",
  "Thistlewood",
  "Featherstonehaugh",
  "1967-04-23",
  "23/04/1967",
  "MRN-884422-ZQ",
  "SSN-559-01-7731",
  "+1-555-0199-314",
  "137.25",
  "7781.5",
  "Larkspur Lane",
] as const;

export const validPatient = {
  resourceType: "Patient",
  id: "pat-001",
  identifier: [{ system: "urn:oid:2.16.840.1.113883.19.5", value: "MRN-884422-ZQ" }],
  active: true,
  name: [{ use: "official", family: "Quillfeather", given: ["Zebulon"] }],
  telecom: [{ system: "phone", value: "+1-555-0199-314", use: "home" }],
  gender: "male",
  birthDate: "1967-04-23",
  address: [{ line: ["12 Larkspur Lane"], city: "Springfield", postalCode: "01101" }],
};

export const validObservation = {
  resourceType: "Observation",
  id: "obs-001",
  status: "final",
  category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "vital-signs" }] }],
  code: { coding: [{ system: "http://loinc.org", code: "29463-7", display: "Body weight" }] },
  subject: { reference: "Patient/pat-001", display: "Zebulon Quillfeather" },
  effectiveDateTime: "2024-03-01T10:30:00Z",
  valueQuantity: { value: 137.25, unit: "lb", system: "http://unitsofmeasure.org", code: "[lb_av]" },
};

export const validBundle = {
  resourceType: "Bundle",
  id: "bundle-001",
  type: "collection",
  entry: [{ fullUrl: "urn:uuid:6c0f3a4e-1a54-4a38-9d0e-0d6c6b1f1a01", resource: validPatient }, { resource: validObservation }],
};

/** Wrong date format and a gender code outside the value set. */
export const patientWithBadBirthDateAndGender = {
  ...validPatient,
  id: "pat-002",
  identifier: [{ value: "SSN-559-01-7731" }],
  birthDate: "23/04/1967",
  gender: "M",
};

/** A valid FHIR resource type that the processor does not accept. */
export const encounter = {
  resourceType: "Encounter",
  id: "enc-001",
  status: "finished",
  class: { code: "AMB" },
  subject: { reference: "Patient/pat-001", display: "Obadiah Thistlewood" },
};

/** Not JSON, and it quotes a name: a parser error message would leak it. */
export const notJson = 'Obadiah Thistlewood, born 1967-04-23, {"resourceType": "Patient"';

/** JSON, but no FHIR resource: the resourceType itself carries a personal value. */
export const notFhir = { resourceType: "Featherstonehaugh", note: "Zebulon Quillfeather 1967-04-23" };

export const observationWithStringValue = {
  ...validObservation,
  id: "obs-002",
  valueQuantity: { value: "7781.5", unit: "mg" },
};

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
