import type { JsonSchema, Mapped } from '../../spec/index.js';
import { isRecord } from '../../util/safe-json.js';
import type { GeminiSchema } from './gemini-wire.js';

/**
 * JSON Schema → the OpenAPI-3.0 `Schema` subset of Gemini function declarations (seed-spec §7.9, fixed):
 * `const` → `enum`; `type: [x, 'null']` and `anyOf` with a null member → `nullable`; `oneOf` → `anyOf`;
 * `allOf` merged; leftover `$ref`s resolved against the root `$defs`/`definitions` (cycles cut);
 * keywords Gemini rejects (`additionalProperties`, `$schema`, `default`, `title`, `exclusiveMinimum`, …)
 * dropped; `format` kept only where Gemini uses it; descriptions kept. Never mutates its input.
 */
export function toGeminiSchema(schema: JsonSchema): Mapped<GeminiSchema | undefined> {
  const cached = cache.get(schema);
  if (cached != null) return cached;
  const state: ConvertState = { root: schema, resolving: new Set(), warnings: [] };
  const converted = convertNode(schema, state, '$');
  const value = converted != null && isEmptyRootObject(converted) ? undefined : converted;
  const result: Mapped<GeminiSchema | undefined> = { value, warnings: state.warnings };
  cache.set(schema, result);
  return result;
}

// Tool schemas are reused across tool-loop rounds; convert each schema object once.
const cache = new WeakMap<JsonSchema, Mapped<GeminiSchema | undefined>>();

interface ConvertState {
  root: JsonSchema;
  resolving: Set<string>;
  warnings: string[];
}

const TYPE_NAMES: Record<string, NonNullable<GeminiSchema['type']>> = {
  string: 'STRING',
  number: 'NUMBER',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  array: 'ARRAY',
  object: 'OBJECT',
  null: 'NULL',
};

/** `format` values Gemini acts on, per type. */
const STRING_FORMATS = new Set(['enum', 'date-time']);
const NUMBER_FORMATS = new Set(['int32', 'int64', 'float', 'double']);
const INT64_KEYWORDS = [
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'minProperties',
  'maxProperties',
] as const;

function isEmptyRootObject(schema: GeminiSchema): boolean {
  return (
    schema.type === 'OBJECT' &&
    (schema.properties == null || Object.keys(schema.properties).length === 0) &&
    schema.anyOf == null
  );
}

function typeName(value: unknown): GeminiSchema['type'] | undefined {
  return typeof value === 'string' ? TYPE_NAMES[value.toLowerCase()] : undefined;
}

function isNullSchema(value: unknown): boolean {
  return isRecord(value) && value.type === 'null' && Object.keys(value).length <= 2;
}

function resolveRef(ref: string, state: ConvertState): unknown {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (match == null) return undefined;
  const defs = state.root[match[1] as string];
  const name = decodeURIComponent((match[2] as string).replace(/~1/g, '/').replace(/~0/g, '~'));
  return isRecord(defs) ? defs[name] : undefined;
}

