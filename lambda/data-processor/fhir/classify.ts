/**
 * Decides what an intake object is: a valid, accepted FHIR R4 resource, or a reason to quarantine
 * it. All field checks come from the generated validator (the official FHIR R4 JSON schema);
 * this module only decodes, parses and gates resource types by configuration.
 *
 * Nothing returned here contains a value from the document: resource types are reported only when
 * they are FHIR type names, and schema errors only as paths plus the failed keyword.
 */
import type { ErrorObject } from "ajv";
import { MAX_REPORTED_SCHEMA_ERRORS, REASON_CODES, ReasonCode } from "../contract";
import { FHIR_RESOURCE_TYPES, validateResource } from "./validator.generated";

export type Classification =
  | { readonly valid: true; readonly resourceType: string }
  | {
      readonly valid: false;
      readonly reasonCode: ReasonCode;
      /** A FHIR resource type name, when the document has one. */
      readonly resourceType?: string;
      readonly schemaErrors?: readonly string[];
      readonly schemaErrorCount?: number;
    };

const FHIR_TYPES: ReadonlySet<string> = new Set(FHIR_RESOURCE_TYPES);
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** `/birthDate pattern`, `/ required(status)`: the instance path and keyword, never the value. */
export function describeSchemaError(error: ErrorObject): string {
  const path = error.instancePath === "" ? "/" : error.instancePath;
  // `missingProperty` is a property name taken from the schema, not from the document.
  if (error.keyword === "required" && typeof error.params.missingProperty === "string") {
    return `${path} required(${error.params.missingProperty})`;
  }
  return `${path} ${error.keyword}`;
}

/** The resource types embedded in a (schema-valid) resource: Bundle entries and `contained`, at any depth. */
export function embeddedResourceTypes(resource: Record<string, unknown>): Set<string> {
  const found = new Set<string>();
  const stack: unknown[] = [resource];
  while (stack.length > 0) {
    const r = stack.pop() as Record<string, unknown>;
    const contained: unknown[] = Array.isArray(r.contained) ? r.contained : [];
    const entries = Array.isArray(r.entry)
      ? r.entry.map((e) => (e as Record<string, unknown>)?.resource).filter((x) => x !== undefined)
      : [];
    for (const child of [...contained, ...entries]) {
      const type = (child as Record<string, unknown>).resourceType;
      if (typeof type === "string") found.add(type);
      stack.push(child);
    }
  }
  return found;
}

/** Classifies an object's bytes against the accepted resource types. */
export function classifyDocument(bytes: Uint8Array, acceptedResourceTypes: readonly string[]): Classification {
  let doc: unknown;
  try {
    doc = JSON.parse(utf8.decode(bytes));
  } catch {
    // Never keep the parser's message: it quotes the document.
    return { valid: false, reasonCode: REASON_CODES.invalidJson };
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return { valid: false, reasonCode: REASON_CODES.notFhir };
  const resourceType = (doc as Record<string, unknown>).resourceType;
  if (typeof resourceType !== "string" || !FHIR_TYPES.has(resourceType)) return { valid: false, reasonCode: REASON_CODES.notFhir };
  if (!acceptedResourceTypes.includes(resourceType)) {
    return { valid: false, reasonCode: REASON_CODES.unsupportedResourceType, resourceType };
  }

  let valid: boolean;
  try {
    valid = validateResource(doc);
  } catch (e) {
    // A document nested deeper than the validator's stack allows is invalid, not a crash to retry.
    if (e instanceof RangeError) {
      return {
        valid: false,
        reasonCode: REASON_CODES.schemaInvalid,
        resourceType,
        schemaErrors: ["/ nesting-too-deep"],
        schemaErrorCount: 1,
      };
    }
    throw e;
  }
  if (!valid) {
    const errors = validateResource.errors ?? [];
    const described = [...new Set(errors.map(describeSchemaError))];
    return {
      valid: false,
      reasonCode: REASON_CODES.schemaInvalid,
      resourceType,
      schemaErrors: described.slice(0, MAX_REPORTED_SCHEMA_ERRORS),
      schemaErrorCount: errors.length,
    };
  }
  for (const embedded of embeddedResourceTypes(doc as Record<string, unknown>)) {
    if (!acceptedResourceTypes.includes(embedded)) {
      return { valid: false, reasonCode: REASON_CODES.unsupportedResourceType, resourceType };
    }
  }
  return { valid: true, resourceType };
}
