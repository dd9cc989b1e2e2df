import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { LLMError } from '../errors/llm-error.js';
import { findRefs } from '../schema/test-support/find-refs.js';
import type { FunctionToolSpec, RunContext, ToolSpec } from '../spec/index.js';
import { functionTool } from './function-tool.js';
import { isExecutable, normalizeTool } from './normalize-tool.js';

function errorOf(fn: () => unknown): LLMError {
  try {
    fn();
  } catch (error) {
    if (LLMError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an LLMError');
}

// A shared, registered sub-schema makes zod emit $defs/$ref; the tool schema must not keep any.
const Item = z
  .object({
    sku: z.string().describe('Stock keeping unit'),
    qty: z.number().int().min(1).describe('How many'),
  })
  .meta({ id: 'OrderItem' });
const Order = z.object({
  customer: z.object({
    name: z.string().describe('Full name'),
    tier: z.enum(['free', 'pro']).optional().describe('Plan'),
  }),
  items: z.array(Item).describe('What to ship'),
  gift: Item.optional(),
  priority: z.coerce.number().default(1),
});

const placeOrder = functionTool({
  name: 'place_order',
  description: 'Places an order',
  parameters: Order,
  execute: async (args) => ({ items: args.items.length, tier: args.customer.tier ?? 'free' }),
  timeoutMs: 5000,
});

describe('functionTool', () => {
  it('exposes the clean JSON Schema: nested objects inlined, descriptions kept, no $ref/$defs/$schema', () => {
    expect(findRefs(placeOrder.parameters)).toEqual([]);
    expect(JSON.stringify(placeOrder.parameters)).not.toContain('$');
    expect(placeOrder.parameters).toMatchObject({
      type: 'object',
      required: ['customer', 'items'],
      properties: {
        customer: {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'Full name' },
            tier: { type: 'string', enum: ['free', 'pro'], description: 'Plan' },
          },
          required: ['name'],
        },
        items: {
          type: 'array',
          description: 'What to ship',
          items: {
            type: 'object',
            properties: {
              sku: { type: 'string', description: 'Stock keeping unit' },
              qty: { type: 'integer', minimum: 1, description: 'How many' },
            },
            required: ['sku', 'qty'],
          },
        },
        gift: { type: 'object', properties: { sku: { type: 'string' } } },
        priority: { type: 'number' },
      },
    });
    expect(placeOrder).toMatchObject({
      kind: 'function',
      name: 'place_order',
      description: 'Places an order',
      timeoutMs: 5000,
    });
  });

  it('validates real arguments with the schema (coercions and defaults applied)', () => {
    const check = placeOrder.validate!({
      customer: { name: 'Ada' },
      items: [{ sku: 'A1', qty: 2 }],
      priority: '3',
      extra: 'dropped',
    });
    expect(check).toEqual({
      ok: true,
      value: { customer: { name: 'Ada' }, items: [{ sku: 'A1', qty: 2 }], priority: 3 },
    });
  });

  it('rejects bad arguments with issues by path', () => {
    const check = placeOrder.validate!({
      customer: { name: 'Ada', tier: 'gold' },
      items: [
        { sku: 'A1', qty: 1 },
        { sku: 'B2', qty: 'two' },
      ],
    });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.issues.map((issue) => issue.path)).toEqual(['customer.tier', 'items[1].qty']);
    expect(check.issues[1]?.message).toMatch(/expected number/);
    const root = placeOrder.validate!('not an object');
    expect(root).toMatchObject({ ok: false, issues: [{ path: '' }] });
  });

  it('types execute with z.infer of the parameters and the RunContext', () => {
    const tool = functionTool({
      name: 'get_weather',
      parameters: z.object({ city: z.string(), days: z.number().optional() }),
      execute: (args, context) => {
        expectTypeOf(args).toEqualTypeOf<{ city: string; days?: number | undefined }>();
        expectTypeOf(context).toEqualTypeOf<RunContext>();
        return { tempC: 21 };
      },
    });
    expectTypeOf(tool).toMatchTypeOf<
      FunctionToolSpec<{ city: string; days?: number | undefined }, { tempC: number }>
    >();
    // A typed tool is accepted where tools are.
    const list: ToolSpec[] = [tool];
    expect(list).toHaveLength(1);
    // @ts-expect-error parameters must be a zod object schema
    expect(() => functionTool({ name: 'x', parameters: z.string() })).toThrow(LLMError);
  });

  it('rejects a bad name, naming the tool and the field', () => {
    for (const name of ['get weather', '', 'a'.repeat(65), 'tool.name']) {
      const error = errorOf(() => functionTool({ name, parameters: z.object({}) }));
      expect(error.code).toBe('INVALID_PARAMETER');
      expect(error.message).toContain(`tool '${name}'`);
      expect(error.message).toContain('name must be 1 to 64 letters');
      expect(error.details).toMatchObject({ tool: name, field: 'name' });
    }
    expect(functionTool({ name: 'a'.repeat(64), parameters: z.object({}) }).name).toHaveLength(64);
  });

  it('rejects parameters that are not an object schema', () => {
    const error = errorOf(() => functionTool({ name: 'echo', parameters: z.string() as never }));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toBe(
      "Invalid tool 'echo': parameters must be an object schema such as z.object({ … }) or { type: 'object', properties: { … } } (got type \"string\")",
    );
    expect(error.details).toMatchObject({ tool: 'echo', field: 'parameters' });
    const json = errorOf(() => functionTool({ name: 'echo', parameters: { type: 'object' } as never }));
    expect(json.message).toContain("tool 'echo': parameters must be a zod object schema");
    const unrepresentable = errorOf(() =>
      functionTool({ name: 'when', parameters: z.object({ at: z.date() }) }),
    );
    expect(unrepresentable.message).toContain(
      "Invalid tool 'when': parameters cannot be converted to JSON Schema",
    );
  });

  it('rejects a bad timeoutMs', () => {
    const error = errorOf(() => functionTool({ name: 't', parameters: z.object({}), timeoutMs: 0 }));
    expect(error.message).toContain("tool 't': timeoutMs must be a positive number of ms");
  });
});

