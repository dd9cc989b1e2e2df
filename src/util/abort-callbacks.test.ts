import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { offAbort, onAbort } from './abort-callbacks.js';

describe('onAbort / offAbort', () => {
  it('a thousand callbacks share one listener, run in order, and leave nothing behind', () => {
    const controller = new AbortController();
    const ran: number[] = [];
    const callbacks = Array.from({ length: 1000 }, (_, index) => () => ran.push(index));
    for (const callback of callbacks) onAbort(controller.signal, callback);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    expect(ran).toEqual(callbacks.map((_, index) => index));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('removing the last callback removes the listener; a removed callback never runs', () => {
    const controller = new AbortController();
    const ran: string[] = [];
    const a = () => ran.push('a');
    const b = () => ran.push('b');
    onAbort(controller.signal, a);
    onAbort(controller.signal, b);
    offAbort(controller.signal, a);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    offAbort(controller.signal, b);
    offAbort(controller.signal, b);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    onAbort(controller.signal, b);
    controller.abort();
    expect(ran).toEqual(['b']);
  });

  it('a callback removed by an earlier one is skipped; one that throws does not stop the others', async () => {
    const controller = new AbortController();
    const ran: string[] = [];
    const thrown: unknown[] = [];
    const onError = (error: unknown) => thrown.push(error);
    process.prependListener('uncaughtException', onError);
    try {
      const c = () => ran.push('c');
      onAbort(controller.signal, () => {
        ran.push('a');
        offAbort(controller.signal, c);
        throw new Error('boom');
      });
      onAbort(controller.signal, () => ran.push('b'));
      onAbort(controller.signal, c);
      controller.abort();
      expect(ran).toEqual(['a', 'b']);
      await new Promise((resolve) => setImmediate(resolve));
      expect(thrown).toHaveLength(1);
    } finally {
      process.removeListener('uncaughtException', onError);
    }
  });
});
