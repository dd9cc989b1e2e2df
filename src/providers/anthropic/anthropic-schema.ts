import type { JsonSchema } from '../../spec/index.js';
import { isRecord } from '../../util/safe-json.js';

/** String formats Anthropic's constrained decoding accepts. */
const SUPPORTED_FORMATS = new Set([
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'uri',
  'ipv4',
  'ipv6',
  'uuid',
]);

/** Keywords that name the dialect or document; never moved to the description. */
const DROPPED = new Set(['$schema', '$id']);

/**
 * A JSON Schema as Anthropic's constrained output (`output_config.format`, strict tools) takes it: every
 * object closed (`additionalProperties: false`), `oneOf` read as `anyOf`, and the constraints the decoder
 * does not enforce (`minLength`, `maximum`, `pattern`, unsupported `format`s, `minItems` > 1, …) moved into
 * the node's `description` as `{minLength: 3}` so the model still sees them (local validation checks them
 * afterwards). Returns a new schema; the input is not changed. Mirrors `@anthropic-ai/sdk`'s
 * `transformJSONSchema`, without throwing on untyped nodes (they pass as given).
 *
 * @example toAnthropicSchema({ type: 'object', properties: { n: { type: 'integer', minimum: 1 } } })
 * // → { type: 'object', properties: { n: { type: 'integer', description: '{minimum: 1}' } }, additionalProperties: false }
 */
export function toAnthropicSchema(schema: JsonSchema): JsonSchema {
  return transformNode(schema);
}

function transformNode(node: JsonSchema): JsonSchema {
  const rest: JsonSchema = { ...node };
  const out: JsonSchema = {};
  const take = (key: string): unknown => {
    const value = rest[key];
    delete rest[key];
    return value;
  };
  for (const key of DROPPED) delete rest[key];
  // zod's `.int()` bounds: they constrain nothing a model would produce.
  if (rest.minimum === Number.MIN_SAFE_INTEGER) delete rest.minimum;
  if (rest.maximum === Number.MAX_SAFE_INTEGER) delete rest.maximum;

  const defs = take('$defs');
  if (isRecord(defs)) out.$defs = mapValues(defs);
  const ref = take('$ref');
  if (ref !== undefined) return { ...out, $ref: ref };

  if (Array.isArray(rest.enum) && rest.enum.length > 0) out.enum = take('enum');
  if (rest.const !== undefined) out.const = take('const');
  const type = take('type');
  const anyOf = take('anyOf');
  const oneOf = take('oneOf');
  const allOf = take('allOf');
  if (Array.isArray(anyOf)) out.anyOf = anyOf.map(child);
  else if (Array.isArray(oneOf)) out.anyOf = oneOf.map(child);
  else if (Array.isArray(allOf)) out.allOf = allOf.map(child);
  if (type !== undefined && out.enum === undefined && out.const === undefined) out.type = type;
  for (const key of ['description', 'title', 'default'] as const) {
    const value = take(key);
    if (value !== undefined) out[key] = value;
  }

  const types = Array.isArray(type) ? type : [type];
  if (types.includes('object') || isRecord(rest.properties)) {
    const properties = take('properties');
    out.properties = isRecord(properties) ? mapValues(properties) : {};
    take('additionalProperties');
    out.additionalProperties = false;
    const required = take('required');
    if (required !== undefined) out.required = required;
  }
  if (types.includes('string')) {
    const format = rest.format;
    if (typeof format === 'string' && SUPPORTED_FORMATS.has(format)) out.format = take('format');
  }
  if (types.includes('array')) {
    const items = take('items');
    if (isRecord(items)) out.items = transformNode(items);
    if (rest.minItems === 0 || rest.minItems === 1) out.minItems = take('minItems');
  }

  const leftover = Object.entries(rest);
  if (leftover.length > 0) {
    const note = `{${leftover.map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(', ')}}`;
    out.description = typeof out.description === 'string' ? `${out.description}\n\n${note}` : note;
  }
  return out;
}

function child(value: unknown): unknown {
  return isRecord(value) ? transformNode(value) : value;
}

function mapValues(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) out[key] = child(value);
  return out;
}

/**
 * True when the schema has an object open to extra keys (`additionalProperties` a schema or `true`, such as a
 * zod record): Anthropic's constrained output closes every object, so such a map would always come back empty.
 */
export function hasOpenObjects(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.some(hasOpenObjects);
  if (!isRecord(schema)) return false;
  const extra = schema.additionalProperties;
  if (extra === true || isRecord(extra)) return true;
  return Object.entries(schema).some(
    ([key, value]) => key !== 'additionalProperties' && hasOpenObjects(value),
  );
}
