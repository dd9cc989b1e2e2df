import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Ajv validators for Gemini request bodies, from `fixtures/specs/gemini-openapi.json` (an OpenAPI 3.0
 * conversion of the v1beta discovery document). Adjustments, each mirroring what the live API does:
 * - `model` is not required in `GenerateContentRequest` / `EmbedContentRequest` bodies (the URL names it;
 *   the discovery conversion marks it required, see research/acceptance.md);
 * - objects with declared `properties` reject unknown fields (Google APIs answer 400 "Unknown name");
 * - `Tool` also accepts the proto field names `code_execution`, `google_search`, `url_context`
 *   (proto3 JSON parsers accept original field names beside lowerCamelCase);
 * - a `Schema` node needs `type` or `anyOf` (Gemini takes a typeless `anyOf` union);
 * - `format: byte` accepts standard or URL-safe base64 (proto3 JSON accepts both).
 */
export interface GeminiSpecValidators {
  generateContent: ValidateFunction;
  embedContent: ValidateFunction;
  batchEmbedContents: ValidateFunction;
}

type Json = Record<string, unknown>;

type AddFormats = (ajv: Ajv) => Ajv;
// ajv-formats is CommonJS: the default import is the plugin itself or `{ default: plugin }`.
const addFormats: AddFormats =
  typeof addFormatsModule === 'function'
    ? (addFormatsModule as unknown as AddFormats)
    : (addFormatsModule as unknown as { default: AddFormats }).default;

let cached: GeminiSpecValidators | undefined;

export function geminiSpecValidators(): GeminiSpecValidators {
  if (cached != null) return cached;
  const path = new URL('../../../../fixtures/specs/gemini-openapi.json', import.meta.url);
  const spec = JSON.parse(readFileSync(path, 'utf8')) as { components: { schemas: Record<string, Json> } };
  const schemas = spec.components.schemas;

  dropRequired(schemas.GenerateContentRequest, 'model');
  dropRequired(schemas.EmbedContentRequest, 'model');
  for (const schema of Object.values(schemas)) closeObjects(schema);
  const toolProperties = (schemas.Tool as Json).properties as Json;
  toolProperties.code_execution = { $ref: '#/components/schemas/CodeExecution' };
  toolProperties.google_search = { $ref: '#/components/schemas/GoogleSearch' };
  toolProperties.url_context = { $ref: '#/components/schemas/UrlContext' };
  const schemaSchema = schemas.Schema as Json;
  delete schemaSchema.required;
  schemaSchema.anyOf = [{ required: ['type'] }, { required: ['anyOf'] }];

  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat('byte', /^[A-Za-z0-9+/_-]*={0,2}$/);
  for (const format of collectFormats(schemas)) {
    if (!ajv.formats[format]) ajv.addFormat(format, true);
  }
  ajv.addSchema({ $id: 'gemini', components: { schemas } });
  const compile = (name: string) => ajv.compile({ $ref: `gemini#/components/schemas/${name}` });
  cached = {
    generateContent: compile('GenerateContentRequest'),
    embedContent: compile('EmbedContentRequest'),
    batchEmbedContents: compile('BatchEmbedContentsRequest'),
  };
  return cached;
}

/** Validation errors of `body` as readable lines (empty when valid). */
export function specErrors(validate: ValidateFunction, body: unknown): string[] {
  if (validate(JSON.parse(JSON.stringify(body)))) return [];
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
  );
}

function dropRequired(schema: Json | undefined, field: string): void {
  if (schema != null && Array.isArray(schema.required)) {
    schema.required = (schema.required as string[]).filter((name) => name !== field);
  }
}

function closeObjects(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) closeObjects(item);
    return;
  }
  if (node == null || typeof node !== 'object') return;
  const record = node as Json;
  if (
    record.properties != null &&
    typeof record.properties === 'object' &&
    record.additionalProperties == null
  ) {
    record.additionalProperties = false;
  }
  for (const [key, value] of Object.entries(record)) {
    // `properties` maps names to schemas: recurse into each schema, not into the map as a schema.
    if (key === 'properties' && value != null && typeof value === 'object') {
      for (const property of Object.values(value as Json)) closeObjects(property);
    } else if (typeof value === 'object') {
      closeObjects(value);
    }
  }
}

function collectFormats(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) collectFormats(item, found);
  } else if (node != null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node as Json)) {
      if (key === 'format' && typeof value === 'string') found.add(value);
      else collectFormats(value, found);
    }
  }
  return found;
}
