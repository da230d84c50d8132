// Types of validator.generated.js (written by generate.ts). Hand-maintained: the shape is fixed.
import type { ErrorObject } from "ajv";

/** An Ajv standalone validate function: true when valid, otherwise `errors` holds the failures. */
export interface GeneratedValidateFunction {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** Validates a resource against the FHIR R4 subset (a discriminated union of the supported types). */
export declare const validateResource: GeneratedValidateFunction;
/** Every FHIR R4 resource type name, sorted. */
export declare const FHIR_RESOURCE_TYPES: readonly string[];
/** The resource types the validator was generated for. */
export declare const SUPPORTED_RESOURCE_TYPES: readonly string[];
/** SHA-256 of the official schema file the validator was generated from. */
export declare const SOURCE_SCHEMA_SHA256: string;
