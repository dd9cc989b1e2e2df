import { describe, expect, it } from 'vitest';
import { restoreOptionalFields } from '../../schema/optional-paths.js';
import type { JsonSchema } from '../../spec/index.js';
import { toOpenAIStrictSchema } from './openai-strict-schema.js';

const person: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, description: 'Full name' },
    nickname: { type: 'string' },
    age: { type: 'integer', minimum: 0, default: 30 },
    role: { type: 'string', enum: ['admin', 'user'] },
    address: {
      type: 'object',
      properties: { city: { type: 'string' }, zip: { type: 'string', pattern: '^[0-9]{5}$' } },
      required: ['city'],
    },
    tags: {
      type: 'array',
      maxItems: 3,
      uniqueItems: true,
      items: {
        type: 'object',
        properties: { label: { type: 'string' }, note: { type: 'string' } },
        required: ['label'],
      },
    },
  },
  required: ['name', 'tags'],
};

describe('toOpenAIStrictSchema', () => {
  it('makes optional properties required and nullable, at every level, and lists their paths', () => {
    const result = toOpenAIStrictSchema(person);
    expect(result.strict).toBe(true);
    expect(result.optionalPaths).toEqual([
      '/nickname',
      '/age',
      '/role',
      '/address',
      '/address/zip',
      '/tags/*/note',
    ]);
    expect(result.schema).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string', description: 'Full name' },
        nickname: { type: ['string', 'null'] },
        age: { type: ['integer', 'null'], minimum: 0 },
        role: { type: ['string', 'null'], enum: ['admin', 'user', null] },
        address: {
          type: ['object', 'null'],
          properties: { city: { type: 'string' }, zip: { type: ['string', 'null'], pattern: '^[0-9]{5}$' } },
          required: ['city', 'zip'],
          additionalProperties: false,
        },
        tags: {
          type: 'array',
          maxItems: 3,
          items: {
            type: 'object',
            properties: { label: { type: 'string' }, note: { type: ['string', 'null'] } },
            required: ['label', 'note'],
            additionalProperties: false,
          },
        },
      },
      required: ['name', 'nickname', 'age', 'role', 'address', 'tags'],
      additionalProperties: false,
    });
  });

  it('never mutates its input and caches per schema object', () => {
    const before = JSON.stringify(person);
    const first = toOpenAIStrictSchema(person);
    expect(JSON.stringify(person)).toBe(before);
    expect(toOpenAIStrictSchema(person)).toBe(first);
  });

  it('turns the nulls of optional fields back into absent fields, through arrays, in place', () => {
    const { optionalPaths } = toOpenAIStrictSchema(person);
    const answer = {
      name: 'Ada',
      nickname: null,
      age: 36,
      role: null,
      address: { city: 'London', zip: null },
      tags: [
        { label: 'math', note: null },
        { label: 'poetry', note: 'father' },
      ],
    };
    expect(restoreOptionalFields(answer, optionalPaths)).toBe(answer);
    expect(answer).toEqual({
      name: 'Ada',
      age: 36,
      address: { city: 'London' },
      tags: [{ label: 'math' }, { label: 'poetry', note: 'father' }],
    });
    const nullParent = { name: 'x', address: null, tags: [] };
    restoreOptionalFields(nullParent, optionalPaths);
    expect(nullParent).toEqual({ name: 'x', tags: [] });
  });

  it('keeps required nulls and escapes property names in paths', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { 'a/b': { type: 'string' }, '*': { type: 'string' }, keep: { type: ['string', 'null'] } },
      required: ['keep'],
    };
    const result = toOpenAIStrictSchema(schema);
    expect(result.optionalPaths).toEqual(['/a~1b', '/~2']);
    const value = { 'a/b': null, '*': null, keep: null };
    restoreOptionalFields(value, result.optionalPaths);
    expect(value).toEqual({ keep: null });
  });

  it('makes $ref-free unions, consts and untyped enums nullable the strict way', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        either: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        one: { oneOf: [{ type: 'string' }, { type: 'boolean' }] },
        kind: { const: 'circle' },
        size: { enum: ['s', 'm'] },
        when: { type: 'string', format: 'date-time' },
        uri: { type: 'string', format: 'uri' },
      },
      required: ['kind', 'when', 'uri'],
    };
    const result = toOpenAIStrictSchema(schema);
    expect(result.strict).toBe(true);
    expect(result.schema.properties).toEqual({
      either: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'null' }] },
      one: { anyOf: [{ type: 'string' }, { type: 'boolean' }, { type: 'null' }] },
      kind: { enum: ['circle'] },
      size: { enum: ['s', 'm', null] },
      when: { type: 'string', format: 'date-time' },
      uri: { type: 'string' },
    });
  });

  it.each([
    [
      'a record field (additionalProperties schema)',
      { scores: { type: 'object', additionalProperties: { type: 'number' } } },
      /^record \(additionalProperties schema\) at \/scores$/,
    ],
    ['an object without properties', { meta: { type: 'object' } }, /without fixed properties/],
    [
      'additionalProperties: true',
      { meta: { type: 'object', properties: {}, additionalProperties: true } },
      /open object/,
    ],
    ['allOf', { both: { allOf: [{ type: 'string' }] } }, /allOf/],
    ['a $ref', { node: { $ref: '#/$defs/node' } }, /\$ref/],
    ['an untyped property', { anything: {} }, /untyped/],
    ['an array without items', { list: { type: 'array' } }, /without an items schema/],
  ])(
    'is not strict with %s, and keeps the schema (and its open additionalProperties) as given',
    (_label, properties, reason) => {
      const schema: JsonSchema = { type: 'object', properties };
      const result = toOpenAIStrictSchema(schema);
      expect(result.strict).toBe(false);
      expect(result.schema).toBe(schema);
      expect(result.optionalPaths).toEqual([]);
      expect(result.reason).toMatch(reason);
    },
  );

  it('is not strict when the root is not an object or nesting is too deep', () => {
    expect(toOpenAIStrictSchema({ type: 'array', items: { type: 'string' } }).reason).toMatch(/root/);
    expect(toOpenAIStrictSchema({ anyOf: [{ type: 'object', properties: {} }] }).strict).toBe(false);
    let deep: JsonSchema = { type: 'string' };
    for (let level = 0; level < 11; level++)
      deep = { type: 'object', properties: { child: deep }, required: ['child'] };
    expect(toOpenAIStrictSchema(deep).reason).toMatch(/levels of nesting/);
  });

  it('accepts an empty parameter object', () => {
    expect(toOpenAIStrictSchema({ type: 'object', properties: {} })).toEqual({
      schema: { type: 'object', properties: {}, required: [], additionalProperties: false },
      strict: true,
      optionalPaths: [],
    });
  });
});
