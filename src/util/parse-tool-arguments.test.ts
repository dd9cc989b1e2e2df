import { describe, expect, it } from 'vitest';
import { parseToolArguments } from './parse-tool-arguments.js';

describe('parseToolArguments', () => {
  it('parses a JSON object as is', () => {
    expect(parseToolArguments('{"city":"Paris","n":2}')).toEqual({
      ok: true,
      value: { city: 'Paris', n: 2 },
      repaired: false,
    });
  });

  it('treats an empty or blank string as {}', () => {
    expect(parseToolArguments('')).toEqual({ ok: true, value: {}, repaired: false });
    expect(parseToolArguments('  \n')).toEqual({ ok: true, value: {}, repaired: false });
  });

  it.each([
    ['markdown fences', '```json\n{"city": "Paris"}\n```', { city: 'Paris' }],
    ['single quotes', "{'city': 'Paris'}", { city: 'Paris' }],
    ['trailing commas', '{"tags": ["a", "b",], }', { tags: ['a', 'b'] }],
    ['truncation', '{"city": "Paris", "days": [1, 2', { city: 'Paris', days: [1, 2] }],
    ['double encoding', JSON.stringify('{"city":"Paris"}'), { city: 'Paris' }],
  ])('repairs %s', (_label, raw, value) => {
    expect(parseToolArguments(raw)).toEqual({ ok: true, value, repaired: true });
  });

  it('rejects JSON that is not an object, naming what it is', () => {
    expect(parseToolArguments('[1,2]')).toEqual({
      ok: false,
      message: 'arguments must be a JSON object (got an array); send a JSON object',
    });
    expect(parseToolArguments('42')).toEqual({
      ok: false,
      message: 'arguments must be a JSON object (got a number); send a JSON object',
    });
    expect(parseToolArguments('null')).toMatchObject({
      ok: false,
      message: expect.stringContaining('got null'),
    });
    expect(parseToolArguments('hello')).toMatchObject({
      ok: false,
      message: expect.stringContaining('got a string'),
    });
  });

  it('reports text that cannot be repaired with the JSON error', () => {
    const result = parseToolArguments('{{{');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toMatch(/^arguments are not valid JSON \(.+\); send a JSON object$/);
    }
  });
});
