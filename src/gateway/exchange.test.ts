import { describe, expect, it } from 'vitest';
import { Exchange } from './exchange.js';

describe('Exchange abort', () => {
  it('a signal read after the exchange was aborted (the client left while the body was read) is already aborted', () => {
    const exchange = new Exchange('r1');
    const reason = new Error('client left');
    exchange.abort(reason);
    expect(exchange.signal.aborted).toBe(true);
    expect(exchange.signal.reason).toBe(reason);
  });

  it('a signal read before the abort is aborted by it, once', () => {
    const exchange = new Exchange('r2');
    const signal = exchange.signal;
    let fired = 0;
    signal.addEventListener('abort', () => fired++);
    exchange.abort('first');
    exchange.abort('second');
    expect(fired).toBe(1);
    expect(signal.reason).toBe('first');
  });

  it('whenAborted runs its hook on the abort, or at once when the exchange already was aborted', () => {
    const later = new Exchange('r3');
    const seen: unknown[] = [];
    later.whenAborted((reason) => seen.push(reason));
    expect(seen).toEqual([]);
    later.abort('gone');
    later.abort('again');
    expect(seen).toEqual(['gone']);

    const earlier = new Exchange('r4');
    earlier.abort('gone before');
    earlier.whenAborted((reason) => seen.push(reason));
    expect(seen).toEqual(['gone', 'gone before']);
  });
});

describe('Exchange controllers', () => {
  it('a finished exchange’s controller, never aborted and without listeners, serves the next exchange', () => {
    const first = new Exchange('c1');
    const signal = first.signal;
    const listener = () => undefined;
    signal.addEventListener('abort', listener);
    signal.removeEventListener('abort', listener);
    first.release();
    const next = new Exchange('c2');
    expect(next.signal).toBe(signal);
    expect(next.signal.aborted).toBe(false);
    next.release();
  });

  it('a controller still listened to, or aborted, is never handed out again', () => {
    const listened = new Exchange('c3');
    const kept = listened.signal;
    kept.addEventListener('abort', () => undefined);
    listened.release();
    const aborted = new Exchange('c4');
    const gone = aborted.signal;
    aborted.abort('client left');
    aborted.release();
    const next = new Exchange('c5');
    expect(next.signal).not.toBe(kept);
    expect(next.signal).not.toBe(gone);
    expect(next.signal.aborted).toBe(false);
  });
});
