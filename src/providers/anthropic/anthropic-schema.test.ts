import { describe, expect, it } from 'vitest';
import { toAnthropicSchema } from './anthropic-schema.js';

describe('toAnthropicSchema', () => {
  it('closes every object, keeps required, descriptions and supported formats', () => {
    expect(
      toAnthropicSchema({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        description: 'a person',
        properties: {
          name: { type: 'string', format: 'email' },
          address: { type: 'object', properties: { city: { type: 'string' } }, additionalProperties: true },
        },
        required: ['name'],
      }),
    ).toEqual({
      type: 'object',
      description: 'a person',
      properties: {
        name: { type: 'string', format: 'email' },
        address: { type: 'object', properties: { city: { type: 'string' } }, additionalProperties: false },
      },
      additionalProperties: false,
      required: ['name'],
    });
  });

  it('moves constraints the decoder does not enforce into the description', () => {
    expect(toAnthropicSchema({ type: 'string', minLength: 2, pattern: '^a', format: 'color' })).toEqual({
      type: 'string',
      description: '{minLength: 2, pattern: "^a", format: "color"}',
    });
    expect(toAnthropicSchema({ type: 'integer', description: 'age', minimum: 0 })).toEqual({
      type: 'integer',
      description: 'age\n\n{minimum: 0}',
    });
    expect(
      toAnthropicSchema({
        type: 'integer',
        minimum: Number.MIN_SAFE_INTEGER,
        maximum: Number.MAX_SAFE_INTEGER,
      }),
    ).toEqual({
      type: 'integer',
    });
  });

  it('arrays keep items and minItems 0/1; oneOf → anyOf; enums and $refs pass', () => {
    expect(
      toAnthropicSchema({
        type: 'array',
        items: { oneOf: [{ type: 'string' }, { type: 'null' }] },
        minItems: 3,
      }),
    ).toEqual({
      type: 'array',
      items: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      description: '{minItems: 3}',
    });
    expect(
      toAnthropicSchema({ type: 'array', items: { enum: ['a', 'b'], type: 'string' }, minItems: 1 }),
    ).toEqual({
      type: 'array',
      items: { enum: ['a', 'b'] },
      minItems: 1,
    });
    expect(
      toAnthropicSchema({ $ref: '#/$defs/x', $defs: { x: { type: 'object', properties: {} } } }),
    ).toEqual({
      $defs: { x: { type: 'object', properties: {}, additionalProperties: false } },
      $ref: '#/$defs/x',
    });
  });

  it('does not change its input', () => {
    const schema = { type: 'object', properties: { a: { type: 'string', maxLength: 3 } } };
    const copy = structuredClone(schema);
    toAnthropicSchema(schema);
    expect(schema).toEqual(copy);
  });
});
