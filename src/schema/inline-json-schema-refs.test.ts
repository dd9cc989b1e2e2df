import { describe, expect, it } from 'vitest';
import { LLMError } from '../errors/llm-error.js';
import type { JsonSchema } from '../spec/index.js';
import { inlineJsonSchemaRefs } from './inline-json-schema-refs.js';
import { findRefs } from './test-support/find-refs.js';

function errorOf(fn: () => unknown): LLMError {
  try {
    fn();
  } catch (error) {
    if (LLMError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an LLMError');
}

describe('inlineJsonSchemaRefs', () => {
  it('inlines $defs refs (nested ones too) and drops $defs', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        home: { $ref: '#/$defs/Address' },
        work: { $ref: '#/$defs/Address' },
      },
      $defs: {
        Address: { type: 'object', properties: { city: { $ref: '#/$defs/City' } } },
        City: { type: 'string', description: 'City name' },
      },
    };
    const out = inlineJsonSchemaRefs(schema);
    expect(out).toEqual({
      type: 'object',
      properties: {
        home: { type: 'object', properties: { city: { type: 'string', description: 'City name' } } },
        work: { type: 'object', properties: { city: { type: 'string', description: 'City name' } } },
      },
    });
    expect(findRefs(out)).toEqual([]);
  });

  it('inlines draft-07 definitions', () => {
    const schema: JsonSchema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'array',
      items: { $ref: '#/definitions/Item' },
      definitions: { Item: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] } },
    };
    expect(inlineJsonSchemaRefs(schema)).toEqual({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'array',
      items: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] },
    });
  });

  it('resolves JSON-pointer refs into the document, with ~0/~1 and %-escapes', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        a: { type: 'integer', minimum: 1 },
        b: { $ref: '#/properties/a' },
        'x/y': { type: 'boolean' },
        c: { $ref: '#/properties/x~1y' },
        d: { $ref: '#/$defs/with%20space' },
        e: { anyOf: [{ $ref: '#/properties/a' }, { type: 'null' }] },
        f: { type: 'array', prefixItems: [{ $ref: '#/properties/e/anyOf/1' }] },
      },
      $defs: { 'with space': { type: 'number' } },
    };
    const out = inlineJsonSchemaRefs(schema);
    expect(out.properties).toEqual({
      a: { type: 'integer', minimum: 1 },
      b: { type: 'integer', minimum: 1 },
      'x/y': { type: 'boolean' },
      c: { type: 'boolean' },
      d: { type: 'number' },
      e: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] },
      f: { type: 'array', prefixItems: [{ type: 'null' }] },
    });
  });

  it('keeps sibling annotations next to $ref, overriding the target, and combines clashing keywords', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        a: { $ref: '#/$defs/Name', description: 'The user name' },
        b: { $ref: '#/$defs/Name', maxLength: 5 },
        c: { $ref: '#/$defs/Name', minLength: 2 },
      },
      $defs: { Name: { type: 'string', description: 'A name', maxLength: 40 } },
    };
    const out = inlineJsonSchemaRefs(schema);
    expect(out.properties).toEqual({
      a: { type: 'string', description: 'The user name', maxLength: 40 },
      b: { allOf: [{ type: 'string', description: 'A name', maxLength: 40 }, { maxLength: 5 }] },
      c: { type: 'string', description: 'A name', maxLength: 40, minLength: 2 },
    });
  });

  it('walks only schema positions: "$ref" inside default/enum/const is data, "$defs" as a property name stays', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        $defs: { type: 'string' },
        link: { type: 'object', default: { $ref: '#/nowhere' }, enum: [{ $ref: 'x' }] },
      },
      additionalProperties: { $ref: '#/$defs/Extra' },
      $defs: { Extra: { type: 'number' } },
    };
    expect(inlineJsonSchemaRefs(schema)).toEqual({
      type: 'object',
      properties: {
        $defs: { type: 'string' },
        link: { type: 'object', default: { $ref: '#/nowhere' }, enum: [{ $ref: 'x' }] },
      },
      additionalProperties: { type: 'number' },
    });
  });

  it('walks every applicator keyword', () => {
    const ref = { $ref: '#/$defs/S' };
    const schema: JsonSchema = {
      allOf: [ref],
      oneOf: [ref],
      not: ref,
      if: ref,
      // biome-ignore lint/suspicious/noThenProperty: `then` is a JSON Schema keyword here, not a thenable.
      then: ref,
      else: ref,
      contains: ref,
      propertyNames: ref,
      patternProperties: { '^x': ref },
      dependentSchemas: { a: ref },
      dependencies: { b: ['c'], d: ref },
      unevaluatedProperties: ref,
      items: [ref],
      $defs: { S: { type: 'string' } },
    };
    const out = inlineJsonSchemaRefs(schema);
    expect(findRefs(out)).toEqual([]);
    expect(out.dependencies).toEqual({ b: ['c'], d: { type: 'string' } });
    expect(out.items).toEqual([{ type: 'string' }]);
  });

  it('never aliases or mutates its input, and copies a shared definition per use', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { a: { $ref: '#/$defs/T' }, b: { $ref: '#/$defs/T' }, c: { type: 'string', enum: ['x'] } },
      $defs: { T: { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } } } } },
    };
    const before = structuredClone(schema);
    const out = inlineJsonSchemaRefs(schema);
    expect(schema).toEqual(before);
    const props = out.properties as Record<string, Record<string, unknown>>;
    (props.a as { properties: Record<string, unknown> }).properties.extra = true;
    (props.c!.enum as string[]).push('y');
    expect(props.b).toEqual(before.$defs && (before.$defs as Record<string, unknown>).T);
    expect(schema).toEqual(before);
  });

  it('reports an unresolvable or external ref by name', () => {
    const missing = errorOf(() =>
      inlineJsonSchemaRefs({ type: 'object', properties: { a: { $ref: '#/$defs/Missing' } } }),
    );
    expect(missing.code).toBe('INVALID_PARAMETER');
    expect(missing.message).toContain("'#/$defs/Missing'");
    expect(missing.message).toContain('schema.properties.a');
    const external = errorOf(() => inlineJsonSchemaRefs({ $ref: 'https://example.com/schema.json' }));
    expect(external.code).toBe('INVALID_PARAMETER');
    expect(external.message).toContain('https://example.com/schema.json');
    const anchor = errorOf(() => inlineJsonSchemaRefs({ $ref: '#anchor' }));
    expect(anchor.message).toContain("'#anchor'");
    const badIndex = errorOf(() =>
      inlineJsonSchemaRefs({ anyOf: [{ type: 'string' }], not: { $ref: '#/anyOf/01' } }),
    );
    expect(badIndex.message).toContain('#/anyOf/01');
  });

  it('throws on a recursive definition, naming it, instead of looping', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { root: { $ref: '#/$defs/Node' } },
      $defs: {
        Node: {
          type: 'object',
          properties: {
            value: { type: 'number' },
            children: { type: 'array', items: { $ref: '#/$defs/Node' } },
          },
        },
      },
    };
    const error = errorOf(() => inlineJsonSchemaRefs(schema));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toContain("definition 'Node'");
    expect(error.details).toMatchObject({ definition: 'Node', ref: '#/$defs/Node' });
  });

  it('detects mutual recursion and root self-references', () => {
    const mutual: JsonSchema = {
      $ref: '#/$defs/A',
      $defs: {
        A: { type: 'object', properties: { b: { $ref: '#/$defs/B' } } },
        B: { type: 'object', properties: { a: { $ref: '#/$defs/A' } } },
      },
    };
    expect(errorOf(() => inlineJsonSchemaRefs(mutual)).message).toContain("definition 'A'");
    const self: JsonSchema = { type: 'object', properties: { next: { $ref: '#' } } };
    expect(errorOf(() => inlineJsonSchemaRefs(self)).message).toContain('the root schema');
  });

  it("keeps only the recursive refs with cycles: 'keep'", () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        tree: { $ref: '#/$defs/Node', description: 'The tree' },
        label: { $ref: '#/$defs/Label' },
        self: { $ref: '#' },
      },
      $defs: {
        Label: { type: 'string' },
        Node: {
          type: 'object',
          properties: {
            label: { $ref: '#/$defs/Label' },
            children: { type: 'array', items: { $ref: '#/$defs/Node' } },
          },
        },
      },
    };
    const out = inlineJsonSchemaRefs(schema, { cycles: 'keep' });
    expect(out).toEqual({
      type: 'object',
      properties: {
        tree: {
          type: 'object',
          description: 'The tree',
          properties: {
            label: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/$defs/Node' } },
          },
        },
        label: { type: 'string' },
        self: { $ref: '#' },
      },
      $defs: {
        Node: {
          type: 'object',
          properties: {
            label: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/$defs/Node' } },
          },
        },
      },
    });
  });

  it('stops a schema that explodes when inlined', () => {
    const defs: Record<string, unknown> = { L0: { type: 'string' } };
    for (let i = 1; i <= 20; i++) {
      defs[`L${i}`] = {
        type: 'object',
        properties: { a: { $ref: `#/$defs/L${i - 1}` }, b: { $ref: `#/$defs/L${i - 1}` } },
      };
    }
    const error = errorOf(() => inlineJsonSchemaRefs({ $ref: '#/$defs/L20', $defs: defs }));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toContain('too large');
    expect(inlineJsonSchemaRefs({ $ref: '#/$defs/L3', $defs: defs })).toMatchObject({ type: 'object' });
  });

  it('rejects a non-object schema', () => {
    expect(errorOf(() => inlineJsonSchemaRefs([] as unknown as JsonSchema)).code).toBe('INVALID_PARAMETER');
  });
});
