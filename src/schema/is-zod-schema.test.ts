import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import { isZodSchema, isZodV3Schema } from './is-zod-schema.js';

describe('isZodSchema', () => {
  it('recognises zod v4 classic and mini schemas', () => {
    expect(isZodSchema(z.object({ a: z.string() }))).toBe(true);
    expect(isZodSchema(z.string().optional())).toBe(true);
    expect(isZodSchema(zm.object({ a: zm.string() }))).toBe(true);
  });

  it('rejects JSON schemas and other values', () => {
    expect(isZodSchema({ type: 'object', properties: {} })).toBe(false);
    expect(isZodSchema({ _zod: null })).toBe(false);
    expect(isZodSchema(null)).toBe(false);
    expect(isZodSchema(undefined)).toBe(false);
    expect(isZodSchema('string')).toBe(false);
  });

  it('tells zod v3 schemas apart', () => {
    const v3Like = { _def: { typeName: 'ZodObject' }, safeParse: () => ({ success: true }) };
    expect(isZodSchema(v3Like)).toBe(false);
    expect(isZodV3Schema(v3Like)).toBe(true);
    expect(isZodV3Schema(z.string())).toBe(false);
    expect(isZodV3Schema({ type: 'string' })).toBe(false);
  });
});
