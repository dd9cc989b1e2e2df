import { describe, expect, it } from 'vitest';
import { toGeminiSchema } from './gemini-schema.js';
import { exchange } from './test-support/gemini-fixtures.js';

describe('toGeminiSchema', () => {
  it('converts the js-genai recording schema (nullable unions, const, formats, unsupported keywords)', () => {
    const recorded = exchange('gemini/generate-json-schema.exchange.json')[0]!.request.body as {
      generationConfig: { responseJsonSchema: Record<string, unknown> };
    };
    const source = recorded.generationConfig.responseJsonSchema;
    const before = JSON.stringify(source);
    const { value, warnings } = toGeminiSchema(source);
    expect(JSON.stringify(source)).toBe(before);
    expect(warnings).toEqual([]);
    const properties = value?.properties ?? {};
    expect(value?.type).toBe('OBJECT');
    expect(JSON.stringify(value)).not.toMatch(/additionalProperties|\$schema|"title"/);
    expect(properties.simpleString).toEqual({ type: 'STRING', description: 'This is a simple string' });
    expect(properties.stringDatatime).toEqual({ type: 'STRING', format: 'date-time' });
    expect(properties.stringWithEnum).toEqual({
      type: 'STRING',
      enum: ['enumvalue1', 'enumvalue2', 'enumvalue3'],
    });
    expect(properties.stringWithLength).toEqual({ type: 'STRING', minLength: '1', maxLength: '10' });
    expect(properties.numberWithMinMax).toEqual({ type: 'NUMBER', minimum: 1, maximum: 10 });
    expect(properties.nullableField).toEqual({ type: 'STRING', nullable: true });
    expect(properties.unionField).toEqual({ anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }] });
    expect(properties.nullableArrayField).toEqual({
      nullable: true,
      type: 'ARRAY',
      items: { type: 'STRING' },
    });
    expect(properties.nullableObjectField).toMatchObject({
      nullable: true,
      type: 'OBJECT',
      required: ['innerString', 'innerNumber'],
    });
    expect(value?.required).toHaveLength(15);
  });

  it('const → enum, drops default/title/exclusiveMinimum and unknown formats, keeps descriptions', () => {
    const { value } = toGeminiSchema({
      type: 'object',
      title: 'Args',
      properties: {
        kind: { const: 'circle', description: 'Shape kind' },
        radius: { type: 'number', exclusiveMinimum: 0, default: 1, title: 'R', format: 'double' },
        email: { type: 'string', format: 'email' },
        level: { enum: [1, 2, 3], type: 'integer' },
      },
      required: ['kind', 'missing'],
      additionalProperties: false,
    });
    expect(value).toEqual({
      type: 'OBJECT',
      properties: {
        kind: { type: 'STRING', enum: ['circle'], description: 'Shape kind' },
        radius: { type: 'NUMBER', format: 'double' },
        email: { type: 'STRING' },
        level: { type: 'INTEGER', description: '(one of: 1, 2, 3)' },
      },
      required: ['kind'],
    });
  });

  it('resolves leftover $refs and cuts recursion with a warning', () => {
    const { value, warnings } = toGeminiSchema({
      type: 'object',
      properties: {
        owner: { $ref: '#/$defs/Person', description: 'The owner' },
        tree: { $ref: '#/definitions/Node' },
        ghost: { $ref: '#/$defs/Nope' },
      },
      $defs: { Person: { type: 'object', properties: { name: { type: 'string' } } } },
      definitions: { Node: { type: 'object', properties: { child: { $ref: '#/definitions/Node' } } } },
    });
    expect(value?.properties?.owner).toEqual({
      type: 'OBJECT',
      properties: { name: { type: 'STRING' } },
      description: 'The owner',
    });
    expect(value?.properties?.tree).toEqual({ type: 'OBJECT', properties: { child: { type: 'OBJECT' } } });
    expect(value?.properties?.ghost).toEqual({ type: 'OBJECT' });
    expect(warnings).toHaveLength(2);
    expect(JSON.stringify(value)).not.toContain('$defs');
  });

  it('merges allOf, maps oneOf to anyOf, gives typeless nodes a type', () => {
    const { value } = toGeminiSchema({
      type: 'object',
      properties: {
        both: {
          allOf: [
            { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
            { properties: { b: { type: 'boolean' } } },
          ],
        },
        either: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
        anything: {},
        described: { description: 'free form' },
      },
    });
    expect(value?.properties?.both).toEqual({
      type: 'OBJECT',
      properties: { a: { type: 'STRING' }, b: { type: 'BOOLEAN' } },
      required: ['a'],
    });
    expect(value?.properties?.either).toEqual({ anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }] });
    expect(value?.properties?.anything).toEqual({ type: 'OBJECT' });
    expect(value?.properties?.described).toEqual({ type: 'OBJECT', description: 'free form' });
  });

  it('an object schema without properties converts to no parameters', () => {
    expect(toGeminiSchema({ type: 'object', properties: {} }).value).toBeUndefined();
    expect(toGeminiSchema({ type: 'object' }).value).toBeUndefined();
  });

  it('converts a schema object once (tool-loop rounds reuse the result)', () => {
    const schema = { type: 'object', properties: { q: { type: 'string' } } };
    expect(toGeminiSchema(schema)).toBe(toGeminiSchema(schema));
  });
});