function convertNode(node: unknown, state: ConvertState, path: string): GeminiSchema | undefined {
  if (node === true || (isRecord(node) && Object.keys(node).length === 0)) return { type: 'OBJECT' };
  if (!isRecord(node)) return undefined;

  if (typeof node.$ref === 'string') {
    const ref = node.$ref;
    if (state.resolving.has(ref)) {
      state.warnings.push(`Gemini tool schema: recursive $ref ${ref} at ${path} sent as a plain OBJECT`);
      return withDescription({ type: 'OBJECT' }, node);
    }
    const target = resolveRef(ref, state);
    if (target == null) {
      state.warnings.push(`Gemini tool schema: unresolvable $ref ${ref} at ${path} sent as a plain OBJECT`);
      return withDescription({ type: 'OBJECT' }, node);
    }
    state.resolving.add(ref);
    const resolved = convertNode(target, state, path);
    state.resolving.delete(ref);
    return resolved == null ? undefined : withDescription(resolved, node);
  }

  const out: GeminiSchema = {};
  if (typeof node.description === 'string') out.description = node.description;

  // type: a string, or an array possibly containing 'null'
  const rawType = node.type;
  if (Array.isArray(rawType)) {
    const names = rawType.filter((t) => t !== 'null').map(typeName);
    if (rawType.includes('null')) out.nullable = true;
    if (names.length === 1) out.type = names[0];
    else if (names.length > 1) out.anyOf = names.map((type) => ({ type }));
    else out.type = 'NULL';
  } else {
    const type = typeName(rawType);
    if (type != null) out.type = type;
  }

  if (node.allOf != null && Array.isArray(node.allOf)) mergeAllOf(out, node.allOf, state, path);

  const union = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
  if (union != null) {
    const members = union.filter((member) => !isNullSchema(member));
    if (members.length < union.length) out.nullable = true;
    const converted = members
      .map((member, i) => convertNode(member, state, `${path}.anyOf[${i}]`))
      .filter((member): member is GeminiSchema => member != null);
    if (converted.length === 1) {
      const only = converted[0] as GeminiSchema;
      for (const [key, value] of Object.entries(only)) {
        if ((out as Record<string, unknown>)[key] == null) (out as Record<string, unknown>)[key] = value;
      }
    } else if (converted.length > 1) {
      out.anyOf = converted;
    }
  }

  addEnum(out, node);
  addFormat(out, node);

  if (isRecord(node.properties)) {
    const properties: Record<string, GeminiSchema> = {};
    for (const [key, value] of Object.entries(node.properties)) {
      const converted = convertNode(value, state, `${path}.${key}`);
      if (converted != null) properties[key] = converted;
    }
    out.properties = properties;
    out.type ??= 'OBJECT';
    if (Array.isArray(node.required)) {
      const required = node.required.filter(
        (name): name is string => typeof name === 'string' && name in properties,
      );
      if (required.length > 0) out.required = required;
    }
  }

  if (node.items != null) {
    const items = Array.isArray(node.items) ? node.items[0] : node.items;
    if (Array.isArray(node.items)) {
      state.warnings.push(`Gemini tool schema: tuple items at ${path} sent as the first item's schema`);
    }
    const converted = convertNode(items, state, `${path}[]`);
    if (converted != null) out.items = converted;
    out.type ??= 'ARRAY';
  }

  if (typeof node.minimum === 'number') out.minimum = node.minimum;
  if (typeof node.maximum === 'number') out.maximum = node.maximum;
  for (const keyword of INT64_KEYWORDS) {
    const value = node[keyword];
    if (typeof value === 'number' && Number.isInteger(value)) out[keyword] = String(value);
  }
  if (typeof node.pattern === 'string') out.pattern = node.pattern;

  // A node that still has no type (e.g. `{ description }` only) accepts anything: Gemini needs one.
  if (out.type == null && out.anyOf == null) out.type = out.enum != null ? 'STRING' : 'OBJECT';
  return out;
}

function withDescription(schema: GeminiSchema, node: Record<string, unknown>): GeminiSchema {
  return typeof node.description === 'string' ? { ...schema, description: node.description } : schema;
}

function mergeAllOf(out: GeminiSchema, allOf: unknown[], state: ConvertState, path: string): void {
  for (const [i, member] of allOf.entries()) {
    const converted = convertNode(member, state, `${path}.allOf[${i}]`);
    if (converted == null) continue;
    if (converted.properties != null) out.properties = { ...out.properties, ...converted.properties };
    if (converted.required != null) out.required = [...(out.required ?? []), ...converted.required];
    for (const [key, value] of Object.entries(converted)) {
      if (key === 'properties' || key === 'required') continue;
      if ((out as Record<string, unknown>)[key] == null) (out as Record<string, unknown>)[key] = value;
    }
  }
}

function addEnum(out: GeminiSchema, node: Record<string, unknown>): void {
  const values = Array.isArray(node.enum) ? node.enum : 'const' in node ? [node.const] : undefined;
  if (values == null) return;
  if (values.every((value) => typeof value === 'string')) {
    out.enum = values as string[];
    out.type ??= 'STRING';
    return;
  }
  // Gemini enums are strings only; keep the constraint visible to the model instead.
  const listed = values.map((value) => JSON.stringify(value)).join(', ');
  out.description = `${out.description != null ? `${out.description} ` : ''}(one of: ${listed})`;
}

function addFormat(out: GeminiSchema, node: Record<string, unknown>): void {
  if (typeof node.format !== 'string') return;
  const format = node.format;
  const type = out.type;
  if ((type === 'STRING' || type == null) && STRING_FORMATS.has(format)) out.format = format;
  else if ((type === 'NUMBER' || type === 'INTEGER') && NUMBER_FORMATS.has(format)) out.format = format;
}