describe('cacheControl on tools', () => {
  it('is kept by functionTool and plain tools, and checked', () => {
    const zodTool = functionTool({
      name: 'a',
      parameters: z.object({}),
      cacheControl: { type: 'ephemeral', ttl: '1h' },
    });
    expect(zodTool.cacheControl).toEqual({ type: 'ephemeral', ttl: '1h' });
    const plain = normalizeTool({
      name: 'b',
      parameters: { type: 'object' },
      cacheControl: { type: 'ephemeral' },
    });
    expect(plain).toMatchObject({ cacheControl: { type: 'ephemeral' } });
    expect(() => normalizeTool({ name: 'c', cacheControl: { type: 'forever' } })).toThrow(
      /c.*cacheControl.*ephemeral/,
    );
    expect(() => normalizeTool({ name: 'd', cacheControl: { type: 'ephemeral', ttl: '2h' } })).toThrow(
      LLMError,
    );
  });
});

describe('normalizeTool', () => {
  it('accepts a plain tool with a JSON Schema, inlining its refs and dropping $schema', () => {
    const spec = normalizeTool({
      name: 'lookup',
      description: 'Looks up',
      parameters: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        properties: { who: { $ref: '#/$defs/Person' } },
        $defs: { Person: { type: 'object', properties: { name: { type: 'string' } } } },
      },
    });
    expect(spec).toEqual({
      kind: 'function',
      name: 'lookup',
      description: 'Looks up',
      parameters: {
        type: 'object',
        properties: { who: { type: 'object', properties: { name: { type: 'string' } } } },
      },
    });
    expect(isExecutable(spec)).toBe(false);
  });

  it('gives a tool without parameters an empty object schema', () => {
    expect(normalizeTool({ name: 'ping' })).toMatchObject({ parameters: { type: 'object', properties: {} } });
  });

  it('converts a plain tool whose parameters are zod, adding validation', () => {
    const spec = normalizeTool({
      name: 'add',
      parameters: z.object({ a: z.number(), b: z.number() }),
      execute: ({ a, b }: { a: number; b: number }) => a + b,
    }) as FunctionToolSpec;
    expect(spec.parameters).toEqual({
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' } },
      required: ['a', 'b'],
    });
    expect(spec.validate!({ a: 1, b: 'x' })).toMatchObject({ ok: false, issues: [{ path: 'b' }] });
    expect(isExecutable(spec)).toBe(true);
  });

  it('returns functionTool results unchanged and checks provider tools', () => {
    expect(normalizeTool(placeOrder)).toBe(placeOrder);
    expect(normalizeTool({ kind: 'provider', provider: 'gemini', type: 'google_search' })).toEqual({
      kind: 'provider',
      provider: 'gemini',
      type: 'google_search',
    });
    expect(normalizeTool({ kind: 'provider', provider: 'gemini', type: 'url_context' })).toEqual({
      kind: 'provider',
      provider: 'gemini',
      type: 'url_context',
    });
    expect(
      errorOf(() => normalizeTool({ kind: 'provider', provider: 'gemini', type: 'maps' })).message,
    ).toContain('type: must be one of code_execution, google_search, url_context');
  });

  it('rejects malformed definitions by name and field', () => {
    expect(errorOf(() => normalizeTool({ name: 'x', parameters: { type: 'array' } })).message).toContain(
      "tool 'x': parameters must be an object schema",
    );
    expect(errorOf(() => normalizeTool({ name: 'x', execute: 'run' } as never)).message).toBe(
      "Invalid tool 'x': execute must be a function (got string)",
    );
    expect(errorOf(() => normalizeTool({ description: 'no name' } as never)).message).toBe(
      'Invalid tool: name must be a string (got undefined)',
    );
    expect(errorOf(() => normalizeTool(42)).message).toContain('must be functionTool(…)');
    expect(normalizeTool({ description: 'keyed' } as never, 'from_key')).toMatchObject({ name: 'from_key' });
  });
});
