import { escapePathSegment } from '../../schema/optional-paths.js';
import type { JsonSchema } from '../../spec/index.js';
import { isRecord } from '../../util/safe-json.js';

/**
 * A JSON Schema prepared for OpenAI strict mode (structured outputs and `strict` tools).
 * - `strict: true`: `schema` follows the strict rules; optional properties became required and
 *   nullable, and `optionalPaths` lists them so `restoreOptionalFields` (`schema/optional-paths.ts`) can turn `null` back into absent.
 * - `strict: false`: the schema cannot be expressed strictly (`reason` says why); `schema` is the input,
 *   unchanged, to be sent without `strict`.
 */
export interface OpenAIStrictSchema {
  schema: JsonSchema;
  strict: boolean;
  /**
   * Value paths of the properties that were optional: JSON Pointers (`/address/street`), `*` standing
   * for every array item (`/items/*\/note`); `~0` `~1` `~2` escape `~` `/` `*` in property names.
   */
  optionalPaths: string[];
  reason?: string;
}

// https://platform.openai.com/docs/guides/structured-outputs#supported-schemas
const MAX_OBJECT_DEPTH = 10;
const UNSUPPORTED = [
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'dependentRequired',
  'dependentSchemas',
  'dependencies',
  'patternProperties',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
  'prefixItems',
  'additionalItems',
  'contains',
  '$ref',
  '$dynamicRef',
];
// Keywords strict mode rejects whose removal only loosens the schema (answers are validated afterwards).
const DROPPED = new Set([
  'default',
  'minLength',
  'maxLength',
  'minProperties',
  'maxProperties',
  'uniqueItems',
  'minContains',
  'maxContains',
  'examples',
  'example',
  '$schema',
  '$id',
  '$comment',
  'readOnly',
  'writeOnly',
  'deprecated',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
  'nullable',
]);
const FORMATS = new Set([
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uuid',
]);

class NotStrict {
  constructor(readonly reason: string) {}
}

const cache = new WeakMap<object, OpenAIStrictSchema>();

/** Converts a (`$ref`-free) JSON Schema for OpenAI strict mode; results are cached per schema object. */
export function toOpenAIStrictSchema(schema: JsonSchema): OpenAIStrictSchema {
  const cached = cache.get(schema);
  if (cached != null) return cached;
  let result: OpenAIStrictSchema;
  try {
    if (!isObjectSchema(schema) || schema.anyOf != null || schema.oneOf != null) {
      throw new NotStrict('the root of a strict schema must be an object');
    }
    const optionalPaths: string[] = [];
    const converted = convert(schema, '', 0, optionalPaths);
    result = { schema: converted, strict: true, optionalPaths };
  } catch (error) {
    if (!(error instanceof NotStrict)) throw error;
    result = { schema, strict: false, optionalPaths: [], reason: error.reason };
  }
  cache.set(schema, result);
  return result;
}

function isObjectSchema(node: JsonSchema): boolean {
  const type = node.type;
  return type === 'object' || (Array.isArray(type) && type.includes('object')) || isRecord(node.properties);
}

function convert(node: unknown, path: string, depth: number, optionalPaths: string[]): JsonSchema {
  const where = path === '' ? 'the root' : path;
  if (!isRecord(node)) throw new NotStrict(`${where} is not a schema object`);
  for (const keyword of UNSUPPORTED) {
    if (node[keyword] !== undefined) throw new NotStrict(`\`${keyword}\` at ${where}`);
  }
  const out: JsonSchema = {};
  for (const key in node) {
    if (DROPPED.has(key)) continue;
    const value = node[key];
    if (key === 'format' && !(typeof value === 'string' && FORMATS.has(value))) continue;
    if (key === 'const') out.enum = [value];
    else if (key === 'oneOf') out.anyOf = value;
    else out[key] = value;
  }
  const branches = out.anyOf;
  if (branches !== undefined) {
    if (!Array.isArray(branches)) throw new NotStrict(`malformed anyOf at ${where}`);
    out.anyOf = branches.map((branch) => convert(branch, path, depth, optionalPaths));
  }
  if (isObjectSchema(node)) convertObject(node, out, path, depth + 1, optionalPaths);
  const type = node.type;
  if (type === 'array' || (Array.isArray(type) && type.includes('array'))) {
    if (!isRecord(node.items)) throw new NotStrict(`array without an items schema at ${where}`);
    out.items = convert(node.items, `${path}/*`, depth, optionalPaths);
  }
  if (out.type == null && branches === undefined && out.enum === undefined) {
    throw new NotStrict(`untyped schema at ${where}`);
  }
  return out;
}

function convertObject(
  node: Record<string, unknown>,
  out: JsonSchema,
  path: string,
  depth: number,
  optionalPaths: string[],
): void {
  const where = path === '' ? 'the root' : path;
  const properties = node.properties;
  // A record/map (`additionalProperties` schema or no fixed properties) has no strict form.
  const additional = node.additionalProperties;
  if (isRecord(additional)) throw new NotStrict(`record (additionalProperties schema) at ${where}`);
  if (additional !== undefined && additional !== false)
    throw new NotStrict(`open object (additionalProperties) at ${where}`);
  if (!isRecord(properties)) throw new NotStrict(`object without fixed properties at ${where}`);
  if (depth > MAX_OBJECT_DEPTH) throw new NotStrict(`more than ${MAX_OBJECT_DEPTH} levels of nesting`);
  const required = new Set(Array.isArray(node.required) ? node.required : []);
  const convertedProperties: Record<string, JsonSchema> = {};
  const names = Object.keys(properties);
  for (const name of names) {
    const childPath = `${path}/${escapePathSegment(name)}`;
    const optional = !required.has(name);
    if (optional) optionalPaths.push(childPath);
    const child = convert(properties[name], childPath, depth, optionalPaths);
    convertedProperties[name] = optional ? makeNullable(child) : child;
  }
  out.type = node.type ?? 'object';
  out.properties = convertedProperties;
  out.required = names;
  out.additionalProperties = false;
}

function makeNullable(node: JsonSchema): JsonSchema {
  const type = node.type;
  const enumValues = Array.isArray(node.enum) && !node.enum.includes(null) ? [...node.enum, null] : node.enum;
  if (typeof type === 'string') {
    return type === 'null'
      ? node
      : { ...node, type: [type, 'null'], ...(enumValues ? { enum: enumValues } : {}) };
  }
  if (Array.isArray(type)) {
    if (type.includes('null')) return node;
    return { ...node, type: [...type, 'null'], ...(enumValues ? { enum: enumValues } : {}) };
  }
  if (Array.isArray(node.anyOf)) {
    const hasNull = node.anyOf.some((branch) => isRecord(branch) && branch.type === 'null');
    return hasNull ? node : { ...node, anyOf: [...node.anyOf, { type: 'null' }] };
  }
  if (enumValues !== undefined) return { ...node, enum: enumValues };
  return { anyOf: [node, { type: 'null' }] };
}
