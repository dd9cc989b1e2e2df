import { describe, expect, it } from 'vitest';
import { BatchFailure, OrderedBatches, parseJsonlLine } from './embed-jsonl.js';

describe('parseJsonlLine', () => {
  it('accepts objects with a non-empty string text and keeps every field', () => {
    expect(parseJsonlLine('{"id":1,"text":"hi","x":[1]}', 4)).toEqual({
      kind: 'good',
      line: { lineNo: 4, record: { id: 1, text: 'hi', x: [1] }, text: 'hi' },
    });
    expect(parseJsonlLine('\uFEFF{"text":"bom"}', 1)).toMatchObject({ kind: 'good', line: { text: 'bom' } });
  });

  it('ignores blank lines and explains bad ones', () => {
    expect(parseJsonlLine('   ', 2)).toEqual({ kind: 'blank' });
    expect(parseJsonlLine('{', 3)).toMatchObject({
      kind: 'bad',
      lineNo: 3,
      reason: expect.stringMatching(/^invalid JSON \(/),
    });
    expect(parseJsonlLine('null', 5)).toEqual({
      kind: 'bad',
      lineNo: 5,
      reason: 'not a JSON object (got null)',
    });
    expect(parseJsonlLine('{"text":null}', 6)).toEqual({
      kind: 'bad',
      lineNo: 6,
      reason: '"text" must be a string (got null)',
    });
    expect(parseJsonlLine('{"txt":"a"}', 7)).toEqual({ kind: 'bad', lineNo: 7, reason: 'missing "text"' });
  });
});

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

const line = (n: number) => ({ lineNo: n, record: { text: `t${n}` }, text: `t${n}` });

describe('OrderedBatches', () => {
  it('keeps at most `concurrency` batches in flight and writes in input order even when later ones finish first', async () => {
    const pending: { texts: string[]; done: ReturnType<typeof deferred<number[][]>> }[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const written: string[] = [];
    const batches = new OrderedBatches({
      batchSize: 2,
      concurrency: 2,
      embed: (texts) => {
        const done = deferred<number[][]>();
        pending.push({ texts, done });
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        return done.promise.finally(() => inFlight--);
      },
      write: async (text) => {
        written.push(text);
      },
    });
    const adding = (async () => {
      for (let n = 1; n <= 5; n++) await batches.add(line(n));
      await batches.finish();
    })();
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending.map((batch) => batch.texts)).toEqual([
      ['t1', 't2'],
      ['t3', 't4'],
    ]); // the third waits
    pending[1]?.done.resolve([[3], [4]]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual([]); // batch 2 is done, but batch 1 is not written yet
    pending[0]?.done.resolve([[1], [2]]);
    await new Promise((resolve) => setImmediate(resolve));
    pending[2]?.done.resolve([[5]]);
    await adding;
    expect(maxInFlight).toBe(2);
    expect(written.join('')).toBe(
      [
        '{"text":"t1","embedding":[1]}',
        '{"text":"t2","embedding":[2]}',
        '{"text":"t3","embedding":[3]}',
        '{"text":"t4","embedding":[4]}',
        '{"text":"t5","embedding":[5]}',
      ]
        .map((text) => `${text}\n`)
        .join(''),
    );
    expect(batches).toMatchObject({ batches: 3, written: 5 });
  });

  it('throws a BatchFailure naming the lines of the first failed batch', async () => {
    const batches = new OrderedBatches({
      batchSize: 2,
      concurrency: 4,
      embed: async (texts) => {
        if (texts.includes('t3')) throw new Error('boom');
        return texts.map(() => [0]);
      },
      write: async () => undefined,
    });
    for (let n = 1; n <= 4; n++) await batches.add(line(n));
    const failure = await batches.finish().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BatchFailure);
    expect(failure).toMatchObject({ firstLine: 3, lastLine: 4, error: new Error('boom') });
    expect(batches.written).toBe(2);
  });
});
