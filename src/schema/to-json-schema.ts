import { type $ZodType, toJSONSchema } from 'zod/v4/core';
import { LLMError } from '../errors/llm-error.js';
import type { JsonSchema } from '../spec/index.js';
import { copyPlain, isPlainObject } from './copy-plain.js';
import { type InlineRefsOptions, inlineJsonSchemaRefs } from './inline-json-schema-refs.js';
import { isZodSchema, isZodV3Schema } from './is-zod-schema.js';

/** A schema as callers give it: a zod v4 schema or a JSON Schema object. */
export type SchemaInput = $ZodType | JsonSchema;

/** Conversions of zod schemas (immutable), by `cycles` option; callers get copies. */
const cache = { throw: new WeakMap<object, JsonSchema>(), keep: new WeakMap<object, JsonSchema>() };

/**
 * The JSON Schema a model should produce for `schema` (tool arguments, structured output), self-contained:
 * no `$ref`, no `$defs` (see `inlineJsonSchemaRefs` for recursive schemas), no `$schema`.
 *
 * zod schemas are converted with `z.toJSONSchema` on their **input** side (what `schema.parse` accepts:
 * fields with defaults are optional, transforms show what they read), draft 2020-12, `.describe()`/`.meta()`
 * descriptions kept; `z.coerce.date()` becomes an ISO `date-time` string; other types JSON cannot carry
 * (`z.date()`, `bigint`, `map`, functions…) are an `INVALID_PARAMETER` error. Conversions are cached per
 * schema object. JSON Schema objects are deep-copied with their refs inlined.
 *
 * @throws LLMError `INVALID_PARAMETER` for anything else (zod v3 schemas included), naming the problem.
 * @example toJsonSchema(z.object({ city: z.string().describe('City name') }))
 *   // → { type: 'object', properties: { city: { type: 'string', description: 'City name' } }, required: ['city'] }
 */
export function toJsonSchema(
  schema: SchemaInput,
  options: Pick<InlineRefsOptions, 'cycles'> = {},
): JsonSchema {
  if (isZodSchema(schema)) {
    const byCycles = cache[options.cycles ?? 'throw'];
    let converted = byCycles.get(schema);
    if (converted === undefined) {
      converted = inlineJsonSchemaRefs(convertZod(schema), options);
      byCycles.set(schema, converted);
    }
    return copyPlain(converted);
  }
  if (isZodV3Schema(schema)) {
    throw new LLMError(
      'INVALID_PARAMETER',
      "schema: zod v3 schemas are not supported; build it with zod v4 (`import { z } from 'zod'`, zod >= 4)",
      { details: { path: 'schema' } },
    );
  }
  if (!isPlainObject(schema)) {
    throw new LLMError('INVALID_PARAMETER', 'schema: must be a zod schema or a JSON Schema object', {
      details: { path: 'schema' },
    });
  }
  return inlineJsonSchemaRefs(schema, options);
}

function convertZod(schema: $ZodType): JsonSchema {
  let converted: Record<string, unknown>;
  try {
    converted = toJSONSchema(schema, {
      target: 'draft-2020-12',
      io: 'input',
      unrepresentable: ({ zodSchema }) => {
        const def = zodSchema._zod.def as { type: string; coerce?: boolean };
        // z.coerce.date() parses an ISO string, which is what JSON can carry.
        if (def.type === 'date' && def.coerce === true) return { type: 'string', format: 'date-time' };
        return 'throw';
      },
    }) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new LLMError('INVALID_PARAMETER', `schema: cannot be converted to JSON Schema: ${reason}`, {
      details: { path: 'schema' },
      cause: error,
    });
  }
  delete converted.$schema;
  return converted;
}
