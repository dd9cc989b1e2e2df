import { describe, expect, it } from 'vitest';
import { copyPlain, isPlainObject } from './copy-plain.js';

describe('copyPlain', () => {
  it('copies nested arrays and objects', () => {
    const input = { a: [1, { b: 'x' }], c: { d: { e: [true] } } };
    const copy = copyPlain(input);
    expect(copy).toEqual(input);
    expect(copy).not.toBe(input);
    expect(copy.a).not.toBe(input.a);
    expect(copy.a[1]).not.toBe(input.a[1]);
    expect(copy.c.d.e).not.toBe(input.c.d.e);
  });

  it('keeps class instances and functions by reference', () => {
    const date = new Date(0);
    const bytes = new Uint8Array([1, 2]);
    const fn = () => 1;
    const copy = copyPlain({ date, bytes, fn });
    expect(copy.date).toBe(date);
    expect(copy.bytes).toBe(bytes);
    expect(copy.fn).toBe(fn);
  });

  it('copies a __proto__ key as data, without changing the prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const copy = copyPlain(input);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ polluted: true });
  });

  it('isPlainObject accepts literals and null-prototype objects only', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject([])).toBe(false);
    expect(isPlainObject(new Date())).toBe(false);
    expect(isPlainObject(null)).toBe(false);
  });
});
