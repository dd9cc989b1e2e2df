import { describe, expect, it } from 'vitest';
import { parseJsonAnswer } from './repair-json.js';

describe('parseJsonAnswer', () => {
  it.each([
    ['plain JSON', '{"a":1}', { a: 1 }, false],
    ['surrounding whitespace', '\n  [1, 2]  \n', [1, 2], false],
    ['a JSON string', '"hello"', 'hello', false],
    ['code fence', '```json\n{"a":1}\n```', { a: 1 }, true],
    ['fence without language', '```\n{"a":1}\n```', { a: 1 }, true],
    ['prose before and after', 'Here it is: {"a": {"b": [1]}} — done.', { a: { b: [1] } }, true],
    ['braces inside strings', 'Answer: {"a": "x}y{"} ok', { a: 'x}y{' }, true],
    ['trailing commas', '{"a": [1, 2,],}', { a: [1, 2] }, true],
    ['single quotes', "{'a': 'b'}", { a: 'b' }, true],
    ['comments', '{"a": 1 // one\n, /* two */ "b": 2}', { a: 1, b: 2 }, true],
    ['truncated object', '{"a": [1, 2, {"b": "hel', { a: [1, 2, { b: 'hel' }] }, true],
    ['truncated after prose and a fence', 'OK:\n```json\n{"a": 1, "b": ["x', { a: 1, b: ['x'] }, true],
    ['first balanced value wins', 'A {"a":1} then {"b":2}', { a: 1 }, true],
  ])('%s', (_label, text, value, repaired) => {
    expect(parseJsonAnswer(text)).toEqual({ ok: true, value, repaired });
  });

  it.each([
    ['empty', '   ', /empty/],
    ['prose only', 'I cannot help with that.', /not valid JSON/],
  ])('fails on %s', (_label, text, message) => {
    const result = parseJsonAnswer(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('keeps a __proto__ key as data', () => {
    const result = parseJsonAnswer('x {"__proto__": {"polluted": true}}');
    expect(result.ok).toBe(true);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
