import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import { LLMError } from '../errors/llm-error.js';
import type { JsonSchema } from '../spec/index.js';
import { findRefs } from './test-support/find-refs.js';
import { toJsonSchema } from './to-json-schema.js';

function errorOf(fn: () => unknown): LLMError {
  try {
    fn();
  } catch (error) {
    if (LLMError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an LLMError');
}

const Address = z
  .object({ street: z.string().describe('Street and number'), zip: z.string().optional() })
  .meta({ id: 'Address', description: 'A postal address' });

const Order = z.object({
  customer: z.object({
    name: z.string().describe('Full name'),
    home: Address,
    work: Address.describe('Office address').optional(),
  }),
  lines: z
    .array(
      z.object({
        sku: z.string().describe('Stock keeping unit'),
        kind: z.enum(['physical', 'digital']),
        quantity: z.number().int().min(1).default(1),
        shipTo: Address.optional(),
      }),
    )
    .describe('Order lines'),
  note: z.string().optional(),
});

describe('toJsonSchema (zod)', () => {
  it('the nested schema really makes zod emit $defs and $ref (precondition)', () => {
    const raw = z.toJSONSchema(Order, { io: 'input' });
    expect(raw.$defs).toHaveProperty('Address');
    expect(findRefs(raw).some((path) => path.endsWith('$ref'))).toBe(true);
  });

  it('produces a self-contained schema: no $ref, no $defs, no $schema, descriptions kept', () => {
    const out = toJsonSchema(Order);
    expect(findRefs(out)).toEqual([]);
    expect(out.$schema).toBeUndefined();
    const address = {
      type: 'object',
      description: 'A postal address',
      properties: { street: { type: 'string', description: 'Street and number' }, zip: { type: 'string' } },
      required: ['street'],
    };
    expect(out).toEqual({
      type: 'object',
      properties: {
        customer: {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'Full name' },
            home: address,
            work: { ...address, description: 'Office address' },
          },
          required: ['name', 'home'],
        },
        lines: {
          type: 'array',
          description: 'Order lines',
          items: {
            type: 'object',
            properties: {
              sku: { type: 'string', description: 'Stock keeping unit' },
              kind: { type: 'string', enum: ['physical', 'digital'] },
              quantity: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, default: 1 },
              shipTo: address,
            },
            // input side: a field with a default may be omitted by the model
            required: ['sku', 'kind'],
          },
        },
        note: { type: 'string' },
      },
      required: ['customer', 'lines'],
    });
  });

  it('describes the input side of transforms and pipes', () => {
    const schema = z.object({ count: z.string().transform((s) => s.length), at: z.coerce.date() });
    expect(toJsonSchema(schema)).toEqual({
      type: 'object',
      properties: { count: { type: 'string' }, at: { type: 'string', format: 'date-time' } },
      required: ['count', 'at'],
    });
  });

  it('rejects types JSON cannot carry', () => {
    const error = errorOf(() => toJsonSchema(z.object({ at: z.date() })));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toContain('Date cannot be represented');
    expect(errorOf(() => toJsonSchema(z.object({ n: z.bigint() }))).code).toBe('INVALID_PARAMETER');
  });

  it('reports a recursive zod schema by definition name, or keeps it on request', () => {
    const Node = z
      .object({
        value: z.number(),
        get children() {
          return z.array(Node).optional();
        },
      })
      .meta({ id: 'TreeNode' });
    const Tree = z.object({ root: Node });
    const error = errorOf(() => toJsonSchema(Tree));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toContain("'TreeNode'");
    const kept = toJsonSchema(Tree, { cycles: 'keep' });
    expect(kept.properties).toEqual({
      root: {
        type: 'object',
        properties: {
          value: { type: 'number' },
          children: { type: 'array', items: { $ref: '#/$defs/TreeNode' } },
        },
        required: ['value'],
      },
    });
    expect(kept.$defs).toHaveProperty('TreeNode');
  });

  it('handles an anonymous self-recursive schema (zod emits $ref "#")', () => {
    const Category = z.object({
      name: z.string(),
      get sub() {
        return z.array(Category);
      },
    });
    expect(errorOf(() => toJsonSchema(Category)).message).toContain('the root schema');
    expect(toJsonSchema(Category, { cycles: 'keep' }).properties).toMatchObject({
      sub: { type: 'array', items: { $ref: '#' } },
    });
  });

  it('caches conversions but hands out independent copies', () => {
    const schema = z.object({ tags: z.array(z.string()) });
    const first = toJsonSchema(schema);
    (first.properties as Record<string, unknown>).injected = { type: 'null' };
    (first.required as string[]).push('injected');
    const second = toJsonSchema(schema);
    expect(second).toEqual({
      type: 'object',
      properties: { tags: { type: 'array', items: { type: 'string' } } },
      required: ['tags'],
    });
  });

  it('accepts zod/mini schemas', () => {
    expect(toJsonSchema(zm.object({ a: zm.optional(zm.string()) }))).toEqual({
      type: 'object',
      properties: { a: { type: 'string' } },
    });
  });
});

describe('toJsonSchema (JSON Schema)', () => {
  it('inlines definitions and returns a deep copy', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        pet: { $ref: '#/definitions/Pet' },
        pets: { type: 'array', items: { $ref: '#/definitions/Pet' } },
      },
      required: ['pet'],
      definitions: {
        Pet: { type: 'object', properties: { name: { type: 'string' } }, description: 'A pet' },
      },
    };
    const before = structuredClone(schema);
    const out = toJsonSchema(schema);
    expect(findRefs(out)).toEqual([]);
    expect(out.properties).toEqual({
      pet: { type: 'object', properties: { name: { type: 'string' } }, description: 'A pet' },
      pets: {
        type: 'array',
        items: { type: 'object', properties: { name: { type: 'string' } }, description: 'A pet' },
      },
    });
    (out.required as string[]).push('pets');
    expect(schema).toEqual(before);
  });

  it('rejects zod v3 schemas and non-schemas with INVALID_PARAMETER', () => {
    const v3Like = { _def: { typeName: 'ZodString' }, safeParse: () => ({ success: true }) };
    const v3 = errorOf(() => toJsonSchema(v3Like as unknown as JsonSchema));
    expect(v3.code).toBe('INVALID_PARAMETER');
    expect(v3.message).toContain('zod v3');
    expect(errorOf(() => toJsonSchema('string' as unknown as JsonSchema)).code).toBe('INVALID_PARAMETER');
    expect(errorOf(() => toJsonSchema(null as unknown as JsonSchema)).code).toBe('INVALID_PARAMETER');
  });
});
