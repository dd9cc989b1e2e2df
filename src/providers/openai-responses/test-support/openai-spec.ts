import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * Request validation against the recorded OpenAI OpenAPI document (tests only).
 *
 * The document is OAS 3.1 but still uses OAS 3.0 `nullable` (acceptance.md §4): `nullable` beside a
 * `type` becomes `type: [T, 'null']` (and `null` joins any `enum`); `nullable` without a `type` is
 * removed, and when it was `true` the node becomes `anyOf: [node, { type: 'null' }]`.
 * `oneOf` with an OpenAPI `discriminator` becomes `anyOf`: the members overlap (an input message
 * matches both `EasyInputMessage` and `Item`), the tag decides in OpenAPI, and Ajv cannot apply
 * discriminators whose members are themselves unions.
 */
export interface OpenAISpecValidator {
  /** Validation errors of `value` against `components.schemas[name]` (empty when valid). */
  errors(name: string, value: unknown): string[];
}

const SPEC_URL = new URL('../../../../fixtures/specs/openai-openapi.yaml', import.meta.url);
let cached: OpenAISpecValidator | undefined;

type Node = Record<string, unknown>;

function patch(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(patch);
  if (typeof node !== 'object' || node === null) return node;
  const out: Node = {};
  for (const [key, value] of Object.entries(node)) out[key] = patch(value);
  if ('oneOf' in out && 'discriminator' in out) {
    out.anyOf = out.oneOf;
    delete out.oneOf;
  }
  if (!('nullable' in out)) return out;
  const nullable = out.nullable === true;
  delete out.nullable;
  if (!nullable) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  if ('$ref' in out || 'anyOf' in out || 'oneOf' in out || 'allOf' in out) {
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

export function loadOpenAISpec(): OpenAISpecValidator {
  if (cached) return cached;
  const doc = patch(parse(readFileSync(SPEC_URL, 'utf8'), { maxAliasCount: -1 })) as Node;
  const ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true });
  addFormats.default(ajv);
  for (const format of ['binary', 'unixtime', 'byte', 'int32', 'int64', 'float', 'double']) {
    ajv.addFormat(format, true);
  }
  ajv.addSchema({ $id: 'openai', components: doc.components }, 'openai');
  cached = {
    errors(name, value) {
      const validate = ajv.getSchema(`openai#/components/schemas/${name}`);
      if (!validate) throw new Error(`no schema ${name}`);
      if (validate(value)) return [];
      return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    },
  };
  return cached;
}
