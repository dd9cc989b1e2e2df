import { describe, expect, it, vi } from 'vitest';
import { PartialJsonParser, parsePartialJson } from './partial-json.js';

describe('parsePartialJson', () => {
  it.each([
    ['nothing', '', undefined],
    ['whitespace', '  \n', undefined],
    ['open object', '{', {}],
    ['incomplete key dropped', '{"na', {}],
    ['key without value dropped', '{"name":', {}],
    ['key before the colon dropped', '{"a": 1, "b"', { a: 1 }],
    ['open string closed', '{"name": "Ap', { name: 'Ap' }],
    ['number in progress', '{"qty": 12', { qty: 12 }],
    ['number with a dangling dot', '{"qty": 1.', { qty: 1 }],
    ['lone minus dropped', '{"qty": -', {}],
    ['literal completed', '{"ok": tr', { ok: true }],
    ['null completed', '[nu', [null]],
    [
      'nested arrays and objects',
      '{"items": [{"name": "apple", "qty": 2}, {"name": "pe',
      { items: [{ name: 'apple', qty: 2 }, { name: 'pe' }] },
    ],
    ['array of numbers', '[1, 2, 3', [1, 2, 3]],
    ['open array in an object', '{"tags": [', { tags: [] }],
    ['escape completed', '{"q": "say \\"hi\\"', { q: 'say "hi"' }],
    ['partial escape dropped', '{"q": "a\\', { q: 'a' }],
    ['partial unicode escape dropped', '{"q": "caf\\u00', { q: 'caf' }],
    ['unicode escape', '{"q": "caf\\u00e9"}', { q: 'café' }],
    ['complete document', '{"a": [1, {"b": null}], "c": false}', { a: [1, { b: null }], c: false }],
    ['prose and fence skipped', 'Here you go:\n```json\n{"a": 1', { a: 1 }],
    ['text after the value ignored', '{"a": 1}\n```\nHope this helps {"b": 2}', { a: 1 }],
    ['string root', '"hel', 'hel'],
    ['number root', '-4', -4],
    ['trailing comma tolerated', '{"a": [1, 2,], ', { a: [1, 2] }],
  ])('%s', (_label, text, expected) => {
    expect(parsePartialJson(text)).toEqual(expected);
  });

  it('keeps __proto__ as an own data key', () => {
    const value = parsePartialJson('{"__proto__": {"polluted": true}, "a": 1') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

describe('PartialJsonParser', () => {
  const document =
    '{"title": "Caf\\u00e9 \\"menu\\"", "items": [{"name": "tea", "price": 2.5, "tags": ["hot", "green"]}, {"name": "cake", "price": 4, "vegan": false, "note": null}], "open": true}';

  it('gives the same snapshots whatever the chunking (every prefix, char by char)', () => {
    const parser = new PartialJsonParser();
    for (let i = 0; i < document.length; i++) {
      parser.push(document.charAt(i));
      expect(parser.snapshot()).toEqual(parsePartialJson(document.slice(0, i + 1)));
    }
    expect(parser.done).toBe(true);
    expect(parser.snapshot()).toEqual(JSON.parse(document));
  });

  it('bumps version only when the value changes (not for keys in progress or whitespace)', () => {
    const parser = new PartialJsonParser();
    parser.push('{');
    const afterOpen = parser.version;
    parser.push('"ke');
    parser.push('y"  :  ');
    expect(parser.version).toBe(afterOpen);
    parser.push('"v');
    expect(parser.version).toBeGreaterThan(afterOpen);
  });

  it('snapshots are independent: later text never changes an earlier snapshot', () => {
    const parser = new PartialJsonParser();
    parser.push('{"items": [{"a": 1}, {"b": ');
    const first = parser.snapshot();
    const copy = structuredClone(first);
    parser.push('2}, {"c": [3, 4]}], "d": "e"}');
    expect(first).toEqual(copy);
    expect(parser.snapshot()).toEqual({ items: [{ a: 1 }, { b: 2 }, { c: [3, 4] }], d: 'e' });
  });

  it('parses a long streamed document in linear time: every character is read once (no reparse per delta)', () => {
    const big = JSON.stringify({
      rows: Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `row ${i}` })),
    });
    // Count the characters the parser examines (its two readers) instead of timing it.
    type Readers = { step(c: string): void; readString(chunk: string, start: number): number };
    const readers = PartialJsonParser.prototype as unknown as Readers;
    let read = 0;
    const realStep = readers.step;
    const realReadString = readers.readString;
    const countStep = vi.spyOn(readers, 'step').mockImplementation(function (this: Readers, c: string) {
      read++;
      realStep.call(this, c);
    });
    const countString = vi.spyOn(readers, 'readString').mockImplementation(function (
      this: Readers,
      chunk: string,
      start: number,
    ) {
      const next = realReadString.call(this, chunk, start);
      read += next - start;
      return next;
    });
    try {
      const parser = new PartialJsonParser();
      for (let i = 0; i < big.length; i += 7) parser.push(big.slice(i, i + 7));
      expect(parser.snapshot()).toEqual(JSON.parse(big));
      // ~600 KB in 7-character deltas; a reparse per delta would read ~85k times as much.
      expect(read).toBe(big.length);
    } finally {
      countStep.mockRestore();
      countString.mockRestore();
    }
  });
});
