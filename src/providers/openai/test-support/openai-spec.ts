import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

/**
 * Request-conformance checks against the OpenAI OpenAPI document (`fixtures/specs/openai-openapi.yaml`,
 * OAS 3.1 that still uses the 3.0 keyword `nullable`, patched as `reference/acceptance.md` §4 says).
 * The YAML is read and patched once per test file (module scope); validators are compiled on first use.
 *
 * @example expect(validateOpenAIRequest('CreateChatCompletionRequest', body)).toEqual([])
 */

const SPEC_URL = new URL('../../../../fixtures/specs/openai-openapi.yaml', import.meta.url);

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

let spec: Record<string, unknown> | undefined;
let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

/** The patched spec document (read and parsed once per test file). */
export function loadOpenAISpec(): Record<string, unknown> {
  spec ??= patchNullable(parse(readFileSync(SPEC_URL, 'utf8'))) as Record<string, unknown>;
  return spec;
}

function getAjv(): Ajv2020 {
  if (ajv !== undefined) return ajv;
  const document = loadOpenAISpec();
  const instance = new Ajv2020({
    strict: false,
    allErrors: true,
    validateSchema: false,
    allowUnionTypes: true,
  });
  addFormats(instance);
  instance.addSchema(document, 'openai');
  ajv = instance;
  return instance;
}

/** Validator of `components.schemas.<name>` (e.g. `CreateChatCompletionRequest`, `CreateEmbeddingRequest`). */
export function openAISchemaValidator(name: string): ValidateFunction {
  let validate = validators.get(name);
  if (validate === undefined) {
    validate = getAjv().compile({ $ref: `openai#/components/schemas/${name}` });
    validators.set(name, validate);
  }
  return validate;
}

/** Validation errors of `value` against a spec schema, as `instancePath message` strings ([] when valid). */
export function validateOpenAIRequest(name: string, value: unknown): string[] {
  const validate = openAISchemaValidator(name);
  if (validate(value)) return [];
  return (validate.errors ?? []).map(formatError);
}

function formatError(error: ErrorObject): string {
  return `${error.instancePath || '/'} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`;
}

/**
 * OAS 3.0 `nullable` → JSON Schema: with a `type`, `null` joins the type (and any `enum`); without one,
 * the node becomes `anyOf: [node, { type: 'null' }]` when it is a `$ref`/composition, else `nullable` goes.
 */
function patchNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(patchNullable);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = patchNullable(value);
  if (!('nullable' in out)) return out;
  const nullable = out.nullable === true;
  delete out.nullable;
  if (!nullable) return out;
  if (out.type !== undefined) {
    const types = Array.isArray(out.type) ? out.type : [out.type];
    if (!types.includes('null')) out.type = [...types, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  if ('$ref' in out || 'anyOf' in out || 'oneOf' in out || 'allOf' in out)
    return { anyOf: [out, { type: 'null' }] };
  return out;
}
