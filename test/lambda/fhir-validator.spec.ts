/**
 * The FHIR validator: generated from the official FHIR R4 JSON schema (and kept in sync with it),
 * and the classification of documents into processed / quarantined with a reason.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import { classifyDocument, describeSchemaError, embeddedResourceTypes } from "../../lambda/data-processor/fhir/classify";
import {
  createSubsetAjv,
  extractSubset,
  fhirResourceTypes,
  GENERATED_VALIDATOR_PATH,
  generateValidatorSource,
  loadOfficialSchema,
  REGENERATE_COMMAND,
  ROOT_REF,
} from "../../lambda/data-processor/fhir/generate";
import { FHIR_RESOURCE_TYPES, SOURCE_SCHEMA_SHA256, validateResource } from "../../lambda/data-processor/fhir/validator.generated";
import {
  encounter,
  notFhir,
  notJson,
  observationWithStringValue,
  patientWithBadBirthDateAndGender,
  validBundle,
  validObservation,
  validPatient,
} from "../../tools/local-aws/fhir-records";

const ALL = ["Patient", "Observation", "Bundle"];
const bytes = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v));

describe("data-processor FHIR validator", () => {
  describe("generated from the official FHIR R4 JSON schema", function () {
    this.timeout(30_000);
    const official = loadOfficialSchema();

    it(`the checked-in validator.generated.js is up to date (else run ${REGENERATE_COMMAND})`, () => {
      const fresh = generateValidatorSource(official);
      const current = fs.readFileSync(GENERATED_VALIDATOR_PATH, "utf8");
      assert.ok(fresh === current, `lambda/data-processor/fhir/validator.generated.js is stale: run ${REGENERATE_COMMAND}`);
      assert.equal(SOURCE_SCHEMA_SHA256, official.sha256);
    });

    it("generation is deterministic", () => {
      assert.equal(generateValidatorSource(official), generateValidatorSource(official));
    });

    it("keeps only the definitions the supported types reach, with ResourceList narrowed to them", () => {
      const subset = extractSubset(official.schema, ALL);
      const definitions = subset.definitions as Record<string, Record<string, unknown>>;
      const names = Object.keys(definitions);
      assert.ok(names.length < 80 && names.length > 50, `about 70 of 680 definitions, got ${names.length}`);
      for (const required of ["Patient", "Observation", "Bundle", "Bundle_Entry", "HumanName", "Quantity", "date", "ResourceList"]) {
        assert.ok(names.includes(required), required);
      }
      for (const absent of ["Encounter", "Condition", "Medication"]) assert.ok(!names.includes(absent), absent);
      assert.deepEqual(
        definitions.ResourceList.oneOf,
        ALL.map((t) => ({ $ref: `#/definitions/${t}` })),
      );
      assert.equal(definitions.Patient.description, undefined, "documentation dropped");
      assert.ok(JSON.stringify(subset).length < 60_000, "about 45 kB of the 3.3 MB schema");
      assert.equal(definitions.HumanName.type, "object", "complex types get type: object");
      assert.equal(definitions.decimal.pattern, undefined, "no-op patterns on numbers dropped");
      assert.equal(definitions.date.pattern, official.schema.definitions.date.pattern, "string patterns kept verbatim");
      assert.deepEqual((definitions.Patient.properties as Record<string, unknown>).gender, {
        enum: ["male", "female", "other", "unknown"],
      });
    });

    it("refuses types that are not FHIR R4 resources and keywords it does not know", () => {
      assert.throws(
        () => extractSubset(official.schema, ["Patient", "Patients"]),
        /"Patients" is not a FHIR R4 resource type of the schema/,
      );
      const tampered = {
        ...official.schema,
        definitions: { ...official.schema.definitions, Patient: { ...official.schema.definitions.Patient, if: {} } },
      };
      assert.throws(() => extractSubset(tampered, ["Patient"]), /#\/definitions\/Patient: unexpected keyword "if"/);
    });

    it("the generated code agrees with Ajv compiling the same subset in process", () => {
      const inProcess = createSubsetAjv(extractSubset(official.schema), false).getSchema(ROOT_REF)!;
      for (const doc of [
        validPatient,
        validObservation,
        validBundle,
        patientWithBadBirthDateAndGender,
        observationWithStringValue,
        encounter,
        { resourceType: "Patient", foo: 1 },
      ]) {
        assert.equal(validateResource(doc), inProcess(doc));
        assert.deepEqual(validateResource.errors ?? null, inProcess.errors ?? null);
      }
    });

    it("knows all 146 FHIR R4 resource types", () => {
      assert.equal(FHIR_RESOURCE_TYPES.length, 146);
      assert.deepEqual([...FHIR_RESOURCE_TYPES], fhirResourceTypes(official.schema));
    });
  });

  describe("classifyDocument", () => {
    const cases: [string, unknown, readonly string[], Record<string, unknown>][] = [
      ["a valid Patient", validPatient, ALL, { valid: true, resourceType: "Patient" }],
      ["a valid Observation", validObservation, ALL, { valid: true, resourceType: "Observation" }],
      ["a Bundle of both", validBundle, ALL, { valid: true, resourceType: "Bundle" }],
      ["a minimal Patient", { resourceType: "Patient" }, ALL, { valid: true, resourceType: "Patient" }],
      [
        "a Patient with a contained Observation",
        { ...validPatient, contained: [validObservation] },
        ALL,
        { valid: true, resourceType: "Patient" },
      ],
      ["not JSON", notJson, ALL, { valid: false, reasonCode: "INVALID_JSON" }],
      ["empty", "", ALL, { valid: false, reasonCode: "INVALID_JSON" }],
      ["JSON null", "null", ALL, { valid: false, reasonCode: "NOT_FHIR" }],
      ["a JSON string", '"Patient"', ALL, { valid: false, reasonCode: "NOT_FHIR" }],
      ["an object without resourceType", { name: "x" }, ALL, { valid: false, reasonCode: "NOT_FHIR" }],
      ["an unknown resourceType", notFhir, ALL, { valid: false, reasonCode: "NOT_FHIR" }],
      ["a lower-case resourceType", { resourceType: "patient" }, ALL, { valid: false, reasonCode: "NOT_FHIR" }],
      ["an Encounter", encounter, ALL, { valid: false, reasonCode: "UNSUPPORTED_RESOURCE_TYPE", resourceType: "Encounter" }],
      [
        "an Observation when only Patient is accepted",
        validObservation,
        ["Patient"],
        { valid: false, reasonCode: "UNSUPPORTED_RESOURCE_TYPE", resourceType: "Observation" },
      ],
      [
        "a Bundle with an Observation when Observation is not accepted",
        validBundle,
        ["Patient", "Bundle"],
        { valid: false, reasonCode: "UNSUPPORTED_RESOURCE_TYPE", resourceType: "Bundle" },
      ],
      [
        "a contained Observation when Observation is not accepted",
        { ...validPatient, contained: [validObservation] },
        ["Patient"],
        { valid: false, reasonCode: "UNSUPPORTED_RESOURCE_TYPE", resourceType: "Patient" },
      ],
      [
        "a bad birthDate and gender",
        patientWithBadBirthDateAndGender,
        ALL,
        {
          valid: false,
          reasonCode: "SCHEMA_INVALID",
          resourceType: "Patient",
          schemaErrors: ["/gender enum", "/birthDate pattern"],
          schemaErrorCount: 2,
        },
      ],
      [
        "a birth date of 1967-13-01",
        { resourceType: "Patient", birthDate: "1967-13-01" },
        ALL,
        { valid: false, reasonCode: "SCHEMA_INVALID", resourceType: "Patient", schemaErrors: ["/birthDate pattern"], schemaErrorCount: 1 },
      ],
      [
        "an unknown property",
        { resourceType: "Patient", nickname: "x" },
        ALL,
        {
          valid: false,
          reasonCode: "SCHEMA_INVALID",
          resourceType: "Patient",
          schemaErrors: ["/ additionalProperties"],
          schemaErrorCount: 1,
        },
      ],
      [
        "a name that is a string",
        { resourceType: "Patient", name: ["Quillfeather"] },
        ALL,
        { valid: false, reasonCode: "SCHEMA_INVALID", resourceType: "Patient", schemaErrors: ["/name/0 type"], schemaErrorCount: 1 },
      ],
      [
        "an Observation without code (the JSON schema requires code only)",
        { resourceType: "Observation" },
        ALL,
        {
          valid: false,
          reasonCode: "SCHEMA_INVALID",
          resourceType: "Observation",
          schemaErrors: ["/ required(code)"],
          schemaErrorCount: 1,
        },
      ],
      [
        "an Observation value as a string",
        observationWithStringValue,
        ALL,
        {
          valid: false,
          reasonCode: "SCHEMA_INVALID",
          resourceType: "Observation",
          schemaErrors: ["/valueQuantity/value type"],
          schemaErrorCount: 1,
        },
      ],
      [
        "a Bundle entry of another type",
        { resourceType: "Bundle", type: "collection", entry: [{ resource: encounter }] },
        ALL,
        {
          valid: false,
          reasonCode: "SCHEMA_INVALID",
          resourceType: "Bundle",
          schemaErrors: ["/entry/0/resource discriminator"],
          schemaErrorCount: 1,
        },
      ],
    ];
    for (const [name, doc, accepted, expected] of cases) {
      it(`${name} -> ${expected.valid ? "valid" : String(expected.reasonCode)}`, () => {
        const got = classifyDocument(bytes(doc), accepted) as Record<string, unknown>;
        if (Array.isArray(got.schemaErrors)) got.schemaErrors = [...got.schemaErrors].sort();
        if (Array.isArray(expected.schemaErrors)) expected.schemaErrors = [...expected.schemaErrors].sort();
        assert.deepEqual(got, expected);
      });
    }

    it("rejects bytes that are not UTF-8 and accepts a UTF-8 byte-order mark", () => {
      assert.equal(classifyDocument(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), ALL).valid, false);
      assert.deepEqual(classifyDocument(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes(validPatient)]), ALL), {
        valid: true,
        resourceType: "Patient",
      });
    });

    it("caps stored error paths at 20 but counts them all", () => {
      const doc = { resourceType: "Patient", name: Array.from({ length: 50 }, () => "x") };
      const got = classifyDocument(bytes(doc), ALL);
      assert.equal(got.valid, false);
      if (got.valid) return;
      assert.equal(got.schemaErrors?.length, 20);
      assert.equal(got.schemaErrorCount, 50);
    });

    it("quarantines a deeply nested document instead of crashing", () => {
      // 20,000 Bundles deep (1.4 MB): JSON.parse copes, the recursive validator runs out of stack.
      const depth = 20_000;
      const text =
        '{"resourceType":"Bundle","type":"collection","entry":[{"resource":'.repeat(depth) +
        '{"resourceType":"Patient"}' +
        "}]}".repeat(depth);
      assert.deepEqual(classifyDocument(Buffer.from(text), ALL), {
        valid: false,
        reasonCode: "SCHEMA_INVALID",
        resourceType: "Bundle",
        schemaErrors: ["/ nesting-too-deep"],
        schemaErrorCount: 1,
      });
    });

    it("describeSchemaError names the path and keyword, never the value", () => {
      assert.equal(
        describeSchemaError({
          instancePath: "/birthDate",
          keyword: "pattern",
          schemaPath: "#",
          params: { pattern: "^x$" },
          message: "must match",
        }),
        "/birthDate pattern",
      );
      assert.equal(
        describeSchemaError({ instancePath: "", keyword: "required", schemaPath: "#", params: { missingProperty: "status" } }),
        "/ required(status)",
      );
    });

    it("embeddedResourceTypes finds Bundle entries and contained resources at any depth", () => {
      const nested = {
        resourceType: "Bundle",
        entry: [{ resource: { resourceType: "Bundle", entry: [{ resource: { ...validPatient, contained: [validObservation] } }] } }],
      };
      assert.deepEqual([...embeddedResourceTypes(nested)].sort(), ["Bundle", "Observation", "Patient"]);
      assert.deepEqual([...embeddedResourceTypes(validPatient)], []);
    });
  });
});
